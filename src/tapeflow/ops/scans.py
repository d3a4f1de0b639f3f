"""Cumulative sums and products (`tf.math.cumsum`, `tf.math.cumprod`), each beside its
gradient."""

from __future__ import annotations

import numpy as np

from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import KernelError, op
from tapeflow.core.tensor import EagerTensor
from tapeflow.ops import _types as T
from tapeflow.ops import elementwise
from tapeflow.ops._axes import axis_array, retyped

# Cumsum and Cumprod accept the dtypes of Sum; only their op definition differs.
CUMULATIVE = retyped(
    T.REDUCTION,
    "Op<name={name}; signature=x:T, axis:Tidx -> out:T; attr=exclusive:bool,default=false; "
    "attr=reverse:bool,default=false; attr=T:type,allowed=[{enums}]; "
    "attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]>",
)


def _scan(accumulate, identity, x: np.ndarray, axis, exclusive: bool, reverse: bool):
    if not isinstance(axis, int):  # a non-scalar axis tensor
        dims = ",".join(str(d) for d in np.shape(axis))
        raise KernelError(f"ScanOp: axis must be a scalar, not [{dims}]")
    rank = x.ndim
    if axis < 0:
        axis += rank  # TF reports the axis after this shift
    if not 0 <= axis < rank:
        raise KernelError(
            f"ScanOp: Expected scan axis in the range [{-rank}, {rank}), but got {axis}"
        )
    if reverse:
        x = np.flip(x, axis)
    out = accumulate(x, axis=axis, dtype=x.dtype)
    if exclusive and x.shape[axis]:
        # Exclusive scans shift the inclusive one by one place, starting from the identity.
        lead = (slice(None),) * axis
        shifted = np.empty_like(out)
        shifted[lead + (0,)] = identity
        shifted[lead + (slice(1, None),)] = out[lead + (slice(None, -1),)]
        out = shifted
    return np.flip(out, axis) if reverse else out


@op("Cumsum", dtypes=CUMULATIVE)
def cumsum_op(x, *, axis=0, exclusive=False, reverse=False):
    """Cumulative sum along `axis` (an int), excluding each element itself if `exclusive`,
    from the end if `reverse`."""
    return _scan(np.cumsum, 0, x, axis, exclusive, reverse)


@cumsum_op.defvjp
def _cumsum_vjp(dy, y, x, *, axis, exclusive, reverse):
    # Each input reaches the outputs after it, so the gradient is the sum the other way.
    return cumsum_op(dy, axis=axis, exclusive=exclusive, reverse=not reverse)


@op("Cumprod", dtypes=CUMULATIVE)
def cumprod_op(x, *, axis=0, exclusive=False, reverse=False):
    """Cumulative product along `axis` (an int), with `exclusive` and `reverse` as in
    `cumsum_op`."""
    return _scan(np.cumprod, 1, x, axis, exclusive, reverse)


@cumprod_op.defvjp
def _cumprod_vjp(dy, y, x, *, axis, exclusive, reverse):
    # TF's rule: dx_i = sum over outputs j that use x_i of dy_j * y_j / x_i, with
    # div_no_nan, so x_i == 0 gives 0 there (not the exact value). No conjugation for
    # complex inputs, as in TF.
    total = cumsum_op(
        elementwise.multiply(y, dy), axis=axis, exclusive=exclusive, reverse=not reverse
    )
    return elementwise.div_no_nan(total, x)


def scan_axis(axis, op_name: str):
    """An axis argument as an int (or, when it is not a scalar, the array the op rejects)."""
    if isinstance(axis, (int, np.integer)):
        return int(axis)
    values = axis_array(axis, op_name)
    return int(values) if values.ndim == 0 else values


def _cumulative(scan_op, x, axis, exclusive, reverse):
    x = x if type(x) is EagerTensor else convert_to_tensor(x)
    axis = scan_axis(axis, scan_op.name)
    return scan_op(x, axis=axis, exclusive=bool(exclusive), reverse=bool(reverse))


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative sum of `x` along `axis` (`tf.math.cumsum`)."""
    return _cumulative(cumsum_op, x, axis, exclusive, reverse)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Cumulative product of `x` along `axis` (`tf.math.cumprod`)."""
    return _cumulative(cumprod_op, x, axis, exclusive, reverse)
