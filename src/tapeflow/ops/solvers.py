"""Inverses, determinants and linear solvers (`tf.linalg.inv`, `det`, `slogdet`, `solve`,
`triangular_solve`, `cholesky`), each op beside its gradient (TF's formulas)."""

from __future__ import annotations

import collections
import warnings

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.registry import KernelError, TypeList, op
from tapeflow.core.tensor import Tensor, wrap
from tapeflow.ops._broadcast import sum_to_shape
from tapeflow.ops._linalg_kernels import (
    check_matrix,
    compute_dtype,
    dtype_enum,
    kernels,
    no_kernel,
    shape_text,
)
from tapeflow.ops.diagonals import eye, matrix_band_part_op, matrix_diag_part_op, matrix_set_diag_op
from tapeflow.ops.elementwise import add, multiply, negative
from tapeflow.ops.linalg import adjoint, matmul
from tapeflow.ops.shapes import reshape_op

_FLOATS = (dtypes.float64, dtypes.float32, dtypes.float16, dtypes.complex64, dtypes.complex128)
_HALF_FIRST = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64, dtypes.complex128)


def _types(name: str, signature: str, attrs: str = "", order=_FLOATS) -> TypeList:
    """The dtype list of a linear-algebra op, with its op definition for TF's message."""
    return TypeList(
        *order,
        op_def=f"Op<name={name}; signature={signature};{attrs} attr=T:type,allowed=[{{enums}}]>",
    )


_UNARY_CPU = kernels("COMPLEX128 COMPLEX64 DOUBLE FLOAT")


def _no_half(x: np.ndarray, op_name: str, node: str, lines=_UNARY_CPU) -> None:
    """TF registers these ops for float16 but has no CPU kernel for it."""
    if x.dtype == np.float16:
        raise no_kernel(op_name, f"T=DT_HALF{node}", lines)


def _check_invertible(x: np.ndarray, message: str) -> None:
    # TF rejects an LU factorization with an exactly zero or a NaN pivot: LAPACK reports the
    # zero pivots (LinAlgError), NaN inputs are caught here.
    if np.isnan(x).any():
        raise KernelError(message)


def _batch_shape(x: Tensor) -> tuple:
    return x._value.shape[:-2]


def _constant(value, t: Tensor) -> Tensor:
    """A scalar of `t`'s dtype, for rules."""
    return wrap(np.array(value, dtype=t._value.dtype))


def _expand_matrix(t, batch: tuple):
    """A batch of scalars as a batch of 1×1 matrices."""
    return reshape_op(t, shape=batch + (1, 1))


# -- inverse and determinants ------------------------------------------------------------------


@op(
    "MatrixInverse",
    dtypes=_types("MatrixInverse", "input:T -> output:T", " attr=adjoint:bool,default=false;"),
)
def _matrix_inverse(x, *, adjoint=False):
    check_matrix(x)
    _check_invertible(x, "Input is not invertible.")
    wide = compute_dtype(x)
    a = x if wide is None else x.astype(wide)
    if adjoint:
        a = np.conj(np.swapaxes(a, -1, -2))
    try:
        out = np.linalg.inv(a)
    except np.linalg.LinAlgError:
        raise KernelError("Input is not invertible.") from None
    return out.astype(x.dtype)


@_matrix_inverse.defvjp
def _matrix_inverse_vjp(dy, y, x, *, adjoint):
    # d(A⁻¹) = -A⁻¹ dA A⁻¹, so the gradient is -A⁻ᴴ dy A⁻ᴴ (A⁻¹ = y, or yᴴ for `adjoint`).
    inner = matmul(dy, y, adjoint_a=adjoint, adjoint_b=not adjoint)
    return negative(matmul(y, inner, adjoint_a=not adjoint))


def inv(input, adjoint=False, name=None):  # noqa: A002 - TF's argument name
    """The inverse of square matrices, or of their adjoints (`tf.linalg.inv`)."""
    return _matrix_inverse(input, adjoint=adjoint)


def _slogdet(x: np.ndarray) -> tuple:
    """Sign and log-magnitude of determinants as TF computes them from an LU factorization:
    a singular matrix has the sign of its permutation times a zero pivot (so -0.0 happens)."""
    sign, logabs = np.linalg.slogdet(x)
    sign = np.where(np.isnan(logabs), np.nan, sign).astype(sign.dtype)
    singular = np.argwhere(np.isneginf(np.real(logabs)))
    if len(singular) and x.dtype.kind == "f":
        from scipy.linalg import lu_factor  # only for singular matrices

        for index in map(tuple, singular):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                lu, pivots = lu_factor(x[index], check_finite=False)
            swaps = np.count_nonzero(pivots != np.arange(len(pivots)))
            sign[index] = (-1.0) ** swaps * np.prod(np.sign(np.diagonal(lu)))
    return sign, logabs


@op(
    "MatrixDeterminant",
    dtypes=_types(
        "MatrixDeterminant",
        "input:T -> output:T",
        order=_HALF_FIRST,
    ),
)
def _matrix_determinant(x):
    _no_half(x, "MatrixDeterminant", "")
    check_matrix(x)
    det = np.linalg.det(x)
    sign, logabs = _slogdet(x)
    return np.where(np.real(logabs) == -np.inf, sign, det).astype(x.dtype)


@_matrix_determinant.defvjp
def _matrix_determinant_vjp(dy, y, x):
    # d det(A) = det(A) tr(A⁻¹ dA): the gradient is dy·det·A⁻ᴴ (TF leaves det unconjugated).
    scale = _expand_matrix(multiply(dy, y), _batch_shape(x))
    return multiply(scale, _matrix_inverse(x, adjoint=True))


def det(input, name=None):  # noqa: A002
    """The determinant of square matrices (`tf.linalg.det`)."""
    return _matrix_determinant(input)


LogMatrixDeterminant = collections.namedtuple(
    "LogMatrixDeterminant", ["sign", "log_abs_determinant"]
)


@op(
    "LogMatrixDeterminant",
    dtypes=_types(
        "LogMatrixDeterminant",
        "input:T -> sign:T, log_abs_determinant:T",
        order=_HALF_FIRST,
    ),
)
def _log_matrix_determinant(x):
    _no_half(x, "LogMatrixDeterminant", "")
    check_matrix(x)
    sign, logabs = _slogdet(x)
    return sign.astype(x.dtype), logabs.astype(x.dtype)


@_log_matrix_determinant.defvjp
def _log_matrix_determinant_vjp(dys, ys, x):
    # d log|det A| = Re tr(A⁻¹ dA): the gradient is dy·A⁻ᴴ; the sign has none.
    scale = _expand_matrix(dys[1], _batch_shape(x))
    return multiply(scale, _matrix_inverse(x, adjoint=True))


def slogdet(input, name=None):  # noqa: A002
    """Sign and log of the absolute value of determinants (`tf.linalg.slogdet`)."""
    return LogMatrixDeterminant(*_log_matrix_determinant(input))


# -- solvers ----------------------------------------------------------------------------------


@op(
    "MatrixSolve",
    dtypes=_types(
        "MatrixSolve", "matrix:T, rhs:T -> output:T", " attr=adjoint:bool,default=false;"
    ),
)
def _matrix_solve(matrix, rhs, *, adjoint=False):
    _no_half(
        matrix,
        "MatrixSolve",
        f", adjoint={'true' if adjoint else 'false'}",
        kernels("COMPLEX128 COMPLEX64 DOUBLE FLOAT", xla="FLOAT DOUBLE HALF"),
    )
    if matrix.ndim < 2:
        raise KernelError(f"Input tensor 0 must have rank >= 2, got {matrix.ndim}")
    if rhs.ndim != matrix.ndim:
        raise KernelError("All input tensors must have the same rank.")
    if rhs.shape[:-2] != matrix.shape[:-2]:
        raise KernelError("All input tensors must have the same outer dimensions.")
    if matrix.shape[-1] != matrix.shape[-2]:
        raise KernelError("First input (lhs) must be a square matrix.")
    if rhs.shape[-2] != matrix.shape[-1]:
        raise KernelError("Input matrix and rhs are incompatible.")
    _check_invertible(matrix, "Input matrix is not invertible.")
    a = np.conj(np.swapaxes(matrix, -1, -2)) if adjoint else matrix
    try:
        return np.linalg.solve(a, rhs).astype(matrix.dtype)
    except np.linalg.LinAlgError:
        raise KernelError("Input matrix is not invertible.") from None


@_matrix_solve.defvjp
def _matrix_solve_vjp(dy, y, matrix, rhs, *, adjoint, needs):
    # x = A⁻¹ b: db = A⁻ᴴ dy, dA = -db xᴴ (or -x dbᴴ when A was used adjoint).
    drhs = _matrix_solve(matrix, dy, adjoint=not adjoint)
    dmatrix = None
    if needs[0]:
        if adjoint:
            dmatrix = negative(matmul(y, drhs, adjoint_b=True))
        else:
            dmatrix = negative(matmul(drhs, y, adjoint_b=True))
    return dmatrix, drhs


def solve(matrix, rhs, adjoint=False, name=None):
    """Solves systems of linear equations `matrix @ x = rhs` (`tf.linalg.solve`)."""
    return _matrix_solve(matrix, rhs, adjoint=adjoint)


def _substitute(a: np.ndarray, b: np.ndarray, lower: bool) -> np.ndarray:
    """Forward or back substitution, row by row: TF's arithmetic for a zero pivot
    (inf or nan), where LAPACK refuses to solve."""
    x = np.zeros(b.shape, dtype=np.result_type(a, b))
    n = a.shape[-1]
    for i in range(n) if lower else range(n - 1, -1, -1):
        done = slice(0, i) if lower else slice(i + 1, n)
        rest = b[..., i, :] - np.einsum("...j,...jk->...k", a[..., i, done], x[..., done, :])
        x[..., i, :] = rest / a[..., i, i][..., None]
    return x


_TRIANGULAR_CPU = kernels(
    "DOUBLE FLOAT COMPLEX128 COMPLEX64", xla="FLOAT DOUBLE COMPLEX64 BFLOAT16 COMPLEX128 HALF"
)


@op(
    "MatrixTriangularSolve",
    dtypes=_types(
        "MatrixTriangularSolve",
        "matrix:T, rhs:T -> output:T",
        " attr=lower:bool,default=true; attr=adjoint:bool,default=false;",
        order=(dtypes.bfloat16, *_FLOATS),
    ),
)
def _matrix_triangular_solve(matrix, rhs, *, lower=True, adjoint=False):
    if compute_dtype(matrix) is not None:  # float16 and bfloat16: no CPU kernel
        node = f"T={dtype_enum(matrix)}, adjoint={str(adjoint).lower()}, lower={str(lower).lower()}"
        raise no_kernel("MatrixTriangularSolve", node, _TRIANGULAR_CPU)
    for i, x in enumerate((matrix, rhs)):
        if x.ndim < 2:
            raise KernelError(f"In[{i}] ndims must be >= 2: {x.ndim}")
    rows, cols = matrix.shape[-2:]
    if rows != cols:
        raise KernelError(
            f"In[0] matrices in the last dimensions must be square ({cols} =/= {rows})"
        )
    if cols != rhs.shape[-2]:
        raise KernelError(
            f"In[0] mismatch In[1] shape: {cols} vs. {rhs.shape[-2]}: "
            f"{shape_text(matrix.shape)} {shape_text(rhs.shape)} {int(lower)} {int(adjoint)}"
        )
    try:
        batch = np.broadcast_shapes(matrix.shape[:-2], rhs.shape[:-2])
    except ValueError:
        raise KernelError(
            f"In[0] and In[1] must have compatible batch dimensions: "
            f"{shape_text(matrix.shape)} vs. {shape_text(rhs.shape)}"
        ) from None
    a = np.broadcast_to(matrix, batch + matrix.shape[-2:])
    b = np.broadcast_to(rhs, batch + rhs.shape[-2:])
    if adjoint:
        a, lower = np.conj(np.swapaxes(a, -1, -2)), not lower
    from scipy.linalg import solve_triangular  # batched LAPACK trtrs

    try:
        out = solve_triangular(a, b, lower=lower, check_finite=False)
    except np.linalg.LinAlgError:
        out = _substitute(a, b, lower)
    return out.astype(matrix.dtype)


@_matrix_triangular_solve.defvjp
def _matrix_triangular_solve_vjp(dy, y, matrix, rhs, *, lower, adjoint, needs):
    # As MatrixSolve, keeping only the triangle the forward op read; batch axes may broadcast.
    drhs = _matrix_triangular_solve(matrix, dy, lower=lower, adjoint=not adjoint)
    dmatrix = None
    if needs[0]:
        if adjoint:
            dmatrix = negative(matmul(y, drhs, adjoint_b=True))
        else:
            dmatrix = negative(matmul(drhs, y, adjoint_b=True))
        band = (-1, 0) if lower else (0, -1)
        dmatrix = matrix_band_part_op(dmatrix, num_lower=band[0], num_upper=band[1])
        dmatrix = sum_to_shape(dmatrix, matrix._value.shape)
    return dmatrix, sum_to_shape(drhs, rhs._value.shape)


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """Solves triangular systems `matrix @ x = rhs` (`tf.linalg.triangular_solve`)."""
    return _matrix_triangular_solve(matrix, rhs, lower=lower, adjoint=adjoint)


# -- Cholesky ---------------------------------------------------------------------------------


@op("Cholesky", dtypes=_types("Cholesky", "input:T -> output:T"))
def _cholesky(x):
    _no_half(
        x,
        "Cholesky",
        "",
        kernels("COMPLEX128 COMPLEX64 DOUBLE FLOAT", xla="FLOAT DOUBLE COMPLEX64 COMPLEX128 HALF"),
    )
    check_matrix(x)
    try:
        return np.linalg.cholesky(x)
    except np.linalg.LinAlgError:
        pass
    # TF fills the lower triangle of a matrix that is not positive definite with NaN.
    out = np.zeros_like(x)
    failed = np.tril(np.full(x.shape[-2:], np.nan, dtype=x.dtype))
    for index in np.ndindex(x.shape[:-2]):
        try:
            out[index] = np.linalg.cholesky(x[index])
        except np.linalg.LinAlgError:
            out[index] = failed
    return out


@_cholesky.defvjp
def _cholesky_vjp(dy, y, x):
    # With A = L Lᴴ: dA = L⁻ᴴ Φ(Lᴴ dy) L⁻¹ symmetrized, where Φ keeps the lower triangle and
    # halves the diagonal (TF's formula).
    n = y._value.shape[-1]
    l_inverse = _matrix_triangular_solve(y, eye(n, batch_shape=_batch_shape(y), dtype=y.dtype))
    middle = matmul(y, dy, adjoint_a=True)
    half = _constant(0.5, y)
    middle = matrix_set_diag_op(middle, multiply(half, matrix_diag_part_op(middle)))
    middle = matrix_band_part_op(middle, num_lower=-1, num_upper=0)
    grad = matmul(matmul(l_inverse, middle, adjoint_a=True), l_inverse)
    return multiply(add(grad, adjoint(grad)), half)


def cholesky(input, name=None):  # noqa: A002
    """The Cholesky factors of Hermitian positive-definite matrices (`tf.linalg.cholesky`)."""
    return _cholesky(input)


def cholesky_solve(chol, rhs, name=None):
    """Solves `A x = rhs` given the Cholesky factor of A (`tf.linalg.cholesky_solve`)."""
    y = _matrix_triangular_solve(chol, rhs, lower=True, adjoint=False)
    return _matrix_triangular_solve(chol, y, lower=True, adjoint=True)
