"""Linear algebra (`tf.matmul`, ...), each beside its gradient."""

from __future__ import annotations

import numpy as np

from tapeflow.core.registry import KernelError, op
from tapeflow.ops import _types as T
from tapeflow.ops._broadcast import sum_to_shape
from tapeflow.ops.elementwise import conj


def _t(a: np.ndarray) -> np.ndarray:
    """Swaps the last two axes."""
    return np.swapaxes(a, -1, -2)


def _shape_text(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


@op("MatMul", dtypes=T.MATMUL)
def _matmul_2d(a, b, *, transpose_a=False, transpose_b=False):
    if a.ndim != 2 or b.ndim != 2:
        rank = a.ndim if a.ndim != 2 else b.ndim
        raise KernelError(f"In[0] and In[1] ndims must be == 2: {rank}")
    a2 = a.T if transpose_a else a
    b2 = b.T if transpose_b else b
    if a2.shape[1] != b2.shape[0]:
        raise KernelError(
            f"Matrix size-incompatible: In[0]: {_shape_text(a.shape)}, In[1]: "
            f"{_shape_text(b.shape)}"
        )
    return np.matmul(a2, b2)


@_matmul_2d.defvjp
def _matmul_2d_vjp(dy, y, a, b, *, transpose_a, transpose_b, needs):
    # y = A @ B with A = op(a), B = op(b): dA = dy @ Bᵀ, dB = Aᵀ @ dy, then undo op().
    # Complex: the transposes are adjoints (TF's convention), so conjugate the other factor.
    a, b = conj(a), conj(b)
    da = db = None
    if needs[0]:
        if transpose_a:
            da = _matmul_2d(b, dy, transpose_a=transpose_b, transpose_b=True)
        else:
            da = _matmul_2d(dy, b, transpose_b=not transpose_b)
    if needs[1]:
        if transpose_b:
            db = _matmul_2d(dy, a, transpose_a=True, transpose_b=transpose_a)
        else:
            db = _matmul_2d(a, dy, transpose_a=not transpose_a)
    return da, db


@op("BatchMatMulV2", dtypes=T.BATCH_MATMUL)
def _batch_matmul(x, y, *, adj_x=False, adj_y=False):
    for i, v in enumerate((x, y)):
        if v.ndim < 2:
            raise KernelError(f"In[{i}] ndims must be >= 2: {v.ndim}")
    x2 = _t(x) if adj_x else x
    y2 = _t(y) if adj_y else y
    if x2.shape[-1] != y2.shape[-2]:
        raise KernelError(
            f"Matrix size-incompatible: In[0]: {_shape_text(x.shape)}, In[1]: "
            f"{_shape_text(y.shape)}"
        )
    try:
        np.broadcast_shapes(x.shape[:-2], y.shape[:-2])
    except ValueError:
        raise KernelError(
            f"In[0] and In[1] must have compatible batch dimensions: "
            f"{_shape_text(x.shape)} vs. {_shape_text(y.shape)}"
        ) from None
    return np.matmul(x2, y2)


@_batch_matmul.defvjp
def _batch_matmul_vjp(dz, z, x, y, *, adj_x, adj_y, needs):
    x, y = conj(x), conj(y)
    dx = dy = None
    if needs[0]:
        if adj_x:
            dx = _batch_matmul(y, dz, adj_x=adj_y, adj_y=True)
        else:
            dx = _batch_matmul(dz, y, adj_y=not adj_y)
        dx = sum_to_shape(dx, x._value.shape)  # batch axes may have broadcast
    if needs[1]:
        if adj_y:
            dy = _batch_matmul(dz, x, adj_x=True, adj_y=adj_x)
        else:
            dy = _batch_matmul(x, dz, adj_x=not adj_x)
        dy = sum_to_shape(dy, y._value.shape)
    return dx, dy


def matmul(
    a,
    b,
    transpose_a=False,
    transpose_b=False,
    adjoint_a=False,
    adjoint_b=False,
    a_is_sparse=False,
    b_is_sparse=False,
    output_type=None,
    grad_a=False,
    grad_b=False,
    name=None,
):
    """Multiplies matrix `a` by matrix `b` (`tf.matmul`), with batch axes for rank > 2."""
    a, b = _matmul_2d.convert_inputs((a, b))
    if transpose_a and adjoint_a or transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if adjoint_a:
        a, transpose_a = conj(a), True
    if adjoint_b:
        b, transpose_b = conj(b), True
    if a._value.ndim == 2 and b._value.ndim == 2 or a._value.ndim < 2 and b._value.ndim < 3:
        return _matmul_2d(a, b, transpose_a=transpose_a, transpose_b=transpose_b)
    return _batch_matmul(a, b, adj_x=transpose_a, adj_y=transpose_b)
