"""Gathers and their adjoints: `tf.gather`, `tf.gather_nd`, `tf.scatter_nd` and
`tf.math.unsorted_segment_sum` (TF's GatherV2, GatherNd, ScatterNd, UnsortedSegmentSum), each
beside its gradient."""

from __future__ import annotations

import math

import numpy as np

from tapeflow.core import errors
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import KernelError, TypeList, op
from tapeflow.core.shape import TensorShape
from tapeflow.core.tensor import wrap
from tapeflow.ops import _indices, creation, elementwise, indexed_slices, shapes
from tapeflow.ops._indices import INT16_32_64, NUMBER_ENUMS, NUMBER_TYPES, position_text, shape_text

_GATHER_DEF = (
    "Op<name=GatherV2; signature=params:Tparams, indices:Tindices, axis:Taxis -> "
    "output:Tparams; attr=batch_dims:int,default=0; attr=Tparams:type; attr=Tindices:type,"
    "allowed=[DT_INT16, DT_INT32, DT_INT64]; attr=Taxis:type,allowed=[DT_INT32, DT_INT64]>"
)
_GATHER_ND_DEF = (
    "Op<name=GatherNd; signature=params:Tparams, indices:Tindices -> output:Tparams; "
    "attr=Tparams:type; attr=Tindices:type,allowed=[DT_INT16, DT_INT32, DT_INT64]; "
    'attr=bad_indices_policy:string,default="">'
)
_SCATTER_ND_DEF = (
    "Op<name=ScatterNd; signature=indices:Tindices, updates:T, shape:Tindices -> output:T; "
    "attr=T:type; attr=Tindices:type,allowed=[DT_INT16, DT_INT32, DT_INT64]; "
    'attr=bad_indices_policy:string,default="">'
)
_UNSORTED_SEGMENT_SUM_DEF = (
    "Op<name=UnsortedSegmentSum; signature=data:T, segment_ids:Tindices, "
    "num_segments:Tnumsegments -> output:T; attr=T:type,allowed=[{enums}]; "
    "attr=Tindices:type,allowed=[DT_INT16, DT_INT32, DT_INT64]; attr=Tnumsegments:type,"
    "default=DT_INT32,allowed=[DT_INT32, DT_INT64]>"
)
_UNSORTED_SEGMENT_SUM_TYPES = TypeList(*NUMBER_TYPES, op_def=_UNSORTED_SEGMENT_SUM_DEF)
_UNSORTED_SEGMENT_SUM_DEF = _UNSORTED_SEGMENT_SUM_DEF.format(enums=NUMBER_ENUMS)


def _first_bad(bad: np.ndarray) -> int:
    return int(np.argmax(bad.reshape(-1)))


# -- GatherV2 ---------------------------------------------------------------------------------
def _gather_dims(params_shape: tuple, indices_shape: tuple, axis: int, batch_dims: int):
    """(axis, batch_dims) made non-negative and checked, as TF's GatherV2 kernel does."""
    rank, indices_rank = len(params_shape), len(indices_shape)
    if rank < 1:
        raise KernelError("params must be at least 1 dimensional")
    least = -axis if axis < 0 else axis + 1
    if rank < least:
        raise KernelError(f"Shape must be at least rank {least} but is rank {rank}")
    axis = axis + rank if axis < 0 else axis
    if batch_dims != 0:
        if not -indices_rank <= batch_dims <= indices_rank:
            raise KernelError(
                f"Expected batch_dims in the range [{-indices_rank}, {indices_rank}], "
                f"but got {batch_dims}"
            )
        batch_dims = batch_dims + indices_rank if batch_dims < 0 else batch_dims
        if batch_dims >= rank:
            raise KernelError(f"batch_dims ({batch_dims}) must be less than rank(params) ({rank}).")
        if axis < batch_dims:
            raise KernelError(
                f"batch_dims ({batch_dims}) must be less than or equal to axis ({axis})."
            )
        for i in range(batch_dims):
            if params_shape[i] != indices_shape[i]:
                raise KernelError(
                    f"params.shape[{i}]: {params_shape[i]} should be equal to "
                    f"indices.shape[{i}]: {indices_shape[i]}"
                )
    return axis, batch_dims


def _batch_take(params, indices, axis: int, batch_dims: int):
    """np.take along `axis`, separately for each of the leading `batch_dims` entries."""
    batch, outer = params.shape[:batch_dims], params.shape[batch_dims:axis]
    rest = indices.shape[batch_dims:]
    size = math.prod(batch)
    moved = np.moveaxis(params.reshape((size,) + params.shape[batch_dims:]), 1 + len(outer), 1)
    rows = np.arange(size).reshape((size,) + (1,) * len(rest))
    taken = moved[rows, indices.reshape((size,) + rest)]  # (size, *rest, *outer, *inner)
    r, o = len(rest), len(outer)
    order = [0, *range(1 + r, 1 + r + o), *range(1, 1 + r), *range(1 + r + o, taken.ndim)]
    return taken.transpose(order).reshape(batch + outer + rest + params.shape[axis + 1 :])


@op("GatherV2", match=())
def gather_op(params, indices, *, axis=0, batch_dims=0):
    """Slices of `params` along `axis` at `indices`, per batch entry (TF's GatherV2)."""
    _indices.check_index_dtype(indices, "Tindices", INT16_32_64, _GATHER_DEF, "GatherV2")
    axis, batch_dims = _gather_dims(params.shape, indices.shape, axis, batch_dims)
    size = params.shape[axis]
    bad = (indices < 0) | (indices >= size)
    if bad.any():
        i = _first_bad(bad)
        raise KernelError(
            f"indices{position_text(indices.shape, i)} = {indices.reshape(-1)[i]} "
            f"is not in [0, {size})"
        )
    if batch_dims == 0:
        return np.take(params, indices, axis=axis)
    return _batch_take(params, indices, axis, batch_dims)


def _gather_grad_parts(dy, indices, params_shape: tuple, shape_dtype=np.int32) -> tuple:
    """The gradient of an axis-0 gather in TF's sparse form: (values, flat indices, dense
    shape), `values` holding one row of `dy` per index."""
    count = indices._value.size
    rows = (count,) + tuple(params_shape[1:])
    values = dy if dy._value.shape == rows else shapes.reshape_op(dy, shape=rows)
    flat = indices if indices._value.ndim == 1 else shapes.reshape_op(indices, shape=(count,))
    return values, flat, wrap(np.array(params_shape, dtype=shape_dtype))


def gather_rows_grad(dy, indices, params_shape: tuple, shape_dtype=np.int32):
    """Gradient with respect to the rows that an axis-0 gather took: IndexedSlices, as TF's
    (spec §10.5); it stays sparse through identities and variable reads."""
    return indexed_slices.IndexedSlices(*_gather_grad_parts(dy, indices, params_shape, shape_dtype))


def _gathered_positions(indices: np.ndarray, shape: tuple, axis: int, batch_dims: int):
    """For each slice a gather took (the leading dimensions of its output), the row-major
    position of its source among the slices `shape[:axis + 1]` of params."""
    lead = tuple(shape[:axis]) + indices.shape[batch_dims:]
    position = np.zeros((1,) * len(lead), dtype=np.int64)
    for d in range(axis):
        coordinate = np.arange(shape[d]).reshape((shape[d],) + (1,) * (len(lead) - d - 1))
        position = position * shape[d] + coordinate
    taken = indices.reshape(indices.shape[:batch_dims] + (1,) * (axis - batch_dims) + lead[axis:])
    position = position * shape[axis] + taken
    return np.broadcast_to(position, lead).reshape(-1)


@gather_op.defvjp
def _gather_vjp(dy, y, params, indices, *, axis, batch_dims):
    shape = params._value.shape
    if axis == 0:  # TF's IndexedSlices case: the axis attribute is literally 0
        return gather_rows_grad(dy, indices, shape), None
    # Other axes: a dense sum of dy's slices into the positions they came from (TF transposes
    # the axis to the front and uses UnsortedSegmentSum; positions give the same sum).
    axis, batch_dims = _gather_dims(shape, indices._value.shape, axis, batch_dims)
    positions = _gathered_positions(indices._value, shape, axis, batch_dims)
    inner = tuple(shape[axis + 1 :])
    values = shapes.reshape_op(dy, shape=(positions.size,) + inner)
    slices = math.prod(shape[: axis + 1])
    summed = unsorted_segment_sum_op(values, wrap(positions), num_segments=slices)
    return shapes.reshape_op(summed, shape=shape), None


def _axis_value(axis):
    """A Python int for gather's `axis` (an int or an int32/int64 scalar tensor)."""
    array = np.asarray(convert_to_tensor(axis)._value)
    if array.dtype not in _indices.INT32_64:
        message = _indices.type_list_message(
            "GatherV2", "Taxis", array.dtype, _indices.INT32_64, _GATHER_DEF
        )
        raise errors.invalid_argument(message, "GatherV2")
    return int(array)


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Gathers slices of `params` along `axis` at `indices` (`tf.gather`); the leading
    `batch_dims` dimensions of params and indices are batch dimensions."""
    axis = _axis_value(batch_dims if axis is None else axis)
    # TF's tf.gather passes batch_dims to the op only for a non-zero axis
    return gather_op(params, indices, axis=axis, batch_dims=int(batch_dims) if axis else 0)


# -- GatherNd ---------------------------------------------------------------------------------
@op("GatherNd", match=())
def gather_nd_op(params, indices):
    """Slices of `params` at the index tuples in the last dimension of `indices`."""
    _indices.check_index_dtype(indices, "Tindices", INT16_32_64, _GATHER_ND_DEF, "GatherNd")
    if params.ndim < 1:
        raise KernelError("params must be at least a vector")
    if indices.ndim < 1:
        raise KernelError("indices must be at least a vector")
    depth, lead = indices.shape[-1], indices.shape[:-1]
    if depth > params.ndim:
        raise KernelError(
            "index innermost dimension length must be <= params rank; saw: "
            f"{depth} vs. {params.ndim}"
        )
    tuples = indices.reshape(math.prod(lead), depth)
    if tuples.shape[0] and params.size == 0:
        raise KernelError(
            "Requested more than 0 entries, but params is empty.  Params shape: "
            f"{shape_text(params.shape)}"
        )
    bad = ((tuples < 0) | (tuples >= np.array(params.shape[:depth], dtype=np.int64))).any(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        raise KernelError(
            f"indices{position_text(lead, i)} = [{', '.join(str(v) for v in tuples[i])}] does "
            f"not index into param shape {shape_text(params.shape)}, node name: GatherNd"
        )
    if depth == 0:  # every empty index tuple selects the whole of params
        return np.broadcast_to(params, lead + params.shape).copy()
    return params[tuple(tuples.T)].reshape(lead + params.shape[depth:])


@gather_nd_op.defvjp
def _gather_nd_vjp(dy, y, params, indices):
    shape, index = params._value.shape, indices._value
    if index.ndim == 2 and index.shape[1] == 1:  # rows: IndexedSlices in TF
        return gather_rows_grad(dy, indices, shape, index.dtype), None
    return scatter_nd_op(indices, dy, shape=shape), None


def gather_nd(params, indices, batch_dims=0, name=None):
    """Gathers slices of `params` at the index tuples in `indices` (`tf.gather_nd`); the
    leading `batch_dims` dimensions are batch dimensions."""
    batch_dims = int(convert_to_tensor(batch_dims)._value)
    if batch_dims == 0:
        return gather_nd_op(params, indices)
    params, indices = convert_to_tensor(params), convert_to_tensor(indices)
    params_shape, indices_shape = params._value.shape, indices._value.shape
    if batch_dims < 0:
        raise ValueError("tf.gather_nd does not allow negative batch_dims.")
    for label, rank in (("indices", len(indices_shape)), ("params", len(params_shape))):
        if batch_dims >= rank:
            raise ValueError(
                f"Argument `batch_dims` = {batch_dims} must be less than rank(`{label}`) = {rank}"
            )
    # As TF: flatten the batch dimensions of indices, prepend each entry's batch coordinates
    # to its index tuples, gather without batches, then restore the batch shape.
    batch = params_shape[:batch_dims]
    size = math.prod(batch)
    flat = shapes.reshape_op(indices, shape=(size,) + indices_shape[batch_dims:])._value
    grid = np.stack(np.unravel_index(np.arange(size), batch), axis=-1).astype(flat.dtype)
    grid = grid.reshape((size,) + (1,) * (flat.ndim - 2) + (batch_dims,))
    grid = np.broadcast_to(grid, flat.shape[:-1] + (batch_dims,))
    out = gather_nd_op(params, wrap(np.concatenate([grid, flat], axis=-1)))
    return shapes.reshape_op(out, shape=batch + out._value.shape[1:])


# -- ScatterNd --------------------------------------------------------------------------------
@op("ScatterNd", match=())
def scatter_nd_op(indices, updates, *, shape):
    """Zeros of `shape` with the slices of `updates` added at the index tuples `indices`."""
    _indices.check_index_dtype(indices, "Tindices", INT16_32_64, _SCATTER_ND_DEF, "ScatterNd")
    if indices.ndim < 1:
        raise KernelError(f"Indices shape must have rank at least one. Found:{shape_text(())}")
    if updates.ndim < 1:
        raise KernelError(f"Updates shape must have rank at least one. Found:{shape_text(())}")
    for d in shape:
        if d < 0:
            raise KernelError(f"Dimension {d} must be >= 0")
    _indices.check_update_shape(shape, indices.shape, updates.shape)
    tuples = indices.reshape(-1, indices.shape[-1] if indices.ndim > 1 else 1)
    if math.prod(shape) == 0 and indices.size:
        raise KernelError(
            "Indices and updates specified for empty output.  indices shape: "
            f"{shape_text(indices.shape)}"
        )
    _indices.check_in_bounds(tuples, shape)
    out = np.zeros(shape, dtype=updates.dtype)
    _indices.scatter_add(out, tuples, updates)
    return out


@scatter_nd_op.defvjp
def _scatter_nd_vjp(dy, y, indices, updates, *, shape):
    return None, gather_nd_op(dy, indices)


def scatter_nd(indices, updates, shape, name=None):
    """Scatters `updates` into zeros of `shape` at `indices`, adding duplicates
    (`tf.scatter_nd`)."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if _indices.is_tensor_like(indices) and _indices.is_tensor_like(shape):
        indices, shape = convert_to_tensor(indices), convert_to_tensor(shape)
        if indices.dtype != shape.dtype:
            raise errors.invalid_argument(
                "cannot compute ScatterNd as input #2(zero-based) was expected to be a "
                f"{indices.dtype._type_string} tensor but is a {shape.dtype._type_string} tensor",
                "ScatterNd",
            )
    shape = convert_to_tensor(shape)._value
    if shape.ndim != 1:
        raise errors.invalid_argument("Shape must be a vector", "ScatterNd")
    return scatter_nd_op(indices, updates, shape=_indices.int_tuple(shape))


# -- UnsortedSegmentSum -----------------------------------------------------------------------
@op("UnsortedSegmentSum", dtypes=_UNSORTED_SEGMENT_SUM_TYPES, match=())
def unsorted_segment_sum_op(data, segment_ids, *, num_segments):
    """Sums of the slices of `data` that share a segment id; negative ids are dropped."""
    ids = segment_ids
    _indices.check_index_dtype(
        ids, "Tindices", INT16_32_64, _UNSORTED_SEGMENT_SUM_DEF, "UnsortedSegmentSum"
    )
    if data.shape[: ids.ndim] != ids.shape:
        raise KernelError(
            f"data.shape = {shape_text(data.shape)} does not start with segment_ids.shape = "
            f"{shape_text(ids.shape)}"
        )
    if num_segments < 0:
        raise KernelError(f"Input num_segments == {num_segments} must not be negative.")
    bad = ids >= num_segments
    if bad.any():
        i = _first_bad(bad)
        raise KernelError(
            f"segment_ids{position_text(ids.shape, i)} = {ids.reshape(-1)[i]} is out of range "
            f"[0, {num_segments})"
        )
    flat = ids.reshape(-1)
    rows = data.reshape(flat.shape + data.shape[ids.ndim :])
    out = np.zeros((num_segments,) + data.shape[ids.ndim :], dtype=data.dtype)
    keep = flat >= 0
    if keep.all():
        np.add.at(out, flat, rows)
    else:
        np.add.at(out, flat[keep], rows[keep])
    return out


@unsorted_segment_sum_op.defvjp
def _unsorted_segment_sum_vjp(dy, y, data, segment_ids, *, num_segments):
    ids = segment_ids._value
    if not ids.size or ids.min() >= 0:
        return gather_op(dy, segment_ids), None
    # TF gathers at max(ids, 0) and puts zeros where the id was negative (dropped data).
    gathered = gather_op(dy, wrap(np.maximum(ids, 0)))
    keep = (ids >= 0).reshape(ids.shape + (1,) * (gathered._value.ndim - ids.ndim))
    return elementwise.select(wrap(keep), gathered, creation.zeros_like(gathered)), None


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """Sums the slices of `data` per segment id, for ids in [0, num_segments); negative ids
    are dropped (`tf.math.unsorted_segment_sum`)."""
    count = convert_to_tensor(num_segments)._value
    if count.ndim != 0:
        raise errors.invalid_argument(
            f"num_segments should be a scalar, not shape {shape_text(count.shape)}",
            "UnsortedSegmentSum",
        )
    if count.dtype not in _indices.INT32_64:
        message = _indices.type_list_message(
            "UnsortedSegmentSum",
            "Tnumsegments",
            count.dtype,
            _indices.INT32_64,
            _UNSORTED_SEGMENT_SUM_DEF,
        )
        raise errors.invalid_argument(message, "UnsortedSegmentSum")
    return unsorted_segment_sum_op(data, segment_ids, num_segments=int(count))
