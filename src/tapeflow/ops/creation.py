"""Tensor creation: `tf.zeros`, `tf.ones`, `tf.fill`, `tf.range` and the `*_like` functions.

Only `Fill` carries a gradient (to its value); the others make constants, which no tape
tracks, so their gradient is None as in TF (its ZerosLike, OnesLike and Range have none).
"""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import invalid_argument
from tapeflow.core.registry import KernelError, op
from tapeflow.core.shape import TensorShape
from tapeflow.core.tensor import Tensor, wrap
from tapeflow.ops import reductions, shapes
from tapeflow.ops._shape_args import shape_text


def _dims(shape) -> tuple:
    """The `dims` of a Fill: a vector of non-negative ints."""
    dims = shapes.shape_tuple(shape, "Fill")
    for d in dims:
        if d < 0:
            raise invalid_argument(f"Dimension {d} must be >= 0", "Fill")
    return dims


def _requested_shape(shape) -> tuple:
    """The `shape` of `tf.zeros`/`tf.ones`: a Python shape must convert to int32 (TypeError
    otherwise, as TF), a tensor may be int32 or int64."""
    if type(shape) in (list, tuple) and all(type(d) is int for d in shape):
        return _dims(shape)
    if not isinstance(shape, Tensor) and not hasattr(type(shape), "__tf_tensor__"):
        try:
            dims = TensorShape(shape).as_list()
        except TypeError:
            dims = [None]
        shape = dims if None not in dims else convert_to_tensor(shape, dtypes.int32)
    return _dims(shape)


def _filled(shape: tuple, value, dtype) -> Tensor:
    np_dtype = dtypes.as_dtype(dtype)._np
    if np_dtype.kind == "O":  # strings: TF fills zeros with b"" and cannot make ones
        if value:
            raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
        return wrap(np.full(shape, b"", dtype=object))
    return wrap(np.full(shape, value, dtype=np_dtype))


def zeros(shape, dtype=dtypes.float32, name=None) -> Tensor:
    """A tensor of zeros (`tf.zeros`)."""
    return _filled(_requested_shape(shape), 0, dtype)


def ones(shape, dtype=dtypes.float32, name=None) -> Tensor:
    """A tensor of ones (`tf.ones`)."""
    return _filled(_requested_shape(shape), 1, dtype)


# The dtypes OnesLike accepts (ZerosLike takes any), as TF's error lists them.
_ONES_LIKE = (
    "bfloat16, half, float, double, int8, uint8, int16, uint16, int32, uint32, int64, uint64, "
    "complex64, complex128, bool"
)


def zeros_like(input, dtype=None, name=None) -> Tensor:  # noqa: A002 - TF's argument name
    """Zeros with the shape (and dtype, unless given) of `input`; no gradient flows."""
    x = convert_to_tensor(input)
    return _filled(x._value.shape, 0, x.dtype if dtype is None else dtype)


def ones_like(input, dtype=None, name=None) -> Tensor:  # noqa: A002
    """Ones with the shape (and dtype, unless given) of `input`; no gradient flows."""
    x = convert_to_tensor(input)
    if dtype is None or dtypes.as_dtype(dtype) == x.dtype:
        if x._value.dtype.kind == "O":
            enums = ", ".join("DT_" + n.upper() for n in _ONES_LIKE.split(", "))
            raise invalid_argument(
                f"Value for attr 'T' of string is not in the list of allowed values: "
                f"{_ONES_LIKE}\n\t; NodeDef: {{{{node OnesLike}}}}; Op<name=OnesLike; "
                f"signature=x:T -> y:T; attr=T:type,allowed=[{enums}]>",
                "OnesLike",
            )
        dtype = x.dtype
    return _filled(x._value.shape, 1, dtype)


@op("Fill", match=())
def _fill(value, *, dims):
    if value.ndim:
        raise KernelError(f"value must represent a scalar, got shape {shape_text(value.shape)}")
    return np.full(dims, value, dtype=value.dtype)


@_fill.defvjp
def _fill_vjp(dy, y, value, *, dims):
    return reductions.sum_op(dy, axis=None, keepdims=False)


shapes.linear_in_input(_fill)


def fill(dims, value, name=None) -> Tensor:
    """A tensor of shape `dims` filled with a scalar `value`; gradients reach `value`."""
    return _fill(value, dims=_dims(dims))


# Range's dtypes (TF's hierarchy for inferring one from the arguments, lowest first).
_RANGE_ORDER = (
    dtypes.int32,
    dtypes.int64,
    dtypes.float16,
    dtypes.bfloat16,
    dtypes.float32,
    dtypes.float64,
)
_RANGE_TYPES = "bfloat16, half, float, double, int8, int16, int32, int64, uint16, uint32, uint64"


def _range_type_error(dtype: dtypes.DType):
    enums = ", ".join("DT_" + n.upper() for n in _RANGE_TYPES.split(", "))
    return invalid_argument(
        f"Value for attr 'Tidx' of {dtype._type_string} is not in the list of allowed values: "
        f"{_RANGE_TYPES}\n\t; NodeDef: {{{{node Range}}}}; Op<name=Range; signature=start:Tidx, "
        f"limit:Tidx, delta:Tidx -> output:Tidx; attr=Tidx:type,default=DT_INT32,"
        f"allowed=[{enums}]>",
        "Range",
    )


def range(start, limit=None, delta=1, dtype=None, name="range") -> Tensor:  # noqa: A001
    """Numbers from `start` up to (not including) `limit` in steps of `delta` (`tf.range`).

    The widest dtype of the arguments wins (int32 < int64 < float16 < float32 < float64),
    unless `dtype` says otherwise; values are computed in that dtype, as TF's kernel does.
    """
    if limit is None:
        start, limit = 0, start
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    args = [
        v if isinstance(v, Tensor) else convert_to_tensor(v, dtype) for v in (start, limit, delta)
    ]
    if dtype is None:
        for a in args:
            if a.dtype not in _RANGE_ORDER:
                raise _range_type_error(a.dtype)
        dtype = max((a.dtype for a in args), key=_RANGE_ORDER.index)
    if dtype._type_string not in _RANGE_TYPES.split(", "):
        raise _range_type_error(dtype)
    start, limit, delta = (a._value.reshape(-1)[0].astype(dtype._np) for a in args)
    text = (lambda v: f"{float(v):g}") if dtype.is_floating else str  # as C++ prints
    if delta == 0:
        raise invalid_argument(f"Requires delta != 0: {text(delta)}", "Range")
    if delta > 0 and start > limit:
        raise invalid_argument(
            f"Requires start <= limit when delta > 0: {text(start)}/{text(limit)}", "Range"
        )
    if delta < 0 and start < limit:
        raise invalid_argument(
            f"Requires start >= limit when delta < 0: {text(start)}/{text(limit)}", "Range"
        )
    if dtype.is_floating:
        count = int(np.ceil(np.abs((limit - start) / delta)))
    else:
        count = -(-abs(int(limit) - int(start)) // abs(int(delta)))
    return wrap(start + np.arange(count).astype(dtype._np) * delta)
