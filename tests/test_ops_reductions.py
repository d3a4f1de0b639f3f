"""Reductions, scans, argmax/argmin, top_k and add_n: hand-derived values, TF's quirks (dtypes,
empty reductions, kinks, None second derivatives, errors) and property tests against NumPy."""

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import given, settings

import tapeflow as tf
from tapeflow.ops.indexed_slices import IndexedSlices
from tapeflow.ops.reductions_composite import add_n_op


def grad(f, x, dtype=tf.float32):
    x = tf.constant(x, dtype)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x)


def second(f, x, dtype=tf.float32):
    """First and second derivative of sum(f(x)) with nested tapes (None where TF's is)."""
    x = tf.constant(x, dtype)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        g = inner.gradient(y, x)
    return g, outer.gradient(g, x)


def close(actual, expected, **kw):
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=kw.get("rtol", 1e-6), atol=1e-7)


# -- values, dtypes and empty reductions --------------------------------------------------------


def test_public_names_and_aliases_are_the_same_objects():
    for name in ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
                 "reduce_logsumexp", "reduce_any", "reduce_all", "argmax", "argmin", "cumsum",
                 "add_n"]:  # fmt: skip
        assert getattr(tf.math, name) is getattr(tf, name)
    for name in ["reduce_std", "reduce_variance", "reduce_euclidean_norm", "count_nonzero",
                 "cumprod", "top_k"]:  # fmt: skip
        assert callable(getattr(tf.math, name))


def test_keepdims_and_axis_forms():
    x = tf.constant([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    assert tf.reduce_max(x, axis=-1, keepdims=True).shape == (2, 1)
    close(tf.reduce_max(x, axis=tf.constant([1])), [5, 6])
    close(tf.reduce_sum(x, axis=tf.constant(1, tf.int64)), [9, 12])
    close(tf.reduce_sum(x, axis=np.int64(0)), [5, 7, 9])
    close(tf.reduce_sum(x, axis=[[0, 1]]), 21)
    close(tf.reduce_sum(x, axis=[]), x)
    assert tf.reduce_sum(x, keepdims=True).shape == (1, 1)
    assert tf.reduce_sum(x, 1, keepdims=None).shape == (2,)
    close(tf.reduce_sum(3.0, axis=[]), 3.0)


def test_integer_means_truncate_toward_zero_in_64_bits():
    assert tf.reduce_mean(tf.constant([1, 2])).numpy() == 1
    assert tf.reduce_mean(tf.constant([-3, -4])).numpy() == -3
    assert tf.reduce_mean(tf.constant([-5, 0, 0])).numpy() == -1
    assert tf.reduce_mean(tf.constant([2**30, 2**30])).numpy() == 2**30
    assert tf.reduce_mean(tf.constant([250, 250, 1], tf.uint8)).numpy() == 167
    assert tf.reduce_mean(tf.constant([-3, 4], tf.int8)).dtype == tf.int8


def test_integer_sums_and_products_wrap_around():
    assert tf.reduce_sum(tf.constant([200, 100], tf.uint8)).numpy() == 44
    assert tf.reduce_prod(tf.constant([2**20, 2**20])).numpy() == 0
    assert tf.math.reduce_euclidean_norm(tf.constant([200, 200], tf.uint8)).numpy() == 11
    assert tf.math.reduce_euclidean_norm([3, 4]).dtype == tf.int32


def test_reduce_prod_accepts_shapes():
    n = tf.reduce_prod(tf.TensorShape([5, 8]))
    assert n.dtype == tf.int32 and n.numpy() == 40
    assert tf.reduce_prod((5, 8)).numpy() == 40
    assert tf.reduce_prod([]).dtype == tf.float32 and tf.reduce_prod([]).numpy() == 1.0


def test_empty_reductions_give_the_identity():
    empty = tf.zeros([0])
    assert tf.reduce_max(empty).numpy() == -np.inf
    assert tf.reduce_min(empty).numpy() == np.inf
    assert tf.reduce_max(tf.zeros([0], tf.int32)).numpy() == np.iinfo(np.int32).min
    assert tf.reduce_min(tf.zeros([0], tf.int32)).numpy() == np.iinfo(np.int32).max
    assert tf.reduce_max(tf.zeros([0], tf.uint8)).numpy() == 0
    assert tf.reduce_sum(empty).numpy() == 0.0
    assert np.isnan(tf.reduce_mean(empty).numpy())
    assert tf.reduce_mean(tf.zeros([0], tf.int32)).numpy() == 0
    assert tf.reduce_prod(empty).numpy() == 1.0
    assert not tf.reduce_any(tf.zeros([0], tf.bool)).numpy()
    assert tf.reduce_all(tf.zeros([0], tf.bool)).numpy()
    assert tf.reduce_logsumexp(empty).numpy() == -np.inf
    close(tf.reduce_mean(tf.zeros([0, 3]), axis=0), [np.nan] * 3)
    assert tf.reduce_mean(tf.zeros([0, 3]), axis=1).shape == (0,)
    assert tf.math.reduce_euclidean_norm(empty).numpy() == 0.0


def test_mean_of_empty_tensor_has_an_empty_gradient():
    g = grad(tf.reduce_mean, np.zeros([0], np.float32))
    assert g.shape == (0,) and g.dtype == tf.float32


def test_low_precision_floats():
    half = tf.constant([60000.0, 60000.0], tf.float16)
    assert tf.reduce_mean(half).numpy() == np.inf  # TF sums float16 in float16
    bf = tf.constant([256.0] + [1.0] * 20, tf.bfloat16)
    assert float(tf.reduce_sum(bf).numpy()) == 276.0  # and bfloat16 in float32
    assert tf.reduce_mean(bf).dtype == tf.bfloat16


def test_complex_reductions():
    z = tf.constant([1 + 2j, 3j])
    assert tf.reduce_prod(z).numpy() == -6 + 3j
    assert tf.reduce_mean(z).numpy() == 0.5 + 2.5j
    assert tf.math.reduce_euclidean_norm(tf.constant([3 + 4j, 0])).numpy() == 5 + 0j
    variance = tf.math.reduce_variance(tf.constant([1 + 1j, 2]))
    assert variance.dtype == tf.float64 and variance.numpy() == 0.5


def test_complex_prod_gradient_is_conjugated():
    z = np.array([1 + 2j, 0.5 - 1j, -1 + 0.5j])
    tf.test.check_gradients(tf.reduce_prod, [z], order=1)


def test_bool_reductions():
    assert tf.reduce_any([True, False]).numpy()
    close(tf.reduce_all([[True, False], [True, True]], axis=1), [False, True])
    assert tf.reduce_any(tf.constant([[1.0, 4.0]]) > 3, axis=[0, 1], keepdims=True).shape == (1, 1)


def test_count_nonzero():
    x = [[0, 1, 0], [1, 1, 0]]
    n = tf.math.count_nonzero(x)
    assert n.dtype == tf.int64 and n.numpy() == 3
    close(tf.math.count_nonzero(x, 1, keepdims=True), [[1], [2]])
    assert tf.math.count_nonzero([0.0, -0.0, np.nan]).numpy() == 1
    assert tf.math.count_nonzero([True, False]).numpy() == 1
    assert tf.math.count_nonzero(["", "a"]).numpy() == 1
    assert tf.math.count_nonzero([1, 2], dtype=tf.float32).dtype == tf.float32
    assert grad(lambda x: tf.math.count_nonzero(x, dtype=tf.float32), [1.0, 0.0]) is None


def test_argmax_dtypes_and_ties():
    x = tf.constant([[1.0, 5.0, 5.0], [4.0, 2.0, 6.0]])
    i = tf.argmax(x)
    assert i.dtype == tf.int64
    close(i, [1, 0, 1])
    close(tf.argmax(x, 1), [1, 2])  # the first of two maxima
    assert tf.argmax(x, -1, output_type=tf.int32).dtype == tf.int32
    assert tf.argmax(x, axis=tf.constant(1)).dtype == tf.int64
    assert tf.argmin([3, 1, 1]).numpy() == 1
    assert tf.argmax([True, False]).numpy() == 0
    assert tf.argmax(tf.zeros([0, 3]), 1).shape == (0,)


def test_argmax_skips_nan_as_tf_does():
    nan, inf = np.nan, np.inf
    for values, expected in [
        ([nan, 1.0], (1, 1)),
        ([2.0, nan, 1.0], (0, 2)),
        ([nan, -inf], (0, 1)),
        ([-inf, nan, -inf], (0, 0)),
        ([nan, nan], (0, 0)),
    ]:
        assert (tf.argmax(values).numpy(), tf.argmin(values).numpy()) == expected


def test_cumsum_and_cumprod_values():
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    close(tf.math.cumsum(x), [[1, 2, 3], [5, 7, 9]])
    close(tf.math.cumsum(x, axis=1, exclusive=True), [[0, 1, 3], [0, 4, 9]])
    close(tf.math.cumsum(x, axis=-1, reverse=True), [[6, 5, 3], [15, 11, 6]])
    close(tf.math.cumsum(x, 1, True, True), [[5, 3, 0], [11, 6, 0]])
    close(tf.math.cumprod(x, 1, exclusive=True, reverse=True), [[6, 3, 1], [30, 6, 1]])
    close(tf.math.cumsum(x, axis=tf.constant(1, tf.int64)), [[1, 3, 6], [4, 9, 15]])
    assert tf.math.cumsum(tf.constant([200, 100], tf.uint8)).numpy().tolist() == [200, 44]
    assert tf.math.cumprod(tf.zeros([2, 0]), 1).shape == (2, 0)


def test_top_k_values_indices_and_ties():
    x = tf.constant([[1.0, 3.0, 3.0, 2.0], [5.0, 4.0, 6.0, 0.0]])
    result = tf.math.top_k(x, 2)
    assert type(result).__name__ == "TopKV2" and result._fields == ("values", "indices")
    close(result.values, [[3, 3], [6, 5]])
    assert result.indices.dtype == tf.int32
    close(result.indices, [[1, 2], [2, 0]])
    assert tf.math.top_k(x, 2, index_type=tf.int64).indices.dtype == tf.int64
    assert tf.math.top_k(x).values.shape == (2, 1)
    assert tf.math.top_k(x, 0).values.shape == (2, 0)
    assert tf.math.top_k(x, tf.constant(2)).values.shape == (2, 2)
    close(tf.math.top_k([1.0, np.nan, 2.0], 3).indices, [2, 0, 1])


def test_add_n_values():
    x = tf.constant([[1.0, 5.0], [4.0, 2.0]])
    close(tf.add_n([x, x, x]), 3 * x.numpy())
    assert tf.add_n([tf.constant(1.0), 2.0, tf.constant(3.0)]).numpy() == 6.0
    assert tf.add_n([x]) is x
    close(tf.add_n(x), [5, 7])  # a tensor is a list of its rows
    close(tf.add_n([x, [[1.0, 1.0], [1.0, 1.0]]]), x.numpy() + 1)
    assert tf.add_n([tf.constant([True])]).dtype == tf.bool  # one input: no op runs
    assert tf.add_n([tf.Variable(1.0), tf.Variable(2.0)]).numpy() == 3.0
    dense = tf.add_n([tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([0]), [2, 2])])
    close(dense, [[1, 2], [0, 0]])


# -- gradients ------------------------------------------------------------------------------------


def test_reduce_max_and_min_split_ties_equally():
    close(grad(tf.reduce_max, [1.0, 3.0, 3.0, 2.0]), [0, 0.5, 0.5, 0])
    close(grad(tf.reduce_max, [2.0, 2.0, 2.0]), [1 / 3] * 3)
    close(grad(tf.reduce_min, [3.0, 1.0, 1.0, 1.0]), [0, 1 / 3, 1 / 3, 1 / 3])
    g = grad(lambda x: tf.reduce_max(tf.reshape(x, [2, 2]), axis=1), [1.0, 3.0, 3.0, 2.0])
    close(g, [0, 1, 1, 0])
    g = grad(lambda x: tf.reduce_max(x, axis=0, keepdims=True), [[1.0, 4.0], [3.0, 4.0]])
    close(g, [[0, 0.5], [1, 0.5]])


def test_reduce_prod_gradient_is_exact_with_zeros():
    close(grad(tf.reduce_prod, [1.0, 3.0, 3.0, 2.0]), [18, 6, 6, 9])
    close(grad(tf.reduce_prod, [2.0, 0.0, 3.0]), [0, 6, 0])
    close(grad(tf.reduce_prod, [2.0, 0.0, 0.0]), [0, 0, 0])


@pytest.mark.parametrize("axis", [None, 0, 1, 2, (0, 1), (1, 2), (0, 2), (0, 1, 2), -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduce_prod_gradient_over_any_axes_with_zeros(axis, keepdims):
    x = np.array([[[2.0, 0.0], [3.0, -1.0], [0.5, 4.0]], [[1.5, 2.0], [0.0, 0.0], [-2.0, 3.0]]])
    g = grad(lambda t: tf.reduce_prod(t, axis=axis, keepdims=keepdims), x, tf.float64)
    # Reference: the product of the other elements of each block, by brute force.
    axes = tuple(range(3)) if axis is None else np.atleast_1d(axis) % 3
    expected = np.empty_like(x)
    for index in np.ndindex(x.shape):
        others = x.copy()
        others[index] = 1.0
        block = tuple(slice(None) if d in axes else i for d, i in enumerate(index))
        expected[index] = np.prod(others[block])
    close(g, expected)


def test_cumulative_gradients():
    close(grad(tf.math.cumprod, [1.0, 3.0, 3.0, 2.0]), [31, 10, 9, 9])
    close(grad(tf.math.cumsum, [1.0, 3.0, 3.0, 2.0]), [4, 3, 2, 1])
    close(grad(lambda x: tf.math.cumsum(x, exclusive=True), [1.0, 2.0, 3.0]), [2, 1, 0])
    close(grad(lambda x: tf.math.cumsum(x, reverse=True), [1.0, 2.0, 3.0]), [1, 2, 3])
    # TF's rule divides with div_no_nan: 0 where x is 0, not the exact derivative.
    close(grad(tf.math.cumprod, [2.0, 0.0, 3.0]), [1, 0, 0])


def test_variance_std_and_norm_gradients():
    close(grad(tf.math.reduce_variance, [1.0, 3.0, 3.0, 2.0]), [-0.625, 0.375, 0.375, -0.125])
    std = grad(tf.math.reduce_std, [1.0, 3.0, 3.0, 2.0])
    close(std, [-0.37688917, 0.22613351, 0.22613351, -0.07537784])
    assert np.all(np.isnan(grad(tf.math.reduce_std, [2.0, 2.0])))
    g = grad(tf.math.reduce_euclidean_norm, [-1.0, 0.0, 1.0])
    close(g, [-0.7071068, 0, 0.7071068])
    assert np.all(np.isnan(grad(tf.math.reduce_euclidean_norm, [0.0, 0.0])))
    close(grad(lambda x: tf.math.reduce_euclidean_norm(x, 1), [[3.0, 4.0]]), [[0.6, 0.8]])


def test_logsumexp_is_stable():
    x = [1000.0, -1000.0, 999.0]
    close(tf.reduce_logsumexp(x), 1000.3132617, rtol=1e-7)
    g = grad(tf.reduce_logsumexp, x)
    close(g, [0.7310586, 0, 0.26894143])
    assert np.all(np.isnan(grad(tf.reduce_logsumexp, [-np.inf, -np.inf])))
    assert tf.reduce_logsumexp([-np.inf, -np.inf]).numpy() == -np.inf
    value = tf.reduce_logsumexp([[1.0, 2.0], [3.0, 4.0]], axis=1, keepdims=True)
    close(value, [[2.3132617], [4.3132615]])


def test_top_k_gradient_scatters_back():
    close(grad(lambda x: tf.math.top_k(x, 2).values, [-1.0, 0.0, 1.0, 2.5]), [0, 0, 1, 1])
    close(grad(lambda x: tf.math.top_k(x, 1).values, [1.0, 3.0, 3.0, 2.0]), [0, 1, 0, 0])
    x = [[[1.0, 4.0, 2.0], [6.0, 5.0, 7.0]], [[0.0, -1.0, 3.0], [2.0, 9.0, 8.0]]]
    close(grad(lambda t: tf.math.top_k(t, 2).values * [1.0, 10.0], x), [
        [[0, 1, 10], [10, 0, 1]], [[10, 0, 1], [0, 1, 10]]])  # fmt: skip
    assert grad(lambda x: tf.cast(tf.math.top_k(x, 2).indices, tf.float32), [1.0, 2.0]) is None


@pytest.mark.parametrize("arg_reduction", [tf.argmax, tf.argmin])
def test_arg_reductions_have_no_gradient(arg_reduction):
    g = grad(lambda x: tf.cast(arg_reduction(x), tf.float32), [-1.0, 0.0, 1.0, 2.5])
    assert g is None


def test_add_n_gradient_and_indexed_slices_pass_through():
    g, g2 = second(lambda x: tf.add_n([x, x * 2.0, x]), [1.0, 2.0])
    close(g, [4, 4])
    assert g2 is None
    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = tf.add_n([a, b, a]) * tf.stack([a, b])
    close(tape.gradient(y, [a, b]), [10, 7])
    slices = IndexedSlices(tf.constant([[1.0, 1.0]]), tf.constant([0]), tf.constant([2, 2]))
    a, b = tf.ones([2, 2]), tf.ones([2, 2])
    assert add_n_op.vjp(slices, None, a, b) == (slices, slices)


@pytest.mark.parametrize(
    "f", [tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_min, tf.math.cumsum]
)
def test_linear_and_masked_rules_have_no_second_derivative(f):
    g, g2 = second(f, [0.5, 2.0])
    assert g is not None and g2 is None


def test_second_derivatives_of_smooth_reductions():
    _, g2 = second(tf.reduce_prod, [0.5, 2.0, 3.0])
    close(g2, [5, 3.5, 2.5])  # sum of the off-diagonal Hessian entries, per row
    _, g2 = second(tf.math.reduce_euclidean_norm, [3.0, 4.0])
    close(g2, [0.032, -0.024], rtol=1e-4)
    _, g2 = second(lambda x: tf.reduce_sum(tf.math.cumprod(x)), [1.0, 2.0, 3.0])
    assert g2 is not None


# -- errors ---------------------------------------------------------------------------------------


def _raises(error, message, f, *args, **kwargs):
    with pytest.raises(error) as info:
        f(*args, **kwargs)
    assert message in str(info.value), str(info.value)


def test_reduction_axis_errors():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    bad = tf.errors.InvalidArgumentError
    _raises(bad, "Invalid reduction dimension (2 for input with 2 dimension(s) [Op:Max]",
            tf.reduce_max, x, 2)  # fmt: skip
    _raises(bad, "Invalid reduction dimension (-3 for input with 2 dimension(s) [Op:Sum]",
            tf.reduce_sum, x, -3)  # fmt: skip
    _raises(bad, "Invalid reduction dimension (0 for input with 0 dimension(s) [Op:Sum]",
            tf.reduce_sum, 3.0, 0)  # fmt: skip
    _raises(bad, "Axes contains duplicate dimension: 0 [Op:Prod]", tf.reduce_prod, x, [0, -2])
    _raises(bad, "Invalid reduction dimension (5 for", tf.reduce_sum, x, [5, 0, 0])
    _raises(bad, "Invalid reduction dimension (5 for input with 2 dimension(s) [Op:Max]",
            tf.reduce_logsumexp, x, 5)  # fmt: skip
    _raises(bad, "[Op:Mean]", tf.math.reduce_std, x, 5)
    _raises(TypeError, "Cannot convert 1.0 to EagerTensor of dtype int32", tf.reduce_sum, x, 1.0)
    _raises(bad, "Value for attr 'Tidx' of float is not in the list of allowed values: int32, "
            "int64\n\t; NodeDef: {{node Sum}}; Op<name=Sum;", tf.reduce_sum, x,
            tf.constant([1.0]))  # fmt: skip


def test_reduction_dtype_errors():
    bad = tf.errors.InvalidArgumentError
    _raises(bad, "Value for attr 'T' of bool is not in the list of allowed values: float, "
            "double, int32, uint8, int16, int8, int64, bfloat16", tf.reduce_max,
            [True, False])  # fmt: skip
    _raises(bad, "attr 'T' of complex128", tf.reduce_min, [1 + 2j])
    _raises(bad, "attr 'T' of bool", tf.reduce_sum, [True], 5)  # dtype before axis
    _raises(bad, "cannot compute All as input #0(zero-based) was expected to be a bool tensor "
            "but is a float tensor [Op:All]", tf.reduce_all, tf.constant([1.0]))  # fmt: skip
    _raises(TypeError, "Cannot convert [1, 0] to EagerTensor of dtype bool", tf.reduce_any,
            [1, 0])  # fmt: skip
    _raises(TypeError, "Input must be either real or complex. Received integer type "
            "<dtype: 'int32'>.", tf.math.reduce_std, [1, 2])  # fmt: skip
    _raises(bad, "{{node IsFinite}}", tf.reduce_logsumexp, [1, 2])


def test_argmax_errors():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    bad = tf.errors.InvalidArgumentError
    _raises(bad, "Expected dimension in the range [-2, 2), but got 2 [Op:ArgMax]",
            tf.argmax, x, 2)  # fmt: skip
    _raises(bad, "Expected dimension in the range [0, 0), but got 0", tf.argmin, 3.0)
    _raises(bad, "Reduction axis 0 is empty in shape [0] [Op:ArgMax]", tf.argmax, tf.zeros([0]))
    _raises(bad, "dim must be a scalar, but received tensor of shape: [1] [Op:ArgMax]",
            tf.argmax, x, tf.constant([1]))  # fmt: skip
    _raises(TypeError, "axis must be int or Tensor with integer datatype", tf.argmax, x, [1])
    _raises(TypeError, "axis tensor dtypes int64 is not supported", tf.argmax, x, np.int64(1))
    _raises(TypeError, "axis tensor dtypes <dtype: 'float32'> is not supported", tf.argmax, x,
            tf.constant(1.0))  # fmt: skip
    _raises(bad, "Value for attr 'output_type' of float is not in the list of allowed values: "
            "int16, uint16, int32, int64\n\t; NodeDef: {{node ArgMax}}; Op<name=ArgMax;",
            tf.argmax, x, output_type=tf.float32)  # fmt: skip
    _raises(bad, "attr 'T' of complex128", tf.argmax, [1 + 1j, 2])


def test_cumsum_and_top_k_errors():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    bad = tf.errors.InvalidArgumentError
    _raises(bad, "ScanOp: Expected scan axis in the range [-2, 2), but got 2 [Op:Cumsum]",
            tf.math.cumsum, x, 2)  # fmt: skip
    _raises(bad, "but got -1 [Op:Cumprod]", tf.math.cumprod, x, -3)  # TF shifts it first
    _raises(bad, "ScanOp: axis must be a scalar, not [1] [Op:Cumsum]", tf.math.cumsum, x, [1])
    _raises(bad, "Op<name=Cumsum; signature=x:T, axis:Tidx -> out:T;", tf.math.cumsum, [True])
    _raises(bad, "Need k >= 0, got -1 [Op:TopKV2]", tf.math.top_k, x, -1)
    _raises(bad, "input must have at least k columns. Had 2, needed 3", tf.math.top_k, x, 3)
    _raises(bad, "input must be >= 1-D, got shape [] [Op:TopKV2]", tf.math.top_k, 3.0, 1)
    _raises(TypeError, "Cannot convert 2.0 to EagerTensor of dtype int32", tf.math.top_k, x, 2.0)
    _raises(bad, "Value for attr 'index_type' of float is not in the list of allowed values: "
            "int16, int32, int64", tf.math.top_k, x, 1, index_type=tf.float32)  # fmt: skip
    _raises(bad, "attr 'T' of bool", tf.math.top_k, [True, False], 1)


def test_add_n_errors():
    x = tf.ones([2, 3])
    bad = tf.errors.InvalidArgumentError
    message = "Inputs must be an iterable of at least one Tensor/IndexedSlices"
    _raises(ValueError, message, tf.add_n, [])
    _raises(ValueError, message, tf.add_n, [None])
    _raises(TypeError, "'int' object is not iterable", tf.add_n, 5)
    _raises(bad, "Inputs to operation AddN of type AddN must have the same size and shape.  "
            "Input 0: [2,3] != input 1: [3] [Op:AddN]", tf.add_n, [x, tf.ones([3])])  # fmt: skip
    _raises(bad, "cannot compute AddN as input #1(zero-based) was expected to be a float tensor "
            "but is a double tensor", tf.add_n, [x, tf.ones([2, 3], tf.float64)])  # fmt: skip
    _raises(bad, "of bool is not in the list of allowed values: float, double, int32, uint8, "
            "int16, int8, complex64, int64, qint8, quint8, qint32, bfloat16, qint16, quint16, "
            "uint16, complex128, half, uint32, uint64, variant", tf.add_n,
            [tf.constant([True])] * 2)  # fmt: skip


# -- properties against NumPy ---------------------------------------------------------------------

_REDUCTIONS = {
    "reduce_sum": (tf.reduce_sum, np.sum),
    "reduce_mean": (tf.reduce_mean, np.mean),
    "reduce_max": (tf.reduce_max, np.max),
    "reduce_min": (tf.reduce_min, np.min),
    "reduce_prod": (tf.reduce_prod, np.prod),
    "reduce_euclidean_norm": (
        tf.math.reduce_euclidean_norm,
        lambda x, axis, keepdims: np.sqrt(np.sum(x * x, axis=axis, keepdims=keepdims)),
    ),
    "reduce_logsumexp": (
        tf.reduce_logsumexp,
        lambda x, axis, keepdims: np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims)),
    ),
    "reduce_variance": (tf.math.reduce_variance, np.var),
    "reduce_std": (tf.math.reduce_std, np.std),
}


@st.composite
def _array_and_axis(draw):
    """A non-empty float64 array and an axis argument (None, int, list or tensor, negative
    entries allowed) naming distinct axes."""
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3))
    x = draw(hnp.arrays(np.float64, shape, elements=st.floats(0.25, 2.0) | st.floats(-2.0, -0.25)))
    ndim = len(shape)
    axes = draw(st.none() | st.lists(st.integers(0, max(ndim - 1, 0)), unique=True, max_size=ndim))
    if axes is None:
        return x, None, None
    signed = [a - ndim if draw(st.booleans()) else a for a in axes]
    form = draw(st.sampled_from(["list", "int", "tensor"]))
    if form == "int" and len(signed) == 1:
        return x, signed[0], tuple(axes)
    if form == "tensor":
        return x, tf.constant(signed, dtype=tf.int32), tuple(axes)
    return x, signed, tuple(axes)


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(sorted(_REDUCTIONS)), case=_array_and_axis(), keepdims=st.booleans())
def test_reductions_match_numpy_and_gradients_keep_the_input_shape(name, case, keepdims):
    op, reference = _REDUCTIONS[name]
    x, axis, axes = case
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = op(t, axis=axis, keepdims=keepdims)
    expected = reference(x, axis=axes, keepdims=keepdims)
    assert y.shape == np.shape(expected) and y.dtype == tf.float64
    np.testing.assert_allclose(y, expected, rtol=1e-10, atol=1e-12)
    g = tape.gradient(y, t)
    assert g.shape == x.shape and g.dtype == tf.float64


@settings(max_examples=25, deadline=None)
@given(case=_array_and_axis(), keepdims=st.booleans())
def test_bool_and_count_reductions_match_numpy(case, keepdims):
    x, axis, axes = case
    flags = x > 0
    np.testing.assert_array_equal(
        tf.reduce_any(flags, axis, keepdims), np.any(flags, axis=axes, keepdims=keepdims)
    )
    np.testing.assert_array_equal(
        tf.reduce_all(flags, axis, keepdims), np.all(flags, axis=axes, keepdims=keepdims)
    )
    counts = tf.math.count_nonzero(np.where(flags, x, 0.0), axis, keepdims)
    np.testing.assert_array_equal(counts, np.count_nonzero(flags, axis=axes, keepdims=keepdims))


def _reference_scan(x, axis, exclusive, reverse, accumulate, identity):
    x = np.flip(x, axis) if reverse else x
    out = accumulate(x, axis=axis)
    if exclusive:
        out = np.concatenate([np.full_like(np.take(out, [0], axis), identity), out], axis)
        out = np.delete(out, -1, axis)
    return np.flip(out, axis) if reverse else out


@settings(max_examples=30, deadline=None)
@given(
    x=hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=4), elements=st.floats(-2, 2)),
    data=st.data(),
    exclusive=st.booleans(),
    reverse=st.booleans(),
    product=st.booleans(),
)
def test_scans_match_numpy(x, data, exclusive, reverse, product):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    op, accumulate, identity = (
        (tf.math.cumprod, np.cumprod, 1.0) if product else (tf.math.cumsum, np.cumsum, 0.0)
    )
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = op(t, axis, exclusive=exclusive, reverse=reverse)
    expected = _reference_scan(x, axis % x.ndim, exclusive, reverse, accumulate, identity)
    np.testing.assert_allclose(y, expected, rtol=1e-12, atol=1e-12)
    assert tape.gradient(y, t).shape == x.shape


@settings(max_examples=30, deadline=None)
@given(
    x=hnp.arrays(np.int32, hnp.array_shapes(max_dims=3, max_side=5), elements=st.integers(-3, 3)),
    data=st.data(),
)
def test_argmax_top_k_and_add_n_match_numpy(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    np.testing.assert_array_equal(tf.argmax(x, axis), np.argmax(x, axis=axis))
    np.testing.assert_array_equal(tf.argmin(x, axis), np.argmin(x, axis=axis))
    k = data.draw(st.integers(0, x.shape[-1]))
    values, indices = tf.math.top_k(x, k)
    # Descending by value, ascending index among ties: a stable sort on (-value, index).
    order = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    np.testing.assert_array_equal(indices, order)
    np.testing.assert_array_equal(values, np.take_along_axis(x, order, axis=-1))
    np.testing.assert_array_equal(tf.add_n([x, x, -x]), x)
