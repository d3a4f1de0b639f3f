"""Least squares, matrix exponentials and log-determinants (`tf.linalg.lstsq`, `expm`,
`logdet`), built as TF builds them: compositions of solvers, or ops beside their gradients."""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import NotFoundError, invalid_argument
from tapeflow.core.registry import KernelError, op
from tapeflow.core.tensor import Tensor, wrap
from tapeflow.ops import creation, reductions, shapes
from tapeflow.ops._linalg_kernels import check_matrix, kernels, no_kernel, shape_text
from tapeflow.ops.diagonals import diag_part, eye
from tapeflow.ops.elementwise import add, log, multiply, negative, real, subtract
from tapeflow.ops.linalg import adjoint, matmul
from tapeflow.ops.solvers import _types, cholesky, cholesky_solve

_CPU_ONLY = kernels("FLOAT DOUBLE COMPLEX64 COMPLEX128")


# -- least squares ----------------------------------------------------------------------------


def _gramian_cholesky(matrix, l2_regularizer, first_kind: bool):
    """The Cholesky factor of AᴴA + λI (first kind) or AAᴴ + λI (second kind)."""
    gramian = matmul(matrix, matrix, adjoint_a=first_kind, adjoint_b=not first_kind)
    if isinstance(l2_regularizer, Tensor) or l2_regularizer != 0:
        shape = matrix._value.shape
        size = shape[-1] if first_kind else shape[-2]
        identity = eye(size, batch_shape=shape[:-2], dtype=matrix.dtype)
        gramian = add(gramian, multiply(l2_regularizer, identity))
    return cholesky(gramian)


def _least_squares(matrix, rhs, l2_regularizer):
    """The normal-equations solution: (AᴴA + λI)⁻¹ Aᴴ B when rows >= columns, else the
    minimum-norm Aᴴ (AAᴴ + λI)⁻¹ B."""
    rows, cols = matrix._value.shape[-2:]
    if rows >= cols:
        chol = _gramian_cholesky(matrix, l2_regularizer, first_kind=True)
        return cholesky_solve(chol, matmul(matrix, rhs, adjoint_a=True))
    chol = _gramian_cholesky(matrix, l2_regularizer, first_kind=False)
    return matmul(matrix, cholesky_solve(chol, rhs), adjoint_a=True)


@op(
    "MatrixSolveLs",
    dtypes=_types("MatrixSolveLs", "matrix:T, rhs:T, l2_regularizer:double -> output:T", ""),
)
def _matrix_solve_ls(matrix, rhs, *, l2_regularizer=0.0, fast=True):
    if matrix.dtype == np.float16:
        raise no_kernel("MatrixSolveLs", f"T=DT_HALF, fast={str(fast).lower()}", _CPU_ONLY)
    check_matrix(matrix, square=False)
    if rhs.ndim != matrix.ndim:
        raise KernelError("All input tensors must have the same rank.")
    if rhs.shape[:-2] != matrix.shape[:-2]:
        raise KernelError("All input tensors must have the same outer dimensions.")
    if rhs.shape[-2] != matrix.shape[-2]:
        raise KernelError("Input matrix and rhs are incompatible.")
    out = np.empty(matrix.shape[:-2] + (matrix.shape[-1], rhs.shape[-1]), dtype=matrix.dtype)
    for index in np.ndindex(matrix.shape[:-2]):
        a, b = matrix[index], rhs[index]
        if not fast:  # the minimum-norm solution, robust to rank deficiency
            out[index] = np.linalg.lstsq(a, b, rcond=None)[0]
        elif a.shape[0] >= a.shape[1]:
            gramian = a.conj().T @ a + l2_regularizer * np.eye(a.shape[1])
            out[index] = np.linalg.solve(gramian, a.conj().T @ b)
        else:
            gramian = a @ a.conj().T + l2_regularizer * np.eye(a.shape[0])
            out[index] = a.conj().T @ np.linalg.solve(gramian, b)
    return out


@_matrix_solve_ls.defvjp
def _matrix_solve_ls_vjp(dy, x, matrix, rhs, *, l2_regularizer, fast):
    # The derivatives of the normal-equations solutions (TF's formulas).
    if not fast:
        raise ValueError("Gradient not defined for fast=False")
    l2 = wrap(np.array(l2_regularizer, dtype=matrix._value.dtype))
    rows, cols = matrix._value.shape[-2:]
    if rows >= cols:
        z = cholesky_solve(_gramian_cholesky(matrix, l2, first_kind=True), dy)
        xz = matmul(x, z, adjoint_b=True)
        dmatrix = add(
            negative(matmul(matrix, add(xz, adjoint(xz)))), matmul(rhs, z, adjoint_b=True)
        )
        return dmatrix, matmul(matrix, z)
    chol = _gramian_cholesky(matrix, l2, first_kind=False)
    drhs = cholesky_solve(chol, matmul(matrix, dy))
    solved = cholesky_solve(chol, rhs)
    first = negative(matmul(drhs, matmul(solved, matrix, adjoint_a=True)))
    second = matmul(solved, subtract(dy, matmul(matrix, drhs, adjoint_a=True)), adjoint_b=True)
    return add(first, second), drhs


def _kernel_is_faster(matrix: Tensor) -> bool:
    """TF's switch from the composite to the kernel: inputs above a guess of the L2 cache
    size whose batch is larger than the smallest matrix dimension."""
    shape = matrix._value.shape
    batch = int(np.prod(shape[:-2]))
    return matrix._value.nbytes > 256000 and batch > min(shape[-2:])


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """Solves linear least-squares problems (`tf.linalg.lstsq`)."""
    matrix = convert_to_tensor(matrix)
    if matrix.dtype == dtypes.complex128 and l2_regularizer != 0:
        raise NotImplementedError(
            "matrix_solve_ls is currently disabled for complex128 and l2_regularizer != 0 due "
            "to poor accuracy."
        )
    if fast and not _kernel_is_faster(matrix):
        return _least_squares(matrix, rhs, l2_regularizer)
    return _matrix_solve_ls(matrix, rhs, l2_regularizer=float(l2_regularizer), fast=bool(fast))


# -- exponential and log-determinant ----------------------------------------------------------


@op("MatrixExponential", dtypes=_types("MatrixExponential", "input:T -> output:T", ""))
def _matrix_exponential(x):
    if x.dtype == np.float16:
        raise no_kernel(
            "MatrixExponential", "T=DT_HALF", kernels("COMPLEX128 COMPLEX64 DOUBLE FLOAT")
        )
    check_matrix(x)
    if x.size and not np.isfinite(np.abs(x).sum(axis=-2).max()):
        return np.full(x.shape, np.nan, dtype=x.dtype)  # TF: all NaN when any norm is not finite
    from scipy.linalg import expm as scipy_expm  # batched Padé approximation

    return scipy_expm(x).astype(x.dtype)


@_matrix_exponential.defvjp
def _matrix_exponential_vjp(dy, y, x):
    # The adjoint of the Fréchet derivative: the upper-right block of exp([[Aᴴ, dy], [0, Aᴴ]]).
    a_h = adjoint(x)
    n = x._value.shape[-1]
    zeros = creation.zeros_like(a_h)
    block = shapes.concat(
        [shapes.concat([a_h, dy], axis=-1), shapes.concat([zeros, a_h], axis=-1)], axis=-2
    )
    return _matrix_exponential(block)[..., :n, n:]


def expm(input, name=None):  # noqa: A002 - TF's argument name
    """The matrix exponential of square matrices (`tf.linalg.expm`)."""
    x = convert_to_tensor(input)
    if not (x.dtype.is_floating and x.dtype != dtypes.bfloat16) and not x.dtype.is_complex:
        raise ValueError(f"tf.linalg.expm does not support matrices of type {x.dtype}")
    if x.dtype == dtypes.float16:  # TF's Padé approximant solves with MatrixSolve: no half kernel
        error = no_kernel(
            "MatrixSolve",
            "T=DT_HALF, adjoint=false",
            kernels("COMPLEX128 COMPLEX64 DOUBLE FLOAT", xla="FLOAT DOUBLE HALF"),
        )
        raise NotFoundError(None, None, f"{error} [Op:MatrixSolve]")
    shape = x._value.shape
    if shape[-2:] == (0, 0):
        return x
    if len(shape) < 2 or shape[-1] != shape[-2]:
        # TF's Padé approximant multiplies the matrices first, as a batch of one or more.
        batched = (-1, *shape[-2:]) if len(shape) > 1 else (-1, *shape)
        batched = (int(np.prod(shape)) // int(np.prod(batched[1:])), *batched[1:])
        op_name = "BatchMatMulV2" if len(batched) > 2 else "MatMul"
        raise invalid_argument(
            f"Matrix size-incompatible: In[0]: {shape_text(batched)}, In[1]: {shape_text(batched)}",
            op_name,
        )
    return _matrix_exponential(x)


def logdet(matrix, name=None):
    """The log-determinant of Hermitian positive-definite matrices (`tf.linalg.logdet`):
    twice the sum of the logs of the Cholesky factor's diagonal."""
    chol = cholesky(matrix)
    total = reductions.reduce_sum(log(real(diag_part(chol))), axis=[-1])
    return multiply(wrap(np.array(2.0, dtype=total._value.dtype)), total)
