"""Tensor's and Variable's Python operators (`+`, `*`, `@`, `[]`, comparisons, ...), attached
when the op library is imported. Special cases TF's operators make (strings, bools) are taken
only after the fast op has refused the input, so they cost nothing otherwise."""

from tapeflow.core.errors import InvalidArgumentError
from tapeflow.core.tensor import Tensor
from tapeflow.core.variable import Variable
from tapeflow.ops.elementwise import (
    abs,
    add,
    bitwise_and,
    bitwise_or,
    bitwise_xor,
    divide,
    equal,
    floordiv,
    floormod,
    greater,
    greater_equal,
    invert,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    multiply,
    negative,
    not_equal,
    pow,
    subtract,
)
from tapeflow.ops.indexing import getitem
from tapeflow.ops.linalg import matmul
from tapeflow.ops.math_functions import add_op


def _is_bool(x) -> bool:
    return x._value.dtype.kind == "b"


def _is_string(x) -> bool:
    return x._value.dtype.kind == "O"


def __add__(self, other):
    try:
        return add(self, other)
    except InvalidArgumentError:
        if _is_string(self):  # TF's `+` concatenates strings (its Add op, not AddV2)
            return add_op(self, other)
        raise


def __radd__(self, other):
    try:
        return add(other, self)
    except InvalidArgumentError:
        if _is_string(self):
            return add_op(other, self)
        raise


def __sub__(self, other):
    return subtract(self, other)


def __rsub__(self, other):
    return subtract(other, self)


def __mul__(self, other):
    try:
        return multiply(self, other)
    except InvalidArgumentError:
        if _is_bool(self):  # TF's `*` is logical AND on bools
            return logical_and(self, other)
        raise


def __rmul__(self, other):
    try:
        return multiply(other, self)
    except InvalidArgumentError:
        if _is_bool(self):
            return logical_and(other, self)
        raise


def __truediv__(self, other):
    return divide(self, other)


def __rtruediv__(self, other):
    return divide(other, self)


def __floordiv__(self, other):
    return floordiv(self, other)


def __rfloordiv__(self, other):
    return floordiv(other, self)


def __mod__(self, other):
    return floormod(self, other)


def __rmod__(self, other):
    return floormod(other, self)


def __pow__(self, other):
    return pow(self, other)


def __rpow__(self, other):
    return pow(other, self)


def __matmul__(self, other):
    return matmul(self, other)


def __rmatmul__(self, other):
    return matmul(other, self)


def __neg__(self):
    return negative(self)


def __abs__(self):
    return abs(self)


def __lt__(self, other):
    return less(self, other)


def __le__(self, other):
    return less_equal(self, other)


def __gt__(self, other):
    return greater(self, other)


def __ge__(self, other):
    return greater_equal(self, other)


def __eq__(self, other):
    if other is None:
        return False
    return equal(self, other, incompatible_shape_error=False)


def __ne__(self, other):
    if other is None:
        return True
    return not_equal(self, other, incompatible_shape_error=False)


def __and__(self, other):
    return logical_and(self, other) if _is_bool(self) else bitwise_and(self, other)


def __rand__(self, other):
    return logical_and(other, self) if _is_bool(self) else bitwise_and(other, self)


def __or__(self, other):
    return logical_or(self, other) if _is_bool(self) else bitwise_or(self, other)


def __ror__(self, other):
    return logical_or(other, self) if _is_bool(self) else bitwise_or(other, self)


def __xor__(self, other):
    return logical_xor(self, other) if _is_bool(self) else bitwise_xor(self, other)


def __rxor__(self, other):
    return logical_xor(other, self) if _is_bool(self) else bitwise_xor(other, self)


def __invert__(self):
    return logical_not(self) if _is_bool(self) else invert(self)


def __getitem__(self, key):
    return getitem(self, key)


_OPERATORS = (
    __add__,
    __radd__,
    __sub__,
    __rsub__,
    __mul__,
    __rmul__,
    __truediv__,
    __rtruediv__,
    __floordiv__,
    __rfloordiv__,
    __mod__,
    __rmod__,
    __pow__,
    __rpow__,
    __matmul__,
    __rmatmul__,
    __neg__,
    __abs__,
    __lt__,
    __le__,
    __gt__,
    __ge__,
    __eq__,
    __ne__,
    __and__,
    __rand__,
    __or__,
    __ror__,
    __xor__,
    __rxor__,
    __invert__,
    __getitem__,
)

for _cls in (Tensor, Variable):
    for _function in _OPERATORS:
        setattr(_cls, _function.__name__, _function)
