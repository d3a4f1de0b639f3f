"""Matrix decompositions (`tf.linalg.qr`, `svd`, `eigh`, `eigvalsh`) and `tf.linalg.pinv`,
each op beside its gradient (TF's formulas, with its Lorentz-broadened reciprocals)."""

from __future__ import annotations

import collections

import numpy as np

from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import op
from tapeflow.core.tensor import Tensor, wrap
from tapeflow.ops import creation, reductions, shapes
from tapeflow.ops._linalg_kernels import check_matrix, compute_dtype, kernels, no_kernel
from tapeflow.ops.diagonals import (
    diag,
    diag_part,
    matrix_band_part_op,
    matrix_diag_op,
    matrix_set_diag_op,
)
from tapeflow.ops.elementwise import (
    add,
    cast,
    greater,
    multiply,
    real,
    real_div,
    reciprocal,
    select,
    square,
    subtract,
)
from tapeflow.ops.linalg import adjoint, matmul
from tapeflow.ops.solvers import _types, triangular_solve

_SVD_KERNELS = kernels("FLOAT DOUBLE COMPLEX64 COMPLEX128", xla="FLOAT DOUBLE HALF")
_EIGH_KERNELS = kernels(
    "FLOAT DOUBLE COMPLEX64 COMPLEX128", xla="FLOAT DOUBLE COMPLEX64 COMPLEX128 HALF", xla_last=True
)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _constant(value, t: Tensor) -> Tensor:
    return wrap(np.array(value, dtype=t._value.dtype))


def _safe_reciprocal(x):
    """x / (x² + 1e-20): TF's broadening, finite where eigen- or singular values repeat."""
    return multiply(x, reciprocal(add(multiply(x, x), _constant(1e-20, x))))


def _pairwise_differences(values):
    """The matrices F[i, j] = 1 / (values[j] - values[i]) (broadened), zero on the diagonal."""
    difference = subtract(shapes.expand_dims(values, -2), shapes.expand_dims(values, -1))
    return matrix_set_diag_op(_safe_reciprocal(difference), creation.zeros_like(values))


# -- QR ---------------------------------------------------------------------------------------

Qr = collections.namedtuple("Qr", ["q", "r"])


@op(
    "Qr",
    dtypes=_types("Qr", "input:T -> q:T, r:T", " attr=full_matrices:bool,default=false;"),
)
def _qr(x, *, full_matrices=False):
    check_matrix(x, square=False)
    wide = compute_dtype(x)
    q, r = np.linalg.qr(
        x if wide is None else x.astype(wide), mode="complete" if full_matrices else "reduced"
    )
    return q.astype(x.dtype), r.astype(x.dtype)


def _solve_right_upper(x, r):
    """x @ r⁻¹ for upper-triangular r."""
    return adjoint(triangular_solve(r, adjoint(x), lower=False))


def _qr_grad_square_or_deep(q, r, dq, dr):
    # The gradient for rows >= columns (reduced Q): arXiv 2009.10071, as TF implements it.
    qdq = matmul(q, dq, adjoint_a=True)
    rdr = matmul(r, dr, adjoint_b=True)
    tril = matrix_band_part_op(
        add(subtract(qdq, adjoint(qdq)), subtract(rdr, adjoint(rdr))), num_lower=-1, num_upper=0
    )
    grad = add(
        matmul(q, add(dr, _solve_right_upper(tril, r))),
        _solve_right_upper(subtract(dq, matmul(q, qdq)), r),
    )
    if q.dtype.is_complex:  # the imaginary part of diag(R dRᴴ - QᴴdQ) needs a correction
        m = diag_part(subtract(rdr, adjoint(qdq)))
        correction = diag(subtract(m, cast(real(m), q.dtype)))
        grad = add(grad, _solve_right_upper(matmul(q, adjoint(correction)), r))
    return grad


@_qr.defvjp
def _qr_vjp(dys, ys, x, *, full_matrices):
    q, r = ys
    dq, dr = dys
    rows, cols = x._value.shape[-2:]
    if rows > cols and full_matrices:
        raise NotImplementedError(
            "QrGrad not implemented when nrows > ncols and full_matrices is true. Received "
            f"r.shape={r.shape} with nrows={rows}and ncols={cols}."
        )
    if rows >= cols:
        return _qr_grad_square_or_deep(q, r, dq, dr)
    # Wide: with A = [X, Y] and R = [U, V], X = Q U is square and Y = Q V.
    y = x[..., :, rows:]
    u = r[..., :, :rows]
    dv = dr[..., :, rows:]
    du = dr[..., :, :rows]
    dx = _qr_grad_square_or_deep(q, u, add(dq, matmul(y, dv, adjoint_b=True)), du)
    return shapes.concat([dx, matmul(q, dv)], axis=-1)


def qr(input, full_matrices=False, name=None):  # noqa: A002 - TF's argument name
    """The QR decompositions of matrices (`tf.linalg.qr`): a namedtuple `(q, r)`."""
    return Qr(*_qr(input, full_matrices=full_matrices))


# -- singular values --------------------------------------------------------------------------


@op(
    "Svd",
    dtypes=_types(
        "Svd",
        "input:T -> s:T, u:T, v:T",
        " attr=compute_uv:bool,default=true; attr=full_matrices:bool,default=false;",
    ),
)
def _svd(x, *, compute_uv=True, full_matrices=False):
    if x.dtype == np.float16:
        node = f"T=DT_HALF, compute_uv={_flag(compute_uv)}, full_matrices={_flag(full_matrices)}"
        raise no_kernel("Svd", node, _SVD_KERNELS)
    check_matrix(x, square=False)
    if not compute_uv:  # TF leaves u and v as unused scalars
        unused = np.zeros((), dtype=x.dtype)
        return np.linalg.svd(x, compute_uv=False).astype(x.dtype), unused, unused
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return s.astype(x.dtype), u, np.conj(np.swapaxes(vh, -1, -2))


@_svd.defvjp
def _svd_vjp(dys, ys, x, *, compute_uv, full_matrices):
    ds = cast(dys[0], x.dtype)
    if not compute_uv:  # dA = U diag(ds) Vᴴ, from a decomposition recomputed with vectors
        _, u, v = _svd(x, compute_uv=True)
        return matmul(u, matmul(diag(ds), v, adjoint_b=True))
    s, u, v = ys
    du, dv = dys[1:]
    rows, cols = x._value.shape[-2:]
    transposed = rows > cols
    if transposed:  # differentiate Aᴴ = V S Uᴴ, then take the adjoint of the result
        rows, cols = cols, rows
        u, v, du, dv = v, u, dv, du
    if full_matrices and abs(rows - cols) > 1:
        raise NotImplementedError(
            "svd gradient is not implemented for abs(m - n) > 1 when full_matrices is True. "
            f"Received: m={rows} and n={cols} from op input={x} with shape={x.shape}."
        )
    s = cast(s, x.dtype)
    s_matrix = diag(s)
    f = _pairwise_differences(square(s))
    s_inverse = diag(_safe_reciprocal(s))
    v1, dv1 = v[..., :, :rows], dv[..., :, :rows]
    f_u = multiply(f, matmul(u, du, adjoint_a=True))
    v_dv = matmul(v1, dv1, adjoint_a=True)
    f_v = multiply(f, v_dv)
    middle = add(
        add(diag(ds), matmul(add(f_u, adjoint(f_u)), s_matrix)),
        matmul(s_matrix, add(f_v, adjoint(f_v))),
    )
    grad = matmul(u, matmul(middle, v1, adjoint_b=True))
    if rows != cols:
        dv1_h = adjoint(dv1)
        extra = subtract(dv1_h, matmul(matmul(dv1_h, v1), v1, adjoint_b=True))
        if full_matrices:
            v2, dv2 = v[..., :, rows:cols], dv[..., :, rows:cols]
            extra = subtract(extra, matmul(matmul(v1, dv2, adjoint_a=True), v2, adjoint_b=True))
        grad = add(grad, matmul(matmul(u, s_inverse), extra))
    if x.dtype.is_complex:  # the phase of each singular-vector pair adds a term
        imaginary = matrix_diag_op(diag_part(v_dv))
        term = matmul(s_inverse, subtract(adjoint(imaginary), imaginary))
        half = _constant(0.5, grad)
        grad = add(grad, multiply(half, matmul(u, matmul(term, v1, adjoint_b=True))))
    return adjoint(grad) if transposed else grad


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """Singular values, and if asked singular vectors, of matrices (`tf.linalg.svd`):
    `s` alone, or `(s, u, v)` with `tensor = u @ diag(s) @ adjoint(v)`; `s` is real."""
    s, u, v = _svd(tensor, compute_uv=compute_uv, full_matrices=full_matrices)
    s = real(s)  # real singular values for complex matrices too
    return (s, u, v) if compute_uv else s


# -- Hermitian eigendecomposition -------------------------------------------------------------


@op(
    "SelfAdjointEigV2",
    dtypes=_types("SelfAdjointEigV2", "input:T -> e:T, v:T", " attr=compute_v:bool,default=true;"),
)
def _self_adjoint_eig(x, *, compute_v=True):
    # Like TF's kernel, only the lower triangle is read.
    if x.dtype == np.float16:
        raise no_kernel(
            "SelfAdjointEigV2", f"T=DT_HALF, compute_v={_flag(compute_v)}", _EIGH_KERNELS
        )
    check_matrix(x)
    if not compute_v:
        return np.linalg.eigvalsh(x).astype(x.dtype), np.zeros((), dtype=x.dtype)
    e, v = np.linalg.eigh(x)
    return e.astype(x.dtype), v


@_self_adjoint_eig.defvjp
def _self_adjoint_eig_vjp(dys, ys, x, *, compute_v):
    de, dv = dys
    if compute_v:
        e, v = ys
        f = _pairwise_differences(e)
        inner = add(diag(de), multiply(f, matmul(v, dv, adjoint_a=True)))
    else:
        _, v = _self_adjoint_eig(x, compute_v=True)
        inner = diag(de)
    grad = matmul(v, matmul(inner, v, adjoint_b=True))
    # The op reads the lower triangle only: symmetrize onto it, halving the diagonal.
    grad = matrix_band_part_op(add(grad, adjoint(grad)), num_lower=-1, num_upper=0)
    return matrix_set_diag_op(grad, multiply(_constant(0.5, grad), diag_part(grad)))


def eigh(tensor, name=None):
    """Eigenvalues and eigenvectors of Hermitian matrices (`tf.linalg.eigh`): `(e, v)`."""
    return _self_adjoint_eig(tensor, compute_v=True)


def eigvalsh(tensor, name=None):
    """Eigenvalues of Hermitian matrices (`tf.linalg.eigvalsh`)."""
    return _self_adjoint_eig(tensor, compute_v=False)[0]


# -- pseudo-inverse ---------------------------------------------------------------------------


def pinv(a, rcond=None, validate_args=False, name=None):
    """The Moore-Penrose pseudo-inverse of matrices (`tf.linalg.pinv`), from the SVD with
    singular values at or below `rcond * max(s)` dropped."""
    a = convert_to_tensor(a)
    if not a.dtype.is_floating:
        raise TypeError(f"Input `a` must have `float`-like `dtype` (saw {a.dtype.name}).")
    if a._value.ndim < 2:
        raise ValueError(f"Input `a` must have at least 2 dimensions (saw: {a._value.ndim}).")
    if rcond is None:
        rcond = 10.0 * max(a._value.shape[-2:]) * np.finfo(a._value.dtype).eps
    rcond = convert_to_tensor(rcond, dtype=a.dtype)
    s, u, v = svd(a)
    cutoff = multiply(rcond, reductions.reduce_max(s, axis=-1))
    s = select(greater(s, shapes.expand_dims(cutoff, -1)), s, _constant(np.inf, s))
    return matmul(real_div(v, shapes.expand_dims(s, -2)), u, adjoint_b=True)
