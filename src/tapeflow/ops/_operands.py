"""How TF's Python wrappers (`tf.add`, `tf.divide`, `tf.math.divide_no_nan`) convert their
operands: x first, then y with x's dtype as a hint only; and the dtype a true division
computes in (spec §11.3)."""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_operand, convert_to_tensor
from tapeflow.core.tensor import Tensor

# Integer true division computes in floats wide enough for the integers; the other dtypes TF
# divides (None here) divide as they are.
_TRUEDIV = {
    np.dtype(np.uint8): dtypes.float32,
    np.dtype(np.int8): dtypes.float32,
    np.dtype(np.uint16): dtypes.float32,
    np.dtype(np.int16): dtypes.float32,
    np.dtype(np.uint32): dtypes.float64,
    np.dtype(np.int32): dtypes.float64,
    np.dtype(np.uint64): dtypes.float64,
    np.dtype(np.int64): dtypes.float64,
    **{
        d._np: None
        for d in (
            dtypes.bfloat16,
            dtypes.float16,
            dtypes.float32,
            dtypes.float64,
            dtypes.complex64,
            dtypes.complex128,
        )
    },
}
_TRUEDIV_NAMES = ", ".join(repr(dtypes.from_numpy(d)) for d in _TRUEDIV)


def is_tensor_like(value) -> bool:
    """True for tensors, variables and other objects that convert themselves to tensors."""
    return isinstance(value, Tensor) or hasattr(type(value), "__tf_tensor__")


def weak_operand(value, dtype: dtypes.DType, op_name: str):
    """A non-tensor second operand converted with `dtype` as a hint only: a Python float next
    to an integer tensor stays a float (and the dtypes then disagree); Python ints are
    range-checked (spec §11.2)."""
    kind = dtype._np.kind
    if (type(value) is int and kind in "iufcV") or (type(value) is float and kind in "fcV"):
        return convert_operand(value, dtype, op_name)
    return convert_to_tensor(value, dtype_hint=dtype)


def division_operands(x, y, where: str, op_name: str):
    """x and y of a division as TF converts them (x to y's dtype when only y is a tensor,
    then y with x's dtype as a hint), and the dtype to compute in (None: their own);
    `where` names the function in TF's TypeError for other dtypes."""
    if is_tensor_like(x):
        x = convert_to_tensor(x)
    else:
        x = convert_to_tensor(x, dtype=convert_to_tensor(y).dtype if is_tensor_like(y) else None)
    y = convert_to_tensor(y) if is_tensor_like(y) else weak_operand(y, x.dtype, op_name)
    if x.dtype != y.dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got {x.dtype!r} != {y.dtype!r}.")
    if x._value.dtype not in _TRUEDIV:
        raise TypeError(
            f"Invalid dtype {x.dtype!r} in {where}. Expected one of {{{_TRUEDIV_NAMES}}}."
        )
    return x, y, _TRUEDIV[x._value.dtype]
