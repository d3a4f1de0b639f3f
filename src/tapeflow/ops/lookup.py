"""`tf.boolean_mask` and `tf.nn.embedding_lookup`: gathers composed as TF composes them, so
their gradients take TF's forms (dense through boolean_mask's reshape; row gradients from
embedding_lookup)."""

from __future__ import annotations

import math

import numpy as np

from tapeflow.core import errors
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.shape import TensorShape
from tapeflow.core.tensor import wrap
from tapeflow.ops import clipping, elementwise, shapes
from tapeflow.ops.comparison import where_indices
from tapeflow.ops.gather import gather, gather_op, scatter_nd_op


def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """The entries of `tensor` where `mask` is true (`tf.boolean_mask`): the mask covers the
    dimensions `axis .. axis + rank(mask)`, which collapse into one."""
    tensor, mask = convert_to_tensor(tensor), convert_to_tensor(mask)
    mask_shape, shape = mask._value.shape, tensor._value.shape
    if not mask_shape:
        raise ValueError("mask cannot be scalar.")
    axis = 0 if axis is None else int(convert_to_tensor(axis)._value)
    covered = shape[axis : axis + len(mask_shape)]  # Python's slice rules, as TF's shape slice
    if not TensorShape(covered).is_compatible_with(TensorShape(mask_shape)):
        raise ValueError(
            f"Shapes {TensorShape(covered)} and {TensorShape(mask_shape)} are incompatible"
        )
    # TF always reshapes first (which also makes the gradient dense), then gathers the
    # positions of the true entries along the collapsed axis.
    collapsed = shape[:axis] + (math.prod(covered),) + shape[axis + len(mask_shape) :]
    tensor = shapes.reshape_op(tensor, shape=collapsed)
    positions = where_indices(shapes.reshape_op(mask, shape=(-1,)))
    positions = shapes.reshape_op(positions, shape=(positions._value.shape[0],))
    return gather(tensor, positions, axis=axis)


def _clip(values, ids, max_norm):
    """Embeddings rescaled to an L2 norm of at most `max_norm` (none if it is None)."""
    if max_norm is None:
        return values
    axes = list(range(ids._value.ndim, values._value.ndim))
    return clipping.clip_by_norm(values, max_norm, axes=axes)


def _partitions(flat: np.ndarray, total: int, count: int):
    """TF's "div" strategy: the shard of each id and its row there, ids split into
    contiguous ranges, the first `total % count` shards one row longer."""
    per, extras = divmod(total, count)
    shard = flat // (per + 1)
    if per:
        shard = np.maximum(shard, (flat - extras) // per)
    row = np.where(shard < extras, flat % (per + 1), (flat - extras) % max(per, 1))
    bad = (shard < 0) | (shard >= count)
    if bad.any():
        i = int(np.argmax(bad))
        raise errors.invalid_argument(
            f"partitions[{i}] = {shard[i]} is not in [0, {count})", "DynamicPartition"
        )
    return shard, row.astype(flat.dtype)


def embedding_lookup(params, ids, max_norm=None, name=None):
    """Rows `ids` of `params` (`tf.nn.embedding_lookup`); a list of tensors is one table split
    into consecutive row ranges ("div" partitioning). Rows are rescaled to an L2 norm of at
    most `max_norm` when it is given."""
    if params is None:
        raise ValueError("params must be specified")
    if isinstance(params, (list, tuple)) and not params:
        raise ValueError("Length of params is currently 0. Need at least one param.")
    shards = list(params) if isinstance(params, (list, tuple)) else [params]
    ids = convert_to_tensor(ids)
    if len(shards) == 1:
        return shapes.identity(_clip(gather(shards[0], ids), ids, max_norm))
    shards = [convert_to_tensor(p) for p in shards]
    flat = ids._value.reshape(-1)
    total = sum(p._value.shape[0] for p in shards)
    shard, row = _partitions(flat, total, len(shards))
    # Look up each shard's ids, then put every row back at its id's position (TF stitches
    # the parts together; scattering them into place is the same linear map).
    result = None
    for k, part in enumerate(shards):
        positions = np.flatnonzero(shard == k)
        rows = gather_op(part, wrap(row[positions]))
        placed = scatter_nd_op(
            wrap(positions.reshape(-1, 1)), rows, shape=(flat.size,) + rows._value.shape[1:]
        )
        result = placed if result is None else elementwise.add(result, placed)
    result = shapes.reshape_op(result, shape=ids._value.shape + result._value.shape[1:])
    return _clip(result, ids, max_norm)
