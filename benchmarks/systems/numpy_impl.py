"""The baseline: each workload's maths hand-written in NumPy (forward and hand-derived
backward, no tape)."""

import numpy as np

from benchmarks import data


def w1_grad():
    x = np.float32(4.0)

    def step():
        return np.float32(3.0) * x * x  # d(x*x*x)/dx

    return step, step


def w1_seed():
    x = np.float32(4.0)

    def step():
        return np.float32(3.0) * x * x, np.float32(6.0) * x

    return step, step


def w2_ops():
    x, w, b = data.chain_inputs(np.float32)

    def step():
        h, saved = x, []
        for _ in range(data.CHAIN_LAYERS):
            a = h * w + b
            t = np.tanh(np.sin(a))
            saved.append((a, t))
            h = t
        g = np.ones_like(h)  # d sum(h) / d h
        for a, t in reversed(saved):
            g = g * (1 - t * t) * np.cos(a) * w
        return g

    return step, step


WORKLOADS = {"w1_grad": w1_grad, "w1_seed": w1_seed, "w2_ops": w2_ops}
