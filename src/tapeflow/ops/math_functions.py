"""More elementwise math (`tf.math`): `tf.add` (strings included), rsqrt, expm1, log1p,
rounding, squared_difference, xlogy/xdivy, divide_no_nan, angle and polyval, each beside its
gradient (TF's formulas)."""

from __future__ import annotations

import math

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import TypeList, incompatible_shapes, op
from tapeflow.ops import _types as T
from tapeflow.ops import creation, elementwise
from tapeflow.ops._broadcast import sum_to_shape
from tapeflow.ops._missing_kernels import no_kernel
from tapeflow.ops._operands import division_operands, is_tensor_like, weak_operand
from tapeflow.ops._scalar_math import divide as divide_arrays
from tapeflow.ops._scalar_math import libm
from tapeflow.ops.elementwise import (
    cast,
    complex_op,
    conj,
    div_no_nan,
    exp,
    imag,
    less,
    multiply,
    negative,
    not_equal,
    pow,
    real,
    reciprocal,
    scalar_like,
    select,
    square,
    subtract,
)

_BINARY = {"explain_error": incompatible_shapes}
_REAL_FLOATS = TypeList(*T.FLOATS)


def _zero(a: np.ndarray) -> np.ndarray:
    return np.zeros((), dtype=a.dtype)


# -- tf.add -------------------------------------------------------------------------------------

_ADD_TYPES = TypeList(
    *T.FLOATS,
    dtypes.uint8,
    dtypes.int8,
    dtypes.int16,
    dtypes.int32,
    dtypes.int64,
    dtypes.complex64,
    dtypes.complex128,
    dtypes.string,
    signature=T.BINARY,
)


@op("Add", dtypes=_ADD_TYPES, **_BINARY)
def add_op(x, y):
    """x + y element-wise; concatenation for strings (TF's Add, which `tf.add` uses for them)."""
    total = np.add(x, y)
    return np.asarray(total, dtype=object) if x.dtype.kind == "O" else total


@add_op.defvjp
def _add_vjp(dz, z, x, y, *, needs):
    return (
        sum_to_shape(dz, x._value.shape) if needs[0] else None,
        sum_to_shape(dz, y._value.shape) if needs[1] else None,
    )


def add(x, y, name=None):
    """Returns x + y element-wise (`tf.add`): AddV2, or Add for strings. As in TF, x is
    converted first and y then takes its dtype where it can (`tf.add(1, 2.5)` is an error)."""
    x = convert_to_tensor(x)
    y = convert_to_tensor(y) if is_tensor_like(y) else weak_operand(y, x.dtype, "AddV2")
    return add_op(x, y) if x.dtype == dtypes.string else elementwise.add(x, y)


def sign(x, name=None):
    """-1, 0 or 1 by the sign of x (`tf.sign`); x / |x| for complex x (0 at 0), which TF
    computes with DivNoNan, so that gradients flow (the Sign op's gradient is zero)."""
    x = convert_to_tensor(x)
    if x.dtype.is_complex:
        return div_no_nan(x, cast(elementwise.abs(x), x.dtype))
    return elementwise.sign(x)


# -- rsqrt, expm1, log1p ------------------------------------------------------------------------


@op("Rsqrt", dtypes=T.FLOAT_COMPLEX)
def rsqrt(x):
    """1 / sqrt(x) element-wise."""
    return np.reciprocal(np.sqrt(x))


@rsqrt.defvjp
def _rsqrt_vjp(dy, y, x):
    return rsqrt_grad(y, dy)


@op("RsqrtGrad", dtypes=T.FLOAT_COMPLEX, **_BINARY)
def rsqrt_grad(y, dy):
    """-0.5 * dy * conj(y)³, and 0 wherever dy is 0 (TF's rule at rsqrt(0), spec §12.4)."""
    cy = np.conj(y) if y.dtype.kind == "c" else y
    grad = dy.dtype.type(-0.5) * (dy * cy) * (cy * cy)  # (typed: bfloat16 stays bfloat16)
    return np.where(dy == 0, _zero(grad), grad)


@rsqrt_grad.defvjp
def _rsqrt_grad_vjp(ddx, dx, y, dy):
    # dx = -0.5 * dy * conj(y)³: d/dy = -1.5 * dy * conj(y)² (TF conjugates the incoming ddx)
    cy = conj(y)
    dy_ = multiply(multiply(multiply(scalar_like(-1.5, ddx), conj(ddx)), dy), square(cy))
    return dy_, rsqrt_grad(cy, ddx)


def _complex_expm1(z: np.ndarray) -> np.ndarray:
    # e^(a+ib) - 1 = (expm1(a) cos b - 2 sin²(b/2)) + i e^a sin b: no cancellation near 0
    a, b = z.real, z.imag
    half = np.sin(b / 2)
    re = np.expm1(a) * np.cos(b) - 2 * half * half
    return (re + 1j * (np.exp(a) * np.sin(b))).astype(z.dtype)


@op("Expm1", dtypes=T.FLOAT_COMPLEX)
def expm1(x):
    """e ** x - 1 element-wise, accurate near 0."""
    return _complex_expm1(x) if x.dtype.kind == "c" else libm(np.expm1, x, math.expm1)


@expm1.defvjp
def _expm1_vjp(dy, y, x):
    return multiply(dy, exp(conj(x)))


def _complex_log1p(z: np.ndarray) -> np.ndarray:
    # log|1+z| = log1p(2a + a² + b²) / 2 keeps small |z| accurate; the angle is atan2(b, 1+a)
    naive = np.log(1 + z)
    a, b = z.real, z.imag
    re = np.where(np.abs(z) < 0.5, 0.5 * np.log1p(a * (a + 2) + b * b), naive.real)
    return (re + 1j * naive.imag).astype(z.dtype)


@op("Log1p", dtypes=T.FLOAT_COMPLEX)
def log1p(x):
    """log(1 + x) element-wise, accurate near 0."""
    return _complex_log1p(x) if x.dtype.kind == "c" else libm(np.log1p, x, math.log1p)


@log1p.defvjp
def _log1p_vjp(dy, y, x):
    return multiply(dy, reciprocal(elementwise.add(scalar_like(1, x), conj(x))))


# -- rounding (TF registers None gradients) ----------------------------------------------------


@op("Floor", dtypes=_REAL_FLOATS, differentiable=False)
def floor(x):
    """The largest integer not greater than x, element-wise."""
    return np.floor(x)


@op("Ceil", dtypes=_REAL_FLOATS, differentiable=False)
def ceil(x):
    """The smallest integer not less than x, element-wise."""
    return np.ceil(x)


@op("Rint", dtypes=_REAL_FLOATS, differentiable=False)
def rint(x):
    """The nearest integer element-wise, halves to even."""
    if x.dtype.itemsize == 2:
        raise no_kernel("Rint", x.dtype)
    return np.rint(x)


_ROUND_TYPES = TypeList(*T.FLOATS, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64,
                        dtypes.complex64, dtypes.complex128)  # fmt: skip


@op("Round", dtypes=_ROUND_TYPES, differentiable=False)
def round_op(x):
    """The nearest integer element-wise, halves to even (banker's rounding)."""
    if x.dtype.kind in "iu":
        if x.dtype.itemsize < 4:
            raise no_kernel("Round", x.dtype)
        return x
    if x.dtype.kind == "c":
        raise no_kernel("Round", x.dtype)
    return np.rint(x)


def round(x, name=None):  # noqa: A001 - TF's public name
    """Rounds half to even element-wise (`tf.round`); integer tensors are returned as they are."""
    x = convert_to_tensor(x)
    return x if x.dtype.is_integer else round_op(x)


# -- squared_difference, xlogy, xdivy, divide_no_nan ------------------------------------------

_SQUARED_DIFFERENCE_TYPES = TypeList(
    *T.FLOATS,
    dtypes.int32,
    dtypes.int64,
    dtypes.complex64,
    dtypes.complex128,
    signature=T.BINARY,
    traits="; is_commutative=true",
)


@op("SquaredDifference", dtypes=_SQUARED_DIFFERENCE_TYPES, **_BINARY)
def squared_difference(x, y):
    """(x - y) * conj(x - y) element-wise."""
    diff = np.subtract(x, y)
    return diff * np.conj(diff) if diff.dtype.kind == "c" else diff * diff


@squared_difference.defvjp
def _squared_difference_vjp(dz, z, x, y, *, needs):
    # 2 * dz * (x - y), and its negation for y (TF's rule: no conjugate, even for complex)
    dx = multiply(multiply(scalar_like(2, dz), dz), subtract(x, y))
    return (
        sum_to_shape(dx, x._value.shape) if needs[0] else None,
        sum_to_shape(negative(dx), y._value.shape) if needs[1] else None,
    )


_XLOGY_TYPES = TypeList(
    dtypes.float16,
    dtypes.bfloat16,
    dtypes.float32,
    dtypes.float64,
    dtypes.complex64,
    dtypes.complex128,
    signature=T.BINARY,
)


@op("Xlogy", dtypes=_XLOGY_TYPES, **_BINARY)
def xlogy(x, y):
    """x * log(y), and 0 wherever x is 0 (whatever y is, NaN included)."""
    product = x * np.log(y)
    return np.where(x == 0, _zero(product), product)


def _nonzero_mask(x):
    """1 where x != 0, 0 elsewhere, in x's dtype (no gradient flows through it)."""
    return cast(not_equal(x, scalar_like(0, x)), x.dtype)


@xlogy.defvjp
def _xlogy_vjp(dz, z, x, y, *, needs):
    # d/dx = log(y) except where x == 0 (then 0); d/dy = x / y, 0 where x == 0
    dx = dy_ = None
    if needs[0]:
        dx = sum_to_shape(multiply(xlogy(_nonzero_mask(x), y), dz), x._value.shape)
    if needs[1]:
        dy_ = sum_to_shape(multiply(xdivy(x, y), dz), y._value.shape)
    return dx, dy_


@op("Xdivy", dtypes=_XLOGY_TYPES, **_BINARY)
def xdivy(x, y):
    """x / y, and 0 wherever x is 0 (whatever y is)."""
    quotient = divide_arrays(x, y)
    return np.where(x == 0, _zero(quotient), quotient)


@xdivy.defvjp
def _xdivy_vjp(dz, z, x, y, *, needs):
    # d/dx = 1 / y except where x == 0 (then 0); d/dy = -x / y², 0 where x == 0
    dx = dy_ = None
    if needs[0]:
        dx = sum_to_shape(multiply(xdivy(_nonzero_mask(x), y), dz), x._value.shape)
    if needs[1]:
        partial = xdivy(negative(x), pow(y, scalar_like(2, y)))
        dy_ = sum_to_shape(multiply(partial, dz), y._value.shape)
    return dx, dy_


def divide_no_nan(x, y, name=None):
    """x / y, and 0 wherever y is 0 (`tf.math.divide_no_nan`); integers divide as floats."""
    x, y, compute_dtype = division_operands(x, y, "tf.math.divide_no_nan", "DivNoNan")
    if compute_dtype is not None:
        x, y = cast(x, compute_dtype), cast(y, compute_dtype)
    return div_no_nan(x, y)


# -- angle and polyval --------------------------------------------------------------------------

_ANGLE_TYPES = TypeList(
    dtypes.complex64,
    dtypes.complex128,
    op_def=(
        "Op<name=Angle; signature=input:T -> output:Tout; attr=T:type,default=DT_COMPLEX64,"
        "allowed=[{enums}]; attr=Tout:type,default=DT_FLOAT,allowed=[DT_FLOAT, DT_DOUBLE]>"
    ),
)


@op("Angle", dtypes=_ANGLE_TYPES)
def angle_op(input):  # noqa: A002 - TF's argument name
    """The argument atan2(imag, real) of a complex tensor, as a real tensor."""
    return np.angle(input)


@angle_op.defvjp
def _angle_vjp(dy, y, x):
    # -dy / (imag(x) + i real(x)), with dy made complex (TF's rule)
    z = reciprocal(complex_op(imag(x), real(x)))
    return multiply(negative(complex_op(dy, creation.zeros_like(dy))), z)


def angle(input, name=None):  # noqa: A002 - TF's argument name
    """The complex argument element-wise (`tf.math.angle`); for real input, pi where it is
    negative and 0 elsewhere (then no gradient flows, as in TF)."""
    input = convert_to_tensor(input)
    if input.dtype.is_complex:
        return angle_op(input)
    negative_part = less(input, 0)
    return select(
        negative_part, multiply(np.pi, creation.ones_like(input)), creation.zeros_like(input)
    )


def polyval(coeffs, x, name=None):
    """The polynomial with coefficients `coeffs` (highest power first) at x, by Horner's rule."""
    if not isinstance(coeffs, list):
        raise ValueError(f"Argument coeffs must be list type. Received type {type(coeffs)}.")
    x = convert_to_tensor(x)
    if not coeffs:
        return creation.zeros_like(x)
    coeffs = [convert_to_tensor(c) for c in coeffs]
    result = coeffs[0]
    for c in coeffs[1:]:
        result = elementwise.add(c, multiply(result, x))
    return result
