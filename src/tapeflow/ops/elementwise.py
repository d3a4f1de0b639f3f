"""Elementwise math (`tf.math`): arithmetic, powers, exponentials, trigonometry, comparisons,
logic and casts, each beside its gradient. Rules follow TF's formulas, so second derivatives
are None or zero where TF's are (spec §12.5), and complex inputs get TF's conjugate convention."""

from __future__ import annotations

import math

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.log import warn
from tapeflow.core.registry import KernelError, TypeList, incompatible_shapes, op
from tapeflow.core.tensor import EagerTensor, wrap
from tapeflow.ops import _types as T
from tapeflow.ops import creation, shapes
from tapeflow.ops._broadcast import sum_to_shape
from tapeflow.ops._missing_kernels import no_kernel
from tapeflow.ops._operands import division_operands
from tapeflow.ops._scalar_math import divide as divide_arrays
from tapeflow.ops._scalar_math import is_small_float32, libm, sigmoid_float32, tanh_float32

_BINARY = {"explain_error": incompatible_shapes}


def _np_conj(a: np.ndarray) -> np.ndarray:
    """The conjugate of a complex array; a real array itself (np.conj would copy it)."""
    return np.conj(a) if a.dtype.kind == "c" else a


def _is_complex(t) -> bool:
    return t._value.dtype.kind == "c"


def conj(x, name=None):
    """Complex conjugate; real tensors are returned as they are (no op)."""
    if type(x) is not EagerTensor:
        x = convert_to_tensor(x)
    return conj_op(x) if x._value.dtype.kind == "c" else x


def _combine(a, b, join):
    """join(a, b), or whichever of them is not None (forward-mode tangents may be missing)."""
    if a is None:
        return b
    return a if b is None else join(a, b)


def _spread(tangent, y):
    """A tangent broadcast to the output's shape (an input may have broadcast)."""
    if tangent is None or tangent._value.shape == y._value.shape:
        return tangent
    return shapes.broadcast_to_op(tangent, shape=y._value.shape)


def scalar_like(value, t):
    """A scalar constant of `t`'s dtype (for rules: `2 * x`, `1 - y`)."""
    return wrap(np.array(value, dtype=t._value.dtype))


# -- arithmetic -------------------------------------------------------------------------------


@op("AddV2", dtypes=T.ADD, **_BINARY)
def add(x, y):
    """Returns x + y element-wise, broadcasting."""
    return np.add(x, y)


@add.defvjp
def _add_vjp(dy, z, x, y, *, needs):
    return (
        sum_to_shape(dy, x._value.shape) if needs[0] else None,
        sum_to_shape(dy, y._value.shape) if needs[1] else None,
    )


@add.defjvp
def _add_jvp(tangents, z, x, y):
    return _spread(_combine(tangents[0], tangents[1], add), z)


@op("Sub", dtypes=T.SUB, **_BINARY)
def subtract(x, y):
    """Returns x - y element-wise, broadcasting."""
    return np.subtract(x, y)


@subtract.defvjp
def _subtract_vjp(dy, z, x, y, *, needs):
    return (
        sum_to_shape(dy, x._value.shape) if needs[0] else None,
        sum_to_shape(negative(dy), y._value.shape) if needs[1] else None,
    )


@subtract.defjvp
def _subtract_jvp(tangents, z, x, y):
    tx, ty = tangents
    return _spread(
        subtract(tx, ty)
        if tx is not None and ty is not None
        else (tx if ty is None else negative(ty)),
        z,
    )


@op("Mul", dtypes=T.MUL, **_BINARY)
def multiply(x, y):
    """Returns x * y element-wise, broadcasting."""
    return np.multiply(x, y)


@multiply.defvjp
def _multiply_vjp(dy, z, x, y, *, needs):
    return (
        sum_to_shape(multiply(dy, conj(y)), x._value.shape) if needs[0] else None,
        sum_to_shape(multiply(conj(x), dy), y._value.shape) if needs[1] else None,
    )


@multiply.defjvp
def _multiply_jvp(tangents, z, x, y):
    tx, ty = tangents
    return _spread(
        _combine(
            None if tx is None else multiply(tx, y), None if ty is None else multiply(x, ty), add
        ),
        z,
    )


@op("RealDiv", dtypes=T.DIV, **_BINARY)
def real_div(x, y):
    """x / y for float and complex tensors."""
    return divide_arrays(x, y)


@real_div.defvjp
def _real_div_vjp(dy, z, x, y, *, needs):
    cx, cy = conj(x), conj(y)
    dx = sum_to_shape(real_div(dy, cy), x._value.shape) if needs[0] else None
    dy_ = None
    if needs[1]:
        dy_ = sum_to_shape(multiply(dy, real_div(real_div(negative(cx), cy), cy)), y._value.shape)
    return dx, dy_


_DIV_NO_NAN_TYPES = TypeList(
    dtypes.float16,
    dtypes.float32,
    dtypes.bfloat16,
    dtypes.float64,
    dtypes.complex64,
    dtypes.complex128,
    signature=T.BINARY,
)


@op("DivNoNan", dtypes=_DIV_NO_NAN_TYPES, **_BINARY)
def div_no_nan(x, y):
    """x / y, but 0 wherever y is 0."""
    zero = y == 0
    return np.where(zero, np.zeros_like(x), divide_arrays(x, np.where(zero, 1, y)))


@div_no_nan.defvjp
def _div_no_nan_vjp(dy, z, x, y, *, needs):
    cx, cy = conj(x), conj(y)
    dx = sum_to_shape(div_no_nan(dy, cy), x._value.shape) if needs[0] else None
    dy_ = None
    if needs[1]:
        dy_ = sum_to_shape(
            multiply(dy, div_no_nan(div_no_nan(negative(cx), cy), cy)), y._value.shape
        )
    return dx, dy_


def divide(x, y, name=None):
    """Returns x / y element-wise (`tf.math.divide`, `tf.truediv`); integers divide as floats."""
    x, y, compute_dtype = division_operands(x, y, "__truediv__", "RealDiv")
    if compute_dtype is not None:
        x, y = cast(x, compute_dtype), cast(y, compute_dtype)
    return real_div(x, y)


def _check_int_divisor(x, y):
    if x.dtype.kind in "iu" and not np.all(y):
        raise KernelError("Integer division by zero")


@op("FloorDiv", dtypes=T.DIV, differentiable=False, **_BINARY)
def floordiv(x, y):
    """Returns x // y element-wise (rounding toward negative infinity)."""
    if x.dtype.kind == "c":
        raise no_kernel("FloorDiv", x.dtype)
    if x.dtype.kind in "iu":
        _check_int_divisor(x, y)
        return np.floor_divide(x, y)
    # TF floors the rounded quotient (1.0 // 0.1 is 10.0; NumPy's floor_divide gives 9.0)
    return np.floor(np.true_divide(x, y))


@op("FloorMod", dtypes=T.FLOOR_MOD, **_BINARY)
def floormod(x, y):
    """Returns x % y element-wise, with the sign of y (Python's convention)."""
    if x.dtype.kind in "iu":
        _check_int_divisor(x, y)
        return np.mod(x, y)
    # TF moves fmod's remainder into y's sign; a zero remainder keeps x's sign (-2. % 1. is -0.)
    rem = np.fmod(x, y)
    return np.where((rem != 0) & ((y < 0) != (rem < 0)), rem + y, rem)


@floormod.defvjp
def _floormod_vjp(dy, z, x, y, *, needs):
    # z = x - floor(x / y) * y, with floor treated as a constant (TF's rule)
    dx = sum_to_shape(dy, x._value.shape) if needs[0] else None
    dy_ = None
    if needs[1]:
        dy_ = sum_to_shape(multiply(dy, negative(floordiv(x, y))), y._value.shape)
    return dx, dy_


@op("Pow", dtypes=T.POW, **_BINARY)
def pow(x, y):  # noqa: A001 - TF's public name
    """Returns x ** y element-wise."""
    if y.dtype.kind in "iu" and np.any(y < 0):
        raise KernelError("Integers to negative integer powers are not allowed")
    return np.power(x, y)


@pow.defvjp
def _pow_vjp(dz, z, x, y, *, needs):
    cx, cy = conj(x), conj(y)
    dx = None
    if needs[0]:
        one = scalar_like(1, y)
        dx = sum_to_shape(multiply(multiply(dz, cy), pow(cx, subtract(cy, one))), x._value.shape)
    dy = None
    if needs[1]:
        # log(x) only where it is defined (x > 0; x != 0 for complex), 0 elsewhere (TF's rule:
        # 0 ** x then has gradient 0 for x > 0)
        zero = creation.zeros_like(x)
        mask = not_equal(cx, zero) if _is_complex(x) else greater(cx, zero)
        log_x = select(mask, log(select(mask, cx, creation.ones_like(x))), zero)
        dy = sum_to_shape(multiply(multiply(dz, conj(z)), log_x), y._value.shape)
    return dx, dy


# -- unary --------------------------------------------------------------------------------------


@op("Neg", dtypes=T.SIGNED)
def negative(x):
    """Returns -x element-wise."""
    return np.negative(x)


@negative.defvjp
def _negative_vjp(dy, y, x):
    return negative(dy)


@negative.defjvp
def _negative_jvp(tangents, y, x):
    return negative(tangents[0])


@op("Abs", dtypes=T.REAL_SIGNED)
def _abs_real(x):
    return np.abs(x)


@_abs_real.defvjp
def _abs_vjp(dy, y, x):
    return multiply(dy, sign(x))  # TF gives 0 at 0, sign's value there


@op("ComplexAbs", dtypes=T.TypeList(dtypes.complex64, dtypes.complex128))
def _complex_abs(x):
    return np.hypot(x.real, x.imag)  # the C library's hypot, as TF (NumPy's abs can be 1 ulp off)


@_complex_abs.defvjp
def _complex_abs_vjp(dy, y, x):
    # d|z| = z / |z|, taken as 0 at z == 0 (TF's div_no_nan); the real dy and |z| are made
    # complex with Complex ops, as TF does (a Cast would log a warning in second order)
    as_complex = complex_op(dy, creation.zeros_like(dy))
    return div_no_nan(multiply(as_complex, x), complex_op(y, creation.zeros_like(y)))


def abs(x, name=None):  # noqa: A001 - TF's public name
    """Absolute value element-wise; the magnitude (a real tensor) for complex input."""
    x = convert_to_tensor(x)
    return _complex_abs(x) if _is_complex(x) else _abs_real(x)


@op("Sign", dtypes=T.SIGNED)
def sign(x):
    """-1, 0 or 1 by the sign of x (x / |x| for complex)."""
    if x.dtype.kind == "c":
        magnitude = np.hypot(x.real, x.imag)
        safe = np.where(magnitude == 0, 1, magnitude)
        # the parts divided by the real magnitude (exact, where complex division is not)
        unit = (x.real / safe + 1j * (x.imag / safe)).astype(x.dtype)
        return np.where(magnitude == 0, 0, unit)
    return np.sign(x)


@sign.defvjp
def _sign_vjp(dy, y, x):
    return creation.zeros_like(x)  # a real, zero gradient (not None), as TF


@op("Square", dtypes=T.SQUARE)
def square(x):
    """Returns x * x element-wise."""
    return np.square(x)


@square.defvjp
def _square_vjp(dy, y, x):
    return multiply(dy, multiply(conj(x), scalar_like(2, x)))


@square.defjvp
def _square_jvp(tangents, y, x):
    return multiply(tangents[0], multiply(x, scalar_like(2, x)))


@op("Sqrt", dtypes=T.FLOAT_COMPLEX)
def sqrt(x):
    """Square root element-wise."""
    return np.sqrt(x)


@sqrt.defvjp
def _sqrt_vjp(dy, y, x):
    return sqrt_grad(y, dy)


@op("SqrtGrad", dtypes=T.FLOAT_COMPLEX, **_BINARY)
def sqrt_grad(y, dy):
    """dy * 0.5 / conj(y), and 0 wherever dy is 0 (TF's rule at sqrt(0), spec §12.4)."""
    grad = dy * dy.dtype.type(0.5) / _np_conj(y)  # (a typed half keeps bfloat16)
    return np.where(dy == 0, np.zeros_like(grad), grad)


@sqrt_grad.defvjp
def _sqrt_grad_vjp(ddx, dx, y, dy):
    ga = real_div(ddx, y)
    return multiply(negative(conj(ga)), dx), multiply(scalar_like(0.5, ga), ga)


@op("Reciprocal", dtypes=T.SIGNED)
def reciprocal(x):
    """Returns 1 / x element-wise."""
    if x.dtype.kind == "i":
        raise no_kernel("Reciprocal", x.dtype)
    return divide_arrays(np.ones((), x.dtype), x) if x.dtype.kind == "c" else np.reciprocal(x)


@reciprocal.defvjp
def _reciprocal_vjp(dy, y, x):
    return reciprocal_grad(y, dy)


@op("ReciprocalGrad", dtypes=T.FLOAT_COMPLEX, **_BINARY)
def reciprocal_grad(y, dy):
    """-dy * conj(y)², and 0 wherever dy is 0 (spec §12.4)."""
    cy = _np_conj(y)
    grad = -dy * cy * cy
    return np.where(dy == 0, np.zeros_like(grad), grad)


@reciprocal_grad.defvjp
def _reciprocal_grad_vjp(ddx, dx, y, dy):
    cy, cg = conj(y), conj(ddx)
    return (
        multiply(multiply(multiply(cg, scalar_like(-2, cg)), dy), cy),
        reciprocal_grad(cy, ddx),
    )


@op("Exp", dtypes=T.FLOAT_COMPLEX)
def exp(x):
    """e ** x element-wise."""
    return libm(np.exp, x, math.exp)


@exp.defvjp
def _exp_vjp(dy, y, x):
    return multiply(dy, conj(y))


@exp.defjvp
def _exp_jvp(tangents, y, x):
    return multiply(tangents[0], y)


@op("Log", dtypes=T.FLOAT_COMPLEX)
def log(x):
    """Natural logarithm element-wise."""
    return libm(np.log, x, math.log)


@log.defvjp
def _log_vjp(dy, y, x):
    return multiply(dy, reciprocal(conj(x)))


@log.defjvp
def _log_jvp(tangents, y, x):
    return real_div(tangents[0], x)


@op("Sin", dtypes=T.FLOAT_COMPLEX)
def sin(x):
    """Sine element-wise."""
    return libm(np.sin, x, math.sin)


@sin.defvjp
def _sin_vjp(dy, y, x):
    return multiply(dy, cos(conj(x)))


@sin.defjvp
def _sin_jvp(tangents, y, x):
    return multiply(tangents[0], cos(x))


@op("Cos", dtypes=T.FLOAT_COMPLEX)
def cos(x):
    """Cosine element-wise."""
    return libm(np.cos, x, math.cos)


@cos.defvjp
def _cos_vjp(dy, y, x):
    return multiply(negative(dy), sin(conj(x)))


@cos.defjvp
def _cos_jvp(tangents, y, x):
    return negative(multiply(tangents[0], sin(x)))


@op("Tanh", dtypes=T.FLOAT_COMPLEX)
def tanh(x):
    """Hyperbolic tangent element-wise."""
    return tanh_float32(x) if is_small_float32(x) else libm(np.tanh, x, math.tanh)


@tanh.defvjp
def _tanh_vjp(dy, y, x):
    return tanh_grad(conj(y), dy)


@tanh.defjvp
def _tanh_jvp(tangents, y, x):
    return tanh_grad(y, tangents[0])  # t * (1 - y²): holomorphic, so no conjugate


@op("TanhGrad", dtypes=T.FLOAT_COMPLEX, **_BINARY)
def tanh_grad(y, dy):
    """dy * (1 - y²): the tanh gradient given tanh's (conjugated) output."""
    return dy * (1 - y * y)


@tanh_grad.defvjp
def _tanh_grad_vjp(ddx, dx, y, dy):
    cy, cdy = conj(y), conj(dy)
    return (
        multiply(multiply(multiply(ddx, scalar_like(-2, ddx)), cdy), cy),
        tanh_grad(cy, ddx),
    )


@op("Sigmoid", dtypes=T.FLOAT_COMPLEX)
def sigmoid(x):
    """1 / (1 + e ** -x) element-wise, computed as e ** x / (1 + e ** x) (TF's formula)."""
    if is_small_float32(x):
        return sigmoid_float32(x)
    e = libm(np.exp, x, math.exp)
    one = np.ones((), dtype=x.dtype)
    # 1 where e ** x overflows (for complex, where its real part does)
    return np.where(np.isinf(e.real), one, divide_arrays(e, one + e))


@sigmoid.defvjp
def _sigmoid_vjp(dy, y, x):
    return sigmoid_grad(conj(y), dy)


@sigmoid.defjvp
def _sigmoid_jvp(tangents, y, x):
    return sigmoid_grad(y, tangents[0])


@op("SigmoidGrad", dtypes=T.FLOAT_COMPLEX, **_BINARY)
def sigmoid_grad(y, dy):
    """dy * y * (1 - y): the sigmoid gradient given sigmoid's (conjugated) output."""
    return dy * y * (1 - y)


@sigmoid_grad.defvjp
def _sigmoid_grad_vjp(ddx, dx, y, dy):
    cy, cdy = conj(y), conj(dy)
    gb = multiply(ddx, cdy)
    return (
        subtract(gb, multiply(multiply(scalar_like(2, gb), gb), cy)),
        sigmoid_grad(cy, ddx),
    )


# -- complex parts ------------------------------------------------------------------------------


@op("Conj", dtypes=T.TypeList(dtypes.complex64, dtypes.complex128))
def conj_op(x):
    return np.conj(x)


@conj_op.defvjp
def _conj_vjp(dy, y, x):
    return conj(dy)


@op("Real", dtypes=T.TypeList(dtypes.complex64, dtypes.complex128))
def _real(x):
    return np.real(x).copy()


@_real.defvjp
def _real_vjp(dy, y, x):
    return complex_op(dy, creation.zeros_like(dy))


@op("Imag", dtypes=T.TypeList(dtypes.complex64, dtypes.complex128))
def _imag(x):
    return np.imag(x).copy()


@_imag.defvjp
def _imag_vjp(dy, y, x):
    return complex_op(creation.zeros_like(dy), dy)


def real(input, name=None):  # noqa: A002 - TF's argument name
    """The real part of a complex tensor; real tensors are returned as they are."""
    input = convert_to_tensor(input)
    return _real(input) if _is_complex(input) else input


def imag(input, name=None):  # noqa: A002
    """The imaginary part of a complex tensor; zeros for real tensors."""
    input = convert_to_tensor(input)
    return _imag(input) if _is_complex(input) else creation.zeros_like(input)


@op(
    "Complex",
    dtypes=T.TypeList(dtypes.float32, dtypes.float64, signature="real:T, imag:T -> out:Tout"),
    **_BINARY,
)
def complex_op(real, imag):
    """real + 1j * imag, complex64 from float32 parts and complex128 from float64 parts."""
    out = np.complex64 if real.dtype == np.float32 else np.complex128
    return (real + 1j * imag).astype(out)


@complex_op.defvjp
def _complex_vjp(dz, z, x, y, *, needs):
    return (
        sum_to_shape(_real(dz), x._value.shape) if needs[0] else None,
        sum_to_shape(_imag(dz), y._value.shape) if needs[1] else None,
    )


# -- casts --------------------------------------------------------------------------------------


def _cast_message(src: np.dtype, dst: np.dtype) -> str:
    return (
        f"Cast {dtypes.from_numpy(src)._type_string} to "
        f"{dtypes.from_numpy(dst)._type_string} is not supported"
    )


@op("Cast", match=())
def cast_op(x, *, dtype):
    """x converted to `dtype` (a NumPy dtype): floats to ints truncate toward zero."""
    if (x.dtype.kind == "O") != (dtype.kind == "O"):
        from tapeflow.core.errors import UnimplementedError

        raise KernelError(_cast_message(x.dtype, dtype), UnimplementedError)
    if x.dtype.kind == "c" and dtype.kind != "c":
        x = x.real  # TF drops the imaginary part (tf.cast logs a warning about it)
    return x.astype(dtype)


@cast_op.defvjp
def _cast_vjp(dy, y, x, *, dtype):
    # Only float/complex casts carry gradients; the gradient is cast back (TF's rule).
    if x._value.dtype in dtypes.DIFFERENTIABLE_NP and dtype in dtypes.DIFFERENTIABLE_NP:
        return cast(dy, x.dtype)
    return None


def cast(x, dtype, name=None):
    """Casts a tensor to `dtype` (`tf.cast`); a tensor of that dtype is returned as it is."""
    dtype = dtypes.as_dtype(dtype)
    x = convert_to_tensor(x)
    if x._value.dtype == dtype._np:
        return x
    if _is_complex(x) and dtype._np.kind != "c":
        warn(
            f"You are casting an input of type {x.dtype.name} to an incompatible dtype "
            f"{dtype.name}.  This will discard the imaginary part and may not be what you "
            "intended."
        )
    return cast_op(x, dtype=dtype._np)


# -- comparisons and logic (no gradients) -------------------------------------------------------


def _comparison(name: str, kernel, type_list):
    return op(name, dtypes=type_list, differentiable=False, **_BINARY)(kernel)


def _less(x, y):
    return np.less(x, y)


def _less_equal(x, y):
    return np.less_equal(x, y)


def _greater(x, y):
    return np.greater(x, y)


def _greater_equal(x, y):
    return np.greater_equal(x, y)


less = _comparison("Less", _less, T.ORDERED)
less_equal = _comparison("LessEqual", _less_equal, T.ORDERED)
greater = _comparison("Greater", _greater, T.ORDERED)
greater_equal = _comparison("GreaterEqual", _greater_equal, T.ORDERED)


def _broadcastable(x, y) -> bool:
    try:
        np.broadcast_shapes(x.shape, y.shape)
        return True
    except ValueError:
        return False


@op("Equal", differentiable=False, **_BINARY)
def equal(x, y, *, incompatible_shape_error=True):
    """x == y element-wise. With incompatible_shape_error=False, shapes that do not broadcast
    give a scalar False instead of an error (what the `==` operator uses)."""
    if not incompatible_shape_error and not _broadcastable(x, y):
        return np.array(False)
    return np.equal(x, y)


@op("NotEqual", differentiable=False, **_BINARY)
def not_equal(x, y, *, incompatible_shape_error=True):
    """x != y element-wise (see `equal` for incompatible_shape_error)."""
    if not incompatible_shape_error and not _broadcastable(x, y):
        return np.array(True)
    return np.not_equal(x, y)


@op("LogicalAnd", differentiable=False, input_dtype=dtypes.bool, **_BINARY)
def logical_and(x, y):
    """x AND y element-wise, on bool tensors."""
    return np.logical_and(x, y)


@op("LogicalOr", differentiable=False, input_dtype=dtypes.bool, **_BINARY)
def logical_or(x, y):
    """x OR y element-wise, on bool tensors."""
    return np.logical_or(x, y)


@op("LogicalNot", differentiable=False, input_dtype=dtypes.bool)
def logical_not(x):
    """NOT x element-wise, on bool tensors."""
    return np.logical_not(x)


def logical_xor(x, y, name=None):
    """x XOR y element-wise, on bool tensors (composed as TF does)."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)))


@op("BitwiseAnd", dtypes=T.BITWISE, differentiable=False, **_BINARY)
def bitwise_and(x, y):
    return np.bitwise_and(x, y)


@op("BitwiseOr", dtypes=T.BITWISE, differentiable=False, **_BINARY)
def bitwise_or(x, y):
    return np.bitwise_or(x, y)


@op("BitwiseXor", dtypes=T.BITWISE, differentiable=False, **_BINARY)
def bitwise_xor(x, y):
    return np.bitwise_xor(x, y)


@op("Invert", dtypes=T.BITWISE_UNARY, differentiable=False)
def invert(x):
    return np.invert(x)


# -- selection ----------------------------------------------------------------------------------


def _select_shapes(exc, condition, x, y) -> str:
    def text(a):
        return "[" + ",".join(str(d) for d in a.shape) + "]"

    return f"condition {text(condition)}, then {text(x)}, and else {text(y)} must be broadcastable"


@op("SelectV2", match=(1, 2), explain_error=_select_shapes)
def select(condition, x, y):
    """x where condition is true, y elsewhere, broadcasting all three."""
    if condition.dtype != np.bool_:
        got = dtypes.from_numpy(condition.dtype)._type_string
        raise KernelError(
            "cannot compute SelectV2 as input #0(zero-based) was expected to be "
            f"a bool tensor but is a {got} tensor"
        )
    return np.where(condition, x, y)


@select.defvjp
def _select_vjp(dz, z, condition, x, y, *, needs):
    zeros = creation.zeros_like(dz)
    return (
        None,
        sum_to_shape(select(condition, dz, zeros), x._value.shape) if needs[1] else None,
        sum_to_shape(select(condition, zeros, dz), y._value.shape) if needs[2] else None,
    )
