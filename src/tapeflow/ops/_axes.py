"""Axis arguments of reductions, scans and arg-reductions, checked as TF's ops check them, and
the type-attribute errors of those ops."""

from __future__ import annotations

import copy

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import InvalidArgumentError, invalid_argument
from tapeflow.core.registry import REGISTRY, TypeList
from tapeflow.core.tensor import Tensor


def attr_error(attr: str, dtype, allowed, op_name: str) -> InvalidArgumentError:
    """TF's error for a type attribute other than `T` (`Tidx`, `output_type`, ...) of the
    registered op `op_name`: `allowed` names the types it accepts."""
    type_list = REGISTRY[op_name].type_list
    enums = ", ".join("DT_" + name.upper() for name in type_list.names)
    return invalid_argument(
        f"Value for attr '{attr}' of {dtype._type_string} is not in the list of allowed "
        f"values: {', '.join(allowed)}\n\t; NodeDef: {{{{node {op_name}}}}}; "
        + type_list.op_def.format(name=op_name, enums=enums),
        op_name,
    )


def axis_array(axis, op_name: str) -> np.ndarray:
    """An axis argument (int, list, NumPy value, TensorShape or int tensor) as an int array of
    any rank; TF converts it to int32 (floats are a TypeError) and takes int32 or int64."""
    if isinstance(axis, Tensor) or hasattr(type(axis), "__tf_tensor__"):
        t = convert_to_tensor(axis)
    else:
        t = convert_to_tensor(axis, dtype_hint=dtypes.int32)
        if t._value.dtype.kind in "fc":
            raise TypeError(f"Cannot convert {axis!r} to EagerTensor of dtype int32")
    if t.dtype not in (dtypes.int32, dtypes.int64):
        registered = REGISTRY.get(op_name)
        if registered is not None and getattr(registered.type_list, "op_def", None):
            raise attr_error("Tidx", t.dtype, ("int32", "int64"), op_name)
        raise invalid_argument(f"axis must be int32 or int64, got {t.dtype.name}", op_name)
    return t._value


def retyped(type_list: TypeList, op_def: str, *extra_names: str) -> TypeList:
    """The dtypes of `type_list` (plus type names tapeflow lacks, for the message only) under
    another op definition: ops such as Cumsum accept Sum's dtypes."""
    result = copy.copy(type_list)
    result.names = type_list.names + list(extra_names)
    result.op_def = op_def
    return result
