"""Integer arguments of shape ops (shapes, axes, permutations, paddings) as NumPy values.

TF passes these as int32/int64 tensors; another dtype is rejected with the op's definition in
the message (`Value for attr 'Tshape' of float is not in the list of allowed values: ...`).
"""

from __future__ import annotations

import numpy as np

from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.dtypes import from_numpy
from tapeflow.core.errors import invalid_argument
from tapeflow.core.shape import TensorShape
from tapeflow.core.tensor import Tensor


def _index_def(signature: str, attr: str, default: bool = True, prefix: str = "", suffix=""):
    allowed = ("default=DT_INT32," if default else "") + "allowed=[DT_INT32, DT_INT64]"
    return f"signature={signature}; {prefix}attr=T:type; attr={attr}:type,{allowed}{suffix}"


_REVERSE_TYPES = (
    "DT_UINT8, DT_INT8, DT_UINT16, DT_INT16, DT_INT32, DT_UINT32, DT_INT64, DT_UINT64, "
    "DT_BOOL, DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, DT_COMPLEX64, DT_COMPLEX128, DT_STRING"
)
# Op name -> (name of its integer type attribute, TF's op definition as its messages print it).
_INDEX_ATTRS = {
    "Reshape": ("Tshape", _index_def("tensor:T, shape:Tshape -> output:T", "Tshape")),
    "BroadcastTo": ("Tidx", _index_def("input:T, shape:Tidx -> output:T", "Tidx")),
    "Tile": ("Tmultiples", _index_def("input:T, multiples:Tmultiples -> output:T", "Tmultiples")),
    "Slice": ("Index", _index_def("input:T, begin:Index, size:Index -> output:T", "Index", False)),
    "Transpose": ("Tperm", _index_def("x:T, perm:Tperm -> y:T", "Tperm")),
    "Pad": ("Tpaddings", _index_def("input:T, paddings:Tpaddings -> output:T", "Tpaddings")),
    "PadV2": (
        "Tpaddings",
        _index_def("input:T, paddings:Tpaddings, constant_values:T -> output:T", "Tpaddings"),
    ),
    "MirrorPad": (
        "Tpaddings",
        _index_def(
            "input:T, paddings:Tpaddings -> output:T",
            "Tpaddings",
            suffix='; attr=mode:string,allowed=["REFLECT", "SYMMETRIC"]',
        ),
    ),
    "Shape": ("out_type", _index_def("input:T -> output:out_type", "out_type")),
    "Fill": ("index_type", _index_def("dims:index_type, value:T -> output:T", "index_type")),
    "ExpandDims": ("Tdim", _index_def("input:T, dim:Tdim -> output:T", "Tdim")),
    "ConcatV2": (
        "Tidx",
        _index_def("values:N*T, axis:Tidx -> output:T", "Tidx", prefix="attr=N:int,min=2; "),
    ),
    "ReverseV2": (
        "Tidx",
        "signature=tensor:T, axis:Tidx -> output:T; attr=Tidx:type,default=DT_INT32,"
        f"allowed=[DT_INT32, DT_INT64]; attr=T:type,allowed=[{_REVERSE_TYPES}]",
    ),
    "SplitV": (
        "Tlen",
        "signature=value:T, size_splits:Tlen, split_dim:int32 -> output:num_split*T; "
        "attr=num_split:int,min=1; attr=T:type; attr=Tlen:type,default=DT_INT64,"
        "allowed=[DT_INT8, DT_INT32, DT_INT64]",
    ),
}
_INDEX_DTYPES = {
    "SplitV": (np.dtype(np.int8), np.dtype(np.int32), np.dtype(np.int64)),
}
_INT32_INT64 = (np.dtype(np.int32), np.dtype(np.int64))


def op_definition(op_name: str) -> str:
    """TF's definition of an op taking an index argument, as its messages print it."""
    return _INDEX_ATTRS[op_name][1]


def attr_error(op_name: str, dtype: np.dtype):
    """TF's error for an index argument of a dtype the op does not accept."""
    attr, op_def = _INDEX_ATTRS[op_name]
    allowed = _INDEX_DTYPES.get(op_name, _INT32_INT64)
    names = ", ".join(from_numpy(d)._type_string for d in allowed)
    return invalid_argument(
        f"Value for attr '{attr}' of {from_numpy(dtype)._type_string} is not in the list of "
        f"allowed values: {names}\n\t; NodeDef: {{{{node {op_name}}}}}; "
        f"Op<name={op_name}; {op_def}>",
        op_name,
    )


def index_array(value, op_name: str) -> np.ndarray:
    """An integer argument of `op_name` (list, tuple, TensorShape, array, or int tensor, whose
    entries may be scalar tensors) as an ndarray of int32/int64 (int8 too where TF allows it)."""
    if type(value) in (list, tuple) and all(type(d) is int for d in value):
        return np.array(value, dtype=np.int64)  # the common case: plain Python ints
    if isinstance(value, TensorShape):
        value = value.as_list()
    if isinstance(value, Tensor):
        array = value._value
    else:
        array = convert_to_tensor(value)._value
        if array.dtype.kind == "b":  # Python bools convert to TF's default int32
            array = array.astype(np.int32)
    if array.dtype not in _INDEX_DTYPES.get(op_name, _INT32_INT64):
        raise attr_error(op_name, array.dtype)
    return array


def axis_value(axis, op_name: str) -> int:
    """A scalar axis argument (an int, or an int tensor with one element) as a Python int."""
    if type(axis) is int:
        return axis
    if isinstance(axis, float):
        raise TypeError(f"Cannot convert {axis!r} to EagerTensor of dtype int32")
    return int(index_array(axis, op_name).reshape(-1)[0])


def int_argument(value, name: str) -> np.ndarray:
    """An argument TF converts with `convert_to_int_tensor` (`repeats`, `num`): any integer
    dtype is accepted, anything else is TF's TypeError."""
    t = convert_to_tensor(value)
    if t._value.dtype.kind not in "iu":
        raise TypeError(
            f"Argument `tensor` (name: {name}) must be of type integer. Received `tensor` = "
            f"{t} of dtype: {t.dtype}"
        )
    return t._value


# What TF says when a shape argument is not a vector.
_NOT_A_VECTOR = {
    "Reshape": "sizes input must be 1-D, not {}",
    "Fill": "dims must represent a vector, got shape {}",
    "BroadcastTo": "shape must be a vector of {{int32,int64}}, got shape {}",
}


def shape_tuple(shape, op_name: str, allow_unknown: bool = False) -> tuple:
    """A shape argument (list, tuple, TensorShape, or int tensor; entries may be scalar
    tensors; a scalar means one dimension) as a tuple of Python ints (None read as -1 where
    `allow_unknown`)."""
    if type(shape) in (list, tuple):
        if all(type(d) is int for d in shape):
            return tuple(shape)  # the common case, without NumPy
        if allow_unknown:
            shape = [-1 if d is None else d for d in shape]
    dims = index_array(shape, op_name)
    if dims.ndim > 1 or (dims.ndim == 0 and op_name == "BroadcastTo"):
        message = _NOT_A_VECTOR.get(op_name, "shape must be a vector, got shape {}")
        raise invalid_argument(message.format(shape_text(dims.shape)), op_name)
    return tuple(dims.reshape(-1).tolist())


def shape_text(shape) -> str:
    """A shape as TF's kernels print it: `[2,3]`."""
    return "[" + ",".join(str(d) for d in shape) + "]"
