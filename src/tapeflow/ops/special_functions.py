"""Special functions (`tf.math.erf`, `erfc`, `lgamma`, `digamma`, `polygamma`,
`tf.math.special.bessel_i0`/`bessel_i1`) on SciPy, imported on first use, each beside its
gradient. 16-bit floats are computed in float32 and rounded back, as TF's half kernels do."""

from __future__ import annotations

import math

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.registry import TypeList, incompatible_shapes, op
from tapeflow.ops import _types as T
from tapeflow.ops._broadcast import sum_to_shape
from tapeflow.ops._missing_kernels import no_kernel
from tapeflow.ops._scalar_math import digamma as eigen_digamma
from tapeflow.ops._scalar_math import erf_float32, libm
from tapeflow.ops.elementwise import (
    add,
    conj,
    equal,
    exp,
    multiply,
    negative,
    real_div,
    scalar_like,
    select,
    square,
    subtract,
)

_REAL_FLOATS = TypeList(*T.FLOATS)


def _scipy(name: str, x: np.ndarray, *args) -> np.ndarray:
    """scipy.special's `name` at x, in float32 for 16-bit floats, returned in x's dtype."""
    from scipy import special

    work = x.astype(np.float32) if x.dtype.itemsize == 2 else x
    return np.asarray(getattr(special, name)(*args, work)).astype(x.dtype, copy=False)


def _gammaln(x: np.ndarray) -> np.ndarray:
    from scipy import special

    return special.gammaln(x)


def _check_not_bfloat16(op_name: str, x: np.ndarray) -> None:
    if x.dtype == dtypes.bfloat16._np:
        raise no_kernel(op_name, x.dtype)


def _nonpositive_integer(x: np.ndarray) -> np.ndarray:
    return (x <= 0) & (np.floor(x) == x)


@op("Erf", dtypes=_REAL_FLOATS)
def erf(x):
    """The error function element-wise."""
    if x.dtype.itemsize <= 4:  # Eigen's float approximation (16-bit floats through float32)
        return erf_float32(x.astype(np.float32)).astype(x.dtype, copy=False)
    return _scipy("erf", x)


@erf.defvjp
def _erf_vjp(dy, y, x):
    # 2 / sqrt(pi) * exp(-x²)
    scale = scalar_like(2 / math.sqrt(math.pi), dy)
    return multiply(multiply(dy, scale), exp(negative(square(conj(x)))))


@op("Erfc", dtypes=_REAL_FLOATS)
def erfc(x):
    """The complementary error function 1 - erf(x) element-wise, accurate for large x."""
    return _scipy("erfc", x)


@erfc.defvjp
def _erfc_vjp(dy, y, x):
    scale = scalar_like(-2 / math.sqrt(math.pi), dy)
    return multiply(multiply(dy, scale), exp(negative(square(conj(x)))))


@op("Lgamma", dtypes=_REAL_FLOATS)
def lgamma(x):
    """log |Gamma(x)| element-wise (inf at the poles 0, -1, -2, ...)."""
    _check_not_bfloat16("Lgamma", x)
    out = libm(_gammaln, x) if x.dtype == np.float32 else _scipy("gammaln", x)
    return np.where(x == -np.inf, np.array(np.inf, out.dtype), out)  # TF: inf, SciPy: -inf


@lgamma.defvjp
def _lgamma_vjp(dy, y, x):
    return multiply(dy, digamma(conj(x)))


@op("Digamma", dtypes=_REAL_FLOATS)
def digamma(x):
    """The derivative of lgamma element-wise (NaN at 0, -1, -2, ...)."""
    _check_not_bfloat16("Digamma", x)
    # Eigen's algorithm, in float32 for half (as TF's half kernel)
    work = x.astype(np.float32) if x.dtype.itemsize == 2 else x
    return eigen_digamma(work).astype(x.dtype, copy=False)


@digamma.defvjp
def _digamma_vjp(dy, y, x):
    x = conj(x)
    return multiply(dy, polygamma(scalar_like(1, x), x))


_POLYGAMMA_TYPES = TypeList(dtypes.float32, dtypes.float64, signature="a:T, x:T -> z:T")


@op("Polygamma", dtypes=_POLYGAMMA_TYPES, explain_error=incompatible_shapes)
def polygamma(a, x):
    """The a-th derivative of digamma at x (a a non-negative integer; NaN otherwise)."""
    from scipy import special

    a, x = np.broadcast_arrays(a, x)
    out = np.asarray(special.polygamma(a, x), dtype=x.dtype)
    out = np.where(a == 0, eigen_digamma(x), out)
    # At the poles TF gives inf for odd a (an even-order zeta) and NaN for even a.
    pole = _nonpositive_integer(x) & (a > 0)
    return np.where(pole, np.where(a % 2 == 1, np.inf, np.nan).astype(x.dtype), out)


@polygamma.defvjp
def _polygamma_vjp(dz, z, a, x, *, needs):
    # d/dx polygamma(a, x) = polygamma(a + 1, x); TF has no gradient for a (None)
    if not needs[1]:
        return None, None
    a, x = conj(a), conj(x)
    partial = polygamma(add(a, scalar_like(1, a)), x)
    return None, sum_to_shape(multiply(partial, dz), x._value.shape)


def _bessel(name: str, x: np.ndarray) -> np.ndarray:
    # TF scales the exponentially scaled function back in the input's precision, so float32
    # overflows to inf from |x| ~ 89 (and ±inf inputs give NaN)
    _check_not_bfloat16("BesselI0" if name == "i0e" else "BesselI1", x)
    work = x.astype(np.float32) if x.dtype.itemsize == 2 else x
    scaled = _scipy(name, work)
    return (scaled * np.exp(np.abs(work))).astype(x.dtype, copy=False)


@op("BesselI0", dtypes=_REAL_FLOATS)
def bessel_i0(x):
    """The modified Bessel function of the first kind of order 0, element-wise."""
    return _bessel("i0e", x)


@bessel_i0.defvjp
def _bessel_i0_vjp(dy, y, x):
    return multiply(dy, bessel_i1(x))


@op("BesselI1", dtypes=_REAL_FLOATS)
def bessel_i1(x):
    """The modified Bessel function of the first kind of order 1, element-wise."""
    return _bessel("i1e", x)


@bessel_i1.defvjp
def _bessel_i1_vjp(dy, y, x):
    # i0(x) - i1(x) / x, taken as 1 at x == 0 (TF's value there; the limit is 0.5)
    partial = select(
        equal(x, scalar_like(0, x)),
        scalar_like(1, x),
        subtract(bessel_i0(x), real_div(y, x)),
    )
    return multiply(dy, partial)
