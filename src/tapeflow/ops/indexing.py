"""Slicing: `tensor[...]` and `tf.strided_slice` (TF's StridedSlice op), beside its gradient.
(`tf.slice` lives in ops/arrays.py.)"""

from __future__ import annotations

import builtins
import functools
import numbers

import numpy as np

from tapeflow.core import errors
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import KernelError, op
from tapeflow.core.tensor import Tensor
from tapeflow.ops import _indices

_SLICE_TYPE_ERROR = (
    "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
    "tf.int32/tf.int64 tensors are valid indices, got "
)
_STRIDED_SLICE_DEF = (
    "Op<name=StridedSlice; signature=input:T, begin:Index, end:Index, strides:Index -> "
    "output:T; attr=T:type; attr=Index:type,allowed=[DT_INT16, DT_INT32, DT_INT64]; "
    "attr=begin_mask:int,default=0; attr=end_mask:int,default=0; attr=ellipsis_mask:int,"
    "default=0; attr=new_axis_mask:int,default=0; attr=shrink_axis_mask:int,default=0>"
)


# -- the strided-slice spec ---------------------------------------------------------------------
def _range(begin, end, stride, begin_masked, end_masked, size) -> builtins.slice:
    """One sliced dimension as TF canonicalizes it: masked bounds take the whole range,
    negative ones count from the end, all are clamped; an empty range stays empty."""
    low, high = (0, size) if stride > 0 else (-1, size - 1)
    if begin_masked:
        begin = low if stride > 0 else high
    else:
        begin = min(max(begin + size if begin < 0 else begin, low), high)
    if end_masked:
        end = high if stride > 0 else low
    else:
        end = min(max(end + size if end < 0 else end, low), high)
    length = end - begin
    if length == 0 or (length < 0) != (stride < 0):
        return builtins.slice(0, 0)
    return builtins.slice(begin, None if end < 0 else end, stride)


@functools.lru_cache(maxsize=4096)
def _plan(shape, begin, end, strides, begin_mask, end_mask, ellipsis_mask, new_axis, shrink):
    """The NumPy basic index of a strided slice of an array of `shape`, checked as TF's
    StridedSlice kernel checks it (same messages, same order)."""
    if ellipsis_mask & (ellipsis_mask - 1):
        raise KernelError("Multiple ellipses in slice spec not allowed")
    count, ndim = len(begin), len(shape)
    ellipsis = next((i for i in range(count) if ellipsis_mask >> i & 1), None)
    total = count if ellipsis is not None else count + 1  # a spec ends with an implicit `...`
    ellipsis = count if ellipsis is None else ellipsis
    new_after = sum(new_axis >> i & 1 for i in range(ellipsis + 1, count))
    spec, dense, dim = [], {}, 0  # spec order: None (new axis) or the dense dimension
    for i in range(total):
        if i == ellipsis:
            stop = min(ndim - (total - i) + 1 + new_after, ndim)
            while dim < stop:
                spec.append(dim)
                dim += 1
        elif new_axis >> i & 1:  # an ellipsis bit wins over a new-axis bit, which wins over
            spec.append(None)  # a shrink bit
        else:
            if dim == ndim:
                if ndim == 0:
                    raise KernelError("Attempting to slice scalar input.")
                raise KernelError(
                    f"Index out of range using input dim {dim}; input has only {ndim} dims"
                )
            dense[dim] = i
            spec.append(dim)
            dim += 1
    index = {}
    for d in range(dim):
        i = dense.get(d)
        if i is None:  # a dimension the ellipsis covers
            index[d] = builtins.slice(None)
            continue
        stride, size = strides[i], shape[d]
        if stride == 0:
            raise KernelError(f"strides[{d}] must be non-zero")
        if shrink >> i & 1:
            if stride < 0:
                raise KernelError("only stride 1 allowed on non-range indexing.")
            position = begin[i] + size if begin[i] < 0 else begin[i]
            if not 0 <= position < size:
                raise KernelError(f"slice index {position} of dimension {d} out of bounds.")
            index[d] = position
        else:
            masked = (begin_mask >> i & 1, end_mask >> i & 1)
            index[d] = _range(begin[i], end[i], stride, *masked, size)
    return tuple(None if d is None else index[d] for d in spec)


@op("StridedSlice")
def strided_slice_op(
    input,  # noqa: A002 - TF's argument name
    *,
    begin,
    end,
    strides,
    begin_mask=0,
    end_mask=0,
    ellipsis_mask=0,
    new_axis_mask=0,
    shrink_axis_mask=0,
):
    """`input[begin:end:strides]` per dimension, shaped by the five masks (TF's StridedSlice;
    begin, end and strides are tuples of ints)."""
    masks = (begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask)
    out = input[_plan(input.shape, begin, end, strides, *masks)]
    # one element comes back as a scalar: keep the dtype (strings stay object arrays)
    return out if type(out) is np.ndarray else np.array(out, dtype=input.dtype)


@strided_slice_op.defvjp
def _strided_slice_vjp(dy, y, x, **spec):
    return strided_slice_grad(dy, shape=x._value.shape, **spec)


@op("StridedSliceGrad")
def strided_slice_grad(
    dy,
    *,
    shape,
    begin,
    end,
    strides,
    begin_mask=0,
    end_mask=0,
    ellipsis_mask=0,
    new_axis_mask=0,
    shrink_axis_mask=0,
):
    """Zeros of `shape` with `dy` placed where the strided slice took its elements."""
    masks = (begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask)
    out = np.zeros(shape, dtype=dy.dtype)
    out[_plan(shape, begin, end, strides, *masks)] = dy
    return out


@strided_slice_grad.defvjp
def _strided_slice_grad_vjp(ddx, dx, dy, *, shape, **spec):
    return strided_slice_op(ddx, **spec)


# -- tensor[key] --------------------------------------------------------------------------------
def _index(value) -> int:
    """One integer of a slice spec: a Python or NumPy integer, or a scalar int16/int32/int64
    tensor (TF's `_check_index`)."""
    if type(value) is int:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    array = None
    if isinstance(value, np.ndarray):
        array = value
    elif _indices.is_tensor_like(value):
        array = convert_to_tensor(value)._value
    if array is not None and array.dtype in _indices.INT16_32_64 and array.ndim == 0:
        return int(array)
    raise TypeError(_SLICE_TYPE_ERROR + repr(value))


def index_key(key) -> dict:
    """A `tensor[key]` key as StridedSlice attributes (begin, end, strides and the masks), as
    TF's `_slice_helper` builds them; a list key is read as a tuple."""
    if not isinstance(key, (tuple, list)):
        key = (key,)
    elif key and all(isinstance(k, bool) for k in key):
        # TF stacks the entries into a bool tensor, which StridedSlice rejects
        message = _indices.type_list_message(
            "StridedSlice", "Index", np.dtype(bool), _indices.INT16_32_64, _STRIDED_SLICE_DEF
        )
        raise errors.invalid_argument(message, "StridedSlice")
    begin, end, strides = [], [], []
    begin_mask = end_mask = ellipsis_mask = new_axis_mask = shrink_axis_mask = 0
    for i, k in enumerate(key):
        bit = 1 << i
        if isinstance(k, builtins.slice):
            if k.start is None:
                begin.append(0)
                begin_mask |= bit
            else:
                begin.append(_index(k.start))
            if k.stop is None:
                end.append(0)
                end_mask |= bit
            else:
                end.append(_index(k.stop))
            strides.append(1 if k.step is None else _index(k.step))
        elif k is Ellipsis or k is None:
            begin.append(0)
            end.append(0)
            strides.append(1)
            if k is None:
                new_axis_mask |= bit
            else:
                ellipsis_mask |= bit
        else:
            b = _index(k)
            begin.append(b)
            end.append(b + 1)
            strides.append(1)
            shrink_axis_mask |= bit
    return {
        "begin": tuple(begin),
        "end": tuple(end),
        "strides": tuple(strides),
        "begin_mask": begin_mask,
        "end_mask": end_mask,
        "ellipsis_mask": ellipsis_mask,
        "new_axis_mask": new_axis_mask,
        "shrink_axis_mask": shrink_axis_mask,
    }


def _is_mask(key) -> bool:
    """Whether `tensor[key]` means `tf.boolean_mask(tensor, key)`, as in TF."""
    if isinstance(key, bool):
        return True
    if isinstance(key, np.ndarray):
        return key.dtype == np.bool_
    return isinstance(key, Tensor) and key._value.dtype == np.bool_


_HASHABLE_ENTRIES = (int, type(None), type(Ellipsis))


@functools.lru_cache(maxsize=1024)
def _cached_key(key) -> dict:
    return index_key(key)


def getitem(tensor, key):
    """`tensor[key]` with TF's rules: ints, slices, `...`, `tf.newaxis`, int scalar tensors,
    or a boolean mask."""
    kind = type(key)
    if kind is int or (kind is tuple and all(type(k) in _HASHABLE_ENTRIES for k in key)):
        spec = _cached_key(key)  # the common keys, converted once
    elif _is_mask(key):
        from tapeflow.ops.lookup import boolean_mask  # imports ops that import this module

        return boolean_mask(tensor, key)
    else:
        spec = index_key(key)
    return strided_slice_op(tensor, **spec)


# -- tf.strided_slice ----------------------------------------------------------------------
def strided_slice(
    input_,
    begin,
    end,
    strides=None,
    begin_mask=0,
    end_mask=0,
    ellipsis_mask=0,
    new_axis_mask=0,
    shrink_axis_mask=0,
    var=None,
    name=None,
):
    """Extracts a strided slice of a tensor (`tf.strided_slice`); `var` is unused in eager
    mode (TF uses it to let a variable's slice be assigned)."""
    vectors = [begin, end] if strides is None else [begin, end, strides]
    arrays = _indices.index_arrays(
        vectors, "StridedSlice", _indices.INT16_32_64, _STRIDED_SLICE_DEF
    )
    if strides is None:
        arrays.append(np.ones_like(arrays[0]))
    shapes = [a.shape for a in arrays]
    if any(len(s) != 1 for s in shapes) or len({s[0] for s in shapes}) != 1:
        texts = [_indices.shape_text(s) for s in shapes]
        raise errors.invalid_argument(
            "Expected begin, end, and strides to be 1D equal size tensors, but got shapes "
            f"{texts[0]}, {texts[1]}, and {texts[2]} instead.",
            "StridedSlice",
        )
    begin, end, strides = (_indices.int_tuple(a) for a in arrays)
    return strided_slice_op(
        input_,
        begin=begin,
        end=end,
        strides=strides,
        begin_mask=int(begin_mask),
        end_mask=int(end_mask),
        ellipsis_mask=int(ellipsis_mask),
        new_axis_mask=int(new_axis_mask),
        shrink_axis_mask=int(shrink_axis_mask),
    )
