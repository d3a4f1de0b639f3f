"""The workloads written as a tapeflow user writes them (TensorFlow style)."""

import numpy as np

import tapeflow as tf
from benchmarks import data


def w1_grad():
    x = tf.constant(4.0)

    def step():
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x * x
        return tape.gradient(y, x)

    return step, lambda: step().numpy()


def w1_seed():
    x = tf.constant(4.0)

    def step():
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = x * x * x
            first = inner.gradient(y, x)
        return first, outer.gradient(first, x)

    return step, lambda: tuple(t.numpy() for t in step())


def w2_ops():
    x, w, b = (tf.constant(a) for a in data.chain_inputs(np.float32))

    def step():
        with tf.GradientTape() as tape:
            tape.watch(x)
            h = x
            for _ in range(data.CHAIN_LAYERS):
                h = tf.tanh(tf.sin(h * w + b))
            loss = tf.reduce_sum(h)
        return tape.gradient(loss, x)

    return step, lambda: step().numpy()


WORKLOADS = {"w1_grad": w1_grad, "w1_seed": w1_seed, "w2_ops": w2_ops}
