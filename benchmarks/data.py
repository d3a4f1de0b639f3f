"""Inputs shared by every system, and the float64 references results are checked against."""

import numpy as np

CHAIN_LAYERS = 25  # 25 x (mul, add, sin, tanh) = 100 ops
CHAIN_SIZE = 16


def chain_inputs(dtype):
    rng = np.random.default_rng(0)
    return tuple(rng.standard_normal(CHAIN_SIZE).astype(dtype) for _ in range(3))


def reference(workload: str):
    """The float64 result of each workload's check, computed in NumPy."""
    if workload == "w1_grad":
        return np.float64(48.0)
    if workload == "w1_seed":
        return (np.float64(48.0), np.float64(24.0))
    if workload == "w2_ops":
        x, w, b = chain_inputs(np.float64)
        h, saved = x, []
        for _ in range(CHAIN_LAYERS):
            a = h * w + b
            t = np.tanh(np.sin(a))
            saved.append((a, t))
            h = t
        g = np.ones_like(h)
        for a, t in reversed(saved):
            g = g * (1 - t * t) * np.cos(a) * w
        return g
    raise KeyError(workload)
