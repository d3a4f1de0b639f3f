"""`tf.Variable`: mutable state whose reads are recorded ops and whose accesses tapes watch.

A variable keeps its value in a handle, a tensor that only this module rebinds: `assign*`
puts a new array there (never writing into the old one, so earlier reads keep their values),
and `ReadVariableOp` turns the handle into an ordinary tensor. Gradients with respect to a
variable are gradients with respect to its handle.
"""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.recording import state, watch_accessed_variable
from tapeflow.core.registry import op
from tapeflow.core.shape import TensorShape
from tapeflow.core.tensor import DEVICE, Reference, Tensor, next_id, value_text


class VariableHandle(Tensor):
    """The storage of a variable: a tensor whose array `assign` replaces."""

    __slots__ = ()

    def __repr__(self):
        return f"<tf.Tensor: shape=(), dtype=resource, value=<handle of {self._id}>>"

    __str__ = __repr__


@op("ReadVariableOp", passes_indexed_slices=True)
def read_variable_op(value):
    """The current value of a variable's handle, as a tensor (shares the immutable array)."""
    return value


@read_variable_op.defvjp
def _read_variable_vjp(dy, y, handle):
    return dy  # passed on unchanged, so IndexedSlices gradients reach the variable as they are


@read_variable_op.defjvp
def _read_variable_jvp(tangents, y, handle):
    return tangents[0]


class Variable:
    """A mutable tensor-like value (`tf.Variable`); instances are `ResourceVariable`."""

    __array_priority__ = 100

    def __new__(cls, *args, **kwargs):
        return object.__new__(ResourceVariable if cls is Variable else cls)

    def __init__(
        self,
        initial_value=None,
        trainable=None,
        validate_shape=True,
        caching_device=None,
        name=None,
        variable_def=None,
        dtype=None,
        import_scope=None,
        constraint=None,
        synchronization=None,
        aggregation=None,
        shape=None,
        experimental_enable_variable_lifting=True,
    ):
        if initial_value is None:
            raise ValueError("The `initial_value` arg (None) must be specified.")
        if callable(initial_value):
            initial_value = initial_value()
        value = convert_to_tensor(initial_value, dtype=dtype)._value
        self._handle = handle = object.__new__(VariableHandle)
        handle._value = value
        handle._id = self._id = next_id()
        self._name = "Variable" if name is None else str(name)
        self._trainable = True if trainable is None else bool(trainable)
        self._shape = TensorShape(value.shape if shape is None else shape)
        self._constraint = constraint
        self._initial_value = value

    # -- metadata (never an access) -------------------------------------------------------
    @property
    def _value(self) -> np.ndarray:
        return self._handle._value

    @property
    def name(self) -> str:
        return f"{self._name}:0"

    @property
    def dtype(self) -> dtypes.DType:
        return dtypes.from_numpy(self._handle._value.dtype)

    @property
    def shape(self) -> TensorShape:
        return TensorShape(self._handle._value.shape)

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def ndim(self) -> int:
        return self._handle._value.ndim

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def device(self) -> str:
        return DEVICE

    @property
    def handle(self) -> VariableHandle:
        return self._handle

    @property
    def constraint(self):
        return self._constraint

    @property
    def initial_value(self) -> Tensor:
        return convert_to_tensor(self._initial_value)

    def ref(self) -> Reference:
        return Reference(self)

    experimental_ref = ref

    # -- reads ----------------------------------------------------------------------------
    def _access(self) -> None:
        if state.tapes or state.variable_watchers:
            watch_accessed_variable(self)

    def value(self) -> Tensor:
        """The current value as a tensor (a recorded read)."""
        if state.tapes or state.variable_watchers:
            watch_accessed_variable(self)
        return read_variable_op(self._handle)

    read_value = value

    def numpy(self):
        self._access()
        value = self._handle._value
        return value[()] if value.ndim == 0 else value.copy()

    def __tf_tensor__(self, dtype=None, name=None) -> Tensor:
        if dtype is not None and dtypes.as_dtype(dtype)._np != self._handle._value.dtype:
            raise ValueError(
                f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} "
                f"for Tensor with dtype {self.dtype.name}: {self.value()!r}"
            )
        return self.value()

    # -- writes: they break the chain (spec §3.5) ---------------------------------------------
    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Sets the variable to `value`; returns the variable unless `read_value=False`."""
        self._access()
        new = convert_to_tensor(value, dtype=self.dtype)._value
        if new.shape != self._handle._value.shape and self._shape.is_fully_defined():
            raise ValueError(
                f"Cannot assign value to variable ' {self.name}': Shape mismatch."
                f"The variable shape {self.shape}, and the assigned value shape "
                f"{TensorShape(new.shape)} are incompatible."
            )
        self._handle._value = new
        return _UnreadVariable(self) if read_value else None

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        self._access()
        delta = convert_to_tensor(delta, dtype=self.dtype)._value
        return self.assign(self._handle._value + delta, read_value=read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        self._access()
        delta = convert_to_tensor(delta, dtype=self.dtype)._value
        return self.assign(self._handle._value - delta, read_value=read_value)

    # -- Python protocols -----------------------------------------------------------------
    def __array__(self, dtype=None, copy=None):
        self._access()
        return np.array(self._handle._value, dtype=dtype, copy=True)

    def __bool__(self):
        return bool(self.value())

    def __float__(self):
        return float(self.value())

    def __int__(self):
        return int(self.value())

    def __index__(self):
        return self.value().__index__()

    def __len__(self):
        return len(self.value())

    def __iter__(self):
        return iter(self.value())

    def __format__(self, format_spec):
        return format(self.value(), format_spec)

    def __hash__(self):
        raise TypeError("Variable is unhashable. Instead, use variable.ref() as the key.")

    def __repr__(self):
        return (
            f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}, "
            f"numpy={value_text(self._handle._value, is_repr=True)}>"
        )

    __str__ = __repr__


class ResourceVariable(Variable):
    """The class of every variable (`type(tf.Variable(1.0)).__name__ == 'ResourceVariable'`)."""


class _UnreadVariable(ResourceVariable):
    """What `assign*` return: the same variable, shown as 'UnreadVariable' (as TF does)."""

    def __init__(self, variable: Variable):  # shares the variable's handle and flags
        self._handle = variable._handle
        self._id = variable._id
        self._name = "UnreadVariable"
        self._trainable = variable._trainable
        self._shape = variable._shape
        self._constraint = variable._constraint
        self._initial_value = variable._initial_value

    @property
    def name(self) -> str:
        return self._name
