"""Tensor creation: `tf.zeros`, `tf.ones`, `tf.fill`, `tf.range` and the `*_like` functions.

Only `Fill` carries a gradient (to its value); the others make constants, which no tape
tracks, so their gradient is None as in TF.
"""

from __future__ import annotations

import math

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import invalid_argument
from tapeflow.core.registry import op
from tapeflow.core.tensor import Tensor, wrap
from tapeflow.ops import reductions, shapes


def _dims(shape, op_name="Fill") -> tuple:
    dims = shapes.shape_tuple(shape, op_name)
    for d in dims:
        if d < 0:
            raise invalid_argument(f"Dimension {d} must be >= 0", op_name)
    return dims


def zeros(shape, dtype=dtypes.float32, name=None) -> Tensor:
    """A tensor of zeros (`tf.zeros`)."""
    return wrap(np.zeros(_dims(shape), dtype=dtypes.as_dtype(dtype)._np))


def ones(shape, dtype=dtypes.float32, name=None) -> Tensor:
    """A tensor of ones (`tf.ones`)."""
    return wrap(np.ones(_dims(shape), dtype=dtypes.as_dtype(dtype)._np))


def _like(input, dtype):  # noqa: A002
    x = convert_to_tensor(input)
    return x._value, (x._value.dtype if dtype is None else dtypes.as_dtype(dtype)._np)


def zeros_like(input, dtype=None, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """Zeros with the shape (and dtype, unless given) of `input`; no gradient flows."""
    value, np_dtype = _like(input, dtype)
    return wrap(np.zeros(value.shape, dtype=np_dtype))


def ones_like(input, dtype=None, name=None) -> Tensor:  # noqa: A002
    """Ones with the shape (and dtype, unless given) of `input`; no gradient flows."""
    value, np_dtype = _like(input, dtype)
    return wrap(np.ones(value.shape, dtype=np_dtype))


@op("Fill", match=())
def _fill(value, *, dims):
    return np.full(dims, value, dtype=value.dtype)


@_fill.defvjp
def _fill_vjp(dy, y, value, *, dims):
    return reductions.sum_op(dy, axis=None, keepdims=False)


def fill(dims, value, name=None) -> Tensor:
    """A tensor of shape `dims` filled with a scalar `value`; gradients reach `value`."""
    value = convert_to_tensor(value)
    if value._value.ndim != 0:
        raise invalid_argument(
            f"value must be a scalar, got shape {list(value._value.shape)}", "Fill"
        )
    return _fill(value, dims=_dims(dims))


def range(start, limit=None, delta=1, dtype=None, name="range") -> Tensor:  # noqa: A001
    """Numbers from `start` up to (not including) `limit` in steps of `delta` (`tf.range`).

    Integers give int32, any float gives float32, unless `dtype` says otherwise.
    """
    if limit is None:
        start, limit = 0, start
    values = [convert_to_tensor(v)._value for v in (start, limit, delta)]
    if dtype is None:
        inferred = [dtypes.from_numpy(v.dtype) for v in values]
        order = [dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32, dtypes.float64]
        dtype = max(inferred, key=lambda d: order.index(d) if d in order else 0)
    dtype = dtypes.as_dtype(dtype)
    start, limit, delta = (v.item() for v in values)
    if delta == 0:
        raise invalid_argument(f"Requires delta != 0: {delta}", "Range")
    if delta > 0 and start > limit:
        raise invalid_argument(f"Requires start <= limit when delta > 0: {start}/{limit}", "Range")
    if delta < 0 and start < limit:
        raise invalid_argument(f"Requires start >= limit when delta < 0: {start}/{limit}", "Range")
    count = max(math.ceil((limit - start) / delta), 0)
    return wrap((start + np.arange(count) * delta).astype(dtype._np))
