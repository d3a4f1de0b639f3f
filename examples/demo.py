"""A tour of tapeflow: the seed programs, then a few more things a GradientTape does.

python examples/demo.py
"""

import tapeflow as tf

# The first seed program: one tape.
x = tf.constant(4.0)
with tf.GradientTape() as gfg:
    gfg.watch(x)
    y = x * x * x
print("res: ", gfg.gradient(y, x))

# The second seed program: nested tapes give the second derivative.
x = tf.constant(4.0)
with tf.GradientTape() as gfg:
    gfg.watch(x)
    with tf.GradientTape() as gg:
        gg.watch(x)
        y = x * x * x
    first_order = gg.gradient(y, x)
second_order = gfg.gradient(first_order, x)
print("first_order: ", first_order)
print("second_order: ", second_order)

# Trainable variables are watched automatically; gradients come back in the sources' structure.
w = tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")
b = tf.Variable([0.5, -0.5], name="b")
inputs = tf.constant([[1.0, 2.0]])
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(tf.matmul(inputs, w) + b))
grads = tape.gradient(loss, {"w": w, "b": b})
print("d loss / d w:", grads["w"])
print("d loss / d b:", grads["b"])

# A persistent tape can be asked several times; unconnected sources give None (or zeros).
x = tf.constant([1.0, 2.0, 3.0])
z = tf.constant(5.0)
with tf.GradientTape(persistent=True) as tape:
    tape.watch([x, z])
    y = tf.sin(x) * x
print("dy/dx:", tape.gradient(y, x))
print("dy/dz:", tape.gradient(y, z), "/", tape.gradient(y, z, unconnected_gradients="zero"))
print("jacobian:", tape.jacobian(y, x))
del tape

# Forward mode: a Jacobian-vector product without a backward pass.
x = tf.constant([1.0, 2.0])
with tf.autodiff.ForwardAccumulator(primals=x, tangents=tf.constant([1.0, 0.0])) as acc:
    y = x * x
print("jvp:", acc.jvp(y))


# A custom gradient: a numerically safe log(1 + e^x).
@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))

    return tf.math.log(1 + e), grad


x = tf.constant(100.0)
with tf.GradientTape() as tape:
    tape.watch(x)
    y = log1pexp(x)
print("log1pexp(100):", y, "gradient:", tape.gradient(y, x))
