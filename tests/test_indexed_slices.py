"""tf.IndexedSlices (spec §10.5): the class, its conversion and arithmetic, and the gradients
that produce, keep, sum and densify it."""

import pytest

import tapeflow as tf


def slices(values, indices, dense_shape=None):
    return tf.IndexedSlices(tf.constant(values), tf.constant(indices), dense_shape)


# -- the class ------------------------------------------------------------------------------------
def test_attributes():
    s = slices([[1.0, 2.0]], [1], tf.constant([3, 2]))
    assert s.dtype == tf.float32
    assert s.shape == tf.TensorShape([3, 2])
    assert s.values.numpy().tolist() == [[1.0, 2.0]]
    assert s.indices.numpy().tolist() == [1]
    assert s.dense_shape.numpy().tolist() == [3, 2]
    assert str(slices([1.0], [0]).shape) == "<unknown>"
    with pytest.raises(AttributeError, match="'IndexedSlices' object has no attribute 'numpy'"):
        s.numpy()


def test_str_shows_its_three_tensors():
    s = slices([[1.0, 1.0]], [2], tf.constant([3, 2]))
    assert str(s) == (
        "IndexedSlices(indices=tf.Tensor([2], shape=(1,), dtype=int32), "
        "values=tf.Tensor([[1. 1.]], shape=(1, 2), dtype=float32), "
        "dense_shape=tf.Tensor([3 2], shape=(2,), dtype=int32))"
    )
    assert str(slices([1.0], [0])) == (
        "IndexedSlices(indices=tf.Tensor([0], shape=(1,), dtype=int32), "
        "values=tf.Tensor([1.], shape=(1,), dtype=float32))"
    )


def test_conversion_scatters_rows_and_sums_duplicates():
    s = slices([[1.0, 2.0], [10.0, 20.0]], [1, 1], tf.constant([3, 2]))
    assert tf.convert_to_tensor(s).numpy().tolist() == [[0, 0], [11, 22], [0, 0]]


def test_conversion_needs_a_dense_shape():
    with pytest.raises(ValueError, match="Tensor conversion requested for IndexedSlices for arg"):
        tf.convert_to_tensor(slices([1.0], [0]))


def test_ops_densify_and_operators_do_not():
    s = slices([[1.0, 2.0]], [1], tf.constant([3, 2]))
    assert tf.add(s, tf.ones([3, 2])).numpy().tolist() == [[1, 1], [2, 3], [1, 1]]
    assert tf.multiply(s, 2.0).numpy().tolist() == [[0, 0], [2, 4], [0, 0]]
    assert float(tf.reduce_sum(s)) == 3.0
    negated = -s
    assert isinstance(negated, tf.IndexedSlices)
    assert negated.values.numpy().tolist() == [[-1.0, -2.0]]
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*"):
        s * 2


# -- gradients -----------------------------------------------------------------------------------
def test_gather_gradient_fields():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as t:
        y = tf.gather(v, [2, 0, 2])
    g = t.gradient(y, v)
    assert isinstance(g, tf.IndexedSlices)
    assert g.values.numpy().tolist() == [[1, 1]] * 3
    assert g.indices.numpy().tolist() == [2, 0, 2]
    assert g.dense_shape.numpy().tolist() == [3, 2]
    assert g.dense_shape.dtype == tf.int32


def test_identity_keeps_slices_and_other_ops_densify():
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as t:
        kept = tf.gather(tf.identity(v), [0, 1])
        densified = tf.gather(v * 1.0, [1])
    assert isinstance(t.gradient(kept, v), tf.IndexedSlices)
    dense = t.gradient(densified, v)
    assert type(dense).__name__ == "EagerTensor"
    assert dense.numpy().tolist() == [0, 1, 0]


def test_slices_plus_dense_is_dense_and_slices_plus_slices_concatenate():
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as t:
        mixed = tf.reduce_sum(tf.gather(v, [0, 1])) + tf.reduce_sum(v * 2)
        sparse = tf.reduce_sum(tf.gather(v, [0, 1])) + tf.reduce_sum(tf.gather(v, [1]) * 5)
    assert t.gradient(mixed, v).numpy().tolist() == [3, 3, 2]
    g = t.gradient(sparse, v)
    assert isinstance(g, tf.IndexedSlices)
    assert sorted(zip(g.indices.numpy().tolist(), g.values.numpy().tolist())) == [
        (0, 1.0),
        (1, 1.0),
        (1, 5.0),
    ]
    assert tf.convert_to_tensor(g).numpy().tolist() == [1, 6, 0]


def test_zero_mode_keeps_connected_slices_and_fills_unconnected_sources():
    v, w = tf.Variable([1.0, 2.0]), tf.Variable([5.0])
    with tf.GradientTape() as t:
        y = tf.gather(v, [1])
    gv, gw = t.gradient(y, [v, w], unconnected_gradients="zero")
    assert isinstance(gv, tf.IndexedSlices)
    assert gw.numpy().tolist() == [0.0]


def test_a_slices_target_is_a_clear_error_and_converting_it_gives_second_order():
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as outer:
        with tf.GradientTape() as inner:
            y = tf.reduce_sum(tf.gather(v, [0, 2]) ** 3)
        g = inner.gradient(y, v)
        dense = tf.convert_to_tensor(g)
    with pytest.raises(TypeError, match="convert it with tf.convert_to_tensor"):  # tapeflow choice
        outer.gradient(g, v)
    assert dense.numpy().tolist() == [3, 0, 27]
    second = outer.gradient(dense, v)
    assert isinstance(second, tf.IndexedSlices)
    assert second.indices.numpy().tolist() == [0, 2]
    assert second.values.numpy().tolist() == [6, 18]


def test_slices_as_output_gradients_are_densified():
    x = tf.constant([[1.0, 1.0], [1.0, 1.0]])
    seed = slices([[1.0, 2.0]], [1], tf.constant([2, 2]))
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * 3
    assert t.gradient(y, x, output_gradients=seed).numpy().tolist() == [[0, 0], [3, 6]]


def test_jacobian_densifies():
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as t:
        y = tf.gather(v, [2, 0])
    assert t.jacobian(y, v).numpy().tolist() == [[0, 0, 1], [1, 0, 0]]
