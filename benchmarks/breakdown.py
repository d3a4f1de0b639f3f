"""Where tapeflow's time goes on small tensors: the cost of each layer of the op call path and
of the reverse sweep, next to the NumPy work inside them.

    python -m benchmarks.breakdown

Each figure is the median of several timing runs of many calls, in microseconds.
"""

from __future__ import annotations

import statistics
import timeit

import numpy as np

import tapeflow as tf
from benchmarks import data


def _time(stmt, number: int = 20000, repeat: int = 7, **names) -> float:
    runs = timeit.repeat(stmt, globals=names, number=number, repeat=repeat)
    return statistics.median(runs) / number * 1e6


def _chain(x, w, b):
    h = x
    for _ in range(data.CHAIN_LAYERS):
        h = tf.tanh(tf.sin(h * w + b))
    return tf.reduce_sum(h)


def main() -> None:
    x0, w0, b0 = data.chain_inputs(np.float32)
    x, w, b = tf.constant(x0), tf.constant(w0), tf.constant(b0)
    rows = []

    def row(what, micros):
        rows.append((what, micros))

    # one op on float32[16]: NumPy alone, then tapeflow without and with a recording tape
    row("np.sin(a)", _time(lambda: np.sin(x0), np=np, x0=x0))
    row("tf.sin(x), no tape", _time(lambda: tf.sin(x)))
    row("np.multiply(a, b)", _time(lambda: np.multiply(x0, w0)))
    row("x * w, no tape", _time(lambda: x * w))
    tape = tf.GradientTape(persistent=True)
    tape.__enter__()
    tape.watch(x)
    row("x * w, recorded", _time(lambda: x * w, number=5000))
    tape.__exit__(None, None, None)
    del tape

    # the tape's fixed costs and the sweep, for w1 (y = x*x*x at a float32 scalar)
    s = tf.constant(4.0)

    def empty_tape():
        with tf.GradientTape() as t:
            t.watch(s)

    def w1_forward():
        t = tf.GradientTape()
        with t:
            t.watch(s)
            y = s * s * s
        return t, y

    row("GradientTape() + enter/exit + watch", _time(empty_tape))
    row("w1 forward (tape, 2 recorded muls)", _time(w1_forward))
    pairs = [w1_forward() for _ in range(20000)]
    start = timeit.default_timer()
    for t, y in pairs:
        t.gradient(y, s)
    row("w1 gradient() (6 ops in the sweep)", (timeit.default_timer() - start) / 20000 * 1e6)

    # w2: forward with and without the tape, and the sweep, per op of the 100-op chain
    row("w2 forward, no tape, per op", _time(lambda: _chain(x, w, b), number=300) / 100)

    def w2_forward():
        t = tf.GradientTape()
        with t:
            t.watch(x)
            loss = _chain(x, w, b)
        return t, loss

    row("w2 forward, recorded, per op", _time(w2_forward, number=300) / 100)
    pairs = [w2_forward() for _ in range(300)]
    start = timeit.default_timer()
    for t, loss in pairs:
        t.gradient(loss, x)
    row("w2 gradient(), per op", (timeit.default_timer() - start) / 300 / 100 * 1e6)
    row(
        "w2 NumPy baseline (forward + backward), per op",
        _time(lambda: data.chain_gradient(x0, w0, b0), number=300) / 100,
    )

    width = max(len(what) for what, _ in rows)
    for what, micros in rows:
        print(f"{what:<{width}}  {micros:8.2f} µs")


if __name__ == "__main__":
    main()
