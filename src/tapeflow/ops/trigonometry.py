"""Trigonometric and hyperbolic functions (`tf.math.tan`, `asin` ... `atanh`, `atan2`), each
beside its gradient, written as TF writes it (so second derivatives and values at the
domain edges, such as inf for asin at ±1, are TF's)."""

from __future__ import annotations

import math

import numpy as np

from tapeflow.core.registry import TypeList, incompatible_shapes, op
from tapeflow.ops import _types as T
from tapeflow.ops._broadcast import sum_to_shape
from tapeflow.ops._scalar_math import (
    cosh_float32,
    is_small_float32,
    libm,
    libm_binary,
    sinh_float32,
)
from tapeflow.ops.elementwise import (
    add,
    conj,
    cos,
    multiply,
    negative,
    real_div,
    reciprocal,
    scalar_like,
    sqrt,
    square,
    subtract,
)


@op("Tan", dtypes=T.FLOAT_COMPLEX)
def tan(x):
    """Tangent element-wise."""
    return libm(np.tan, x, math.tan)


@tan.defvjp
def _tan_vjp(dy, y, x):
    # sec²(x) * dy
    return multiply(square(reciprocal(cos(conj(x)))), dy)


def _inverse_root(dy, x):
    """1 / sqrt(1 - x²) (conjugated x), the derivative of asin."""
    return reciprocal(sqrt(subtract(scalar_like(1, dy), square(conj(x)))))


@op("Asin", dtypes=T.FLOAT_COMPLEX)
def asin(x):
    """Inverse sine element-wise (NaN outside [-1, 1] for real x)."""
    return libm(np.arcsin, x, math.asin)


@asin.defvjp
def _asin_vjp(dy, y, x):
    return multiply(dy, _inverse_root(dy, x))


@op("Acos", dtypes=T.FLOAT_COMPLEX)
def acos(x):
    """Inverse cosine element-wise (NaN outside [-1, 1] for real x)."""
    return libm(np.arccos, x, math.acos)


@acos.defvjp
def _acos_vjp(dy, y, x):
    return multiply(negative(dy), _inverse_root(dy, x))


@op("Atan", dtypes=T.FLOAT_COMPLEX)
def atan(x):
    """Inverse tangent element-wise."""
    return libm(np.arctan, x, math.atan)


@atan.defvjp
def _atan_vjp(dy, y, x):
    return multiply(dy, reciprocal(add(scalar_like(1, dy), square(conj(x)))))


@op(
    "Atan2",
    dtypes=TypeList(*T.FLOATS, signature="y:T, x:T -> z:T"),
    explain_error=incompatible_shapes,
)
def atan2(y, x):
    """The angle of the point (x, y), atan(y / x) in the right quadrant, element-wise."""
    return libm_binary(np.arctan2, y, x, math.atan2)


@atan2.defvjp
def _atan2_vjp(dz, z, y, x, *, needs):
    # d/dy = x / (x² + y²), d/dx = -y / (x² + y²)
    scaled = real_div(dz, add(square(y), square(x)))
    return (
        sum_to_shape(multiply(x, scaled), y._value.shape) if needs[0] else None,
        sum_to_shape(multiply(negative(y), scaled), x._value.shape) if needs[1] else None,
    )


@op("Sinh", dtypes=T.FLOAT_COMPLEX)
def sinh(x):
    """Hyperbolic sine element-wise."""
    return sinh_float32(x) if is_small_float32(x) else libm(np.sinh, x, math.sinh)


@sinh.defvjp
def _sinh_vjp(dy, y, x):
    return multiply(dy, cosh(conj(x)))


@op("Cosh", dtypes=T.FLOAT_COMPLEX)
def cosh(x):
    """Hyperbolic cosine element-wise."""
    return cosh_float32(x) if is_small_float32(x) else libm(np.cosh, x, math.cosh)


@cosh.defvjp
def _cosh_vjp(dy, y, x):
    return multiply(dy, sinh(conj(x)))


@op("Asinh", dtypes=T.FLOAT_COMPLEX)
def asinh(x):
    """Inverse hyperbolic sine element-wise."""
    return libm(np.arcsinh, x, math.asinh)


@asinh.defvjp
def _asinh_vjp(dy, y, x):
    # 1 / cosh(asinh(x)), from the output as TF does
    return real_div(dy, cosh(conj(y)))


@op("Acosh", dtypes=T.FLOAT_COMPLEX)
def acosh(x):
    """Inverse hyperbolic cosine element-wise (NaN below 1 for real x)."""
    return libm(np.arccosh, x, math.acosh)


@acosh.defvjp
def _acosh_vjp(dy, y, x):
    # 1 / sinh(acosh(x)): inf at x = 1, NaN below (TF's values)
    return real_div(dy, sinh(conj(y)))


@op("Atanh", dtypes=T.FLOAT_COMPLEX)
def atanh(x):
    """Inverse hyperbolic tangent element-wise (±inf at ±1, NaN beyond for real x)."""
    return libm(np.arctanh, x, math.atanh)


@atanh.defvjp
def _atanh_vjp(dy, y, x):
    return multiply(dy, reciprocal(subtract(scalar_like(1, dy), square(conj(x)))))
