"""TensorFlow's dtypes on NumPy: the DType objects, `as_dtype`, and the names TF prints."""

from __future__ import annotations

import builtins

import ml_dtypes
import numpy as np


class DType:
    """A TensorFlow element type, backed by a NumPy dtype (`tf.float32`, `tf.int64`, ...)."""

    __slots__ = ("name", "_np", "_enum", "_type_string", "_hash")

    def __init__(self, name: str, np_dtype, enum: int, type_string: str):
        self.name = name
        self._np = np.dtype(np_dtype)
        self._enum = enum
        self._type_string = type_string  # how TF's C++ messages spell it: float, double, half
        self._hash = hash(("tapeflow.DType", enum))

    # -- what the dtype is ------------------------------------------------------------------
    @property
    def as_numpy_dtype(self):
        """The NumPy scalar type (`numpy.float32`; `object` for strings)."""
        return self._np.type

    @property
    def as_datatype_enum(self) -> int:
        return self._enum

    @property
    def base_dtype(self) -> DType:
        return self

    @property
    def is_floating(self) -> bool:
        return self in _FLOATING

    @property
    def is_complex(self) -> bool:
        return self._np.kind == "c"

    @property
    def is_integer(self) -> bool:
        return self._np.kind in "iu"

    @property
    def is_unsigned(self) -> bool:
        return self._np.kind == "u"

    @property
    def is_bool(self) -> bool:
        return self._np.kind == "b"

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def is_numpy_compatible(self) -> bool:
        return True

    @property
    def size(self) -> int:
        """Bytes per element (strings report 8, as TF does for its string handles)."""
        return 8 if self is string else self._np.itemsize

    @property
    def real_dtype(self) -> DType:
        """float32 for complex64, float64 for complex128, the dtype itself otherwise."""
        return {complex64: float32, complex128: float64}.get(self, self)

    @property
    def min(self):
        return self.limits[0]

    @property
    def max(self):
        return self.limits[1]

    @property
    def limits(self):
        if self.is_floating:
            info = ml_dtypes.finfo(self._np)
            return info.min, info.max
        if self.is_integer:
            info = np.iinfo(self._np)
            return info.min, info.max
        if self.is_bool:
            return False, True
        raise TypeError(f"Cannot find minimum value of {self}.")

    def is_compatible_with(self, other) -> bool:
        return self == as_dtype(other)

    # -- comparison and text --------------------------------------------------------------
    def __eq__(self, other):
        if isinstance(other, DType):
            return self is other
        try:
            return self is as_dtype(other)
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return self._hash

    def __repr__(self):
        return f"tf.{self.name}"

    def __str__(self):
        return f"<dtype: '{self.name}'>"

    def __reduce__(self):
        return as_dtype, (self.name,)


# (name, numpy dtype, TF enum, TF type string)
float16 = DType("float16", np.float16, 19, "half")
bfloat16 = DType("bfloat16", ml_dtypes.bfloat16, 14, "bfloat16")
float32 = DType("float32", np.float32, 1, "float")
float64 = DType("float64", np.float64, 2, "double")
complex64 = DType("complex64", np.complex64, 8, "complex64")
complex128 = DType("complex128", np.complex128, 18, "complex128")
int8 = DType("int8", np.int8, 6, "int8")
int16 = DType("int16", np.int16, 5, "int16")
int32 = DType("int32", np.int32, 3, "int32")
int64 = DType("int64", np.int64, 9, "int64")
uint8 = DType("uint8", np.uint8, 4, "uint8")
uint16 = DType("uint16", np.uint16, 17, "uint16")
uint32 = DType("uint32", np.uint32, 22, "uint32")
uint64 = DType("uint64", np.uint64, 23, "uint64")
bool = DType("bool", np.bool_, 10, "bool")  # noqa: A001 - TF's public name
string = DType("string", object, 7, "string")
half = float16
double = float64

ALL_DTYPES = (
    float16,
    bfloat16,
    float32,
    float64,
    complex64,
    complex128,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
    bool,
    string,
)
_FLOATING = frozenset((float16, bfloat16, float32, float64))

#: NumPy dtypes whose tensors can carry gradients (TF: float16/bfloat16/float32/float64/complex).
DIFFERENTIABLE_NP = frozenset(
    d._np for d in (float16, bfloat16, float32, float64, complex64, complex128)
)

_BY_NP = {d._np: d for d in ALL_DTYPES}
_BY_NAME = {d.name: d for d in ALL_DTYPES}
_BY_NAME.update(half=float16, float=float32, double=float64, DT_FLOAT=float32)
_BY_ENUM = {d._enum: d for d in ALL_DTYPES}
_BY_PYTHON_TYPE = {builtins.float: float32, builtins.bool: bool, builtins.object: string}


def from_numpy(np_dtype: np.dtype) -> DType:
    """The DType of an array's dtype; NumPy text and bytes arrays are TF strings."""
    try:
        return _BY_NP[np_dtype]
    except KeyError:
        if np_dtype.kind in "USO":
            return string
        raise TypeError(f"tapeflow has no dtype for NumPy dtype {np_dtype}") from None


def as_dtype(type_value) -> DType:
    """Converts a DType, NumPy dtype or type, name string or enum into a `tf.DType`."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        dtype = _BY_NAME.get(type_value)
        if dtype is not None:
            return dtype
    elif isinstance(type_value, int) and not isinstance(type_value, builtins.bool):
        dtype = _BY_ENUM.get(type_value)
        if dtype is not None:
            return dtype
    elif isinstance(type_value, type) and type_value in _BY_PYTHON_TYPE:
        return _BY_PYTHON_TYPE[type_value]
    elif type_value is not None:
        try:
            return from_numpy(np.dtype(type_value))
        except TypeError:
            pass
    raise TypeError(
        f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType."
    )
