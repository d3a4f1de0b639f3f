"""TF's float32 and float64 values of elementwise functions, to the last bit where affordable.

TF evaluates an elementwise op with Eigen: full SIMD packets (8 floats or 4 doubles) with
Eigen's vector approximations, and the elements left over (all of them in a smaller tensor)
one at a time with scalar code: the C library's functions (glibc's float functions are
correctly rounded, or nearly, as computing in float64 and rounding gives; its double
functions are what Python's `math` module calls) or Eigen's own scalar formulas. Tapeflow
reproduces that scalar path for tensors smaller than a packet, the ones people print and
compare; larger tensors use NumPy's vectorised functions, which like TF's packets can differ
from the scalar values in the last bit. Eigen's rational approximations of float erf and
digamma are the same on both paths, so they are reproduced at every size. (Eigen's scalar
code is compiled without fused multiply-adds: every step below rounds, as NumPy does.)
"""

from __future__ import annotations

import numpy as np

_F32 = np.dtype(np.float32)
_F64 = np.float64
SCALAR_SIZE = 8  # floats per AVX packet: smaller float32 tensors are computed one by one
_DOUBLE_SCALAR_SIZE = 4  # doubles per AVX packet


def is_small_float32(x: np.ndarray) -> bool:
    return x.size < SCALAR_SIZE and x.dtype == _F32  # size first: the cheap test


def is_small_float64(x: np.ndarray) -> bool:
    # (only NumPy's own arrays: their elements are read one by one)
    return x.size < _DOUBLE_SCALAR_SIZE and x.dtype == _F64 and type(x) is np.ndarray


def libm(fn, x: np.ndarray, scalar_fn=None) -> np.ndarray:
    """`fn(x)` (a NumPy function), with TF's scalar values for small tensors: float32 ones
    computed in float64 and rounded (as glibc's float functions give), float64 ones with
    `scalar_fn`, the `math` module's (glibc's) function, where it is given."""
    if x.size >= SCALAR_SIZE:  # most tensors: NumPy's vectorised loop, as TF's packets
        return fn(x)
    if x.dtype == _F32:
        return np.asarray(fn(x.astype(_F64))).astype(_F32)
    out = fn(x)
    if scalar_fn is not None and is_small_float64(x):
        return _elementwise(scalar_fn, zip(x.reshape(-1).tolist()), out)
    return out


def libm_binary(fn, y: np.ndarray, x: np.ndarray, scalar_fn) -> np.ndarray:
    """`fn(y, x)` with TF's scalar values for small tensors (see `libm`)."""
    if y.dtype == _F32 and max(y.size, x.size) < SCALAR_SIZE:
        return np.asarray(fn(y.astype(_F64), x.astype(_F64))).astype(_F32)
    out = fn(y, x)
    if is_small_float64(out) and type(y) is np.ndarray and type(x) is np.ndarray:
        y, x = np.broadcast_arrays(y, x)
        return _elementwise(scalar_fn, zip(y.reshape(-1).tolist(), x.reshape(-1).tolist()), out)
    return out


def _elementwise(scalar_fn, arguments, fallback: np.ndarray) -> np.ndarray:
    """scalar_fn at each tuple of arguments (one per element); where it raises (outside its
    domain, overflow) the fallback's element, NumPy's nan or inf, which is also C's."""
    out = np.array(fallback, dtype=_F64)
    flat = out.reshape(-1)
    for i, args in enumerate(arguments):
        try:
            flat[i] = scalar_fn(*args)
        except (ValueError, OverflowError):
            pass
    return out


def _horner(coefficients, x: np.ndarray) -> np.ndarray:
    """Σ c_k x^(n-k) by Horner's rule, rounding every step to x's dtype."""
    t = x.dtype.type
    result = x * t(coefficients[0]) + t(coefficients[1])
    for c in coefficients[2:]:
        result = result * x + t(c)
    return result


_TANH_NUM = (1.394553628e-8, 2.102733560e-5, 3.520756727e-3, 1.340216100e-1)
_TANH_DEN = (8.015776984e-7, 3.326951409e-4, 2.597254514e-2, 4.673548340e-1, 1.0)
_TANH_CLAMP = np.float32(7.90738964080810547)  # where the approximation reaches ±1 exactly


def tanh_float32(x: np.ndarray) -> np.ndarray:
    """Eigen's float tanh: x·p(x²)/q(x²), an odd [9/8] rational minimax approximation."""
    x = np.maximum(np.minimum(x, _TANH_CLAMP), -_TANH_CLAMP)
    x2 = x * x
    return (x2 * x * _horner(_TANH_NUM, x2) + x) / _horner(_TANH_DEN, x2)


_ERF_NUM = (
    2.123732201653183437883853912353515625e-06,
    2.861979592125862836837768554687500000e-04,
    3.658048342913389205932617187500000000e-03,
    5.243302136659622192382812500000000000e-02,
    1.874160766601562500000000000000000000e-01,
    1.128379106521606445312500000000000000e00,
)
_ERF_DEN = (
    3.89185734093189239501953125000e-05,
    1.14329601638019084930419921875e-03,
    1.47520881146192550659179687500e-02,
    1.12945675849914550781250000000e-01,
    4.99425798654556274414062500000e-01,
    1.0,
)


def erf_float32(x: np.ndarray) -> np.ndarray:
    """Eigen's float erf: x·p(x²)/q(x²), with x² clamped to 16 (erf(4) is 1 in float32)."""
    x2 = np.minimum(np.float32(16), x * x)
    ratio = (x * _horner(_ERF_NUM, x2)) / _horner(_ERF_DEN, x2)
    return np.maximum(np.minimum(ratio, np.float32(1)), np.float32(-1))


# The asymptotic series' coefficients (highest power of 1/s² first) and where it is cut off.
_DIGAMMA_TAIL = {
    _F32: ((-4.16666666666666666667e-3, 3.96825396825396825397e-3, -8.33333333333333333333e-3,
            8.33333333333333333333e-2), 1e8),
    np.dtype(_F64): ((8.33333333333333333333e-2, -2.10927960927960927961e-2,
                      7.57575757575757575758e-3, -4.16666666666666666667e-3,
                      3.96825396825396825397e-3, -8.33333333333333333333e-3,
                      8.33333333333333333333e-2), 1e17),
}  # fmt: skip


def digamma(x: np.ndarray) -> np.ndarray:
    """Eigen's digamma (Cephes' psi) for float32 or float64 x: reflection below 0, the
    recurrence up to 10, then the asymptotic series; NaN at 0, -1, -2, ..."""
    t = x.dtype.type
    coefficients, cutoff = _DIGAMMA_TAIL[x.dtype]
    negative = x <= 0
    floor = np.floor(x)
    # reflection: psi(x) = psi(1 - x) - pi / tan(pi x), with x's distance to an integer
    nz = x - floor
    nz = np.where(nz > t(0.5), x - (floor + t(1)), nz)
    tangent = np.tan((t(np.pi) * nz).astype(_F64)).astype(x.dtype)
    nz = np.where(nz == t(0.5), t(0), t(np.pi) / tangent)
    s = np.where(negative, t(1) - x, x)
    w = np.zeros_like(s)
    for _ in range(11):  # s grows by 1 until it reaches 10 (s > 0 here)
        below = s < t(10)
        if not below.any():
            break
        w = np.where(below, w + t(1) / s, w)
        s = np.where(below, s + t(1), s)
    z = t(1) / (s * s)
    tail = np.where(s < t(cutoff), z * _horner(coefficients, z), t(0))
    y = np.log(s.astype(_F64)).astype(x.dtype) - t(0.5) / s - tail - w
    y = np.where(negative, y - nz, y)
    return np.where(negative & (floor == x), t(np.nan), y)


def sigmoid_float32(x: np.ndarray) -> np.ndarray:
    """Eigen's scalar float logistic: e / (1 + e) with e = exp(min(x, 16.6355324))."""
    e = np.exp(np.minimum(x, np.float32(16.6355324)).astype(_F64)).astype(_F32)
    return e / (np.float32(1) + e)


def cosh_float32(x: np.ndarray) -> np.ndarray:
    """glibc's coshf: 1 + t²/(2(1+t)) with t = expm1|x| near 0, (e + 1/e)/2 with e = exp|x|
    up to 22, e/2 beyond (sqrt(e)·sqrt(e)/2 near overflow)."""
    f = np.float32
    a = np.abs(x).astype(_F64)
    t = np.expm1(a).astype(_F32)
    w = f(1) + t
    near_zero = f(1) + (t * t) / (w + w)
    e = np.exp(a).astype(_F32)
    middle = f(0.5) * e + f(0.5) / e
    half_root = np.exp(a / 2).astype(_F32)
    large = np.where(a < 88.7228, f(0.5) * e, (f(0.5) * half_root) * half_root)
    result = np.where(a < 0.3465735912322998, near_zero, np.where(a < 22, middle, large))
    return np.where(np.isnan(x), x, result)


def sinh_float32(x: np.ndarray) -> np.ndarray:
    """glibc's sinhf: ±(2t - t²/(t+1))/2 with t = expm1|x| below 1, ±(t + t/(t+1))/2 up to 22,
    ±e/2 with e = exp|x| beyond (±(sqrt(e)/2)·sqrt(e) near overflow)."""
    f = np.float32
    half = np.where(np.signbit(x), f(-0.5), f(0.5))
    a = np.abs(x).astype(_F64)
    t = np.expm1(a).astype(_F32)
    below_one = half * (f(2) * t - t * t / (t + f(1)))
    middle = half * (t + t / (t + f(1)))
    e = np.exp(a).astype(_F32)
    half_root = np.exp(a / 2).astype(_F32)
    large = np.where(a < 88.7228, half * e, (half * half_root) * half_root)
    result = np.where(a < 1, below_one, np.where(a < 22, middle, large))
    return np.where((a < 2.0**-28) | np.isnan(x), x, result)


def divide(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x / y as TF's kernels divide: complex numbers by Eigen's scaled algorithm (divisor and
    dividend scaled by max(|re y|, |im y|), every step rounded, so real divisors divide the
    parts exactly), anything else by NumPy."""
    if x.dtype.kind != "c":
        return np.true_divide(x, y)
    a, b, c, d = x.real, x.imag, y.real, y.imag
    scale = np.maximum(np.abs(c), np.abs(d))
    c, d = c / scale, d / scale
    denominator = c * c + d * d
    re = (a * c + b * d) / denominator / scale
    im = (b * c - a * d) / denominator / scale
    return (re + 1j * im).astype(np.result_type(x, y))
