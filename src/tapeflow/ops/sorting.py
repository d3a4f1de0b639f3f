"""Sorting: `tf.sort` and `tf.argsort` (compositions of TopKV2, as in TF, so the gradient of
`tf.sort` is TopKV2's: `dy` scattered back to where each value came from) and `tf.unique`
(TF's Unique, which has no gradient)."""

from __future__ import annotations

import collections

import numpy as np

from tapeflow.core import dtypes, errors
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import KernelError, op
from tapeflow.core.tensor import wrap
from tapeflow.ops import _indices, arrays, elementwise
from tapeflow.ops.ranking import top_k_op

_DIRECTIONS = ("ASCENDING", "DESCENDING")


def _descending(values, axis: int, return_argsort: bool):
    """Values (or their indices) sorted largest first along `axis`, equal values in index
    order: TopKV2 over the whole axis, moved last and back by a transposition."""
    rank = values._value.ndim
    position = axis + rank if axis < 0 else axis
    if not 0 <= position < rank:  # TF reads the axis length as tf.shape(values)[axis]
        raise errors.invalid_argument(
            f"slice index {position} of dimension 0 out of bounds.", "StridedSlice"
        )
    count = values._value.shape[position]
    if position == rank - 1:
        perm = None
    else:  # swap the axis with the last one (a transposition is its own inverse)
        perm = list(range(rank))
        perm[position], perm[-1] = rank - 1, position
        perm = tuple(perm)
        values = arrays.transpose_op(values, perm=perm)
    result = top_k_op(values, k=count, sorted=True, index_type=np.dtype(np.int32))
    result = result[1] if return_argsort else result[0]
    return result if perm is None else arrays.transpose_op(result, perm=perm)


def _sort_or_argsort(values, axis, direction, return_argsort: bool):
    if direction not in _DIRECTIONS:
        raise ValueError(
            "Argument `direction` should be one of ASCENDING, DESCENDING. "
            f"Received: direction={direction}"
        )
    axis_value = convert_to_tensor(axis)._value
    if axis_value.ndim != 0:
        raise ValueError(f"Argument `axis` must be a constant scalar. Received: axis={axis}.")
    axis = int(axis_value)
    values = convert_to_tensor(values)
    if direction == "DESCENDING":
        return _descending(values, axis, return_argsort)
    # Ascending: sort descending a transform that reverses the order and keeps ties in
    # place, then undo it (TF's way; stable, and -x - 1 keeps the int minimum in range).
    dtype = values.dtype
    if dtype.is_unsigned:
        top = wrap(np.array(np.iinfo(dtype._np).max, dtype=dtype._np))
        result = _descending(elementwise.subtract(top, values), axis, return_argsort)
        return result if return_argsort else elementwise.subtract(top, result)
    if dtype.is_integer:
        flipped = elementwise.subtract(elementwise.negative(values), 1)
        result = _descending(flipped, axis, return_argsort)
        if return_argsort:
            return result
        return elementwise.subtract(elementwise.negative(result), 1)
    result = _descending(elementwise.negative(values), axis, return_argsort)
    return result if return_argsort else elementwise.negative(result)


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """`values` sorted along `axis` (`tf.sort`); equal values keep their order."""
    return _sort_or_argsort(values, axis, direction, return_argsort=False)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The int32 indices that sort `values` along `axis` (`tf.argsort`); the sort is always
    stable, as TF's is whatever `stable` says."""
    return _sort_or_argsort(values, axis, direction, return_argsort=True)


# -- Unique ---------------------------------------------------------------------------------------
Unique = collections.namedtuple("Unique", ["y", "idx"])

_INT32 = np.dtype(np.int32)
_UNIQUE_DEF = (
    "Op<name=Unique; signature=x:T -> y:T, idx:out_idx; attr=T:type; "
    "attr=out_idx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]>"
)


@op("Unique")  # differentiable in principle, but TF registers no gradient: LookupError
def unique_op(x, *, out_idx=_INT32):
    """The distinct values of a vector in order of first appearance, and for each element
    the position of its value among them. NaNs are all distinct, -0.0 equals 0.0."""
    if x.ndim != 1:
        raise KernelError("unique expects a 1D vector.")
    if x.dtype.kind in "fc":
        _, first, inverse = np.unique(x, return_index=True, return_inverse=True, equal_nan=False)
    else:
        _, first, inverse = np.unique(x, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # the distinct values by first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return x[first[order]], rank[inverse.reshape(-1)].astype(out_idx)


def unique(x, out_idx=dtypes.int32, name=None):
    """The distinct values of a 1-D tensor, in order of first appearance, and the index of
    each element's value among them (`tf.unique`), as the named tuple `(y, idx)`."""
    out_idx = dtypes.as_dtype(out_idx)._np
    if out_idx not in _indices.INT32_64:
        message = _indices.type_list_message(
            "Unique", "out_idx", out_idx, _indices.INT32_64, _UNIQUE_DEF
        )
        raise errors.invalid_argument(message, "Unique")
    return Unique(*unique_op(x, out_idx=out_idx))
