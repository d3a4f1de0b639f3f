"""Indexing, gather/scatter, segment sums, sorting and unique: TF's values, messages and
gradients (spec §10.5, §12.2, §12.5). The registry-wide test checks the rules against finite
differences; this file checks TF's conventions and quirks."""

import re

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.ops.gather import _gather_grad_parts, unsorted_segment_sum
from tapeflow.ops.scatter import segment_sum

X = np.arange(12.0).reshape(3, 4)


def _grad(f, *values, dtype=tf.float32):
    """The gradient of sum(f(*xs)) with respect to each x, and the second derivative of the
    sum of that gradient (None where TF gives None)."""
    xs = [tf.constant(v, dtype) for v in values]
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(xs)
        with tf.GradientTape() as inner:
            inner.watch(xs)
            y = tf.reduce_sum(f(*xs))
        first = inner.gradient(y, xs)
        # gather gradients are IndexedSlices, as in TF; compare them densified
        first = [tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g for g in first]
        total = [tf.reduce_sum(g) for g in first if g is not None]
    second = [outer.gradient(t, xs) for t in total]
    return first, second


def _raises(error, message):
    return pytest.raises(error, match=re.escape(message))


# -- tensor[key] and tf.strided_slice ---------------------------------------------------------
@pytest.mark.parametrize(
    "key",
    [
        1,
        -1,
        (slice(None, None, -2), slice(3, 0, -1)),
        (None, Ellipsis, None, 1),
        (slice(1, 100), slice(-100, 2)),
        (slice(2, 1),),
        (),
        (Ellipsis,),
        (np.int64(-2), slice(None, None, 3)),
    ],
)
def test_getitem_matches_numpy_basic_indexing(key):
    np.testing.assert_array_equal(tf.constant(X)[key], X[key])


def test_getitem_reads_a_list_as_a_tuple_and_takes_int_scalar_tensors():
    x = tf.constant(X)
    assert float(x[[1, 2]]) == 6.0
    for index in (tf.constant(1, tf.int16), tf.constant(1, tf.int64), np.array(1), tf.Variable(1)):
        np.testing.assert_array_equal(x[index], X[1])
    np.testing.assert_array_equal(x[tf.constant(1) : tf.constant(3, tf.int64)], X[1:3])


def test_getitem_of_a_string_tensor_keeps_its_dtype():
    assert repr(tf.constant(["a", "b"])[1]) == "<tf.Tensor: shape=(), dtype=string, numpy=b'b'>"


def test_getitem_with_a_boolean_key_is_boolean_mask():
    x = tf.constant(X)
    np.testing.assert_array_equal(x[tf.constant([True, False, True])], X[[0, 2]])
    np.testing.assert_array_equal(x[np.array([False, True, False])], X[[1]])
    np.testing.assert_array_equal(x[x > 5.0], X[X > 5])
    with _raises(ValueError, "mask cannot be scalar."):
        x[True]


@pytest.mark.parametrize(
    "key, message",
    [
        (3, "slice index 3 of dimension 0 out of bounds. [Op:StridedSlice]"),
        (-4, "slice index -1 of dimension 0 out of bounds. [Op:StridedSlice]"),
        ((0, 4), "slice index 4 of dimension 1 out of bounds. [Op:StridedSlice]"),
        ((Ellipsis, 7), "slice index 7 of dimension 1 out of bounds. [Op:StridedSlice]"),
        ((0, 0, 0), "Index out of range using input dim 2; input has only 2 dims"),
        ((Ellipsis, Ellipsis), "Multiple ellipses in slice spec not allowed [Op:StridedSlice]"),
        (slice(None, None, 0), "strides[0] must be non-zero [Op:StridedSlice]"),
        ([True, False], "Value for attr 'Index' of bool is not in the list of allowed values"),
    ],
)
def test_getitem_errors_are_tf_errors(key, message):
    with _raises(tf.errors.InvalidArgumentError, message):
        tf.constant(X)[key]


def test_getitem_of_a_scalar():
    s = tf.constant(1.0)
    assert s[...].shape == () and s[None].shape == (1,)
    with _raises(tf.errors.InvalidArgumentError, "Attempting to slice scalar input."):
        s[0]


@pytest.mark.parametrize(
    "key, shown",
    [
        (1.5, "1.5"),
        ("a", "'a'"),
        (np.float64(1.0), "np.float64(1.0)"),
        (tf.constant(1, tf.uint8), "<tf.Tensor: shape=(), dtype=uint8, numpy=1>"),
        (np.array([1]), "array([1])"),
        (([0, 1],), "[0, 1]"),
        (slice(1.0, None), "1.0"),
    ],
)
def test_getitem_rejects_other_keys_with_tfs_type_error(key, shown):
    message = (
        "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
        f"tf.int32/tf.int64 tensors are valid indices, got {shown}"
    )
    with _raises(TypeError, message):
        tf.constant(X)[key]


def test_strided_slice_masks():
    x = tf.reshape(tf.range(24.0), [2, 3, 4])
    n = np.arange(24.0).reshape(2, 3, 4)
    ss = tf.strided_slice
    np.testing.assert_array_equal(ss(x, [1, 1], [2, 2], begin_mask=1), n[:2, 1:2])
    np.testing.assert_array_equal(ss(x, [0, 1], [0, 2], ellipsis_mask=1), n[..., 1:2])
    np.testing.assert_array_equal(ss(x, [-1], [0], shrink_axis_mask=1), n[-1])
    # precedence: ellipsis over new axis and shrink; new axis over shrink
    assert ss(x, [1], [2], shrink_axis_mask=1, new_axis_mask=1).shape == (1, 2, 3, 4)
    assert ss(x, [0], [0], ellipsis_mask=1, new_axis_mask=1).shape == (2, 3, 4)
    assert ss(x, [1], [0], [2], shrink_axis_mask=1).shape == (3, 4)
    with _raises(tf.errors.InvalidArgumentError, "only stride 1 allowed on non-range indexing."):
        ss(x, [1], [0], [-1], shrink_axis_mask=1)


def test_strided_slice_argument_errors():
    x = tf.zeros([2, 3])
    with _raises(tf.errors.InvalidArgumentError, "but got shapes [2], [1], and [2] instead."):
        tf.strided_slice(x, [0, 1], [2])
    with _raises(tf.errors.InvalidArgumentError, "input #2(zero-based) was expected to be a int32"):
        tf.strided_slice(x, tf.constant([0]), tf.constant([1], tf.int64))
    with _raises(tf.errors.InvalidArgumentError, "Value for attr 'Index' of float"):
        tf.strided_slice(x, [0.0], [1.0])


def test_slicing_gradients_are_zeros_around_the_slice_and_linear():
    first, second = _grad(lambda x: x[1, ::-2] * 2.0, X)
    np.testing.assert_array_equal(first[0], [[0, 0, 0, 0], [0, 2, 0, 2], [0, 0, 0, 0]])
    assert second == [[None]]
    first, _ = _grad(lambda x: x[0, 1] + x[:, 0][1] + x[..., -1][0], [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(first[0], [[0.0, 2.0], [1.0, 0.0]])


# -- tf.gather --------------------------------------------------------------------------------
def test_gather_values():
    x = tf.constant(X)
    np.testing.assert_array_equal(tf.gather(x, 1), X[1])
    np.testing.assert_array_equal(tf.gather(x, [[3, 0]], axis=1), X[:, [[3, 0]]])
    np.testing.assert_array_equal(
        tf.gather(x, [[1], [0], [3]], axis=1, batch_dims=1), [[1.0], [4.0], [11.0]]
    )
    np.testing.assert_array_equal(tf.gather(x, [[1], [0], [3]], batch_dims=-1), [[1], [4], [11]])
    # TF's tf.gather drops batch_dims when the axis is 0
    with _raises(tf.errors.InvalidArgumentError, "indices[2,0] = 3 is not in [0, 3)"):
        tf.gather(x, [[1], [0], [3]], batch_dims=1, axis=0)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda x: tf.gather(x, [-1]), "indices[0] = -1 is not in [0, 3) [Op:GatherV2]"),
        (lambda x: tf.gather(x, [[0, 7]], axis=1), "indices[0,1] = 7 is not in [0, 4)"),
        (lambda x: tf.gather(x, [1], axis=2), "Shape must be at least rank 3 but is rank 2"),
        (lambda x: tf.gather(x, [1], batch_dims=2, axis=1), "batch_dims in the range [-1, 1]"),
        (
            lambda x: tf.gather(x, [[1], [0]], batch_dims=1, axis=1),
            "params.shape[0]: 3 should be equal to indices.shape[0]: 2",
        ),
        (lambda x: tf.gather(x[0, 0], [0]), "params must be at least 1 dimensional"),
        (lambda x: tf.gather(x, [1.0]), "Value for attr 'Tindices' of float is not in the list"),
        (lambda x: tf.gather(x, [0], axis=0.0), "Value for attr 'Taxis' of float"),
    ],
)
def test_gather_errors(call, message):
    with _raises(tf.errors.InvalidArgumentError, message):
        call(tf.constant(X))


def test_gather_gradient_adds_repeated_rows():
    first, second = _grad(lambda x: tf.gather(x, [2, 0, 2]) * 3.0, [[1.0, 2.0], [3, 4], [5, 6]])
    np.testing.assert_array_equal(first[0], [[3, 3], [0, 0], [6, 6]])
    assert second == [[None]]


def test_gather_gradient_parts_are_tfs_indexed_slices_fields():
    # values: upstream as one row per (flattened) index; indices keep their dtype (int64
    # from argmax); dense_shape: params' shape as int32 (spec §10.5)
    dy = tf.ones([2, 2, 3])
    indices = tf.cast(tf.constant([[0, 1], [3, 3]]), tf.int64)
    values, flat, dense_shape = _gather_grad_parts(dy, indices, (4, 3))
    assert values.shape == (4, 3) and flat.dtype == tf.int64 and dense_shape.dtype == tf.int32
    np.testing.assert_array_equal(flat, [0, 1, 3, 3])
    np.testing.assert_array_equal(dense_shape, [4, 3])


def test_gather_on_another_axis_or_with_batch_dims_has_a_dense_gradient():
    first, _ = _grad(lambda x: tf.gather(x, [2, 0, 2], axis=1), [[1.0, 2.0, 3.0], [4, 5, 6]])
    np.testing.assert_array_equal(first[0], [[1, 0, 2], [1, 0, 2]])
    first, _ = _grad(
        lambda x: tf.gather(x, [[2, 2], [1, 0]], axis=1, batch_dims=1), [[1.0, 2, 3], [4, 5, 6]]
    )
    np.testing.assert_array_equal(first[0], [[0, 0, 2], [1, 1, 0]])


def test_gather_of_argsort_passes_ones_back():
    first, _ = _grad(lambda x: tf.gather(x, tf.argsort(x)), [-1.0, 0.0, 1.0, 2.5])
    np.testing.assert_array_equal(first[0], [1.0, 1.0, 1.0, 1.0])


# -- tf.gather_nd, tf.boolean_mask, tf.nn.embedding_lookup ------------------------------------
def test_gather_nd_values_and_batches():
    x = tf.constant(X)
    np.testing.assert_array_equal(tf.gather_nd(x, [[0, 1], [2, 3]]), [1.0, 11.0])
    np.testing.assert_array_equal(tf.gather_nd(x, [[1], [0]]), X[[1, 0]])
    assert float(tf.gather_nd(x, [1, 2])) == 6.0
    assert tf.gather_nd(x, tf.zeros([2, 0], tf.int32)).shape == (2, 3, 4)
    y = tf.reshape(tf.range(24.0), [2, 3, 4])
    np.testing.assert_array_equal(tf.gather_nd(y, [[[1, 0]], [[2, 3]]], batch_dims=1), [[4], [23]])


def test_gather_nd_errors():
    x = tf.constant(X)
    message = "indices[0,1] = [0, 9] does not index into param shape [3,4], node name: GatherNd"
    with _raises(tf.errors.InvalidArgumentError, message):
        tf.gather_nd(x, [[[0, 0], [0, 9]]])
    with _raises(tf.errors.InvalidArgumentError, "innermost dimension length must be <= params"):
        tf.gather_nd(x, [[0, 0, 0]])
    with _raises(ValueError, "tf.gather_nd does not allow negative batch_dims."):
        tf.gather_nd(x, [[0]], batch_dims=-1)
    with _raises(tf.errors.InvalidArgumentError, "Input to reshape is a tensor with 3 values"):
        tf.gather_nd(tf.zeros([2, 3, 4]), [[1], [2], [0]], batch_dims=1)


def test_gather_nd_gradient_is_a_dense_scatter():
    first, second = _grad(lambda x: tf.gather_nd(x, [[0, 1], [1, 2], [0, 1]]), X[:2, :3])
    np.testing.assert_array_equal(first[0], [[0, 2, 0], [0, 0, 1]])
    assert second == [[None]]


def test_boolean_mask():
    x = tf.constant(X)
    np.testing.assert_array_equal(tf.boolean_mask(x, [1, 0, 1]), X[[0, 2]])
    np.testing.assert_array_equal(tf.boolean_mask(x, [True, False, True, False], axis=1), X[:, ::2])
    with _raises(ValueError, "Shapes (3,) and (2,) are incompatible"):
        tf.boolean_mask(x, [True, False])
    with _raises(ValueError, "Shapes () and (4,) are incompatible"):  # TF's negative axis
        tf.boolean_mask(x, [True, False, True, False], axis=-1)
    first, _ = _grad(lambda v: tf.boolean_mask(v, [True, False, True]), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(first[0], [1.0, 0.0, 1.0])


def test_gather_gradient_is_indexed_slices():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape() as tape:
        y = tf.gather(v, [2, 0, 2])
    g = tape.gradient(y, v)
    assert isinstance(g, tf.IndexedSlices)
    assert g.indices.numpy().tolist() == [2, 0, 2] and g.dense_shape.numpy().tolist() == [3, 2]
    np.testing.assert_array_equal(tf.convert_to_tensor(g), [[1, 1], [0, 0], [2, 2]])


def test_embedding_lookup():
    x = tf.constant([[3.0, 1.0, 2.0], [1.0, 1.0, 0.0]])
    np.testing.assert_array_equal(tf.nn.embedding_lookup(x, [[1], [0]]), [[[1, 1, 0]], [[3, 1, 2]]])
    # a list of tensors is one table split in consecutive row ranges
    np.testing.assert_array_equal(
        tf.nn.embedding_lookup([x, x * 10], [0, 3, 2]), [[3, 1, 2], [10, 10, 0], [30, 10, 20]]
    )
    np.testing.assert_allclose(
        tf.nn.embedding_lookup(x, [0, 1], max_norm=1.0),
        [[0.8017837, 0.26726124, 0.5345225], [0.70710677, 0.70710677, 0.0]],
    )
    with _raises(ValueError, "Length of params is currently 0. Need at least one param."):
        tf.nn.embedding_lookup([], [0])
    first, _ = _grad(lambda v: tf.nn.embedding_lookup(v, [1, 1]), [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(first[0], [[0.0, 0.0], [2.0, 2.0]])


# -- scatters and segment sums ----------------------------------------------------------------
def test_scatter_nd_adds_duplicates():
    np.testing.assert_array_equal(
        tf.scatter_nd([[1], [3], [1]], [1.0, 2.0, 3.0], [5]), [0.0, 4.0, 0.0, 2.0, 0.0]
    )
    with _raises(tf.errors.InvalidArgumentError, "indices[0] = [5] does not index into shape [5]"):
        tf.scatter_nd([[5]], [1.0], [5])
    message = "Dimensions [1,2) of input[shape=[3,4]] must match dimensions [1,2) of updates"
    with _raises(tf.errors.InvalidArgumentError, message):
        tf.scatter_nd([[0]], tf.ones([1, 3]), [3, 4])
    first, second = _grad(lambda u: tf.scatter_nd([[1], [3], [1]], u, [5]) * 2.0, [1.0, 2, 3])
    np.testing.assert_array_equal(first[0], [2.0, 2.0, 2.0])
    assert second == [[None]]


def test_tensor_scatter_nd_update_add_sub():
    x = tf.constant(X, tf.float32)
    updated = tf.tensor_scatter_nd_update(x, [[0, 1], [2, 2]], [100.0, 200.0])
    np.testing.assert_array_equal(updated[0, 1], 100.0)
    # the last of repeated indices wins
    np.testing.assert_array_equal(
        tf.tensor_scatter_nd_update([1.0, 2.0], [[0], [0]], [5.0, 6.0]), [6.0, 2.0]
    )
    np.testing.assert_array_equal(tf.tensor_scatter_nd_add([1.0, 2.0], [[0], [0]], [5, 6]), [12, 2])
    np.testing.assert_array_equal(tf.tensor_scatter_nd_sub([1.0, 2.0], [[1]], [5.0]), [1.0, -3.0])
    message = "The inner 1 dimensions of output.shape=[3,4] must match the inner 1 dimensions"
    with _raises(tf.errors.InvalidArgumentError, message):
        tf.tensor_scatter_nd_update(x, [[1]], tf.ones([1, 3]))
    with _raises(tf.errors.InvalidArgumentError, "Outer dimensions of indices and update must"):
        tf.tensor_scatter_nd_update(x, [[0], [1]], tf.ones([3, 4]))


def test_tensor_scatter_gradients():
    # Update: the replaced entries get no gradient; every update gets its slice of dy, even
    # a repeated one that was overwritten (TF's rule).
    first, _ = _grad(
        lambda t, u: tf.tensor_scatter_nd_update(t, [[1], [1]], u), [1.0, 2.0, 3.0], [5.0, 6.0]
    )
    np.testing.assert_array_equal(first[0], [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(first[1], [1.0, 1.0])
    first, _ = _grad(lambda t, u: tf.tensor_scatter_nd_sub(t, [[1]], u), [1.0, 2.0], [5.0])
    np.testing.assert_array_equal(first[0], [1.0, 1.0])
    np.testing.assert_array_equal(first[1], [-1.0])


def test_segment_sum():
    np.testing.assert_array_equal(segment_sum([1.0, 2.0, 3.0, 4.0], [0, 0, 2, 2]), [3, 0, 7])
    first, _ = _grad(lambda x: segment_sum(x, [0, 0, 1]), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(first[0], [1.0, 1.0, 1.0])
    for ids, message in [
        ([1, 0, 0], "segment ids are not increasing"),
        ([-1, 0, 0], "Segment id -1 out of range [0, 1), possibly because 'segment_ids' input"),
        ([-2, -1, -1], "segment ids must be >= 0"),
        ([0, 0], "segment_ids should be the same size as dimension 0 of input."),
    ]:
        with _raises(tf.errors.InvalidArgumentError, message):
            segment_sum([1.0, 2.0, 3.0], ids)


def test_unsorted_segment_sum_drops_negative_ids():
    result = unsorted_segment_sum([1.0, 2.0, 3.0, 4.0], [2, 0, -1, 2], 4)
    np.testing.assert_array_equal(result, [2.0, 0.0, 5.0, 0.0])
    first, _ = _grad(lambda x: unsorted_segment_sum(x, [2, 0, -1, 2], 4), [1.0, 2, 3, 4])
    np.testing.assert_array_equal(first[0], [1.0, 1.0, 0.0, 1.0])
    with _raises(tf.errors.InvalidArgumentError, "segment_ids[0,1] = 5 is out of range [0, 2)"):
        unsorted_segment_sum(tf.ones([2, 2]), [[0, 5], [1, 1]], 2)
    with _raises(tf.errors.InvalidArgumentError, "num_segments should be a scalar, not shape [1]"):
        unsorted_segment_sum([1.0], [0], [3])


# -- sorting and unique -----------------------------------------------------------------------
def test_sort_and_argsort():
    x = tf.constant([[3.0, 1.0, 2.0], [1.0, 1.0, 0.0]])
    np.testing.assert_array_equal(tf.sort(x), [[1, 2, 3], [0, 1, 1]])
    np.testing.assert_array_equal(
        tf.sort(x, axis=0, direction="DESCENDING"), [[3, 1, 2], [1, 1, 0]]
    )
    np.testing.assert_array_equal(tf.argsort([1.0, 2.0, 1.0, 2.0]), [0, 2, 1, 3])  # stable
    np.testing.assert_array_equal(tf.argsort([1, 2, 1, 2], direction="DESCENDING"), [1, 3, 0, 2])
    minimum = np.iinfo(np.int32).min
    np.testing.assert_array_equal(tf.sort(tf.constant([3, minimum, 2])), [minimum, 2, 3])
    np.testing.assert_array_equal(tf.sort(tf.constant([3, 1, 2], tf.uint8)), [1, 2, 3])
    assert str(tf.sort([0.0, -0.0, 0.0]).numpy().tolist()) == "[0.0, -0.0, 0.0]"


def test_sort_errors():
    with _raises(ValueError, "Argument `direction` should be one of ASCENDING, DESCENDING."):
        tf.sort([1.0], direction="up")
    with _raises(ValueError, "Argument `axis` must be a constant scalar. Received: axis=[0]."):
        tf.sort([1.0], axis=[0])
    with _raises(tf.errors.InvalidArgumentError, "slice index 2 of dimension 0 out of bounds."):
        tf.sort(tf.zeros([2, 3]), axis=2)
    with _raises(tf.errors.InvalidArgumentError, "Value for attr 'T' of bool"):
        tf.sort([True, False])  # from Neg, as in TF


def test_sort_gradient_is_ones_permuted_back():
    first, second = _grad(lambda x: tf.sort(x) * [1.0, 2.0, 3.0], [2.5, -1.0, 1.0])
    np.testing.assert_array_equal(first[0], [3.0, 1.0, 2.0])
    assert second == [[None]]


def test_unique():
    result = tf.unique([1, 1, 2, 4, 4, 4, 7, 8, 8])
    assert type(result).__name__ == "Unique" and result._fields == ("y", "idx")
    np.testing.assert_array_equal(result.y, [1, 2, 4, 7, 8])
    np.testing.assert_array_equal(result.idx, [0, 0, 1, 2, 2, 2, 3, 4, 4])
    nans = tf.unique([float("nan"), float("nan"), 0.0, -0.0])  # NaNs are all distinct
    assert nans.y.shape == (3,) and nans.idx.numpy().tolist() == [0, 1, 2, 2]
    assert tf.unique([3.0, 1.0], out_idx=tf.int64).idx.dtype == tf.int64
    with _raises(tf.errors.InvalidArgumentError, "unique expects a 1D vector. [Op:Unique]"):
        tf.unique([[1, 2]])


def test_unique_has_no_gradient_but_is_harmless_off_the_path():
    x = tf.constant([1.0, 2.0, 1.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        u = tf.unique(x).y
        y = x * 2.0
    with _raises(LookupError, "gradient registry has no entry for: Unique"):
        tape.gradient(u, x)
    np.testing.assert_array_equal(tape.gradient(y, x), [2.0, 2.0, 2.0])


def test_jacobian_through_indexing_ops():
    x = tf.constant([3.0, 1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.gather(tf.sort(x), [2, 0]) * x[1:]
    np.testing.assert_array_equal(tape.jacobian(y, x), [[1.0, 3.0, 0.0], [0.0, 2.0, 1.0]])
