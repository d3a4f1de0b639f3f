"""Variables: TF's naming, repr, assignment rules, and how tapes watch them (spec §3)."""

import numpy as np
import pytest

import tapeflow as tf


def test_variable_facts():
    v = tf.Variable([1.0, 2.0], name="myvar")
    assert v.name == "myvar:0" and v.dtype is tf.float32 and v.shape == (2,) and v.trainable
    assert type(v).__name__ == "ResourceVariable"
    assert isinstance(v, tf.Variable) and not isinstance(v, tf.Tensor) and tf.is_tensor(v)
    assert type(v * 2).__name__ == "EagerTensor" and type(v.read_value()).__name__ == "EagerTensor"
    assert tf.Variable(1.0).name == tf.Variable(1.0).name == "Variable:0"  # not made unique


def test_variable_repr():
    assert (
        repr(tf.Variable(0.1))
        == "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=0.10000000149011612>"
    )
    assert str(tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="w")) == (
        "<tf.Variable 'w:0' shape=(2, 2) dtype=float32, numpy=\n"
        "array([[1., 2.],\n       [3., 4.]], dtype=float32)>"
    )


def test_variable_dtype_argument():
    assert tf.Variable(1, dtype=tf.float32).dtype is tf.float32
    with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int32"):
        tf.Variable(1.5, dtype=tf.int32)
    assert tf.Variable(np.array([1.0])).dtype is tf.float64
    assert tf.Variable(3).trainable  # integer variables are trainable by default, as in TF


def test_assign_returns_unread_variable_and_checks_shape_and_dtype():
    v = tf.Variable([1.0, 2.0])
    r = v.assign([3.0, 4.0])
    assert type(r).__name__ == "_UnreadVariable"
    assert repr(r) == (
        "<tf.Variable 'UnreadVariable' shape=(2,) dtype=float32, "
        "numpy=array([3., 4.], dtype=float32)>"
    )
    assert v.assign_sub([1.0, 1.0], read_value=False) is None
    np.testing.assert_array_equal(v.numpy(), [2.0, 3.0])
    with pytest.raises(
        ValueError,
        match=r"Cannot assign value to variable ' Variable:0': Shape "
        r"mismatch.The variable shape \(2,\), and the assigned",
    ):
        v.assign([1.0, 2.0, 3.0])
    with pytest.raises(
        ValueError, match="Tensor conversion requested dtype float32 for Tensor with dtype float64"
    ):
        v.assign(tf.constant([1.0, 2.0], tf.float64))


def test_earlier_reads_keep_their_values_after_assignment():
    v = tf.Variable([1.0, 2.0])
    before = v.read_value()
    v.assign_add([10.0, 10.0])
    np.testing.assert_array_equal(before, [1.0, 2.0])
    np.testing.assert_array_equal(v.read_value(), [11.0, 12.0])


def test_trainable_variables_are_watched_on_access():
    v = tf.Variable(3.0)
    with tf.GradientTape() as t:
        y = v * v
    assert float(t.gradient(y, v)) == 6.0
    assert t.watched_variables() == (v,)


def test_untouched_or_non_trainable_variables_are_not_watched():
    v, w = tf.Variable(3.0, trainable=False), tf.Variable(2.0)
    y0 = w * 1.0  # read before the tape: a constant for it
    with tf.GradientTape() as t:
        y = v * v + y0 * y0
    assert t.gradient(y, [v, w]) == [None, None] and t.watched_variables() == ()


def test_what_counts_as_an_access():
    a, b, c, d, e = (tf.Variable(float(i), name=n) for i, n in enumerate("abcde"))
    with tf.GradientTape() as t:
        a.assign(5.0)
        b.numpy()
        c.read_value()
        tf.identity(d)
        e.shape  # noqa: B018 - metadata is not an access
    assert [v.name for v in t.watched_variables()] == ["a:0", "b:0", "c:0", "d:0"]


def test_watched_variables_are_in_creation_order():
    c, b, a = tf.Variable(3.0, name="c"), tf.Variable(2.0, name="b"), tf.Variable(1.0, name="a")
    with tf.GradientTape() as t:
        y = a * b * c
    assert [v.name for v in t.watched_variables()] == ["c:0", "b:0", "a:0"]
    del y


def test_watch_accessed_variables_false():
    v, w = tf.Variable(3.0), tf.Variable(4.0)
    with tf.GradientTape(watch_accessed_variables=False) as t:
        t.watch(w)
        y = v * w
    grads = t.gradient(y, [v, w])
    assert grads[0] is None and float(grads[1]) == 3.0


def test_assignment_breaks_the_chain():
    v, x = tf.Variable(1.0), tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
        v.assign(x * 3)
        y = v * v
    g = t.gradient(y, [v, x])
    assert float(g[0]) == 12.0 and g[1] is None


def test_gradients_sum_over_reads_and_reads_are_sources_too():
    v = tf.Variable(2.0)
    with tf.GradientTape() as t:
        r = v.read_value()
        y = r * r + tf.identity(v)
    g = t.gradient(y, [v, r])
    assert [float(x) for x in g] == [5.0, 4.0]


def test_variable_as_target():
    v, w = tf.Variable(3.0), tf.Variable(2.0)
    with tf.GradientTape() as t:
        y = v * w
    g = t.gradient(v, [v, w])
    assert float(g[0]) == 1.0 and g[1] is None
    del y


def test_variable_created_inside_the_tape_is_watched_on_first_read():
    x = tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
        v = tf.Variable(x * 3)
        y = v * v
    g = t.gradient(y, [x, v])
    assert g[0] is None and float(g[1]) == 12.0
