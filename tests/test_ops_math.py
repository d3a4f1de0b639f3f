"""Elementwise math: TF's values, dtypes and errors, gradients at kinks (spec §12.3), the
zero-upstream rule (§12.4), None versus zero second derivatives (§12.5), and properties of
the binary ops over broadcast shapes. Expected values were read from TensorFlow 2.21."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import tapeflow as tf


def grad(f, x, seed=None, dtype=tf.float32):
    x = tf.constant(x, dtype)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x, output_gradients=seed)


def first_and_second(f, x, dtype=tf.float32):
    """d/dx sum f(x) and d/dx of that (None where no gradient flows)."""
    x = tf.constant(x, dtype)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        g = inner.gradient(y, x)
    return g, (None if g is None else outer.gradient(g, x))


def values(t):
    return None if t is None else np.asarray(t).tolist()


def same(actual, expected):
    """Exact comparison that keeps NaN and the sign of zero."""
    actual, expected = np.asarray(actual), np.asarray(expected, dtype=np.asarray(actual).dtype)
    np.testing.assert_array_equal(actual, expected)
    zeros = expected == 0
    np.testing.assert_array_equal(np.signbit(actual[zeros]), np.signbit(expected[zeros]))


# -- namespaces ---------------------------------------------------------------------------------


def test_names_live_where_tf_has_them():
    for name in ("maximum", "minimum", "where", "floor", "round", "tan", "atan2", "acosh"):
        assert hasattr(tf, name), name
    for name in ("floordiv", "rsqrt", "log1p", "erf", "is_nan", "xlogy", "lgamma", "ceil"):
        assert not hasattr(tf, name), name  # tf.math only, as in TF 2.21
    assert tf.math.maximum is tf.maximum and tf.math.atan2 is tf.atan2
    assert tf.math.special.bessel_i0 is tf.math.bessel_i0
    assert not hasattr(tf.math, "where") and not hasattr(tf.math, "div_no_nan")


# -- division, floor division and modulo -------------------------------------------------------


def test_float_floordiv_floors_the_rounded_quotient():
    x = tf.constant([1.0, -1.0, 7.5, -7.5, 1.0, 0.0])
    y = tf.constant([0.1, 0.1, 2.0, 2.0, 0.0, 0.0])
    same(tf.math.floordiv(x, y), [10, -10, 3, -4, np.inf, np.nan])


def test_float_floormod_keeps_the_sign_of_x_on_zero_remainders():
    x = tf.constant([-2.0, 2.0, 7.5, -7.5, 1.0, -0.0, 3.0])
    y = tf.constant([1.0, -1.0, 2.0, 2.0, 0.0, 1.0, -3.0])
    same(tf.math.floormod(x, y), [-0.0, 0.0, 1.5, 0.5, np.nan, -0.0, 0.0])
    same(tf.math.floormod([7, -7, 7], [2, 2, -2]), [1, 1, -1])


@pytest.mark.parametrize("op, name", [(tf.math.floordiv, "FloorDiv"), (tf.math.mod, "FloorMod")])
def test_integer_division_by_zero_is_an_error(op, name):
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=rf"^Integer division by zero \[Op:{name}\]"
    ):
        op(tf.constant([7]), tf.constant([0]))


def test_divide_dtypes_and_errors():
    assert tf.math.divide(tf.constant([7], tf.int8), 2).dtype == tf.float32
    assert tf.math.divide(tf.constant([7], tf.int64), 2).dtype == tf.float64
    assert tf.math.divide(3, tf.constant(2.0, tf.float64)).dtype == tf.float64
    assert (tf.constant([1.0, 2.0]) / np.array([2.0, 4.0])).dtype == tf.float32
    with pytest.raises(
        TypeError, match=r"^`x` and `y` must have the same dtype, got tf.float32 != tf.float64.$"
    ):
        tf.constant(1.0) / tf.constant(1.0, tf.float64)
    with pytest.raises(TypeError, match="got tf.int32 != tf.float32"):
        tf.constant(7) / 2.5
    with pytest.raises(TypeError, match="^Cannot convert 2.5 to EagerTensor of dtype int32$"):
        2.5 / tf.constant(7)
    with pytest.raises(
        TypeError,
        match=r"^Invalid dtype tf.bool in __truediv__\. Expected one of \{tf.uint8, tf.int8,",
    ):
        tf.constant(True) / True


def test_divide_no_nan():
    same(tf.math.divide_no_nan([1.0, np.nan, np.inf, 3.0], [0.0, 0.0, 0.0, 2.0]), [0, 0, 0, 1.5])
    result = tf.math.divide_no_nan(tf.constant([1, 3]), tf.constant([0, 2]))
    assert result.dtype == tf.float64 and values(result) == [0.0, 1.5]
    assert tf.math.divide_no_nan(tf.constant([3], tf.int8), 2).dtype == tf.float32
    with pytest.raises(
        TypeError, match=r"^Invalid dtype tf.bool in tf.math.divide_no_nan\. Expected"
    ):
        tf.math.divide_no_nan(True, False)


def test_pow_of_integers():
    same(tf.pow(tf.constant([0, 2]), tf.constant([0, 31])), np.array([1, -(2**31)], np.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Integers to negative integer powers"):
        tf.pow(tf.constant([2, 3]), tf.constant([-1, 2]))


# -- kernels TF lacks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, node",
    [
        (lambda: tf.math.reciprocal(tf.constant([2])), "Reciprocal[T=DT_INT32]"),
        (
            lambda: tf.math.floordiv(tf.constant([1j]), tf.constant([2j])),
            "FloorDiv[T=DT_COMPLEX128]",
        ),
        (lambda: tf.round(tf.constant([0.5 + 1j])), "Round[T=DT_COMPLEX128]"),
        (lambda: tf.math.rint(tf.constant([0.5], tf.float16)), "Rint[T=DT_HALF]"),
        (lambda: tf.math.lgamma(tf.constant([0.5], tf.bfloat16)), "Lgamma[T=DT_BFLOAT16]"),
        (lambda: tf.math.bessel_i0(tf.constant([0.5], tf.bfloat16)), "BesselI0[T=DT_BFLOAT16]"),
    ],
)
def test_dtypes_without_a_cpu_kernel_raise_not_found(call, node):
    with pytest.raises(tf.errors.NotFoundError) as info:
        call()
    assert info.value.message.startswith("Could not find device for node: {{node ")
    assert f" = {node}\nAll kernels registered for op " in info.value.message


def test_not_found_message_lists_the_kernels_as_tf_does():
    with pytest.raises(tf.errors.NotFoundError) as info:
        tf.math.rint(tf.constant([0.5], tf.float16))
    assert info.value.message == (
        "Could not find device for node: {{node Rint}} = Rint[T=DT_HALF]\n"
        "All kernels registered for op Rint:\n"
        "  device='XLA_CPU_JIT'; T in [DT_FLOAT, DT_DOUBLE, DT_BFLOAT16, DT_HALF]\n"
        "  device='CPU'; T in [DT_DOUBLE]\n"
        "  device='CPU'; T in [DT_FLOAT]\n"
        " [Op:Rint]"
    )


@pytest.mark.parametrize(
    "call, allowed",
    [
        (
            lambda: tf.math.is_nan(tf.constant([1])),
            "int32 is not in the list of allowed values: bfloat16, half, float, double\n",
        ),
        (
            lambda: tf.maximum(True, False),
            "bool is not in the list of allowed values: bfloat16, half, float, double, int8, "
            "uint8,",
        ),
        (
            lambda: tf.math.atan2(True, True),
            "bool is not in the list of allowed values: bfloat16, half, float, double\n\t; "
            "NodeDef: {{node Atan2}}; Op<name=Atan2; signature=y:T, x:T -> z:T;",
        ),
        (
            lambda: tf.math.xlogy(True, True),
            "bool is not in the list of allowed values: half, bfloat16, float, double, "
            "complex64, complex128",
        ),
        (
            lambda: tf.math.polygamma(tf.constant(1.0, tf.float16), tf.constant(1.0, tf.float16)),
            "half is not in the list of allowed values: float, double",
        ),
        (
            lambda: tf.where(tf.constant(["a"])),
            "string is not in the list of allowed values: float, double, int32, uint8, int16, "
            "int8, complex64, int64, qint8,",
        ),
    ],
)
def test_unsupported_dtypes_name_the_allowed_ones(call, allowed):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        call()
    assert f"Value for attr 'T' of {allowed}" in info.value.message


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda: tf.maximum(tf.ones([2]), tf.ones([3])),
            "Incompatible shapes: [2] vs. [3] [Op:Maximum]",
        ),
        (
            lambda: tf.math.atan2(tf.ones([2]), tf.ones([3])),
            "Incompatible shapes: [2] vs. [3] [Op:Atan2]",
        ),
        (
            lambda: tf.math.xlogy(tf.ones([2]), tf.ones([3])),
            "Incompatible shapes: [2] vs. [3] [Op:Xlogy]",
        ),
        (
            lambda: tf.where(tf.ones([2, 1]) > 0, tf.ones([3]), tf.ones([4])),
            "condition [2,1], then [3], and else [4] must be broadcastable [Op:SelectV2]",
        ),
    ],
)
def test_broadcasting_errors(call, message):
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        call()
    assert info.value.message == message


# -- rounding, sign, maximum ---------------------------------------------------------------------


def test_round_and_rint_round_half_to_even():
    same(tf.round([0.5, 1.5, 2.5, -0.5, -1.5]), [0, 2, 2, -0.0, -2])
    same(tf.math.rint(tf.constant([0.5, 1.5, -2.5], tf.float64)), [0, 2, -2])
    same(tf.round(tf.constant([0.5, 1.5, 2.5], tf.float16)), [0, 2, 2])
    same(tf.floor([-0.5, -0.0, 0.5]), [-1, -0.0, 0]), same(tf.math.ceil([-0.5, 0.5]), [-0.0, 1])
    ints = tf.constant([1, 2], tf.uint8)
    assert tf.round(ints) is ints  # TF returns integer tensors as they are


def test_sign_and_abs_values():
    same(tf.sign([np.nan, -0.0, -3.0]), [np.nan, 0, -1])
    assert values(tf.sign(tf.constant([0j, 3 + 4j]))) == [0j, 0.6 + 0.8j]
    abs_c = tf.abs(tf.constant([3 + 4j], tf.complex64))
    assert abs_c.dtype == tf.float32 and values(abs_c) == [5.0]


def test_maximum_and_minimum_propagate_nan_and_keep_x_on_ties():
    same(tf.maximum([np.nan, 1.0], [1.0, np.nan]), [np.nan, np.nan])
    same(tf.minimum([np.nan, 1.0], [1.0, np.nan]), [np.nan, np.nan])
    same(tf.maximum([-0.0, 0.0], [0.0, -0.0]), [-0.0, 0.0])
    same(tf.minimum([-0.0, 0.0], [0.0, -0.0]), [-0.0, 0.0])
    assert values(tf.maximum(tf.constant([1, 5]), 3)) == [3, 5]
    with pytest.raises(TypeError, match="^Cannot convert 2.5 to EagerTensor of dtype int32$"):
        tf.maximum(1, 2.5)


# -- other functions: values ---------------------------------------------------------------------


def test_xlogy_and_xdivy_are_zero_where_x_is_zero():
    x, y = [0.0, 0.0, 0.0, 1.0, 2.0, 0.0], [0.0, np.nan, -1.0, 0.0, -1.0, np.inf]
    same(tf.math.xlogy(x, y), [0, 0, 0, -np.inf, np.nan, 0])
    same(
        tf.math.xdivy([0.0, 0.0, 1.0, 2.0, 0.0], [0.0, np.nan, 0.0, 4.0, np.inf]),
        [0, 0, np.inf, 0.5, 0],
    )


def test_squared_difference_of_complex_is_the_squared_modulus():
    assert values(tf.math.squared_difference(tf.constant([1 + 1j]), tf.constant([2 - 1j]))) == [
        5 + 0j
    ]
    assert values(tf.math.squared_difference(tf.constant([1, 5]), 3)) == [4, 4]


def test_expm1_and_log1p_of_complex_are_accurate_near_zero():
    z = tf.constant([1e-10 + 1e-10j, 4j, 2 + 3j])
    e = np.asarray(tf.math.expm1(z))
    assert e[0] == 1e-10 + 1.0000000001000001e-10j
    np.testing.assert_allclose(e[1:], np.exp(np.asarray(z)[1:]) - 1, rtol=1e-15)
    l1p = np.asarray(tf.math.log1p(z))
    np.testing.assert_allclose(l1p[0], 1e-10 + 9.999999999e-11j, rtol=1e-15)
    np.testing.assert_allclose(l1p[1:], np.log(1 + np.asarray(z)[1:]), rtol=1e-15)


def test_special_functions_at_their_poles():
    same(tf.math.lgamma([-1.0, 0.0, -np.inf, 0.5]), np.float32([np.inf, np.inf, np.inf, 0.5723649]))
    same(tf.math.digamma([-1.0, 0.0, -0.0, -np.inf, np.inf]), [np.nan] * 4 + [np.inf])
    same(tf.math.polygamma([1.0, 1.0, 2.0, 0.5, -1.0], [0.0, -1.0, -1.0, 1.0, 1.0]),
         [np.inf, np.inf, np.nan, np.nan, np.nan])  # fmt: skip
    np.testing.assert_allclose(
        tf.math.polygamma([1.0, 2.0], [-1.5, -0.5]), [9.379247, -0.8287966], rtol=1e-6
    )


def test_float32_bessel_functions_overflow_as_tf_does():
    # TF scales exp(|x|) back in float32: inf from |x| ~ 89, NaN at infinity
    same(tf.math.special.bessel_i0([-np.inf, 89.0, -90.0]), [np.nan, np.inf, np.inf])
    same(tf.math.special.bessel_i1([np.inf, 90.0, -90.0]), [np.nan, np.inf, -np.inf])
    assert np.isfinite(tf.math.special.bessel_i0(tf.constant(89.0, tf.float64)))


def test_angle():
    same(tf.math.angle([-1.0, 0.0, 2.0, -0.0]), np.float32([np.pi, 0, 0, 0]))
    assert tf.math.angle([1 + 1j]).dtype == tf.float64
    assert tf.math.angle(tf.constant([1j], tf.complex64)).dtype == tf.float32
    with pytest.raises(
        TypeError, match="^Cannot convert 3.141592653589793 to EagerTensor of dtype int32$"
    ):
        tf.math.angle(tf.constant([-1]))


def test_polyval():
    assert values(tf.math.polyval([1.0, 2.0, 3.0], tf.constant([0.5, 2.0]))) == [4.25, 11.0]
    assert values(tf.math.polyval([], tf.constant([0.5, 2.0]))) == [0.0, 0.0]
    five = tf.math.polyval([1, 2], 3)
    assert five.dtype == tf.int32 and values(five) == 5
    with pytest.raises(ValueError, match="^Argument coeffs must be list type. Received type"):
        tf.math.polyval(tf.constant([1.0]), 2.0)


def test_is_nan_is_inf_is_finite():
    x = tf.constant([np.nan, -np.inf, 1.0])
    assert values(tf.math.is_nan(x)) == [True, False, False]
    assert values(tf.math.is_inf(x)) == [False, True, False]
    assert values(tf.math.is_finite(x)) == [False, False, True]


# -- tf.where ------------------------------------------------------------------------------------


def test_where_with_one_argument_gives_int64_coordinates():
    coords = tf.where(tf.constant([[1.0, 0.0], [np.nan, 2.0]]))
    assert coords.dtype == tf.int64 and values(coords) == [[0, 0], [1, 0], [1, 1]]
    assert tf.where(tf.zeros([0, 3], tf.bool)).shape == (0, 2)
    assert values(tf.where([1j, 0j])) == [[0]]
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"^WhereOp : Unhandled input dimensions: 0 \[Op:Where\]$",
    ):
        tf.where(True)


def test_where_with_three_arguments_broadcasts_and_converts_as_tf():
    assert values(tf.where([[True], [False]], [1, 2, 3], 0)) == [[1, 2, 3], [0, 0, 0]]
    assert tf.where([True, False], 1.0, 2.0).dtype == tf.float32
    assert tf.where([True], 1, tf.constant(1.0)).dtype == tf.float32
    with pytest.raises(ValueError, match="^x and y must both be non-None or both be None.$"):
        tf.where([True], x=1.0)
    with pytest.raises(TypeError, match=r"^Cannot convert \[1, 0\] to EagerTensor of dtype bool$"):
        tf.where([1, 0], 1.0, 2.0)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="expected to be a bool tensor but is a float tensor"
    ):
        tf.where(tf.constant([1.0]), 1.0, 2.0)


# -- gradients at kinks and domain edges (spec §12.3) -------------------------------------------

X3 = [-1.0, 0.0, 1.0]


@pytest.mark.parametrize(
    "f, expected",
    [
        (tf.abs, [-1, 0, 1]),
        (lambda x: tf.maximum(x, 0.0), [0, 1, 1]),
        (lambda x: tf.minimum(x, 0.0), [1, 1, 0]),
        (lambda x: tf.maximum(x, x), [1, 1, 1]),
        (tf.sqrt, [np.nan, np.inf, 0.5]),
        (lambda x: x**0.5, [np.nan, np.inf, 0.5]),
        (tf.math.rsqrt, [np.nan, -np.inf, -0.5]),
        (tf.math.log, [-1, np.inf, 1]),
        (tf.math.log1p, [np.inf, 1, 0.5]),
        (tf.math.reciprocal, [-1, -np.inf, -1]),
        (lambda x: 1 / x, [-1, -np.inf, -1]),
        (lambda x: x**0, [-0.0, np.nan, 0.0]),
        (lambda x: x**x, [-1, np.nan, 1]),
        (lambda x: tf.zeros_like(x) ** x, [np.nan, 0, 0]),
        (lambda x: x / x, [0, np.nan, 0]),
        (lambda x: tf.math.divide_no_nan(1.0, x), [-1, 0, -1]),
        (lambda x: tf.math.xlogy(x, x), [np.nan, 0, 1]),
        (lambda x: x * tf.math.log(x), [np.nan, np.nan, 1]),
        (lambda x: tf.math.atan2(x, x), [0, np.nan, 0]),
        (tf.math.asin, [np.inf, 1, np.inf]),
        (tf.math.acos, [-np.inf, -1, -np.inf]),
        (tf.math.atanh, [np.inf, 1, np.inf]),
        (tf.math.acosh, [np.nan, np.nan, np.inf]),
        (tf.math.lgamma, [np.nan, np.nan, -0.5772157]),
        (tf.math.digamma, [np.inf, np.inf, 1.644934]),
        (lambda x: tf.math.squared_difference(x, 0.0), [-2, 0, 2]),
        (lambda x: tf.math.floormod(x, 2.0), [1, 1, 1]),
        (lambda x: tf.sign(x) * x, [-1, 0, 1]),
        (lambda x: tf.round(x) * x, [-1, 0, 1]),
    ],
)
def test_gradient_at_kinks(f, expected):
    np.testing.assert_allclose(grad(f, X3), np.float32(expected), rtol=1e-6)


def test_cos_gradient_at_zero_is_negative_zero():
    same(grad(tf.cos, [0.0]), [-0.0])


def test_ties_of_maximum_and_minimum_go_to_the_first_argument():
    a, b = tf.constant([1.0, 2.0]), tf.constant([1.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b])
        high, low = tf.maximum(a, b), tf.minimum(a, b)
    assert [values(g) for g in tape.gradient(high, [a, b])] == [[1, 0], [0, 1]]
    assert [values(g) for g in tape.gradient(low, [a, b])] == [[1, 1], [0, 0]]


def test_maximum_gradient_sums_over_broadcast_axes():
    g = grad(lambda x: tf.maximum(x, tf.constant([[0.0], [1.0]])), X3)
    assert values(g) == [0, 1, 2]


def test_bessel_i1_gradient_at_zero_is_tfs_one():
    assert values(grad(tf.math.special.bessel_i1, [0.0])) == [1.0]
    np.testing.assert_allclose(
        grad(tf.math.special.bessel_i0, [-1.0, 0.5]), [-0.5651591, 0.25789434], rtol=1e-6
    )


@pytest.mark.parametrize(
    "f, expected",
    [
        (tf.round, None),
        (tf.floor, None),
        (tf.math.ceil, None),
        (tf.math.rint, None),
        (tf.sign, [0, 0, 0, 0]),
        (lambda x: x // 1.0, None),
        (lambda x: tf.where(x > 0, 1.0, 0.0), None),
        (lambda x: tf.where(x > 0, x, tf.zeros_like(x)), [0, 0, 1, 1]),
        (lambda x: tf.cast(tf.math.is_nan(x), tf.float32), None),
        (lambda x: tf.cast(tf.where(x > 0), tf.float32), None),
        (tf.math.angle, None),
        (lambda x: tf.math.mod(x, 2.0), [1, 1, 1, 1]),
    ],
)
def test_non_differentiable_ops_give_none_or_tfs_values(f, expected):
    assert values(grad(f, [-1.0, 0.0, 1.0, 2.5])) == expected


# -- zero upstream (spec §12.4) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "f, expected",
    [
        (tf.sqrt, [0, 0.25]),
        (tf.math.rsqrt, [0, -0.0625]),
        (tf.math.reciprocal, [0, -0.0625]),
        (tf.math.log, [np.nan, 0.25]),
        (lambda x: 1.0 / x, [np.nan, -0.0625]),
        (lambda x: x**0.5, [np.nan, 0.25]),
    ],
)
def test_where_trap_and_the_zero_upstream_rule(f, expected):
    same(grad(lambda x: tf.where(x > 0, f(x), 0.0), [0.0, 4.0]), np.float32(expected))


def test_rsqrt_gradient_with_zero_seed():
    same(grad(tf.math.rsqrt, [0.0, 4.0], seed=tf.constant([0.0, 1.0])), np.float32([0, -0.0625]))


def test_second_derivatives_through_the_where_trap():
    for f, expected in [
        (tf.math.rsqrt, [np.nan, 0.0234375]),
        (tf.math.reciprocal, [np.nan, 0.03125]),
    ]:
        _, second = first_and_second(lambda x, f=f: tf.where(x > 0, f(x), 0.0), [0.0, 4.0])
        same(second, np.float32(expected))


# -- second derivatives: None or a value (spec §12.5) -------------------------------------------


@pytest.mark.parametrize(
    "f, first, second",
    [
        (lambda x: x * 2.0, [2, 2], None),
        (lambda x: x - 1.0, [1, 1], None),
        (tf.negative, [-1, -1], None),
        (lambda x: x / 2.0, [0.5, 0.5], None),
        (lambda x: tf.maximum(x, 0.0), [1, 1], None),
        (lambda x: tf.where(x > 0, x, 0.0), [1, 1], None),
        (tf.sign, [0, 0], None),
        (lambda x: x**1, [1, 1], [0, 0]),
        (tf.abs, [1, 1], [0, 0]),
        (lambda x: tf.sign(x) * x, [1, 1], [0, 0]),
        (tf.square, [1, 4], [2, 2]),
        (lambda x: 2.0 / x, [-8, -0.5], [32, 0.5]),
        (tf.sqrt, [0.7071068, 0.3535534], [-0.7071068, -0.0883883]),
        (lambda x: tf.math.squared_difference(x, 1.0), [-1, 2], [2, 2]),
        (lambda x: tf.math.polyval([1.0, 2.0, 3.0], x), [3, 6], [2, 2]),
    ],
)
def test_second_derivative_none_or_value(f, first, second):
    g, h = first_and_second(f, [0.5, 2.0])
    np.testing.assert_allclose(g, first, rtol=1e-6)
    if second is None:
        assert h is None
    else:
        np.testing.assert_allclose(h, second, rtol=1e-6)


def test_sigmoid_and_tanh_second_derivatives():
    g, h = first_and_second(tf.sigmoid, [0.0, 1.0])
    np.testing.assert_allclose(g, [0.25, 0.1966119], rtol=1e-6)
    np.testing.assert_allclose(h, [0, -0.0908578], atol=1e-7)
    g, h = first_and_second(tf.tanh, [0.0, 1.0])
    np.testing.assert_allclose(h, [0, -0.6397], atol=1e-6)


def test_digamma_second_derivative_uses_polygamma():
    g, h = first_and_second(tf.math.digamma, [0.5, 2.0])
    np.testing.assert_allclose(g, [4.934802, 0.6449341], rtol=1e-6)
    np.testing.assert_allclose(h, [-16.828794, -0.40411383], rtol=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError, match="half is not in the list"):
        grad(tf.math.digamma, [0.5], dtype=tf.float16)  # TF's Polygamma has no half kernel


# -- complex gradients (spec §4.12) --------------------------------------------------------------


def test_complex_gradients_follow_tfs_convention():
    z = [1 + 2j]
    assert values(grad(lambda z: z * z, z, dtype=tf.complex64)) == [2 - 4j]
    np.testing.assert_allclose(grad(tf.abs, z, dtype=tf.complex64), [0.4472136 + 0.8944272j])
    np.testing.assert_allclose(
        grad(tf.exp, z, dtype=tf.complex64), [-1.1312044 - 2.4717267j], rtol=1e-6
    )
    np.testing.assert_allclose(
        grad(tf.math.angle, [1 + 2j, -1 + 0j], dtype=tf.complex128), [-0.4 + 0.2j, -1j]
    )
    sq = grad(lambda z: tf.math.squared_difference(z, 0.5), [1 + 1j], dtype=tf.complex128)
    assert values(sq) == [1 + 2j]  # 2 * (z - 0.5), TF's rule


def test_complex_xlogy_and_xdivy_gradients_are_tfs_unconjugated_ones():
    x, y = tf.constant([1 + 2j, 0.5 - 1j]), tf.constant([2 - 1j, 3 + 0.5j])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        a, b = tf.math.xlogy(x, y), tf.math.xdivy(x, y)
    gx, gy = tape.gradient(a, [x, y])
    np.testing.assert_allclose(gx, np.log(np.asarray(y)), rtol=1e-14)  # log(y), not conj(log(y))
    np.testing.assert_allclose(gy, [1j, 0.10810810810810813 - 0.35135135135135137j], rtol=1e-14)
    gx, gy = tape.gradient(b, [x, y])
    np.testing.assert_allclose(gx, [0.4 + 0.2j, 0.32432432432432434 - 0.05405405405405406j])
    np.testing.assert_allclose(gy, [0.2 - 0.4j, -0.016070124178232295 + 0.11979547114682251j])


def test_gradient_dtypes_follow_the_source():
    for dtype in (tf.float16, tf.bfloat16, tf.float64):
        g = grad(tf.math.erf, [0.5, 1.0], dtype=dtype)
        assert g.dtype == dtype
    np.testing.assert_allclose(
        np.float32(grad(tf.math.erf, [0.5, 1.0], dtype=tf.float16)), [0.8784, 0.415], rtol=1e-3
    )


# -- properties of the binary ops over broadcast shapes ------------------------------------------

_BINARY = {
    "add": (tf.add, np.add),
    "subtract": (tf.subtract, np.subtract),
    "multiply": (tf.multiply, np.multiply),
    "divide": (tf.divide, np.divide),
    "maximum": (tf.maximum, np.maximum),
    "minimum": (tf.minimum, np.minimum),
    "squared_difference": (tf.math.squared_difference, lambda x, y: (x - y) ** 2),
    "pow": (lambda x, y: tf.pow(tf.abs(x) + 0.5, y), lambda x, y: (np.abs(x) + 0.5) ** y),
    "atan2": (tf.math.atan2, np.arctan2),
    "xlogy": (
        lambda x, y: tf.math.xlogy(x, tf.abs(y) + 0.5),
        lambda x, y: x * np.log(np.abs(y) + 0.5),
    ),
    "xdivy": (lambda x, y: tf.math.xdivy(x, tf.abs(y) + 0.5), lambda x, y: x / (np.abs(y) + 0.5)),
    "divide_no_nan": (
        lambda x, y: tf.math.divide_no_nan(x, tf.abs(y) + 0.5),
        lambda x, y: x / (np.abs(y) + 0.5),
    ),
    "floormod": (
        lambda x, y: tf.math.floormod(x, tf.abs(y) + 0.5),
        lambda x, y: np.mod(x, np.abs(y) + 0.5),
    ),
}
_ELEMENTS = st.floats(-3, 3, allow_nan=False, allow_subnormal=False)


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(sorted(_BINARY)),
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3),
    data=st.data(),
)
def test_binary_ops_broadcast_like_numpy_and_gradients_keep_input_shapes(name, shapes, data):
    op, reference = _BINARY[name]
    x_shape, y_shape = shapes.input_shapes
    x = data.draw(hnp.arrays(np.float64, x_shape, elements=_ELEMENTS))
    y = data.draw(hnp.arrays(np.float64, y_shape, elements=_ELEMENTS))
    xt, yt = tf.constant(x), tf.constant(y)
    with tf.GradientTape() as tape:
        tape.watch([xt, yt])
        z = op(xt, yt)
    assert z.shape == shapes.result_shape
    np.testing.assert_allclose(z, reference(x, y), rtol=1e-12, atol=1e-12)
    gx, gy = tape.gradient(z, [xt, yt])
    assert gx.shape == x_shape and gy.shape == y_shape
    assert gx.dtype == tf.float64 and gy.dtype == tf.float64


@settings(max_examples=15, deadline=None)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3), data=st.data()
)
def test_where_broadcasts_three_ways_and_routes_gradients(shapes, data):
    c_shape, x_shape, y_shape = shapes.input_shapes
    condition = data.draw(hnp.arrays(np.bool_, c_shape))
    x = tf.constant(data.draw(hnp.arrays(np.float64, x_shape, elements=_ELEMENTS)))
    y = tf.constant(data.draw(hnp.arrays(np.float64, y_shape, elements=_ELEMENTS)))
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = tf.where(condition, x, y)
    np.testing.assert_array_equal(z, np.where(condition, x, y))
    gx, gy = tape.gradient(z, [x, y])
    ones = np.ones(shapes.result_shape)
    # Each output element's gradient goes to exactly one of x and y.
    assert np.sum(gx) + np.sum(gy) == pytest.approx(np.sum(ones))
    assert gx.shape == x_shape and gy.shape == y_shape


# -- TF's float32 values (spec §12: printed values match TF's) -----------------------------------


@pytest.mark.parametrize(
    "f, x, expected",
    [
        (tf.exp, [-1.0, 1.0, 2.0], [0.3678794503211975, 2.7182817459106445, 7.389056205749512]),
        (tf.sin, [1.0, 2.0], [0.8414709568023682, 0.9092974066734314]),
        (tf.cos, [2.0], [-0.416146844625473]),
        (tf.tanh, [0.5, 1.0, 3.0], [0.46211713552474976, 0.7615941762924194, 0.9950547218322754]),
        (
            tf.sigmoid,
            [-1.0, 1.0, 3.0],
            [0.2689414322376251, 0.7310585975646973, 0.9525741338729858],
        ),
        (tf.math.cosh, [1.0, 2.0], [1.5430805683135986, 3.7621958255767822]),
        (tf.math.sinh, [1.0, 0.5], [1.175201177597046, 0.5210952758789062]),
        (
            tf.math.erf,
            [0.5, 1.0, 2.0],
            [0.5204998850822449, 0.8427008390426636, 0.9953223466873169],
        ),
        (
            tf.math.digamma,
            [1.0, 0.5, -0.5],
            [-0.5772159099578857, -1.9635107517242432, 0.03648996353149414],
        ),
        (tf.math.log, [3.0, 0.7], [1.0986123085021973, -0.3566749691963196]),
    ],
)
def test_small_float32_tensors_get_tfs_values_to_the_last_bit(f, x, expected):
    same(f(tf.constant(x)), np.float32(expected))


def test_erf_of_any_size_is_eigens_approximation():
    erf = np.asarray(tf.math.erf(tf.linspace(-3.0, 3.0, 16)))
    expected = [-0.8427008390426636, -0.6038560271263123, -0.22270265221595764]
    expected += [0.22270265221595764, 0.6038562059402466, 0.8427008390426636]
    same(erf[5:11], np.float32(expected))  # TF's erf at tf.linspace's float32 points


def test_sigmoid_of_float64_is_exp_over_one_plus_exp():
    expected = [0.2689414213699951, 0.7310585786300049, 0.9525741268224333]
    same(tf.sigmoid(tf.constant([-1.0, 1.0, 3.0], tf.float64)), expected)
    same(tf.sigmoid([-1000.0, 1000.0]), [0.0, 1.0])


# -- tf.add ---------------------------------------------------------------------------------------


def test_add_converts_x_first_like_tf():
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"expected to be a float tensor but is a double tensor \[Op:AddV2\]",
    ):
        tf.add(2.0, tf.constant(1.0, tf.float64))  # while 2.0 + that tensor is float64
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="expected to be a int32 tensor but is a float tensor"
    ):
        tf.add(1, 2.5)
    assert values(tf.add(tf.Variable(1.0), 2)) == 3.0
    assert tf.add is tf.math.add


def test_add_concatenates_strings():
    assert values(tf.add(["a", "b"], "c")) == [b"ac", b"bc"]
    assert values(tf.add(b"a", "\u00e9")) == b"a\xc3\xa9"
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"expected to be a string tensor but is a int32 tensor \[Op:Add\]$",
    ):
        tf.add("a", 1)


@pytest.mark.parametrize(
    "f, expected",
    [
        (tf.math.expm1, [0.3498588075760031, 1.0137527074704764, -0.32967995396436073]),
        (tf.tanh, [0.2913126124515909, 0.6043677771171636, -0.3799489622552249]),
        (tf.math.sinh, [0.3045202934471426, 0.7585837018395334, -0.4107523258028155]),
        (tf.math.asin, [0.3046926540153975, 0.775397496610753, -0.41151684606748806]),
        (tf.math.log1p, [0.26236426446749106, 0.5306282510621704, -0.5108256237659907]),
        (tf.sigmoid, [0.574442516811659, 0.6681877721681662, 0.401312339887548]),
        (
            lambda x: tf.math.digamma(tf.abs(x)),
            [-3.502524222200133, -1.220023553697935, -2.561384544585115],
        ),
        (
            lambda x: tf.math.atan2(x, 0.9),
            [0.3217505543966422, 0.6610431688506868, -0.4182243295792291],
        ),
    ],
)
def test_small_float64_tensors_get_tfs_values_to_the_last_bit(f, expected):
    same(f(tf.constant([0.3, 0.7, -0.4], tf.float64)), expected)


def test_small_path_keeps_c_library_edge_values():
    same(tf.math.log(tf.constant([-1.0, 0.0], tf.float64)), [np.nan, -np.inf])
    same(tf.exp(tf.constant([1000.0, -1000.0], tf.float64)), [np.inf, 0.0])
    same(tf.math.atanh(tf.constant([1.0, -1.0, 2.0], tf.float64)), [np.inf, -np.inf, np.nan])
    same(tf.exp([100.0, np.nan]), np.float32([np.inf, np.nan]))


def test_complex_sign_is_tfs_differentiable_div_no_nan():
    g, h = first_and_second(tf.sign, [1 + 2j, 0.5 - 0.3j], dtype=tf.complex128)
    np.testing.assert_allclose(g, [0.35777088 - 0.17888544j, 0.45396684 + 0.75661141j], rtol=1e-7)
    np.testing.assert_allclose(h, [-0.21466253 - 0.07155418j, -2.0027949 - 1.82476868j], rtol=1e-7)


def test_complex_division_and_abs_round_as_tf():
    z = tf.constant([2 - 7j, 3 + 4j])
    assert values(tf.abs(z))[0] == 7.280109889280518  # the C library's hypot
    assert values(tf.sign(z)) == [0.27472112789737807 - 0.9615239476408232j, 0.6 + 0.8j]
    assert values(z / tf.constant([7.280109889280518 + 0j, 5 + 0j]))[1] == 0.6 + 0.8j
