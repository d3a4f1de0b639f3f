"""The baseline: each workload's maths hand-written in NumPy (forward and hand-derived
backward, no tape), in float32."""

import numpy as np

from benchmarks import data


def w1_grad():
    x = np.float32(4.0)

    def step():
        y = x * x * x  # forward, then d(x*x*x)/dx by hand
        return np.float32(3.0) * x * x, y

    return step, lambda: step()[0]


def w1_seed():
    x = np.float32(4.0)

    def step():
        y = x * x * x
        return np.float32(3.0) * x * x, np.float32(6.0) * x, y

    return step, lambda: step()[:2]


def w2_ops():
    inputs = data.chain_inputs(np.float32)
    step = lambda: data.chain_gradient(*inputs)  # noqa: E731
    return step, step


def _mlp(batch):
    x, labels, params = data.mlp_inputs(batch)
    return lambda: data.mlp_loss_and_gradients(x, labels, params)


def w3_mlp():
    step = _mlp(data.MLP_BATCH)
    return step, lambda: (lambda r: (r[0],) + r[1])(step())


def w4_train():
    x, labels, params = data.mlp_inputs()
    step = lambda: data.train(x, labels, params)  # noqa: E731
    return step, step


def w5_jacobian():
    w, x = data.jacobian_inputs()
    step = lambda: data.tanh_jacobian(w, x)  # noqa: E731
    return step, step


def w6_hessian():
    x = data.hessian_inputs()
    step = lambda: data.sin_hessian(x)  # noqa: E731
    return step, step


def w7_memory():
    step = _mlp(data.MEMORY_BATCH)
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
IMPORT = "numpy"
