"""Evenly spaced values, grids and masks: `tf.linspace`, `tf.meshgrid`, `tf.one_hot`,
`tf.sequence_mask`.

`linspace` and `meshgrid` are compositions of recorded ops, as in TF, so gradients reach
their tensor arguments; `one_hot` and `sequence_mask` give no gradient (TF's OneHot is not
differentiable and a mask is built with comparisons).
"""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import invalid_argument
from tapeflow.core.registry import KernelError, op
from tapeflow.core.tensor import wrap
from tapeflow.ops import creation, elementwise
from tapeflow.ops._shape_args import int_argument, shape_text
from tapeflow.ops.arrays import slice_op
from tapeflow.ops.shapes import broadcast_to_op, concat_op, expand_dims_op, reshape_op, stack


def linspace(start, stop, num, name=None, axis=0):
    """`num` evenly spaced values from `start` to `stop` inclusive, along a new `axis`
    (`tf.linspace`; N-D `start`/`stop` broadcast). Integer endpoints give float64."""
    start = convert_to_tensor(start)
    stop = convert_to_tensor(stop, dtype=start.dtype)
    count = int(int_argument(num, "num"))
    shape = np.broadcast_shapes(start._value.shape, stop._value.shape)
    if start._value.shape != shape:
        start = broadcast_to_op(start, shape=shape)
    if stop._value.shape != shape:
        stop = broadcast_to_op(stop, shape=shape)
    first = expand_dims_op(start, axis=axis)
    last = expand_dims_op(stop, axis=axis)
    full_shape = first._value.shape
    axis %= len(full_shape)
    # TF's construction: start, start + delta * [1 .. num-2], stop, then a slice of `num`
    # entries (so that num = 0 and 1 work); an integer start divides into float64.
    steps = max(count - 1, 1)
    delta = elementwise.divide(
        elementwise.subtract(last, first), wrap(np.array(steps, dtype=last._value.dtype))
    )
    first = elementwise.cast(first, delta.dtype)
    last = elementwise.cast(last, delta.dtype)
    middle = creation.range(1, steps if count >= 0 else -1, dtype=dtypes.int64)
    grid_shape = tuple(max(count - 2, 0) if i == axis else 1 for i in range(len(full_shape)))
    middle = reshape_op(elementwise.cast(middle, delta.dtype), shape=grid_shape)
    inner = elementwise.add(first, elementwise.multiply(delta, middle))
    values = concat_op(first, inner, last, axis=axis)
    size = full_shape[:axis] + (count,) + full_shape[axis + 1 :]
    return slice_op(values, begin=(0,) * len(full_shape), size=size)


def meshgrid(*args, **kwargs):
    """Coordinate grids from 1-D coordinate vectors (`tf.meshgrid`; `indexing="xy"` swaps
    the first two axes, `"ij"` keeps matrix order)."""
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError(
            f"Argument `indexing` parameter must be either 'xy' or 'ij', got '{indexing}'"
        )
    ndim = len(args)
    if not ndim:
        return []
    ones = (1,) * ndim
    grids = [
        reshape_op(stack(x), shape=ones[:i] + (-1,) + ones[i + 1 :]) for i, x in enumerate(args)
    ]
    sizes = [g._value.size for g in grids]
    if indexing == "xy" and ndim > 1:
        rest = (1,) * (ndim - 2)
        grids[0] = reshape_op(grids[0], shape=(1, -1) + rest)
        grids[1] = reshape_op(grids[1], shape=(-1, 1) + rest)
        sizes[0], sizes[1] = sizes[1], sizes[0]
    # As TF: broadcast by multiplying with ones of the first argument's dtype.
    factor = creation.ones(sizes, convert_to_tensor(args[0]).dtype)
    return [elementwise.multiply(g, factor) for g in grids]


_ONE_HOT_INDICES = (np.dtype(np.uint8), np.dtype(np.int8), np.dtype(np.int32), np.dtype(np.int64))


@op("OneHot", differentiable=False, match=(1, 2))
def _one_hot(indices, on_value, off_value, *, depth, axis):
    if on_value.ndim:
        raise KernelError(f"on_value must be a scalar, but got: {shape_text(on_value.shape)}")
    if off_value.ndim:
        raise KernelError(f"off_value must be a scalar, but got: {shape_text(off_value.shape)}")
    rank = indices.ndim
    if not (axis == -1 or 0 <= axis <= rank):
        raise KernelError(
            f"Expected axis to be -1 or between [0, {rank + 1}).  But received: {axis}"
        )
    if depth < 0:
        raise KernelError(f"depth must be non-negative, got: {depth}")
    hot = np.expand_dims(indices, -1) == np.arange(depth)
    out = np.where(hot, on_value, off_value)
    return out if axis == -1 else np.moveaxis(out, -1, axis)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """One-hot vectors: `on_value` at each index, `off_value` elsewhere (`tf.one_hot`;
    float32 unless `dtype` or the on/off values say otherwise)."""
    on = None if on_value is None else convert_to_tensor(on_value, dtype_hint=dtype)
    off = None if off_value is None else convert_to_tensor(off_value, dtype_hint=dtype)
    if on is not None or off is not None:
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype)
            for which, value in (("on_value", on), ("off_value", off)):
                if value is not None and value.dtype != dtype:
                    raise TypeError(
                        f"dtype {value.dtype} of {which} does not match dtype parameter {dtype}"
                    )
        else:
            dtype = (on if on is not None else off).dtype
    elif dtype is None:
        dtype = dtypes.float32
    if on is None:
        on = convert_to_tensor(1, dtype)
    if off is None:
        off = convert_to_tensor(0, dtype)
    if on.dtype != off.dtype:
        raise TypeError(
            f"dtype {on.dtype} of on_value does not match dtype {off.dtype} of off_value"
        )
    indices = convert_to_tensor(indices)
    if indices._value.dtype not in _ONE_HOT_INDICES:
        raise _one_hot_indices_error(indices.dtype)
    depth = convert_to_tensor(depth, dtypes.int32)._value
    if depth.ndim:
        raise invalid_argument(
            f"depth must be a scalar, but got: {shape_text(depth.shape)}", "OneHot"
        )
    return _one_hot(indices, on, off, depth=int(depth), axis=-1 if axis is None else int(axis))


def _one_hot_indices_error(dtype: dtypes.DType):
    return invalid_argument(
        f"Value for attr 'TI' of {dtype._type_string} is not in the list of allowed values: "
        "uint8, int8, int32, int64\n\t; NodeDef: {{node OneHot}}; Op<name=OneHot; "
        "signature=indices:TI, depth:int32, on_value:T, off_value:T -> output:T; "
        "attr=axis:int,default=-1; attr=T:type; attr=TI:type,default=DT_INT64,"
        "allowed=[DT_UINT8, DT_INT8, DT_INT32, DT_INT64]>",
        "OneHot",
    )


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """`mask[..., j] = j < lengths[...]`, for j below `maxlen` (default: the largest
    length), as bool or `dtype` (`tf.sequence_mask`)."""
    lengths = convert_to_tensor(lengths)
    values = lengths._value
    if maxlen is None:
        largest = values.max() if values.size else 0
        maxlen = wrap(np.array(max(largest, 0), dtype=values.dtype))
    else:
        maxlen = convert_to_tensor(maxlen)
        if maxlen._value.ndim:
            raise ValueError(
                f"Argument `maxlen` must be scalar for sequence_mask, received `maxlen` = "
                f"{maxlen} with shape '{maxlen.shape}' instead"
            )
    positions = creation.range(0, maxlen, 1, dtype=maxlen.dtype)._value
    mask = positions < np.expand_dims(values, -1).astype(maxlen._value.dtype)
    return wrap(mask if dtype is None else mask.astype(dtypes.as_dtype(dtype)._np))
