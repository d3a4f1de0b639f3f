"""Reductions (`tf.reduce_sum`, `tf.reduce_max`, `tf.reduce_prod`, ...), each beside its gradient.

Public functions check and normalise `axis` as TF's kernels do, then call one op whose `axis`
attribute is a sorted tuple of non-negative axes (None: all axes).
"""

from __future__ import annotations

import math

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import InvalidArgumentError, invalid_argument
from tapeflow.core.registry import TypeList, op
from tapeflow.core.tensor import EagerTensor, Tensor, wrap
from tapeflow.ops import _types as T
from tapeflow.ops import elementwise, scans, shapes
from tapeflow.ops._axes import axis_array

# Max and Min accept the real types only (Sum, Mean, Prod and EuclideanNorm use T.REDUCTION).
MAX_MIN = TypeList(
    dtypes.float32,
    dtypes.float64,
    dtypes.int32,
    dtypes.uint8,
    dtypes.int16,
    dtypes.int8,
    dtypes.int64,
    dtypes.bfloat16,
    dtypes.uint16,
    dtypes.float16,
    dtypes.uint32,
    dtypes.uint64,
    "qint8",
    "quint8",
    "qint32",
    "qint16",
    "quint16",
    op_def=T.REDUCTION.op_def,
)

# bfloat16 is summed in float32, as TF's kernels do (NumPy would round every partial sum);
# float16 stays float16, so a mean overflows where TF's does.
_ACCUMULATOR = {np.dtype(dtypes.bfloat16._np): np.float32}


# -- axes ---------------------------------------------------------------------------------------


def normalize_axis(axis, ndim: int, op_name: str = "Sum") -> tuple | None:
    """`axis` as a sorted tuple of non-negative ints (None: all axes), checked against `ndim`
    with TF's messages (out of range, then duplicates, in the order given)."""
    if axis is None:
        return None
    if isinstance(axis, (int, np.integer)):
        axes = (int(axis),)
    else:
        axes = axis
        if not (isinstance(axis, (list, tuple)) and all(type(a) is int for a in axis)):
            axes = axis_array(axis, op_name).reshape(-1).tolist()
    result = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise invalid_argument(
                f"Invalid reduction dimension ({a} for input with {ndim} dimension(s)", op_name
            )
        a %= ndim
        if a in result:
            raise invalid_argument(
                f"Invalid reduction arguments: Axes contains duplicate dimension: {a}", op_name
            )
        result.append(a)
    return tuple(sorted(result))


def _kept_shape(shape: tuple, axis) -> tuple:
    """The shape of a reduction with keepdims=True (`axis` may hold negative axes when an op
    is called directly)."""
    if axis is None:
        return (1,) * len(shape)
    reduced = {a % len(shape) for a in axis}
    return tuple(1 if i in reduced else d for i, d in enumerate(shape))


def _count(shape: tuple, axis) -> int:
    """How many elements each output element reduces."""
    if axis is None:
        return math.prod(shape)
    return math.prod([shape[a] for a in axis])


def _sum(x: np.ndarray, axis, keepdims: bool) -> np.ndarray:
    accumulator = _ACCUMULATOR.get(x.dtype)
    if accumulator is None:
        return np.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
    return np.sum(x, axis=axis, keepdims=keepdims, dtype=accumulator).astype(x.dtype)


def _kept(t, shape: tuple, axis, keepdims: bool):
    """A reduction's output (or its gradient) reshaped to the keepdims shape."""
    return t if keepdims else shapes.reshape_op(t, shape=_kept_shape(shape, axis))


# -- sum and mean -------------------------------------------------------------------------------


@op("Sum", dtypes=T.REDUCTION)
def sum_op(x, *, axis=None, keepdims=False):
    """Sum over `axis` (a tuple of axes, or None for all)."""
    return _sum(x, axis, keepdims)


@sum_op.defvjp
def _sum_vjp(dy, y, x, *, axis, keepdims):
    shape = x._value.shape
    return shapes.broadcast_to_op(_kept(dy, shape, axis, keepdims), shape=shape)


@op("Mean", dtypes=T.REDUCTION)
def mean_op(x, *, axis=None, keepdims=False):
    """Mean over `axis`: nan for an empty float reduction; integer means truncate toward zero
    and are accumulated in 64 bits (TF's int32 mean of [2**30, 2**30] is 2**30)."""
    count = _count(x.shape, axis)
    if x.dtype.kind in "iu":
        wide = np.int64 if x.dtype.kind == "i" else np.uint64
        total = np.sum(x, axis=axis, keepdims=keepdims, dtype=wide)
        divisor = max(count, 1)
        quotient = total // divisor
        if x.dtype.kind == "i":  # floor division rounds down: step back up toward zero
            quotient = quotient + ((total < 0) & (total % divisor != 0))
        return quotient.astype(x.dtype)
    accumulator = _ACCUMULATOR.get(x.dtype)
    if accumulator is None:
        return np.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype) / count  # 0/0 = nan
    total = np.sum(x, axis=axis, keepdims=keepdims, dtype=accumulator)
    return (total / count).astype(x.dtype)


@mean_op.defvjp
def _mean_vjp(dy, y, x, *, axis, keepdims):
    dx = _sum_vjp(dy, y, x, axis=axis, keepdims=keepdims)
    count = x._value.size // max(y._value.size, 1)
    return elementwise.real_div(dx, wrap(np.array(count, dtype=dx._value.dtype)))


# -- max and min --------------------------------------------------------------------------------


def _extreme(reduce, x: np.ndarray, axis, keepdims: bool, largest: bool) -> np.ndarray:
    if x.size:
        return reduce(x, axis=axis, keepdims=keepdims)
    # An empty reduction gives the identity: -inf (or the lowest integer) for max.
    if x.dtype.kind in "iu":
        info = np.iinfo(x.dtype)
        initial = info.min if largest else info.max
    else:
        initial = -np.inf if largest else np.inf
    return reduce(x, axis=axis, keepdims=keepdims, initial=initial)


@op("Max", dtypes=MAX_MIN)
def max_op(x, *, axis=None, keepdims=False):
    """Maximum over `axis`; NaN propagates; -inf (lowest integer) for empty reductions."""
    return _extreme(np.max, x, axis, keepdims, largest=True)


@op("Min", dtypes=MAX_MIN)
def min_op(x, *, axis=None, keepdims=False):
    """Minimum over `axis`; NaN propagates; inf (highest integer) for empty reductions."""
    return _extreme(np.min, x, axis, keepdims, largest=False)


def _extreme_vjp(dy, y, x, *, axis, keepdims):
    # TF's rule: the gradient goes to every element equal to the extreme, split equally
    # between ties. The mask comes from a comparison, so the second derivative is None.
    shape = x._value.shape
    y = _kept(y, shape, axis, keepdims)
    dy = _kept(dy, shape, axis, keepdims)
    indicators = elementwise.cast(elementwise.equal(y, x), dy.dtype)
    selected = sum_op(indicators, axis=axis, keepdims=True)
    return elementwise.multiply(elementwise.real_div(indicators, selected), dy)


max_op.defvjp(_extreme_vjp)
min_op.defvjp(_extreme_vjp)


# -- product ------------------------------------------------------------------------------------


@op("Prod", dtypes=T.REDUCTION)
def prod_op(x, *, axis=None, keepdims=False):
    """Product over `axis` (1 for empty reductions); integers wrap around."""
    return np.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


def _runs(axes: tuple) -> list:
    """Sorted axes split into runs of consecutive axes: (0, 2, 3) -> [(0,), (2, 3)]."""
    runs = []
    for a in axes:
        if runs and runs[-1][-1] == a - 1:
            runs[-1] = runs[-1] + (a,)
        else:
            runs.append((a,))
    return runs


def _others_product(x, axes: tuple):
    """For each element, the conjugated product of the other elements of its reduction block,
    built from exclusive cumulative products (exact with zeros, no division)."""
    shape = x._value.shape
    runs = _runs(axes)
    first = runs[0]
    # Merge the first run of reduced axes into one, then multiply the products on its left
    # and on its right.
    start, stop = first[0], first[-1] + 1
    merged = (
        int(np.prod(shape[:start], dtype=np.int64)),
        int(np.prod(shape[start:stop], dtype=np.int64)),
        int(np.prod(shape[stop:], dtype=np.int64)),
    )
    flat = shapes.reshape_op(x, shape=merged) if len(first) > 1 else x
    scan_axis = 1 if len(first) > 1 else start
    left = scans.cumprod_op(flat, axis=scan_axis, exclusive=True, reverse=False)
    right = scans.cumprod_op(flat, axis=scan_axis, exclusive=True, reverse=True)
    others = elementwise.multiply(elementwise.conj(left), elementwise.conj(right))
    if len(first) > 1:
        others = shapes.reshape_op(others, shape=shape)
    if len(runs) > 1:
        # Elements of other slices along the first run: their products, with the same rule
        # over the remaining axes.
        block = prod_op(x, axis=first, keepdims=True)
        rest = tuple(a for run in runs[1:] for a in run)
        others = elementwise.multiply(others, _others_product(block, rest))
    return others


@prod_op.defvjp
def _prod_vjp(dy, y, x, *, axis, keepdims):
    shape = x._value.shape
    dy = shapes.broadcast_to_op(_kept(dy, shape, axis, keepdims), shape=shape)
    axes = tuple(range(len(shape))) if axis is None else axis
    if not axes:
        return dy
    return elementwise.multiply(dy, _others_product(x, axes))


# -- norms and logic ----------------------------------------------------------------------------


@op("EuclideanNorm", dtypes=T.REDUCTION)
def euclidean_norm_op(x, *, axis=None, keepdims=False):
    """sqrt(sum(x * conj(x))) over `axis`, in x's dtype (integers: squares wrap around and
    the root truncates)."""
    squares = x * np.conj(x) if x.dtype.kind == "c" else x * x
    total = _sum(squares, axis, keepdims)
    if x.dtype.kind in "iu":
        return np.sqrt(total.astype(np.float64)).astype(x.dtype)
    return np.sqrt(total)


@euclidean_norm_op.defvjp
def _euclidean_norm_vjp(dy, y, x, *, axis, keepdims):
    # d|x|/dx = x / |x|, written x / (|x| / dy) as TF does (nan at the zero vector).
    shape = x._value.shape
    ratio = elementwise.real_div(_kept(y, shape, axis, keepdims), _kept(dy, shape, axis, keepdims))
    return elementwise.real_div(x, ratio)


@op("Any", input_dtype=dtypes.bool, differentiable=False)
def any_op(x, *, axis=None, keepdims=False):
    """Logical OR over `axis` (False for empty reductions)."""
    return np.any(x, axis=axis, keepdims=keepdims)


@op("All", input_dtype=dtypes.bool, differentiable=False)
def all_op(x, *, axis=None, keepdims=False):
    """Logical AND over `axis` (True for empty reductions)."""
    return np.all(x, axis=axis, keepdims=keepdims)


# -- public functions ---------------------------------------------------------------------------


def _reduction(reduce_op, input_tensor, axis, keepdims, dtype=None):
    x = input_tensor
    if type(x) is not EagerTensor:
        # Python values convert to `dtype` (bool for Any/All, as TF's op does).
        tensor_like = isinstance(x, Tensor) or hasattr(type(x), "__tf_tensor__")
        x = convert_to_tensor(x, None if tensor_like else dtype)
    try:
        axis = normalize_axis(axis, x._value.ndim, reduce_op.name)
    except InvalidArgumentError:
        allowed = reduce_op.type_list
        if allowed is not None and x._value.dtype not in allowed.np_dtypes:
            raise allowed.error(reduce_op.name, x.dtype) from None  # TF checks dtypes first
        raise
    return reduce_op(x, axis=axis, keepdims=bool(keepdims))


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Sum of elements across `axis` (all axes by default)."""
    return _reduction(sum_op, input_tensor, axis, keepdims)


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """Mean of elements across `axis` (all axes by default)."""
    return _reduction(mean_op, input_tensor, axis, keepdims)


def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    """Maximum of elements across `axis`; the gradient is split equally between ties."""
    return _reduction(max_op, input_tensor, axis, keepdims)


def reduce_min(input_tensor, axis=None, keepdims=False, name=None):
    """Minimum of elements across `axis`; the gradient is split equally between ties."""
    return _reduction(min_op, input_tensor, axis, keepdims)


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """Product of elements across `axis`; accepts shapes (`tf.TensorShape`, tuples)."""
    return _reduction(prod_op, input_tensor, axis, keepdims)


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """Euclidean norm of elements across `axis`."""
    return _reduction(euclidean_norm_op, input_tensor, axis, keepdims)


def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    """Logical OR of a bool tensor across `axis`."""
    return _reduction(any_op, input_tensor, axis, keepdims, dtypes.bool)


def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    """Logical AND of a bool tensor across `axis`."""
    return _reduction(all_op, input_tensor, axis, keepdims, dtypes.bool)


shapes.linear_in_input(sum_op, mean_op)  # forward mode: the reduction of the tangent
