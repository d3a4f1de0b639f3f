"""tf.custom_gradient and tf.recompute_grad (spec §9.2)."""

import numpy as np
import pytest

import tapeflow as tf


@tf.custom_gradient
def log1pexp(x):
    """A numerically safe log(1 + e^x)."""
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))

    return tf.math.log(1 + e), grad


def test_custom_gradient_replaces_the_rule():
    x = tf.constant(100.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = log1pexp(x)
    assert float(y) == np.inf and float(t.gradient(y, x)) == 1.0
    assert log1pexp.__name__ == "log1pexp" and log1pexp.__doc__.startswith("A numerically")
    assert type(log1pexp).__name__ == "Bind"


def test_called_without_a_tape_and_with_python_numbers():
    @tf.custom_gradient
    def f(x):
        return x * 2.0, lambda dy: dy * 5.0

    assert float(f(tf.constant(1.0))) == 2.0 and float(f(1.0)) == 2.0
    assert f(np.float64(1.0)).dtype is tf.float64


def test_several_inputs_none_gradients_and_keyword_arguments():
    @tf.custom_gradient
    def f(x, y, scale=1.0):
        return x * y * scale, lambda dz: (dz * y * scale, None)

    a, b = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch([a, b])
        z = f(a, b, scale=5.0)
    grads = t.gradient(z, [a, b])
    assert float(grads[0]) == 15.0 and grads[1] is None


def test_outputs_without_gradient_get_zeros():
    seen = []

    @tf.custom_gradient
    def f(x):
        def grad(d1, d2):
            seen.append((float(d1), float(d2)))
            return d1 * 2.0 + d2 * 3.0

        return (x * 2.0, x * 3.0), grad

    x = tf.constant(1.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y1, y2 = f(x)
    assert float(t.gradient(y1, x)) == 2.0 and seen == [(1.0, 0.0)]


def test_wrong_number_of_gradients():
    @tf.custom_gradient
    def f(x, y):
        return x * y, lambda dz: dz

    a, b = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as t:
        t.watch([a, b])
        z = f(a, b)
    with pytest.raises(ValueError, match="expected to return 2 gradients, but returned 1"):
        t.gradient(z, [a, b])


def test_variables_read_inside_need_the_variables_keyword():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def without(x):
        return x * v, lambda dy: dy * v

    with pytest.raises(TypeError, match="grad_fn must accept keyword argument 'variables'"):
        without(tf.constant(1.0))

    @tf.custom_gradient
    def with_variables(x):
        def grad(dy, variables=None):
            assert variables == [v] or list(variables)[0] is v
            return dy * v, [dy * x * 100.0]

        return x * v, grad

    x = tf.constant(1.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = with_variables(x)
    assert [float(g) for g in t.gradient(y, [x, v])] == [2.0, 100.0]


def test_wrong_number_of_variable_gradients():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def f(x):
        return x * v, lambda dy, variables: (dy, [])

    x = tf.constant(1.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x)
    with pytest.raises(ValueError, match="Must return gradient for each variable"):
        t.gradient(y, x)


def test_second_order_through_a_custom_gradient():
    @tf.custom_gradient
    def cube(x):
        return x * x * x, lambda dy: dy * 3.0 * x * x

    x = tf.constant(2.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = cube(x)
        g = inner.gradient(y, x)
    assert float(g) == 12.0 and float(outer.gradient(g, x)) == 12.0


def test_python_number_gradients_become_tensors_and_shapes_are_checked():
    @tf.custom_gradient
    def f(x):
        return x * 2.0, lambda dy: 5.0

    x = tf.constant(1.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x) + x
    assert repr(t.gradient(y, x)) == "<tf.Tensor: shape=(), dtype=float32, numpy=6.0>"

    @tf.custom_gradient
    def g(x):
        return x * 2.0, lambda dy: tf.ones([3])

    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as t:
        t.watch(x)
        y = g(x)
    with pytest.raises(ValueError, match="gradient for input 0 has shape"):
        t.gradient(y, x)


def test_f_must_return_a_pair():
    @tf.custom_gradient
    def f(x):
        return x * 2.0

    with pytest.raises(TypeError, match="must return a pair"):
        f(tf.constant(1.0))


def test_recompute_grad_gives_the_same_gradients():
    w = tf.Variable([[0.5, -1.0], [2.0, 0.1]])

    def block(x):
        return tf.tanh(tf.matmul(x, w))

    x = tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as plain:
        plain.watch(x)
        y = tf.reduce_sum(block(x))
    with tf.GradientTape() as recomputed:
        recomputed.watch(x)
        z = tf.reduce_sum(tf.recompute_grad(block)(x))
    for a, b in zip(plain.gradient(y, [x, w]), recomputed.gradient(z, [x, w])):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)
