"""Turning Python and NumPy values into tensors: `tf.constant`, `tf.convert_to_tensor`, and the
weak conversion of operands that ops apply to non-tensor arguments (spec §11)."""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.errors import invalid_argument
from tapeflow.core.shape import TensorShape
from tapeflow.core.tensor import Tensor, wrap

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_UINT64_MAX = 2**64 - 1

# The kind of a Python or NumPy scalar, as TF infers dtypes: b(ool) i(nt) f(loat) c(omplex) s(tring)
_KIND = {bool: "b", np.bool_: "b", int: "i", float: "f", complex: "c", str: "s", bytes: "s"}


def _unsupported(value) -> ValueError:
    return ValueError(
        f"Attempt to convert a value ({value!r}) with an unsupported type "
        f"({type(value)}) to a Tensor."
    )


def _kind(value) -> str:
    kind = _KIND.get(type(value))
    if kind is not None:
        return kind
    if isinstance(value, np.generic):
        np_kind = value.dtype.kind
        return {"b": "b", "i": "i", "u": "i", "f": "f", "c": "c", "U": "s", "S": "s"}.get(
            np_kind, "f" if value.dtype in dtypes.DIFFERENTIABLE_NP else "?"
        )
    for py_type, kind in _KIND.items():  # subclasses: IntEnum, numpy.float64 ...
        if isinstance(value, py_type):
            return kind
    raise _unsupported(value)


def _collect_kinds(value, kinds: set, np_floats: list) -> None:
    for item in value:
        if isinstance(item, (list, tuple)):
            _collect_kinds(item, kinds, np_floats)
        elif isinstance(item, np.ndarray):
            kinds.add(_kind(item.dtype.type(0)) if item.dtype.kind != "O" else "s")
            if item.dtype.kind == "f":
                np_floats.append(item.dtype)
        else:
            kinds.add(_kind(item))
            if isinstance(item, np.floating):
                np_floats.append(item.dtype)


def _natural_dtype(value) -> tuple[dtypes.DType, set]:
    """The dtype TF infers for a Python value, and the kinds of scalars found in it."""
    if isinstance(value, (list, tuple)):
        kinds: set = set()
        np_floats: list = []
        _collect_kinds(value, kinds, np_floats)
    else:
        kinds = {_kind(value)}
        np_floats = [value.dtype] if isinstance(value, np.floating) else []
    if not kinds:
        return dtypes.float32, kinds
    if len(kinds) > 1 and ("s" in kinds or "b" in kinds):
        raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
    if "c" in kinds:
        return dtypes.complex128, kinds
    if "f" in kinds:
        if np_floats:  # NumPy float scalars keep their precision, as in TF
            return dtypes.from_numpy(max(np_floats, key=lambda d: d.itemsize)), kinds
        return dtypes.float32, kinds
    if "i" in kinds:
        return _int_dtype(value), kinds
    return (dtypes.bool if "b" in kinds else dtypes.string), kinds


def _int_dtype(value) -> dtypes.DType:
    lo, hi = _int_range(value)
    if _INT32_MIN <= lo and hi <= _INT32_MAX:
        return dtypes.int32
    if _INT64_MIN <= lo and hi <= _INT64_MAX:
        return dtypes.int64
    raise ValueError("Can't convert Python sequence with out-of-range integer to Tensor.")


def _int_range(value) -> tuple[int, int]:
    if isinstance(value, (list, tuple)):
        flat = list(_flatten(value))
        if not flat:
            return 0, 0
        return int(min(flat)), int(max(flat))
    return int(value), int(value)


def _flatten(value):
    for item in value:
        if isinstance(item, (list, tuple)):
            yield from _flatten(item)
        elif isinstance(item, np.ndarray):
            yield from item.ravel().tolist()
        else:
            yield item


# Which natural kinds a requested dtype accepts from Python values (TF never rounds a float
# into an int tensor, nor turns numbers into bools).
_ACCEPTS = {"f": "bif", "c": "bifc", "i": "bi", "u": "bi", "b": "b", "O": "s", "V": "bif"}


def _python_to_array(value, dtype: dtypes.DType | None) -> np.ndarray:
    natural, kinds = _natural_dtype(value)
    if dtype is None:
        dtype = natural
    elif not kinds <= set(_ACCEPTS[dtype._np.kind]):
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype._type_string}")
    if dtype is dtypes.string:
        return _bytes_array(value)
    try:
        if "i" in kinds and dtype._np.kind in "iu":  # TF wraps out-of-range ints in tf.constant
            wide = np.uint64 if _int_range(value)[1] > _INT64_MAX else np.int64
            return np.array(value, dtype=wide).astype(dtype._np)
        return np.array(value, dtype=dtype._np)
    except ValueError:
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from None


def _bytes_array(value) -> np.ndarray:
    array = np.array(value, dtype=object)
    encode = np.frompyfunc(lambda s: s.encode() if isinstance(s, str) else bytes(s), 1, 1)
    return np.asarray(encode(array), dtype=object).reshape(array.shape)


def _numpy_to_array(value, dtype: dtypes.DType | None) -> np.ndarray:
    array = np.array(value)  # a copy: later changes to the caller's array must not leak in
    if array.dtype.kind in "US":
        array = _bytes_array(array)
    if dtype is not None and array.dtype != dtype._np:
        if dtype is dtypes.string or array.dtype.kind == "O":
            raise TypeError(
                f"Cannot convert {value!r} to EagerTensor of dtype {dtype._type_string}"
            )
        array = array.astype(dtype._np)
    elif array.dtype.kind not in "biufcOV" or (
        array.dtype.kind == "V" and array.dtype not in dtypes.DIFFERENTIABLE_NP
    ):
        raise _unsupported(value)
    return array


def to_array(value, dtype: dtypes.DType | None = None) -> np.ndarray:
    """A new array for a non-tensor value: TF's dtype inference, or conversion to `dtype`."""
    if isinstance(value, (np.ndarray, np.generic)):
        return _numpy_to_array(value, dtype)
    if isinstance(value, TensorShape):
        value = value.as_list()
    elif value is None:
        raise _unsupported(value)
    elif not isinstance(value, (list, tuple, int, float, complex, str, bytes, bool)):
        if hasattr(value, "__array__"):
            return _numpy_to_array(value, dtype)
        raise _unsupported(value)
    return _python_to_array(value, dtype)


def _contains_tensor(value) -> bool:
    for item in value:
        if isinstance(item, (list, tuple)):
            if _contains_tensor(item):
                return True
        elif isinstance(item, Tensor) or hasattr(type(item), "__tf_tensor__"):
            return True
    return False


def _pack(value, dtype):
    """A list holding tensors becomes one tensor by stacking (TF's autopacking): differentiable."""
    from tapeflow.core.registry import REGISTRY

    if dtype is None:
        dtype = _first_tensor_dtype(value)
    parts = [
        _pack(v, dtype) if isinstance(v, (list, tuple)) else convert_to_tensor(v, dtype)
        for v in value
    ]
    return REGISTRY["Pack"](*parts, axis=0)


def _first_tensor_dtype(value):
    for item in value:
        if isinstance(item, (list, tuple)):
            found = _first_tensor_dtype(item)
            if found is not None:
                return found
        elif isinstance(item, Tensor) or hasattr(type(item), "__tf_tensor__"):
            return item.dtype
    return None


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None) -> Tensor:
    """Converts a value to a Tensor (`tf.convert_to_tensor`)."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value._value.dtype != dtype._np:
            raise ValueError(
                f"Tensor conversion requested dtype {dtype.name} for Tensor with "
                f"dtype {value.dtype.name}: {value!r}"
            )
        return value
    convert = getattr(type(value), "__tf_tensor__", None)
    if convert is not None:
        return convert(value, dtype, name)
    if isinstance(value, (list, tuple)) and value and _contains_tensor(value):
        return _pack(value, dtype)
    if dtype is None and dtype_hint is not None:
        try:
            return wrap(to_array(value, dtypes.as_dtype(dtype_hint)))
        except (TypeError, ValueError):
            pass
    return wrap(to_array(value, dtype))


def constant(value, dtype=None, shape=None, name="Const") -> Tensor:
    """Creates a constant tensor from a value (`tf.constant`); no gradient flows into it."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, Tensor) or hasattr(type(value), "__tf_tensor__"):
        array = convert_to_tensor(value)._value
        if dtype is not None and array.dtype != dtype._np:
            array = array.astype(dtype._np)
    elif isinstance(value, (list, tuple)) and value and _contains_tensor(value):
        array = np.asarray(convert_to_tensor(value, dtype)._value)
    else:
        array = to_array(value, dtype)
    if shape is not None:
        array = _reshape_constant(value, array, shape)
    return wrap(array)


def _reshape_constant(value, array: np.ndarray, shape) -> np.ndarray:
    shape = tuple(TensorShape(shape).as_list())
    if array.ndim == 0 or array.size == 1:
        return np.broadcast_to(array.reshape(()), shape).copy()
    count = int(np.prod(shape, dtype=np.int64))
    if array.size != count:
        raise TypeError(
            f"Eager execution of tf.constant with unsupported shape. Tensor "
            f"{wrap(array).numpy()} (converted from {value!r}) has {array.size} "
            f"elements, but got `shape` {shape} with {count} elements)."
        )
    return array.reshape(shape)


def convert_operand(value, dtype: dtypes.DType, op_name: str):
    """Converts a non-tensor operand to the dtype of the op's tensor operands (spec §11.2):
    Python numbers are weakly typed; an int that does not fit the dtype is an error, never a
    silent wrap."""
    kind = type(value)
    np_dtype = dtype._np
    if kind is float:
        if np_dtype in dtypes.DIFFERENTIABLE_NP:
            return wrap(np.array(value, dtype=np_dtype))
    elif kind is int:
        if np_dtype.kind in "iu":
            info = np.iinfo(np_dtype)
            if not info.min <= value <= info.max:
                raise invalid_argument(
                    f"Python integer {value} is out of range for "
                    f"{dtype.name} (from {info.min} to {info.max})",
                    op_name,
                )
            return wrap(np.array(value, dtype=np_dtype))
        if np_dtype.kind in "fcV":
            return wrap(np.array(value, dtype=np_dtype))
    elif kind is complex and np_dtype.kind != "c":
        return wrap(np.array(value))  # complex128: the op then reports the dtype mismatch
    if isinstance(value, Tensor):
        return value
    convert = getattr(kind, "__tf_tensor__", None)
    if convert is not None:
        return convert(value, None, None)
    return convert_to_tensor(value, dtype)
