"""MyGrad: NumPy-backed tensors with .backward() (first order only: no Jacobians, no
second derivatives, so w1_seed, w5 and w6 are not run)."""

import mygrad as mg
import numpy as np

from benchmarks import data


def w1_grad():
    def step():
        x = mg.tensor(np.float32(4.0))
        y = x * x * x
        y.backward()
        return x.grad

    return step, step


def w2_ops():
    x0, w, b = data.chain_inputs(np.float32)

    def step():
        x = mg.tensor(x0)
        h = x
        for _ in range(data.CHAIN_LAYERS):
            h = mg.tanh(mg.sin(h * w + b))
        mg.sum(h).backward()
        return x.grad

    return step, step


def _mlp(batch):
    x, labels, initial = data.mlp_inputs(batch)
    rows = np.arange(batch)

    def step(params=initial):
        w1, b1, w2, b2 = (mg.tensor(p) for p in params)
        logits = mg.matmul(mg.maximum(mg.matmul(x, w1) + b1, 0), w2) + b2
        shifted = logits - mg.max(logits, axis=1, keepdims=True).data
        loss = mg.mean(mg.log(mg.sum(mg.exp(shifted), axis=1)) - shifted[rows, labels])
        loss.backward()
        return loss.item(), tuple(p.grad for p in (w1, b1, w2, b2))

    return step, initial


def w3_mlp():
    step, _ = _mlp(data.MLP_BATCH)
    return step, lambda: (lambda r: (r[0],) + r[1])(step())


def w4_train():
    step, initial = _mlp(data.MLP_BATCH)

    def train():
        params = [p.copy() for p in initial]
        for _ in range(data.TRAIN_STEPS):
            loss, grads = step(params)
            params = [p - data.LEARNING_RATE * g for p, g in zip(params, grads)]
        return loss

    return train, train


def w7_memory():
    step, _ = _mlp(data.MEMORY_BATCH)
    return step, None


WORKLOADS = {
    "w1_grad": w1_grad,
    "w2_ops": w2_ops,
    "w3_mlp": w3_mlp,
    "w4_train": w4_train,
    "w7_memory": w7_memory,
}
IMPORT = "mygrad"
