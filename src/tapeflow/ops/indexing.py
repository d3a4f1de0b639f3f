"""Indexing: `tensor[...]` (TF's StridedSlice) beside its gradient."""

from __future__ import annotations

import numpy as np

from tapeflow.core.registry import KernelError, op
from tapeflow.core.tensor import Tensor

_INDEX_HELP = (
    "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
    "tf.int32/tf.int64 tensors are valid indices, got "
)


def _as_int(value, allow_none: bool = False):
    if value is None and allow_none:
        return None
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return int(value)
    if hasattr(type(value), "__tf_tensor__") and not isinstance(value, Tensor):
        value = value.value()
    if isinstance(value, Tensor) and value._value.ndim == 0 and value._value.dtype.kind in "iu":
        return int(value._value)
    raise TypeError(_INDEX_HELP + (repr(value) if isinstance(value, Tensor) else str(value)))


def index_key(key) -> tuple:
    """A `__getitem__` key as a tuple of ints, slices of ints, None and Ellipsis."""
    if not isinstance(key, tuple):
        key = tuple(key) if isinstance(key, list) else (key,)  # TF reads a list as a tuple
    index = []
    for k in key:
        if k is None or k is Ellipsis:
            index.append(k)
        elif isinstance(k, slice):
            index.append(
                slice(_as_int(k.start, True), _as_int(k.stop, True), _as_int(k.step, True))
            )
        else:
            index.append(_as_int(k))
    return tuple(index)


def _check(shape: tuple, index: tuple) -> None:
    """TF's errors for an index that does not fit `shape`."""
    if index.count(Ellipsis) > 1:
        raise KernelError("Multiple ellipses in slice spec not allowed")
    real = [k for k in index if k is not None and k is not Ellipsis]
    if not shape and real:
        raise KernelError("Attempting to slice scalar input.")
    if len(real) > len(shape):
        raise KernelError(
            f"Index out of range using input dim {len(shape)}; input has only {len(shape)} dims"
        )
    dim = 0
    for k in index:
        if k is Ellipsis:
            dim += len(shape) - len(real)
        elif isinstance(k, int):
            if not -shape[dim] <= k < shape[dim]:
                raise KernelError(f"slice index {k} of dimension {dim} out of bounds.")
            dim += 1
        elif isinstance(k, slice):
            if k.step == 0:
                raise KernelError(f"strides[{dim}] must be non-zero")
            dim += 1


@op("StridedSlice")
def strided_slice_op(x, *, index):
    """x[index], with `index` a tuple of ints, slices, None and Ellipsis."""
    _check(x.shape, index)
    return x[index]


@strided_slice_op.defvjp
def _strided_slice_vjp(dy, y, x, *, index):
    return strided_slice_grad(dy, shape=x._value.shape, index=index)


@op("StridedSliceGrad")
def strided_slice_grad(dy, *, shape, index):
    """Zeros of `shape` with `dy` placed at `index` (the adjoint of slicing)."""
    out = np.zeros(shape, dtype=dy.dtype)
    out[index] = dy
    return out


@strided_slice_grad.defvjp
def _strided_slice_grad_vjp(ddx, dx, dy, *, shape, index):
    return strided_slice_op(ddx, index=index)


def getitem(tensor, key):
    """`tensor[key]` with TF's rules: ints, slices, `...`, `tf.newaxis` and int scalars."""
    return strided_slice_op(tensor, index=index_key(key))
