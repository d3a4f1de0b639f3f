"""JAX on the CPU, each workload's step compiled with jax.jit (how JAX is meant to be used)."""

import os

os.environ.setdefault(
    "XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
)

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks import data  # noqa: E402


def _ready(value):
    return jax.tree_util.tree_map(lambda v: np.asarray(v.block_until_ready()), value)


def w1_grad():
    x = jnp.float32(4.0)
    grad = jax.jit(jax.grad(lambda v: v * v * v))
    return lambda: grad(x).block_until_ready(), lambda: _ready(grad(x))


def w1_seed():
    x = jnp.float32(4.0)
    first = jax.grad(lambda v: v * v * v)
    both = jax.jit(lambda v: (first(v), jax.grad(first)(v)))
    return lambda: _ready(both(x)), lambda: _ready(both(x))


def w2_ops():
    x, w, b = (jnp.asarray(a) for a in data.chain_inputs(np.float32))

    def loss(v):
        for _ in range(data.CHAIN_LAYERS):
            v = jnp.tanh(jnp.sin(v * w + b))
        return jnp.sum(v)

    grad = jax.jit(jax.grad(loss))
    return lambda: grad(x).block_until_ready(), lambda: _ready(grad(x))


def _mlp(batch):
    x, labels, params = data.mlp_inputs(batch)
    x, labels, params = jnp.asarray(x), jnp.asarray(labels), tuple(map(jnp.asarray, params))

    def loss(p):
        w1, b1, w2, b2 = p
        logits = jax.nn.relu(x @ w1 + b1) @ w2 + b2
        logp = jax.nn.log_softmax(logits)
        return -jnp.mean(jnp.take_along_axis(logp, labels[:, None], axis=1))

    return jax.jit(jax.value_and_grad(loss)), params


def w3_mlp():
    step, params = _mlp(data.MLP_BATCH)
    return lambda: _ready(step(params)), lambda: (lambda r: (r[0],) + tuple(r[1]))(
        _ready(step(params))
    )


def w4_train():
    step, params = _mlp(data.MLP_BATCH)

    @jax.jit
    def train(p):
        def body(_, state):
            p, _loss = state
            loss, grads = step(p)
            return tuple(a - data.LEARNING_RATE * g for a, g in zip(p, grads)), loss

        return jax.lax.fori_loop(0, data.TRAIN_STEPS, body, (p, jnp.float32(0)))[1]

    return lambda: _ready(train(params)), lambda: _ready(train(params))


def w5_jacobian():
    w, x = (jnp.asarray(a) for a in data.jacobian_inputs())
    jacobian = jax.jit(jax.jacrev(lambda v: jnp.tanh(w @ v)))
    return lambda: jacobian(x).block_until_ready(), lambda: _ready(jacobian(x))


def w6_hessian():
    x = jnp.asarray(data.hessian_inputs())
    hessian = jax.jit(jax.hessian(lambda v: jnp.sum(jnp.sin(v) * v**2)))
    return lambda: hessian(x).block_until_ready(), lambda: _ready(hessian(x))


def w7_memory():
    step, params = _mlp(data.MEMORY_BATCH)
    return lambda: _ready(step(params)), None


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
IMPORT = "jax"
