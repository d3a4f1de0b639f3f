"""Reductions (`tf.reduce_sum`, `tf.reduce_mean`, ...), each beside its gradient."""

from __future__ import annotations

import numpy as np

from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import invalid_argument
from tapeflow.core.registry import op
from tapeflow.core.tensor import Tensor, wrap
from tapeflow.ops import _types as T
from tapeflow.ops import elementwise, shapes


def normalize_axis(axis, ndim: int, op_name: str = "Sum") -> tuple | None:
    """`axis` as a sorted tuple of non-negative ints (None: all axes), checked against `ndim`."""
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis._value.tolist()
    elif isinstance(axis, np.ndarray):
        axis = axis.tolist()
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    result = set()
    for a in axes:
        a = int(a)
        if not -ndim <= a < ndim:
            raise invalid_argument(
                f"Invalid reduction dimension ({a} for input with {ndim} dimension(s)", op_name
            )
        result.add(a % ndim)
    return tuple(sorted(result))


def _kept_shape(shape: tuple, axis) -> tuple:
    """The shape of a reduction with keepdims=True."""
    if axis is None:
        return (1,) * len(shape)
    return tuple(1 if i in axis else d for i, d in enumerate(shape))


def _reduced_axis(x: np.ndarray, axis):
    return None if axis is None or x.ndim == 0 else axis


@op("Sum", dtypes=T.REDUCTION)
def sum_op(x, *, axis=None, keepdims=False):
    """Sum over `axis` (a tuple of axes, or None for all)."""
    return np.sum(x, axis=_reduced_axis(x, axis), keepdims=keepdims, dtype=x.dtype)


@sum_op.defvjp
def _sum_vjp(dy, y, x, *, axis, keepdims):
    shape = x._value.shape
    if not keepdims:
        dy = shapes.reshape_op(dy, shape=_kept_shape(shape, axis))
    return shapes.broadcast_to_op(dy, shape=shape)


@op("Mean", dtypes=T.REDUCTION)
def mean_op(x, *, axis=None, keepdims=False):
    """Mean over `axis`; integer means truncate toward zero, as TF's do."""
    axis = _reduced_axis(x, axis)
    if x.dtype.kind in "iu":
        count = x.size if axis is None else int(np.prod([x.shape[a] for a in axis]))
        total = np.sum(x, axis=axis, keepdims=keepdims, dtype=np.int64)
        return (total / max(count, 1)).astype(x.dtype)
    return np.mean(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


@mean_op.defvjp
def _mean_vjp(dy, y, x, *, axis, keepdims):
    dx = _sum_vjp(dy, y, x, axis=axis, keepdims=keepdims)
    count = max(x._value.size // max(y._value.size, 1), 1)
    return elementwise.real_div(dx, wrap(np.array(count, dtype=dx._value.dtype)))


def _reduction(reduce_op, input_tensor, axis, keepdims, op_name):
    x = convert_to_tensor(input_tensor)
    axis = normalize_axis(axis, x._value.ndim, op_name)
    return reduce_op(x, axis=axis, keepdims=bool(keepdims))


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Sum of elements across `axis` (all axes by default)."""
    return _reduction(sum_op, input_tensor, axis, keepdims, "Sum")


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """Mean of elements across `axis` (all axes by default)."""
    return _reduction(mean_op, input_tensor, axis, keepdims, "Mean")
