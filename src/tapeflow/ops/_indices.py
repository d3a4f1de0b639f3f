"""Helpers shared by the indexing, gather and scatter ops: index arguments as NumPy integers,
TF's checks of scatter indices, and the texts of TF's errors about them."""

from __future__ import annotations

import numpy as np

from tapeflow.core import errors
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.dtypes import from_numpy
from tapeflow.core.registry import KernelError
from tapeflow.core.tensor import Tensor
from tapeflow.ops import _types as T

INT16_32_64 = (np.dtype(np.int16), np.dtype(np.int32), np.dtype(np.int64))
INT32_64 = (np.dtype(np.int32), np.dtype(np.int64))
# TF's `numbertype` list (names of quantized types tapeflow lacks are only printed)
NUMBER_TYPES = T.NUMBERS
NUMBER_ENUMS = ", ".join(
    "DT_" + (t if isinstance(t, str) else t._type_string).upper() for t in NUMBER_TYPES
)


def shape_text(shape) -> str:
    """A shape as TF's C++ messages print it: `[3,4]`."""
    return "[" + ",".join(str(int(d)) for d in shape) + "]"


def position_text(shape: tuple, flat: int) -> str:
    """Element `flat` (row-major) of an array of `shape` as TF names it: `[1]`, `[0,2]`."""
    if not shape:
        return ""
    return shape_text(np.unravel_index(flat, shape))


def type_list_message(op_name: str, attr: str, dtype, allowed: tuple, op_def: str) -> str:
    """TF's text for a dtype that an op's type attribute does not allow."""
    names = ", ".join(from_numpy(d)._type_string for d in allowed)
    return (
        f"Value for attr '{attr}' of {from_numpy(dtype)._type_string} is not in the list of "
        f"allowed values: {names}\n\t; NodeDef: {{{{node {op_name}}}}}; {op_def}"
    )


def check_index_dtype(array: np.ndarray, attr: str, allowed: tuple, op_def: str, op_name: str):
    """Raises (as a kernel) TF's type-list error unless `array` has an allowed index dtype."""
    if array.dtype not in allowed:
        raise KernelError(type_list_message(op_name, attr, array.dtype, allowed, op_def))


def is_tensor_like(value) -> bool:
    return isinstance(value, Tensor) or hasattr(type(value), "__tf_tensor__")


def index_arrays(values: list, op_name: str, allowed: tuple, op_def: str) -> list:
    """Index arguments of one op (lists, arrays, tensors; input #1 onwards) as NumPy arrays of
    one dtype, with TF's errors: the first tensor among them fixes the dtype (Python lists
    follow it), a tensor of another dtype is a mismatch, a disallowed dtype the type-list
    error."""
    arrays = [convert_to_tensor(v)._value if is_tensor_like(v) else None for v in values]
    dtype = next((a.dtype for a in arrays if a is not None), None)
    for i, v in enumerate(values):
        array = arrays[i]
        if array is None:
            array = convert_to_tensor(v, dtype=None if dtype is None else from_numpy(dtype))._value
            dtype = array.dtype if dtype is None else dtype
        elif array.dtype != dtype:  # input #0 is the sliced tensor
            raise errors.invalid_argument(
                f"cannot compute {op_name} as input #{i + 1}(zero-based) was expected to be a "
                f"{from_numpy(dtype)._type_string} tensor but is a "
                f"{from_numpy(array.dtype)._type_string} tensor",
                op_name,
            )
        if array.dtype not in allowed:
            message = type_list_message(op_name, "Index", array.dtype, allowed, op_def)
            raise errors.invalid_argument(message, op_name)
        arrays[i] = array
    return arrays


def int_tuple(array: np.ndarray) -> tuple:
    """A 1-D integer array as a tuple of Python ints (hashable, for op attributes)."""
    return tuple(int(v) for v in array.reshape(-1))


def check_update_shape(shape: tuple, indices_shape: tuple, updates_shape: tuple) -> None:
    """TF's check that `updates` has the shape that scattering at `indices` into `shape` needs
    (ScatterNd's messages)."""
    depth = indices_shape[-1] if len(indices_shape) > 1 else 1
    batch = len(indices_shape) - 1 if len(indices_shape) > 1 else 1
    prefix = (
        f"Dimensions [0,{batch}) of indices[shape={shape_text(indices_shape)}] must match "
        f"dimensions [0,{batch}) of updates[shape={shape_text(updates_shape)}]"
    )
    suffix = (
        f"Dimensions [{depth},{len(shape)}) of input[shape={shape_text(shape)}] must match "
        f"dimensions [{batch},{len(updates_shape)}) of updates[shape={shape_text(updates_shape)}]"
    )
    if len(updates_shape) < batch:
        raise KernelError(prefix)
    if len(updates_shape) != batch + len(shape) - depth:
        raise KernelError(suffix)
    if updates_shape[:batch] != indices_shape[:batch]:
        raise KernelError(prefix)
    if updates_shape[batch:] != shape[depth:]:
        raise KernelError(suffix)


def check_in_bounds(tuples: np.ndarray, shape: tuple) -> None:
    """TF's error for the first index tuple that falls outside `shape`."""
    limits = np.array(shape[: tuples.shape[1]], dtype=np.int64)
    bad = ((tuples < 0) | (tuples >= limits)).any(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        raise KernelError(
            f"indices[{i}] = [{', '.join(str(v) for v in tuples[i])}] does not index into "
            f"shape {shape_text(shape)}"
        )


def scatter_add(out: np.ndarray, tuples: np.ndarray, updates: np.ndarray) -> None:
    """Adds each slice of `updates` into `out` at its index tuple, in place."""
    depth = tuples.shape[1]
    slices = updates.reshape((tuples.shape[0],) + out.shape[depth:])
    if depth == 0:  # every update covers the whole of out
        np.add(out, np.add.reduce(slices, axis=0, dtype=out.dtype), out=out)
    else:
        np.add.at(out, tuple(tuples.T), slices)
