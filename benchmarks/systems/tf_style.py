"""The workloads as a TensorFlow user writes them. The same code runs on tapeflow
(tapeflow_impl.py) and on TensorFlow (tensorflow_impl.py): `workloads(tf)` binds it."""

import numpy as np

from benchmarks import data


def workloads(tf) -> dict:
    """The workloads, written against the module `tf`."""

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

    def _mlp(batch):
        x, labels, params = data.mlp_inputs(batch)
        x, labels = tf.constant(x), tf.constant(labels)
        variables = [tf.Variable(p) for p in params]

        def loss_and_gradients():
            w1, b1, w2, b2 = variables
            with tf.GradientTape() as tape:
                hidden = tf.nn.relu(tf.matmul(x, w1) + b1)
                logits = tf.matmul(hidden, w2) + b2
                loss = tf.reduce_mean(
                    tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
                )
            return loss, tape.gradient(loss, variables)

        return loss_and_gradients, variables

    def w3_mlp():
        step, _ = _mlp(data.MLP_BATCH)

        def check():
            loss, grads = step()
            return (loss.numpy(),) + tuple(g.numpy() for g in grads)

        return step, check

    def w4_train():
        step, variables = _mlp(data.MLP_BATCH)
        initial = [v.numpy() for v in variables]

        def train():
            for v, p in zip(variables, initial):
                v.assign(p)
            for _ in range(data.TRAIN_STEPS):
                loss, grads = step()
                for v, g in zip(variables, grads):
                    v.assign_sub(data.LEARNING_RATE * g)
            return loss

        return train, lambda: train().numpy()

    def w5_jacobian():
        w, x = (tf.constant(a) for a in data.jacobian_inputs())

        def step():
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = tf.tanh(tf.linalg.matvec(w, x))
            return tape.jacobian(y, x)

        return step, lambda: step().numpy()

    def w6_hessian():
        x = tf.constant(data.hessian_inputs())

        def step():
            with tf.GradientTape() as outer:
                outer.watch(x)
                with tf.GradientTape() as inner:
                    inner.watch(x)
                    y = tf.reduce_sum(tf.sin(x) * x**2)
                g = inner.gradient(y, x)
            return outer.jacobian(g, x)

        return step, lambda: step().numpy()

    def w7_memory():
        step, _ = _mlp(data.MEMORY_BATCH)
        return step, step

    return {
        "w1_grad": w1_grad,
        "w1_seed": w1_seed,
        "w2_ops": w2_ops,
        "w3_mlp": w3_mlp,
        "w4_train": w4_train,
        "w5_jacobian": w5_jacobian,
        "w6_hessian": w6_hessian,
        "w7_memory": w7_memory,
    }
