"""PyTorch eager (CPU build): autograd.grad, torch.func.jacrev, autograd.functional.hessian."""

import numpy as np
import torch
import torch.nn.functional as F

from benchmarks import data

torch.set_num_threads(1)


def w1_grad():
    x = torch.tensor(4.0, requires_grad=True)

    def step():
        y = x * x * x
        return torch.autograd.grad(y, x)[0]

    return step, lambda: step().numpy()


def w1_seed():
    x = torch.tensor(4.0, requires_grad=True)

    def step():
        y = x * x * x
        (first,) = torch.autograd.grad(y, x, create_graph=True)
        (second,) = torch.autograd.grad(first, x)
        return first, second

    return step, lambda: tuple(t.detach().numpy() for t in step())


def w2_ops():
    x, w, b = (torch.tensor(a) for a in data.chain_inputs(np.float32))
    x.requires_grad_(True)

    def step():
        h = x
        for _ in range(data.CHAIN_LAYERS):
            h = torch.tanh(torch.sin(h * w + b))
        return torch.autograd.grad(h.sum(), x)[0]

    return step, lambda: step().numpy()


def _mlp(batch):
    x, labels, params = data.mlp_inputs(batch)
    x, labels = torch.tensor(x), torch.tensor(labels, dtype=torch.long)
    params = [torch.tensor(p, requires_grad=True) for p in params]

    def step():
        w1, b1, w2, b2 = params
        logits = F.relu(x @ w1 + b1) @ w2 + b2
        loss = F.cross_entropy(logits, labels)
        return loss, torch.autograd.grad(loss, params)

    return step, params


def w3_mlp():
    step, _ = _mlp(data.MLP_BATCH)

    def check():
        loss, grads = step()
        return (loss.detach().numpy(),) + tuple(g.numpy() for g in grads)

    return step, check


def w4_train():
    step, params = _mlp(data.MLP_BATCH)
    initial = [p.detach().clone() for p in params]

    def train():
        with torch.no_grad():
            for p, p0 in zip(params, initial):
                p.copy_(p0)
        for _ in range(data.TRAIN_STEPS):
            loss, grads = step()
            with torch.no_grad():
                for p, g in zip(params, grads):
                    p -= data.LEARNING_RATE * g
        return loss

    return train, lambda: train().detach().numpy()


def w5_jacobian():
    w, x = (torch.tensor(a) for a in data.jacobian_inputs())
    jacobian = torch.func.jacrev(lambda v: torch.tanh(w @ v))
    return lambda: jacobian(x), lambda: jacobian(x).numpy()


def w6_hessian():
    x = torch.tensor(data.hessian_inputs())
    f = lambda v: torch.sum(torch.sin(v) * v**2)  # noqa: E731
    step = lambda: torch.autograd.functional.hessian(f, x)  # noqa: E731
    return step, lambda: step().numpy()


def w7_memory():
    step, _ = _mlp(data.MEMORY_BATCH)
    return step, step


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
IMPORT = "torch"
