"""Where the largest values are: `tf.argmax`, `tf.argmin` (no gradient) and `tf.math.top_k`
(its values' gradient is scattered back to the chosen positions)."""

from __future__ import annotations

import collections

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import invalid_argument
from tapeflow.core.registry import KernelError, TypeList, op
from tapeflow.core.tensor import EagerTensor, Tensor, wrap
from tapeflow.ops import _types as T
from tapeflow.ops import gather, shapes
from tapeflow.ops._axes import attr_error

_REAL = T.REAL_NUMBERS
ARG = TypeList(
    *_REAL,
    "qint8",
    "quint8",
    "qint32",
    "qint16",
    "quint16",
    dtypes.bool,
    op_def=(
        "Op<name={name}; signature=input:T, dimension:Tidx -> output:output_type; "
        "attr=T:type,allowed=[{enums}]; attr=Tidx:type,default=DT_INT32,allowed=[DT_INT16, "
        "DT_INT32, DT_INT64]; attr=output_type:type,default=DT_INT64,allowed=[DT_INT16, "
        "DT_UINT16, DT_INT32, DT_INT64]>"
    ),
)
TOP_K = TypeList(
    *_REAL,
    op_def=(
        "Op<name={name}; signature=input:T, k:Tk -> values:T, indices:index_type; "
        "attr=sorted:bool,default=true; attr=T:type,allowed=[{enums}]; "
        "attr=Tk:type,default=DT_INT32,allowed=[DT_INT16, DT_INT32, DT_INT64]; "
        "attr=index_type:type,default=DT_INT32,allowed=[DT_INT16, DT_INT32, DT_INT64]>"
    ),
)
_AXIS_TYPES = (dtypes.int8, dtypes.uint8, dtypes.int16, dtypes.uint16, dtypes.int32, dtypes.int64)
_OUTPUT_TYPES = (dtypes.int16, dtypes.uint16, dtypes.int32, dtypes.int64)
_INDEX_TYPES = (dtypes.int16, dtypes.int32, dtypes.int64)


def _shape_text(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _is_float(x: np.ndarray) -> bool:
    return x.dtype.kind == "f" or x.dtype == dtypes.bfloat16._np


# -- argmax and argmin ----------------------------------------------------------------------------


def _arg_extreme(x: np.ndarray, axis: int, largest: bool) -> np.ndarray:
    rank = x.ndim
    if not -rank <= axis < rank:
        raise KernelError(f"Expected dimension in the range [{-rank}, {rank}), but got {axis}")
    axis %= rank
    if x.shape[axis] == 0:
        raise KernelError(f"Reduction axis {axis} is empty in shape {_shape_text(x.shape)}")
    if _is_float(x):
        # TF keeps the first element strictly beyond the dtype's finite limit it starts
        # from: NaN is skipped, and -inf (for argmax) never replaces the first element.
        info = dtypes.from_numpy(x.dtype)
        x = np.fmax(x, info.min) if largest else np.fmin(x, info.max)
    return np.argmax(x, axis=axis) if largest else np.argmin(x, axis=axis)


@op("ArgMax", dtypes=ARG, differentiable=False)
def arg_max(x, *, axis, output_type):
    """Index of the largest value along `axis` (the first one among ties)."""
    return _arg_extreme(x, axis, largest=True).astype(output_type)


@op("ArgMin", dtypes=ARG, differentiable=False)
def arg_min(x, *, axis, output_type):
    """Index of the smallest value along `axis` (the first one among ties)."""
    return _arg_extreme(x, axis, largest=False).astype(output_type)


def _arg_axis(axis, op_name: str) -> int:
    if axis is None:
        return 0
    if isinstance(axis, Tensor):
        if axis.dtype not in _AXIS_TYPES:
            raise TypeError(f"axis tensor dtypes {axis.dtype} is not supported")
        value = axis._value
        if value.ndim:
            raise invalid_argument(
                "dim must be a scalar, but received tensor of shape: " + _shape_text(value.shape),
                op_name,
            )
        return int(value)
    if hasattr(axis, "dtype"):  # a NumPy scalar: TF does not take its dtype
        raise TypeError(f"axis tensor dtypes {axis.dtype} is not supported")
    if not isinstance(axis, int):
        raise TypeError("axis must be int or Tensor with integer datatype")
    return int(axis)


def _arg_reduction(arg_op, input, axis, output_type):  # noqa: A002 - TF's argument name
    x = input if type(input) is EagerTensor else convert_to_tensor(input)
    axis = _arg_axis(axis, arg_op.name)
    output_type = dtypes.as_dtype(output_type)
    if output_type not in _OUTPUT_TYPES:
        raise attr_error("output_type", output_type, [t.name for t in _OUTPUT_TYPES], arg_op.name)
    return arg_op(x, axis=axis, output_type=output_type._np)


def argmax(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    """Index of the largest value across `axis` (default 0), as int64 unless `output_type`."""
    return _arg_reduction(arg_max, input, axis, output_type)


def argmin(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    """Index of the smallest value across `axis` (default 0), as int64 unless `output_type`."""
    return _arg_reduction(arg_min, input, axis, output_type)


# -- top_k ----------------------------------------------------------------------------------------

TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


@op("TopKV2", dtypes=TOP_K)
def top_k_op(x, *, k, sorted, index_type):  # noqa: A002 - TF's attribute name
    """The `k` largest entries of the last axis and their indices, largest first, the lower
    index first among ties (NaN counts as the smallest value). With `sorted=False` TF leaves
    the order unspecified (its heap's order); this kernel keeps the sorted one."""
    if k < 0:
        raise KernelError(f"Need k >= 0, got {k}")
    if x.ndim < 1:
        raise KernelError(f"input must be >= 1-D, got shape {_shape_text(x.shape)}")
    n = x.shape[-1]
    if n < k:
        raise KernelError(f"input must have at least k columns. Had {n}, needed {k}")
    keys = np.where(np.isnan(x), -np.inf, x) if _is_float(x) else x
    # A stable ascending sort of the reversed row, read backwards, is descending by value
    # with ascending indices among equal values.
    order = np.argsort(keys[..., ::-1], axis=-1, kind="stable")[..., ::-1][..., :k]
    indices = (n - 1) - order
    return np.take_along_axis(x, indices, axis=-1), indices.astype(index_type)


@top_k_op.defvjp
def _top_k_vjp(dys, ys, x, *, k, sorted, index_type):  # noqa: A002
    # TF's rule: scatter the values' gradient into a flat zero tensor at the chosen
    # positions (row offset + index), then restore the input's shape.
    shape = x._value.shape
    n = shape[-1]
    indices = ys[1]._value.astype(np.int64).reshape(-1, k) if k else np.zeros((0, 0), np.int64)
    offsets = np.arange(indices.shape[0], dtype=np.int64)[:, None] * n
    flat = gather.unsorted_segment_sum_op(
        shapes.reshape_op(dys[0], shape=(indices.size,)),
        wrap((indices + offsets).reshape(-1)),
        num_segments=int(np.prod(shape, dtype=np.int64)),
    )
    return shapes.reshape_op(flat, shape=shape)


def _scalar_k(k) -> int:
    if isinstance(k, (int, np.integer)):
        return int(k)
    t = convert_to_tensor(k, dtype_hint=dtypes.int32)
    if t._value.dtype.kind not in "iu":
        raise TypeError(f"Cannot convert {k!r} to EagerTensor of dtype int32")
    if t._value.ndim:
        raise invalid_argument(
            f"k must be scalar, got shape {_shape_text(t._value.shape)}", "TopKV2"
        )
    return int(t._value)


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002
    """The `k` largest entries of the last axis (`tf.math.top_k`) as a named tuple
    `(values, indices)`; `sorted=False` also returns them largest first."""
    x = input if type(input) is EagerTensor else convert_to_tensor(input)
    k = _scalar_k(k)
    index_type = dtypes.as_dtype(index_type)
    if index_type not in _INDEX_TYPES:
        raise attr_error("index_type", index_type, [t.name for t in _INDEX_TYPES], "TopKV2")
    return TopKV2(*top_k_op(x, k=k, sorted=bool(sorted), index_type=index_type._np))
