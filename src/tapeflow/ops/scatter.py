"""Scatters into a tensor and sorted segment sums: `tf.tensor_scatter_nd_update` (also `_add`
and `_sub`) and `tf.math.segment_sum`, each beside its gradient."""

from __future__ import annotations

import numpy as np

from tapeflow.core.registry import KernelError, TypeList, op
from tapeflow.ops import _indices, creation, elementwise
from tapeflow.ops._indices import (
    NUMBER_ENUMS,
    NUMBER_TYPES,
    check_in_bounds,
    scatter_add,
    shape_text,
)
from tapeflow.ops.gather import gather_nd_op, gather_op

_TENSOR_SCATTER_DEF = (
    "Op<name={name}; signature=tensor:T, indices:Tindices, updates:T -> output:T; "
    "attr=T:type; attr=Tindices:type,allowed=[{indices}]; "
    'attr=bad_indices_policy:string,default="">'
)
# TensorScatterUpdate also lists uint16, for which TF has no CPU kernel
_UPDATE_INDEX_TYPES = (*_indices.INT16_32_64, np.dtype(np.uint16))
_SEGMENT_SUM_DEF = (
    "Op<name=SegmentSum; signature=data:T, segment_ids:Tindices -> output:T; "
    "attr=T:type,allowed=[{enums}]; attr=Tindices:type,allowed=[DT_INT32, DT_INT64]>"
)
_SEGMENT_SUM_TYPES = TypeList(*NUMBER_TYPES, op_def=_SEGMENT_SUM_DEF)
_SEGMENT_SUM_DEF = _SEGMENT_SUM_DEF.format(enums=NUMBER_ENUMS)


# -- TensorScatterUpdate, TensorScatterAdd, TensorScatterSub -------------------------------------
def _tensor_scatter_tuples(name: str, allowed: tuple, tensor, indices, updates) -> np.ndarray:
    """The index tuples of a TensorScatter* op as an [n, depth] array, after TF's checks."""
    enums = ", ".join("DT_" + str(d).upper() for d in allowed)
    op_def = _TENSOR_SCATTER_DEF.format(name=name, indices=enums)
    _indices.check_index_dtype(indices, "Tindices", allowed, op_def, name)
    if indices.ndim < 1:
        raise KernelError(f"Indices shape must have rank at least one. Found:{shape_text(())}")
    if updates.ndim < 1:
        raise KernelError(f"Updates shape must have rank at least one. Found:{shape_text(())}")
    if not (indices.size == 0 and updates.size == 0) and 0 in (
        tensor.size,
        indices.size,
        updates.size,
    ):
        raise KernelError("Indices and updates specified for empty output shape")
    outer = indices.ndim - 1
    if indices.shape[:outer] != updates.shape[:outer]:
        raise KernelError(
            "Outer dimensions of indices and update must match. Indices shape: "
            f"{shape_text(indices.shape)}, updates shape:{shape_text(updates.shape)}"
        )
    depth = indices.shape[outer]
    if updates.ndim - outer != tensor.ndim - depth:
        raise KernelError(
            "Inner dimensions of output shape must match inner dimensions of updates shape. "
            f"Output: {shape_text(tensor.shape)} updates: {shape_text(updates.shape)}"
        )
    if updates.shape[outer:] != tensor.shape[depth:]:
        raise KernelError(
            f"The inner {tensor.ndim - depth} dimensions of output.shape="
            f"{shape_text(tensor.shape)} must match the inner {updates.ndim - outer} dimensions "
            f"of updates.shape={shape_text(updates.shape)}"
        )
    tuples = indices.reshape(-1, depth)
    check_in_bounds(tuples, tensor.shape)
    return tuples


@op("TensorScatterUpdate", match=(0, 2))
def tensor_scatter_update_op(tensor, indices, updates):
    """`tensor` with the slices at the index tuples `indices` replaced by `updates` (the
    last one wins among repeated indices)."""
    tuples = _tensor_scatter_tuples(
        "TensorScatterUpdate", _UPDATE_INDEX_TYPES, tensor, indices, updates
    )
    out = tensor.copy()
    depth = tuples.shape[1]
    slices = updates.reshape((tuples.shape[0],) + tensor.shape[depth:])
    if depth:
        out[tuple(tuples.T)] = slices
    elif len(slices):  # every update replaces the whole tensor
        out[...] = slices[-1]
    return out


@tensor_scatter_update_op.defvjp
def _tensor_scatter_update_vjp(dy, y, tensor, indices, updates, *, needs):
    # TF: the replaced slices get no gradient; every update gets its slice of dy (repeated
    # indices included, although only the last one was kept).
    dtensor = dupdates = None
    if needs[0]:
        dtensor = tensor_scatter_update_op(dy, indices, creation.zeros_like(updates))
    if needs[2]:
        dupdates = gather_nd_op(dy, indices)
    return dtensor, None, dupdates


@op("TensorScatterAdd", match=(0, 2))
def tensor_scatter_add_op(tensor, indices, updates):
    """`tensor` with `updates` added at the index tuples `indices`."""
    tuples = _tensor_scatter_tuples("TensorScatterAdd", _indices.INT32_64, tensor, indices, updates)
    out = tensor.copy()
    scatter_add(out, tuples, updates)
    return out


@tensor_scatter_add_op.defvjp
def _tensor_scatter_add_vjp(dy, y, tensor, indices, updates, *, needs):
    return dy, None, gather_nd_op(dy, indices) if needs[2] else None


@op("TensorScatterSub", match=(0, 2))
def tensor_scatter_sub_op(tensor, indices, updates):
    """`tensor` with `updates` subtracted at the index tuples `indices`."""
    tuples = _tensor_scatter_tuples("TensorScatterSub", _indices.INT32_64, tensor, indices, updates)
    out = tensor.copy()
    scatter_add(out, tuples, np.negative(updates))  # wraps around for unsigned, as TF
    return out


@tensor_scatter_sub_op.defvjp
def _tensor_scatter_sub_vjp(dy, y, tensor, indices, updates, *, needs):
    dupdates = elementwise.negative(gather_nd_op(dy, indices)) if needs[2] else None
    return dy, None, dupdates


def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """A copy of `tensor` with the slices at `indices` replaced by `updates`
    (`tf.tensor_scatter_nd_update`)."""
    return tensor_scatter_update_op(tensor, indices, updates)


def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """A copy of `tensor` with `updates` added at `indices` (`tf.tensor_scatter_nd_add`)."""
    return tensor_scatter_add_op(tensor, indices, updates)


def tensor_scatter_nd_sub(tensor, indices, updates, name=None):
    """A copy of `tensor` with `updates` subtracted at `indices`
    (`tf.tensor_scatter_nd_sub`)."""
    return tensor_scatter_sub_op(tensor, indices, updates)


# -- SegmentSum ----------------------------------------------------------------------------------
def _check_segments(ids: np.ndarray, rows: int) -> None:
    """TF's walk over sorted segment ids: the first segment whose id does not grow, or that
    falls outside [0, rows), is the error."""
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    segments = ids[starts]
    shrinking = np.r_[segments[:-1] > segments[1:], False]
    bad = shrinking | (segments < 0) | (segments >= rows)
    if bad.any():
        k = int(np.argmax(bad))
        if shrinking[k]:
            raise KernelError("segment ids are not increasing")
        raise KernelError(
            f"Segment id {segments[k]} out of range [0, {rows}), possibly because "
            "'segment_ids' input is not sorted."
        )


@op("SegmentSum", dtypes=_SEGMENT_SUM_TYPES, match=())
def segment_sum_op(data, segment_ids):
    """Sums of the rows of `data` per (sorted) segment id."""
    ids = segment_ids
    _indices.check_index_dtype(ids, "Tindices", _indices.INT32_64, _SEGMENT_SUM_DEF, "SegmentSum")
    if data.ndim < 1:
        raise KernelError("input must be at least rank 1")
    if ids.ndim != 1:
        raise KernelError("segment_ids should be a vector.")
    if ids.size != data.shape[0]:
        raise KernelError("segment_ids should be the same size as dimension 0 of input.")
    rows = int(ids[-1]) + 1 if ids.size else 0
    if ids.size and ids[-1] < 0:
        raise KernelError("segment ids must be >= 0")
    if ids.size:
        _check_segments(ids, rows)
    out = np.zeros((rows,) + data.shape[1:], dtype=data.dtype)
    np.add.at(out, ids, data)
    return out


@segment_sum_op.defvjp
def _segment_sum_vjp(dy, y, data, segment_ids):
    return gather_op(dy, segment_ids), None


def segment_sum(data, segment_ids, name=None):
    """Sums the rows of `data` per segment id; ids are sorted and the output has
    `max(id) + 1` rows (`tf.math.segment_sum`)."""
    return segment_sum_op(data, segment_ids)
