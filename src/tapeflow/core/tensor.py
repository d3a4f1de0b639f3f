"""Tensor: an immutable NumPy array with a TF dtype and a unique id; printing and Python protocols.

Arithmetic operators and indexing are attached by `tapeflow.ops` when it is imported.
"""

from __future__ import annotations

import itertools

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.shape import TensorShape

DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"

#: A fresh integer id, shared by tensors and variables (so creation order is id order).
#: Ids are never reused, unlike id().
next_id = itertools.count(1).__next__
_new = object.__new__
_ndarray = np.ndarray
_asarray = np.asarray


class Tensor:
    """A multidimensional array of one dtype (`tf.Tensor`); eager tensors are `EagerTensor`."""

    __slots__ = ("_value", "_id", "__weakref__")
    __array_priority__ = 100

    # -- what the tensor is -----------------------------------------------------------------
    @property
    def dtype(self) -> dtypes.DType:
        return dtypes.from_numpy(self._value.dtype)

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._value.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    def set_shape(self, shape) -> None:
        if not self.shape.is_compatible_with(shape):
            raise ValueError(
                f"Tensor's shape {self.shape} is not compatible with supplied "
                f"shape {TensorShape(shape)}."
            )

    @property
    def ndim(self) -> int:
        return self._value.ndim

    @property
    def device(self) -> str:
        return DEVICE

    backing_device = device

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    @property
    def op(self):
        raise AttributeError("Tensor.op is undefined when eager execution is enabled.")

    @property
    def graph(self):
        raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")

    def numpy(self):
        """The value as NumPy: a scalar for rank 0, otherwise a copy of the array."""
        value = self._value
        return value[()] if value.ndim == 0 else value.copy()

    def ref(self) -> Reference:
        """A hashable reference to this tensor (tensors themselves are unhashable)."""
        return Reference(self)

    experimental_ref = ref

    # -- Python protocols -------------------------------------------------------------------
    def __array__(self, dtype=None, copy=None):
        if dtype is not None or copy:
            return np.array(self._value, dtype=dtype, copy=True)
        view = self._value.view()
        view.flags.writeable = False
        return view

    def __bool__(self):
        return bool(self._value)

    def __float__(self):
        return float(self._value)

    def __int__(self):
        return int(self._value)

    def __complex__(self):
        return complex(self._value)

    def __index__(self):
        return self._value.__index__()

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self._value.shape[0]

    def __iter__(self):
        if self._value.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        for i in range(self._value.shape[0]):
            yield self[i]

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def __round__(self, ndigits=None):
        raise TypeError(
            "round() is not defined for tensors; use tf.round(x), which rounds "
            "half to even as TensorFlow does."
        )

    def __format__(self, format_spec):
        value = self._value
        return format(value[()] if value.ndim == 0 else value, format_spec)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return wrap(self._value.copy())

    def __reduce__(self):
        return wrap, (self._value,)

    def __repr__(self):
        return (
            f"<tf.Tensor: shape={self.shape}, dtype={self.dtype.name}, "
            f"numpy={value_text(self._value, is_repr=True)}>"
        )

    def __str__(self):
        return (
            f"tf.Tensor({value_text(self._value, is_repr=False)}, shape={self.shape}, "
            f"dtype={self.dtype.name})"
        )


class EagerTensor(Tensor):
    """The concrete class of every tensor tapeflow makes (`type(t).__name__ == 'EagerTensor'`)."""

    __slots__ = ()


def wrap(value) -> EagerTensor:
    """Makes a new EagerTensor owning `value` (an ndarray; NumPy scalars become 0-d arrays).

    The one constructor on the hot path: no copies, no checks beyond the array type.
    """
    if type(value) is not _ndarray:
        value = _asarray(value)
    t = _new(EagerTensor)
    t._value = value
    t._id = next_id()
    return t


def value_text(value: np.ndarray, is_repr: bool) -> str:
    """NumPy's text for a tensor's value, laid out as TF prints it inside `tf.Tensor(...)`."""
    if value.ndim == 0:
        scalar = value[()]
        if not is_repr:
            return str(scalar)
        return repr(scalar if isinstance(scalar, bytes) else value.item())
    text = repr(value) if is_repr else str(value)
    return "\n" + text if "\n" in text else text


class Reference:
    """What `Tensor.ref()` and `Variable.ref()` return: hashable by the object's identity."""

    __slots__ = ("_wrapped",)

    def __init__(self, wrapped):
        self._wrapped = wrapped

    def deref(self):
        return self._wrapped

    def __hash__(self):
        return self._wrapped._id

    def __eq__(self, other):
        return isinstance(other, Reference) and self._wrapped is other._wrapped

    def __repr__(self):
        return f"<Reference wrapping {self._wrapped!r}>"
