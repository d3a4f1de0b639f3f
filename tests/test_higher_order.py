"""Higher-order gradients with nested and persistent tapes (spec §7); tf.test.check_gradients."""

import numpy as np
import pytest

import tapeflow as tf


def test_seed_program_second_order():
    x = tf.constant(4.0)
    with tf.GradientTape() as g:
        g.watch(x)
        with tf.GradientTape() as gg:
            gg.watch(x)
            y = x * x * x
        first_order = gg.gradient(y, x)
    second_order = g.gradient(first_order, x)
    assert str(first_order) == "tf.Tensor(48.0, shape=(), dtype=float32)"
    assert str(second_order) == "tf.Tensor(24.0, shape=(), dtype=float32)"


def test_third_order_with_three_tapes():
    x = tf.Variable(2.0)
    with tf.GradientTape() as t3:
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                y = x**4
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    d3 = t3.gradient(d2, x)
    assert [float(d1), float(d2), float(d3)] == [32.0, 48.0, 48.0]


def test_persistent_tape_differentiates_its_own_gradients():
    x = tf.constant(4.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * x * x
        dy = t.gradient(y, x)
        d2y = t.gradient(dy, x)
    d3y = t.gradient(d2y, x)
    assert [float(dy), float(d2y), float(d3y)] == [48.0, 24.0, 6.0]


def test_inner_gradient_outside_the_outer_tape_is_not_recorded():
    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x
    dy = inner.gradient(y, x)
    assert outer.gradient(dy, x) is None


def test_output_gradients_are_differentiable():
    x, u = tf.Variable(2.0), tf.constant(3.0)
    with tf.GradientTape() as t2:
        t2.watch(u)
        with tf.GradientTape() as t1:
            y = x * x
        g = t1.gradient(y, x, output_gradients=u)
    assert float(g) == 12.0
    assert [float(v) for v in t2.gradient(g, [x, u])] == [6.0, 4.0]


@pytest.mark.parametrize(
    "f, second",
    [
        (lambda x: x * 2.0, None),
        (lambda x: tf.reduce_sum(x), None),
        (lambda x: tf.reshape(x, [2]), None),
        (lambda x: x * x, [2.0, 2.0]),
        (lambda x: x**1, [0.0, 0.0]),
        (lambda x: tf.abs(x), [0.0, 0.0]),
        (lambda x: tf.square(x), [2.0, 2.0]),
    ],
)
def test_second_derivative_none_or_zero_as_tf(f, second):
    x = tf.constant([0.5, 2.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(f(x))
        d1 = inner.gradient(y, x)
    d2 = outer.gradient(d1, x)
    assert (d2 if d2 is None else d2.numpy().tolist()) == second


def test_check_gradients_accepts_a_correct_function():
    tf.test.check_gradients(
        lambda x, y: tf.sin(x) * y + x * x, [np.array([0.3, -1.2]), np.array([2.0, 0.5])], order=2
    )


def test_check_gradients_reports_a_wrong_rule():
    @tf.custom_gradient
    def wrong(x):
        return tf.sin(x), lambda dy: dy * 2.0 * tf.cos(x)  # twice the true derivative

    with pytest.raises(AssertionError, match=r"(?s)order-1 gradient differs.*input 0 at \(\d,\)"):
        tf.test.check_gradients(wrong, [np.array([0.3, 1.0])], order=1)


def test_check_gradients_catches_a_wrong_second_order():
    @tf.custom_gradient
    def frozen(x):  # right first derivative, but built from a constant: no second derivative
        cos = tf.constant(np.cos(x.numpy()))
        return tf.sin(x), lambda dy: dy * cos

    tf.test.check_gradients(frozen, [np.array([0.3, 1.0])], order=1)
    with pytest.raises(AssertionError, match="order-2 gradient differs"):
        tf.test.check_gradients(frozen, [np.array([0.3, 1.0])], order=2)
