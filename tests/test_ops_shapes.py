"""Array and shape ops: hand-derived gradients, TF's dtypes and messages, and its quirks
(spec §11.3, §12.2, §12.3, §12.5). The registry-wide test checks the rules against finite
differences; this file checks what finite differences cannot see."""

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import tapeflow as tf


def _grads(f, *values, dtype=tf.float32):
    """First and second derivatives of sum(f(*xs)) with respect to each x."""
    xs = [tf.constant(v, dtype) for v in values]
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(xs)
        with tf.GradientTape() as inner:
            inner.watch(xs)
            y = f(*xs)
            total = tf.reduce_sum(tf.stack([tf.reduce_sum(t) for t in tf.nest.flatten(y)]))
        first = inner.gradient(total, xs)
        sums = [tf.reduce_sum(g) for g in first if g is not None]
    second = [outer.gradient(s, xs) for s in sums]
    return first, second


def test_fill_gradient_goes_to_the_value():
    first, _ = _grads(lambda x: tf.fill([2], x[0]), [-1.0, 0.0, 1.0, 2.5])
    np.testing.assert_array_equal(first[0], [2.0, 0.0, 0.0, 0.0])


def test_clip_by_value_bounds_are_inclusive():
    first, second = _grads(lambda x: tf.clip_by_value(x, 0.0, 1.0), [-1.0, 0.0, 1.0, 2.0])
    np.testing.assert_array_equal(first[0], [0.0, 1.0, 1.0, 0.0])
    assert second == [[None]]


def test_clip_by_value_sends_clipped_gradients_to_the_bounds():
    first, _ = _grads(tf.clip_by_value, [-1.0, 0.5, 3.0], 0.0, 2.0)
    np.testing.assert_array_equal(first[0], [0.0, 1.0, 0.0])
    assert float(first[1]) == 1.0 and float(first[2]) == 1.0


@pytest.mark.parametrize(
    "f",
    [
        lambda x: tf.concat([x, x], 0),
        lambda x: tf.stack([x, x], 1),
        lambda x: tf.unstack(x)[1],
        lambda x: tf.split(x, [1, 1])[0],
        lambda x: tf.tile(x, [3]),
        lambda x: tf.transpose(tf.reshape(x, [1, 2])),
        lambda x: tf.squeeze(tf.expand_dims(x, 0)),
        lambda x: tf.slice(x, [1], [1]),
        lambda x: tf.reverse(x, [0]),
        lambda x: tf.pad(x, [[1, 2]], constant_values=3.0),
        lambda x: tf.pad(x, [[1, 1]], "REFLECT"),
        lambda x: tf.repeat(x, [2, 1]),
        lambda x: tf.broadcast_to(x, [3, 2]),
        tf.identity,
    ],
)
def test_second_derivatives_of_linear_ops_are_none(f):
    first, second = _grads(f, [0.5, 2.0])
    assert first[0] is not None
    assert second == [[None]]


def test_pad_value_gets_no_gradient():
    first, _ = _grads(lambda x, c: tf.pad(x, [[1, 0], [0, 2]], constant_values=c), [[1.0]], 7.0)
    np.testing.assert_array_equal(first[0], [[1.0]])
    assert first[1] is None


@pytest.mark.parametrize(
    "mode, paddings, expected",
    [("REFLECT", [2, 2], [2.0, 3.0, 2.0]), ("SYMMETRIC", [1, 3], [3.0, 2.0, 2.0])],
)
def test_mirror_pad_gradient_counts_the_copies(mode, paddings, expected):
    # REFLECT [1,2,3] by (2, 2) -> [3,2,1,2,3,2,1]; SYMMETRIC by (1, 3) -> [1,1,2,3,3,2,1]
    first, _ = _grads(lambda x: tf.pad(x, [paddings], mode), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(first[0], expected)


def test_tile_and_repeat_gradients_sum_the_copies():
    first, _ = _grads(lambda x: tf.tile(x, [2, 3]), [[1.0, 2.0]])
    np.testing.assert_array_equal(first[0], [[6.0, 6.0]])
    first, _ = _grads(lambda x: tf.repeat(x, [1, 0, 3], axis=1), [[1.0, 2.0, 3.0]] * 2)
    np.testing.assert_array_equal(first[0], [[1.0, 0.0, 3.0]] * 2)


def test_unused_outputs_of_split_and_unstack_get_zero_gradients():
    first, _ = _grads(lambda x: tf.split(x, 2)[1] + tf.unstack(x)[0], [1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(first[0], [2.0, 0.0, 1.0, 1.0])  # x[0] is broadcast
    first, _ = _grads(lambda x: tf.unstack(x)[0], [[1.0, 2.0]])  # one output only
    np.testing.assert_array_equal(first[0], [[1.0, 1.0]])


def test_linspace_gradients_reach_both_ends():
    # values start + (stop - start) * k / 4: each end gets sum of its weights = 2.5
    first, second = _grads(lambda a, b: tf.linspace(a, b, 5), 0.0, 1.0)
    np.testing.assert_allclose([first[0], first[1]], [2.5, 2.5])
    assert second == [[None, None], [None, None]]


def test_meshgrid_gradient_counts_the_grid_cells():
    first, _ = _grads(lambda a, b: tf.meshgrid(a, b), [1.0, 2.0, 3.0], [4.0, 5.0])
    np.testing.assert_array_equal(first[0], [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(first[1], [3.0, 3.0])


def test_clip_by_norm_of_zeros_has_a_finite_gradient():
    first, _ = _grads(lambda x: tf.clip_by_norm(x, 1.0), [0.0, 0.0])
    np.testing.assert_array_equal(first[0], [1.0, 1.0])


def test_clip_by_global_norm_values_and_inf():
    clipped, norm = tf.clip_by_global_norm([tf.constant([3.0, 4.0]), None, [[12.0]]], 1.0)
    assert float(norm) == 13.0 and clipped[1] is None
    np.testing.assert_allclose(clipped[0], [3 / 13, 4 / 13], rtol=1e-6)
    clipped, norm = tf.clip_by_global_norm([tf.constant([np.inf, 1.0])], 1.0)
    assert np.isinf(norm.numpy()) and np.isnan(clipped[0].numpy()).all()


def test_clipping_keeps_indexed_slices():
    g = tf.IndexedSlices(tf.constant([[10.0, 10.0], [10.0, 10.0]]), tf.constant([2, 0]), [3, 2])
    clipped, norm = tf.clip_by_global_norm([g], 1.0)
    assert type(clipped[0]).__name__ == "IndexedSlices" and float(norm) == 20.0
    np.testing.assert_allclose(clipped[0].values, [[0.5, 0.5]] * 2)
    np.testing.assert_allclose(tf.clip_by_norm(g, 1.0).values, [[0.5, 0.5]] * 2)
    assert type(tf.clip_by_value(g, 0.0, 1.0)).__name__ == "IndexedSlices"


@pytest.mark.parametrize(
    "make, dtype, shape",
    [
        (lambda: tf.zeros(2), tf.float32, (2,)),
        (lambda: tf.ones((2, 3), tf.int64), tf.int64, (2, 3)),
        (lambda: tf.zeros(tf.constant([2, 1])), tf.float32, (2, 1)),
        (lambda: tf.fill([2], 3), tf.int32, (2,)),
        (lambda: tf.range(5), tf.int32, (5,)),
        (lambda: tf.range(1, 2, 0.5), tf.float32, (2,)),
        (lambda: tf.range(tf.constant(3, tf.int64), 5.0), tf.float32, (2,)),
        (lambda: tf.linspace(0.0, 1.0, 3), tf.float32, (3,)),
        (lambda: tf.linspace(0, 1, 3), tf.float64, (3,)),
        (lambda: tf.one_hot([0, 2], 3), tf.float32, (2, 3)),
        (lambda: tf.one_hot([0, 2], 3, on_value=5), tf.int32, (2, 3)),
        (lambda: tf.shape(tf.zeros([2, 3])), tf.int32, (2,)),
        (lambda: tf.size(tf.zeros([2, 3]), tf.float32), tf.float32, ()),
        (lambda: tf.rank(tf.zeros([2, 3])), tf.int32, ()),
        (lambda: tf.sequence_mask([1, 3], dtype=tf.float32), tf.float32, (2, 3)),
        (lambda: tf.zeros_like([1, 2]), tf.int32, (2,)),
    ],
)
def test_creation_dtypes_and_shapes(make, dtype, shape):
    t = make()
    assert t.dtype == dtype and t.shape == shape


def test_range_computes_in_its_dtype():
    # 1e9 + 5 rounds to 1e9 in float32, so TF's Range yields nothing
    assert tf.range(1e9, 1e9 + 5, 1.5).shape == (0,)
    np.testing.assert_array_equal(tf.range(10, 0, -3), [10, 7, 4, 1])


@pytest.mark.parametrize(
    "call, error, message",
    [
        (
            lambda: tf.reshape(tf.zeros([2, 3]), [4, -1]),
            tf.errors.InvalidArgumentError,
            "Input to reshape is a tensor with 6 values, but the requested shape requires a "
            "multiple of 4 [Op:Reshape]",
        ),
        (
            lambda: tf.reshape(tf.zeros([2, 3]), [3.0, 2]),
            tf.errors.InvalidArgumentError,
            "Value for attr 'Tshape' of float is not in the list of allowed values: int32, int64",
        ),
        (
            lambda: tf.concat([tf.zeros([2, 3]), tf.zeros([3, 3])], 1),
            tf.errors.InvalidArgumentError,
            "ConcatOp : Dimension 0 in both shapes must be equal: shape[0] = [2,3] vs. "
            "shape[1] = [3,3] [Op:ConcatV2]",
        ),
        (
            lambda: tf.split(tf.zeros([2, 3]), 2, axis=1),
            tf.errors.InvalidArgumentError,
            "Number of ways to split should evenly divide the split dimension, but got "
            "split_dim 1 (size = 3) and num_split 2 [Op:Split]",
        ),
        (
            lambda: tf.pad(tf.zeros([2, 3]), [[2, 2], [0, 0]], "REFLECT"),
            tf.errors.InvalidArgumentError,
            "paddings must be less than the dimension size: 2, 2 not less than 2 [Op:MirrorPad]",
        ),
        (
            lambda: tf.zeros([2.0]),
            TypeError,
            "Cannot convert [2.0] to EagerTensor of dtype int32",
        ),
        (lambda: tf.ones([2], tf.string), TypeError, "Cannot convert 1 to EagerTensor"),
        (
            lambda: tf.range(10, 0, 3),
            tf.errors.InvalidArgumentError,
            "Requires start <= limit when delta > 0: 10/0 [Op:Range]",
        ),
        (
            lambda: tf.one_hot([0, 2], 3, on_value=5, off_value=1.0),
            TypeError,
            "dtype <dtype: 'int32'> of on_value does not match dtype <dtype: 'float32'> of "
            "off_value",
        ),
        (
            lambda: tf.transpose(tf.zeros([2, 3]), [1, 1]),
            tf.errors.InvalidArgumentError,
            "0 is missing from {1,1}. [Op:Transpose]",
        ),
    ],
)
def test_errors_match_tensorflow(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)


def test_degenerate_cases_match_tensorflow():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(tf.concat([x], 5), x)  # one value: no axis check
    assert tf.stack([]).shape == (0,) and tf.unstack(tf.zeros([0, 2])) == []
    assert tf.linspace(0.0, 1.0, 0).shape == (0,)
    assert tf.reshape(tf.zeros([0, 3]), [-1, 0]).shape == (3, 0)
    np.testing.assert_array_equal(tf.repeat(x, [1, -1], axis=0), [[1.0, 2.0]])
    assert tf.sequence_mask(tf.constant([], tf.int32)).shape == (0, 0)
    np.testing.assert_array_equal(tf.one_hot([0, -1, 5], 2), [[1, 0], [0, 0], [0, 0]])


_arrays = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4))


@settings(max_examples=40, deadline=None)
@given(x=_arrays, data=st.data())
def test_moving_ops_match_numpy_and_gradients_keep_the_shape(x, data):
    rank = x.ndim
    axis = data.draw(st.integers(-rank, rank - 1))
    perm = data.draw(st.permutations(range(rank)))
    reps = data.draw(st.lists(st.integers(0, 2), min_size=rank, max_size=rank))
    widths = data.draw(st.lists(st.tuples(*[st.integers(0, 2)] * 2), min_size=rank, max_size=rank))
    mirror = [(min(b, n - 1), min(a, n - 1)) for (b, a), n in zip(widths, x.shape)]
    edge = [(min(b, n), min(a, n)) for (b, a), n in zip(widths, x.shape)]
    cases = [
        (lambda t: tf.transpose(t, perm), np.transpose(x, perm)),
        (lambda t: tf.tile(t, reps), np.tile(x, reps)),
        (lambda t: tf.reverse(t, [axis]), np.flip(x, axis)),
        (lambda t: tf.concat([t, t], axis), np.concatenate([x, x], axis)),
        (lambda t: tf.stack([t, t], axis), np.stack([x, x], axis)),
        (lambda t: tf.pad(t, widths, constant_values=1.5), np.pad(x, widths, constant_values=1.5)),
        (lambda t: tf.pad(t, mirror, "REFLECT"), np.pad(x, mirror, "reflect")),
        (lambda t: tf.pad(t, edge, "SYMMETRIC"), np.pad(x, edge, "symmetric")),
        (lambda t: tf.repeat(t, 2, axis), np.repeat(x, 2, axis)),
        (lambda t: tf.split(t, [x.shape[axis], 0], axis)[0], x),
    ]
    for f, expected in cases:
        t = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = f(t)
        np.testing.assert_array_equal(y, expected)
        assert tape.gradient(y, t).shape == x.shape


@settings(max_examples=30, deadline=None)
@given(start=st.floats(-5, 5), stop=st.floats(-5, 5), num=st.integers(0, 6), repeats=st.data())
def test_linspace_and_repeat_match_numpy(start, stop, num, repeats):
    np.testing.assert_allclose(
        tf.linspace(start, stop, num, name=None), np.linspace(start, stop, num), atol=1e-5
    )
    counts = repeats.draw(st.lists(st.integers(0, 3), min_size=3, max_size=3))
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(tf.repeat(x, counts, axis=1), np.repeat(x, counts, axis=1))
