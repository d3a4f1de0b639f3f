"""HIPS autograd: NumPy functions differentiated by tracing (grad, jacobian, hessian)."""

import autograd
import autograd.numpy as anp
import numpy as np
from autograd.scipy.special import logsumexp

from benchmarks import data


def w1_grad():
    x = np.float32(4.0)
    grad = autograd.grad(lambda v: v * v * v)
    return lambda: grad(x), lambda: grad(x)


def w1_seed():
    x = np.float32(4.0)
    first = autograd.grad(lambda v: v * v * v)
    second = autograd.grad(first)
    return lambda: (first(x), second(x)), lambda: (first(x), second(x))


def w2_ops():
    x, w, b = data.chain_inputs(np.float32)

    def loss(v):
        for _ in range(data.CHAIN_LAYERS):
            v = anp.tanh(anp.sin(v * w + b))
        return anp.sum(v)

    grad = autograd.grad(loss)
    return lambda: grad(x), lambda: grad(x)


def _mlp(batch):
    x, labels, params = data.mlp_inputs(batch)
    rows = np.arange(batch)

    def loss(p):
        w1, b1, w2, b2 = p
        logits = anp.maximum(anp.dot(x, w1) + b1, 0) @ w2 + b2
        return anp.mean(logsumexp(logits, axis=1) - logits[rows, labels])

    return autograd.value_and_grad(loss), list(params)


def w3_mlp():
    step, params = _mlp(data.MLP_BATCH)
    return lambda: step(params), lambda: (lambda r: (r[0],) + tuple(r[1]))(step(params))


def w4_train():
    step, initial = _mlp(data.MLP_BATCH)

    def train():
        params = [p.copy() for p in initial]
        for _ in range(data.TRAIN_STEPS):
            loss, grads = step(params)
            params = [p - data.LEARNING_RATE * g for p, g in zip(params, grads)]
        return loss

    return train, train


def w5_jacobian():
    w, x = data.jacobian_inputs()
    jacobian = autograd.jacobian(lambda v: anp.tanh(anp.dot(w, v)))
    return lambda: jacobian(x), lambda: jacobian(x)


def w6_hessian():
    x = data.hessian_inputs()
    hessian = autograd.hessian(lambda v: anp.sum(anp.sin(v) * v**2))
    return lambda: hessian(x), lambda: hessian(x)


def w7_memory():
    step, params = _mlp(data.MEMORY_BATCH)
    return lambda: step(params), None


WORKLOADS = {
    "w1_grad": w1_grad,
    "w1_seed": w1_seed,
    "w2_ops": w2_ops,
    "w3_mlp": w3_mlp,
    "w4_train": w4_train,
    "w5_jacobian": w5_jacobian,
    "w6_hessian": w6_hessian,
    "w7_memory": w7_memory,
}
IMPORT = "autograd"
