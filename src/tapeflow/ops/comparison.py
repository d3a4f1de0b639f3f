"""Elementwise choices: `tf.maximum`, `tf.minimum`, `tf.where` (both forms) and the float
tests `tf.math.is_nan`, `is_inf`, `is_finite`. Gradients go through boolean masks built with
comparisons, so their second derivatives are None, as in TF (spec §12.5)."""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import KernelError, TypeList, incompatible_shapes, op
from tapeflow.core.tensor import Tensor
from tapeflow.ops import _types as T
from tapeflow.ops import creation
from tapeflow.ops._broadcast import sum_to_shape
from tapeflow.ops.elementwise import greater_equal, less_equal, select


def _masked_gradients(dz, mask, x, y, needs) -> tuple:
    """dz where `mask` holds to x, dz elsewhere to y (each summed back to its shape)."""
    zeros = creation.zeros_like(dz)
    return (
        sum_to_shape(select(mask, dz, zeros), x._value.shape) if needs[0] else None,
        sum_to_shape(select(mask, zeros, dz), y._value.shape) if needs[1] else None,
    )


# NumPy's maximum/minimum return their second argument when the two are equal, so the
# arguments are swapped to return x on ties (-0. vs 0.) as TF does; NaN wins either way.


@op("Maximum", dtypes=T.MAX_MIN, explain_error=incompatible_shapes)
def maximum(x, y):
    """The larger of x and y element-wise (NaN if either is NaN)."""
    return np.maximum(y, x)


@maximum.defvjp
def _maximum_vjp(dz, z, x, y, *, needs):
    return _masked_gradients(dz, greater_equal(x, y), x, y, needs)  # a tie goes to x


@op("Minimum", dtypes=T.MAX_MIN, explain_error=incompatible_shapes)
def minimum(x, y):
    """The smaller of x and y element-wise (NaN if either is NaN)."""
    return np.minimum(y, x)


@minimum.defvjp
def _minimum_vjp(dz, z, x, y, *, needs):
    return _masked_gradients(dz, less_equal(x, y), x, y, needs)  # a tie goes to x


# TF registers no gradient for these; their bool outputs carry none anyway.
_FLOAT_TEST = TypeList(*T.FLOATS, signature="x:T -> y:bool")


@op("IsNan", dtypes=_FLOAT_TEST, differentiable=False)
def is_nan(x):
    """True where x is NaN."""
    return np.isnan(x)


@op("IsInf", dtypes=_FLOAT_TEST, differentiable=False)
def is_inf(x):
    """True where x is +inf or -inf."""
    return np.isinf(x)


@op("IsFinite", dtypes=_FLOAT_TEST, differentiable=False)
def is_finite(x):
    """True where x is neither infinite nor NaN."""
    return np.isfinite(x)


_WHERE_TYPES = TypeList(
    *T.NUMBERS,
    dtypes.bool,
    op_def=(
        "Op<name=Where; signature=input:T -> index:int64; attr=T:type,default=DT_BOOL,"
        "allowed=[{enums}]>"
    ),
)


@op("Where", dtypes=_WHERE_TYPES, differentiable=False)
def where_indices(condition):
    """The coordinates of the true (non-zero) elements, one row each, as int64 [n, rank]."""
    if condition.ndim == 0:
        raise KernelError("WhereOp : Unhandled input dimensions: 0")
    return np.argwhere(condition).astype(np.int64, copy=False)


def where(condition, x=None, y=None, name=None):
    """`tf.where`: with x and y, x where condition holds and y elsewhere, broadcasting all
    three (SelectV2); alone, the int64 coordinates of condition's true elements (Where)."""
    if x is None and y is None:
        return where_indices(convert_to_tensor(condition, dtype_hint=dtypes.bool))
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    if not isinstance(condition, Tensor) and not hasattr(type(condition), "__tf_tensor__"):
        condition = convert_to_tensor(condition, dtype=dtypes.bool)
    return select(condition, x, y)
