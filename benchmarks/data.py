"""Inputs shared by every system, and the float64 references their results are checked against.

Only NumPy is needed here: every peer's worker imports this module.
"""

import numpy as np

CHAIN_LAYERS = 25  # w2: 25 x (mul, add, sin, tanh) = 100 ops
CHAIN_SIZE = 16
MLP_SIZES = (784, 512, 10)  # w3, w4, w7
MLP_BATCH = 256
MEMORY_BATCH = 4096
TRAIN_STEPS = 200
LEARNING_RATE = 0.1
JACOBIAN_SIZE = 256  # w5
HESSIAN_SIZE = 64  # w6


def chain_inputs(dtype=np.float32):
    rng = np.random.default_rng(0)
    return tuple(rng.standard_normal(CHAIN_SIZE).astype(dtype) for _ in range(3))


def mlp_inputs(batch=MLP_BATCH, dtype=np.float32):
    """x, labels, and initial (w1, b1, w2, b2)."""
    rng = np.random.default_rng(1)
    n_in, n_hidden, n_out = MLP_SIZES
    x = rng.standard_normal((batch, n_in)).astype(dtype)
    labels = rng.integers(0, n_out, batch).astype(np.int32)
    w1 = (rng.standard_normal((n_in, n_hidden)) * np.sqrt(2.0 / n_in)).astype(dtype)
    w2 = (rng.standard_normal((n_hidden, n_out)) * np.sqrt(1.0 / n_hidden)).astype(dtype)
    return x, labels, (w1, np.zeros(n_hidden, dtype), w2, np.zeros(n_out, dtype))


def jacobian_inputs(dtype=np.float32):
    rng = np.random.default_rng(2)
    w = (rng.standard_normal((JACOBIAN_SIZE, JACOBIAN_SIZE)) / 16).astype(dtype)
    return w, rng.standard_normal(JACOBIAN_SIZE).astype(dtype)


def hessian_inputs(dtype=np.float32):
    return np.random.default_rng(3).uniform(-2.0, 2.0, HESSIAN_SIZE).astype(dtype)


# -- the maths, hand-written (the NumPy baseline uses these in float32) --------------------------
def chain_gradient(x, w, b):
    h, saved = x, []
    for _ in range(CHAIN_LAYERS):
        a = h * w + b
        t = np.tanh(np.sin(a))
        saved.append((a, t))
        h = t
    g = np.ones_like(h)  # d sum(h) / d h
    for a, t in reversed(saved):
        g = g * (1 - t * t) * np.cos(a) * w
    return g


def mlp_loss_and_gradients(x, labels, params):
    """Mean softmax cross-entropy of a relu MLP, and its gradients for (w1, b1, w2, b2)."""
    w1, b1, w2, b2 = params
    pre = x @ w1 + b1
    hidden = np.maximum(pre, 0)
    logits = hidden @ w2 + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    rows = np.arange(len(labels))
    loss = np.mean(np.log(total[:, 0]) - shifted[rows, labels])
    d_logits = exp / total
    d_logits[rows, labels] -= 1
    d_logits /= len(labels)
    d_hidden = d_logits @ w2.T
    d_pre = d_hidden * (pre > 0)
    return loss, (x.T @ d_pre, d_pre.sum(axis=0), hidden.T @ d_logits, d_logits.sum(axis=0))


def train(x, labels, params, steps=TRAIN_STEPS):
    params = [p.copy() for p in params]
    for _ in range(steps):
        loss, grads = mlp_loss_and_gradients(x, labels, params)
        for p, g in zip(params, grads):
            p -= LEARNING_RATE * g
    return loss


def tanh_jacobian(w, x):
    y = np.tanh(w @ x)
    return (1 - y * y)[:, None] * w


def sin_hessian(x):
    return np.diag(-np.sin(x) * x * x + 4 * x * np.cos(x) + 2 * np.sin(x))


def reference(workload: str):
    """The float64 result of each workload's check."""
    f64 = np.float64
    if workload == "w1_grad":
        return f64(48.0)
    if workload == "w1_seed":
        return (f64(48.0), f64(24.0))
    if workload == "w2_ops":
        return chain_gradient(*chain_inputs(f64))
    if workload == "w3_mlp":
        x, labels, params = mlp_inputs(dtype=f64)
        loss, grads = mlp_loss_and_gradients(x, labels, params)
        return (loss,) + grads
    if workload == "w4_train":
        x, labels, params = mlp_inputs(dtype=f64)
        return train(x, labels, params)
    if workload == "w5_jacobian":
        return tanh_jacobian(*jacobian_inputs(f64))
    if workload == "w6_hessian":
        return sin_hessian(hessian_inputs(f64))
    raise KeyError(workload)
