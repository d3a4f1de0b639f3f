"""Clipping: `tf.clip_by_value`, `tf.clip_by_norm`, `tf.clip_by_global_norm` and
`tf.linalg.global_norm`, composed of recorded ops exactly as TF composes them.

So the gradients and their kinks are TF's: `clip_by_value` is minimum-then-maximum (bounds
inclusive, a clipped element's gradient goes to the bound, second derivatives None), and the
norms avoid the NaN of sqrt at zero with `where`. Each takes `IndexedSlices` too, clipping
their values; the dense maths lives in one helper per function.
"""

from __future__ import annotations

from collections import abc

import numpy as np

from tapeflow.core.convert import constant, convert_to_tensor
from tapeflow.ops import creation, reductions
from tapeflow.ops.comparison import maximum, minimum
from tapeflow.ops.elementwise import cast, greater, select, sqrt
from tapeflow.ops.indexed_slices import IndexedSlices
from tapeflow.ops.losses import l2_loss
from tapeflow.ops.shapes import identity, stack


def _values(t):
    """The dense part of `t`: a tensor, or the values of IndexedSlices."""
    return convert_to_tensor(t.values if isinstance(t, IndexedSlices) else t)


def _like(t, values):
    """`values` in the form of `t`: IndexedSlices with t's indices, or the tensor itself."""
    if isinstance(t, IndexedSlices):
        return IndexedSlices(values, t.indices, t.dense_shape)
    return values


def _clip_values(values, clip_value_min, clip_value_max):
    clipped = minimum(values, clip_value_max)
    values.shape.assert_is_compatible_with(clipped.shape)  # no broadcasting beyond t
    clipped = maximum(clipped, clip_value_min)
    values.shape.assert_is_compatible_with(clipped.shape)
    return clipped


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clips values to [`clip_value_min`, `clip_value_max`] (`tf.clip_by_value`)."""
    return _like(t, _clip_values(_values(t), clip_value_min, clip_value_max))


def _clip_by_norm_values(values, clip_norm, axes):
    if np.isscalar(clip_norm):
        clip_norm = max(clip_norm, 0)  # a negative clip_norm counts as zero
    else:
        clip_norm = cast(maximum(clip_norm, 0), values.dtype)
    l2sum = reductions.reduce_sum(values * values, axes, keepdims=True)
    # sqrt's gradient is infinite at zero: take the root of ones there instead.
    positive = greater(l2sum, 0)
    l2sum_safe = select(positive, l2sum, creation.ones_like(l2sum))
    l2norm = select(positive, sqrt(l2sum_safe), l2sum)
    scaled = values * clip_norm
    values.shape.assert_is_compatible_with(scaled.shape)
    return identity(scaled / maximum(l2norm, clip_norm))


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Rescales `t` so that its L2 norm over `axes` (all axes by default) is at most
    `clip_norm` (`tf.clip_by_norm`)."""
    return _like(t, _clip_by_norm_values(_values(t), clip_norm, axes))


def _check_sequence(t_list) -> list:
    if not isinstance(t_list, abc.Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    return list(t_list)


def _global_norm_values(values: list):
    half_squared = reductions.reduce_sum(stack([l2_loss(v) for v in values if v is not None]))
    return sqrt(half_squared * constant(2.0, dtype=half_squared.dtype))


def global_norm(t_list, name=None):
    """sqrt of the sum of the squared L2 norms of the tensors in `t_list`, None entries
    skipped (`tf.linalg.global_norm`)."""
    t_list = _check_sequence(t_list)
    return _global_norm_values([None if t is None else _values(t) for t in t_list])


def _clip_by_global_norm_values(values: list, clip_norm, use_norm) -> list:
    scale = clip_norm * minimum(1.0 / use_norm, constant(1.0, dtype=use_norm.dtype) / clip_norm)
    # A no-op for a finite norm; NaN everywhere when it is inf or NaN, as TF signals it.
    scale = scale + (use_norm - use_norm)
    return [None if v is None else identity(v * cast(scale, v.dtype)) for v in values]


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scales every tensor of `t_list` by `clip_norm / max(global_norm, clip_norm)`; returns
    the clipped list and the global norm (`tf.clip_by_global_norm`)."""
    t_list = _check_sequence(t_list)
    values = [None if t is None else _values(t) for t in t_list]
    if use_norm is None:
        use_norm = _global_norm_values(values)
    clipped = _clip_by_global_norm_values(values, clip_norm, use_norm)
    return [c if c is None else _like(t, c) for c, t in zip(clipped, t_list)], use_norm
