"""Softmax, log-softmax and the softmax cross-entropies (`tf.nn.softmax`,
`tf.nn.softmax_cross_entropy_with_logits`, ...), each beside its gradient.

Every kernel subtracts the maximum logit first, so logits of ±1000 give finite values and
gradients. TF's ops work on the last axis (its Python wrappers transpose and reshape around
them); here the kernels take the class axis as an attribute instead.
"""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import invalid_argument
from tapeflow.core.registry import KernelError, TypeList, op
from tapeflow.core.tensor import Tensor
from tapeflow.ops import elementwise, reductions, shapes
from tapeflow.ops._broadcast import sum_to_shape
from tapeflow.ops.activations import rounded
from tapeflow.ops.elementwise import multiply, subtract

_FLOATS = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
_XENT_SIGNATURE = "features:T, labels:{labels} -> loss:T, backprop:T"


def _kept(t: Tensor, axis: int) -> tuple:
    """t's shape with a 1 inserted at `axis` (the shape of a reduction with keepdims)."""
    shape = list(t._value.shape)
    shape.insert(axis, 1)
    return tuple(shape)


def _sum_kept(x, axis: int):
    return reductions.sum_op(x, axis=(axis,), keepdims=True)


def _shifted(x: np.ndarray, axis: int) -> np.ndarray:
    """x minus its maximum along `axis` (so that exp never overflows)."""
    return x - np.max(x, axis=axis, keepdims=True)


# -- softmax and log_softmax ------------------------------------------------------------------


def _check_logits(logits: np.ndarray) -> None:
    if logits.ndim == 0:
        raise KernelError("logits must have >= 1 dimension, got []")


@op("Softmax", dtypes=TypeList(*_FLOATS, signature="logits:T -> softmax:T"))
def _softmax(logits, *, axis=-1):
    _check_logits(logits)
    if logits.size == 0:
        return logits
    e = rounded(np.exp, _shifted(logits, axis))
    return e * (1 / np.sum(e, axis=axis, keepdims=True))  # TF multiplies by the reciprocal


@_softmax.defvjp
def _softmax_vjp(dy, y, logits, *, axis):
    # (diag(y) - y yᵀ) dy, computed as (dy - Σ dy·y) * y
    return multiply(subtract(dy, _sum_kept(multiply(dy, y), axis)), y)


@op("LogSoftmax", dtypes=TypeList(*_FLOATS, signature="logits:T -> logsoftmax:T"))
def _log_softmax(logits, *, axis=-1):
    _check_logits(logits)
    if logits.size == 0:
        return logits
    shifted = _shifted(logits, axis)
    return shifted - rounded(np.log, np.sum(rounded(np.exp, shifted), axis=axis, keepdims=True))


@_log_softmax.defvjp
def _log_softmax_vjp(dy, y, logits, *, axis):
    return subtract(dy, multiply(_sum_kept(dy, axis), elementwise.exp(y)))


def _class_axis(logits: Tensor, axis) -> int:
    """`axis` as a non-negative int; TF's error when it is out of range."""
    if isinstance(axis, Tensor):
        axis = int(axis._value)
    ndim = logits._value.ndim
    if axis == -1 or axis == ndim - 1:
        return max(ndim - 1, 0)
    if not -ndim <= axis < ndim:
        raise invalid_argument(
            f"`dim` must be in the range [{-ndim}, {ndim}) where {ndim} is the number of "
            f"dimensions in the input. Received: dim={axis}"
        )
    return axis % ndim


def softmax(logits, axis=None, name=None):
    """exp(logits) / reduce_sum(exp(logits), axis), along `axis` (default -1)."""
    logits = convert_to_tensor(logits)
    return _softmax(logits, axis=_class_axis(logits, -1 if axis is None else axis))


def log_softmax(logits, axis=None, name=None):
    """logits - log(reduce_sum(exp(logits), axis)), along `axis` (default -1)."""
    logits = convert_to_tensor(logits)
    return _log_softmax(logits, axis=_class_axis(logits, -1 if axis is None else axis))


# -- softmax cross-entropy --------------------------------------------------------------------


def _xent_types(name: str, labels: str, extra: str = "") -> TypeList:
    signature = _XENT_SIGNATURE.format(labels=labels)
    return TypeList(
        *_FLOATS,
        op_def=(f"Op<name={name}; signature={signature}; attr=T:type,allowed=[{{enums}}]{extra}>"),
    )


def _flat_size(shape: tuple, axis: int) -> str:
    """A shape as TF's 2-D kernel sees it: [other dimensions, classes]."""
    rows = int(np.prod([d for i, d in enumerate(shape) if i != axis], dtype=np.int64))
    return f"[{rows},{shape[axis]}]"


@op(
    "SoftmaxCrossEntropyWithLogits",
    dtypes=_xent_types("SoftmaxCrossEntropyWithLogits", "T"),
)
def _softmax_xent(features, labels, *, axis=-1):
    try:
        shape = np.broadcast_shapes(features.shape, labels.shape)
    except ValueError:
        raise KernelError(
            "logits and labels must be broadcastable: logits_size="
            f"{_flat_size(features.shape, axis)} labels_size={_flat_size(labels.shape, axis)}"
        ) from None
    if shape[axis] == 0:  # no classes: zero loss, empty backprop
        loss_shape = shape[:axis] + shape[axis + 1 :]
        return np.zeros(loss_shape, features.dtype), np.zeros(shape, features.dtype)
    shifted = _shifted(np.broadcast_to(features, shape), axis)
    e = rounded(np.exp, shifted)
    total = np.sum(e, axis=axis, keepdims=True)
    loss = np.sum(labels * (rounded(np.log, total) - shifted), axis=axis)
    return loss, e / total - labels


def _xent_logits_grad(dys, ys, logits, axis: int):
    """The logits gradient shared by both cross-entropies: dloss * (softmax - labels), plus,
    when the backprop output has a gradient, the softmax Jacobian applied to it."""
    dloss, dbackprop = dys
    dloss = shapes.reshape_op(dloss, shape=_kept(dloss, axis))
    grad = multiply(dloss, ys[1])
    # TF skips the second term for the zeros the tape fills in for an unused backprop output.
    if np.any(dbackprop._value):
        probabilities = _softmax(logits, axis=axis)
        grad = elementwise.add(grad, _softmax_vjp(dbackprop, probabilities, logits, axis=axis))
    return sum_to_shape(grad, logits._value.shape), dloss


@_softmax_xent.defvjp
def _softmax_xent_vjp(dys, ys, logits, labels, *, axis, needs):
    dlogits, dloss = _xent_logits_grad(dys, ys, logits, axis)
    dlabels = None
    if needs[1]:
        dlabels = multiply(dloss, elementwise.negative(_log_softmax(logits, axis=axis)))
        # tapeflow choice: the backprop output (softmax - labels) passes its gradient to the
        # labels too; TF's rule drops it, so its mixed second derivatives are zeros.
        if np.any(dys[1]._value):
            dlabels = subtract(dlabels, dys[1])
        dlabels = sum_to_shape(dlabels, labels._value.shape)
    return dlogits if needs[0] else None, dlabels


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Cross-entropy between `labels` (a probability distribution along `axis`) and
    softmax(logits); gradients reach both. Half-precision logits are computed in float32."""
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels)
    precise = logits
    if logits.dtype in (dtypes.float16, dtypes.bfloat16):
        precise = elementwise.cast(logits, dtypes.float32)
    labels = elementwise.cast(labels, precise.dtype)
    ndim = logits._value.ndim
    if ndim == 0:  # TF fails while flattening the outer dimensions
        raise invalid_argument(
            "Expected begin[0] == 0 (got -1) and size[0] == 0 (got 1) when input.dim_size(0) == 0",
            "Slice",
        )
    if isinstance(axis, Tensor):
        axis = int(axis._value)
    if not -ndim <= axis < ndim:  # TF fails in a range() that moves the axis to the end
        start, limit = (0, axis) if axis < 0 else (axis + 1, ndim)
        raise invalid_argument(f"Requires start <= limit when delta > 0: {start}/{limit}", "Range")
    # (tapeflow choice: negative axes other than -1 work; TF's wrapper fails on them too)
    cost, _ = _softmax_xent(precise, labels, axis=axis % ndim)
    return elementwise.cast(cost, logits.dtype)


# -- sparse softmax cross-entropy -------------------------------------------------------------

_SPARSE = "SparseSoftmaxCrossEntropyWithLogits"
_SPARSE_TYPES = _xent_types(
    _SPARSE, "Tlabels", "; attr=Tlabels:type,default=DT_INT64,allowed=[DT_INT32, DT_INT64]"
)


def _check_labels(labels: np.ndarray, classes: int) -> None:
    if labels.dtype not in (np.int32, np.int64):
        enums = ", ".join("DT_" + name.upper() for name in _SPARSE_TYPES.names)
        got = dtypes.from_numpy(labels.dtype)._type_string
        raise KernelError(
            f"Value for attr 'Tlabels' of {got} is not in the list of allowed values: "
            f"int32, int64\n\t; NodeDef: {{{{node {_SPARSE}}}}}; "
            + _SPARSE_TYPES.op_def.format(name=_SPARSE, enums=enums)
        )
    bad = (labels < 0) | (labels >= classes)
    if np.any(bad):
        flat = labels.reshape(-1)
        listed = " ".join(str(v) for v in flat.tolist())
        raise KernelError(
            f"Received a label value of {flat[np.argmax(bad.reshape(-1))]} which is outside "
            f"the valid range of [0, {classes}).  Label values: {listed}"
        )


@op(_SPARSE, dtypes=_SPARSE_TYPES, match=(0,))
def _sparse_softmax_xent(features, labels):
    classes = features.shape[-1]
    if classes == 0:
        raise KernelError(
            "Must have at least one class, but got logits shape "
            f"[{','.join(str(d) for d in features.shape)}]"
        )
    _check_labels(labels, classes)
    shifted = _shifted(features, -1)
    e = rounded(np.exp, shifted)
    total = np.sum(e, axis=-1, keepdims=True)
    index = labels[..., None].astype(np.intp)
    loss = rounded(np.log, total)[..., 0] - np.take_along_axis(shifted, index, axis=-1)[..., 0]
    backprop = e / total
    picked = np.take_along_axis(backprop, index, axis=-1)
    np.put_along_axis(backprop, index, picked - np.ones((), backprop.dtype), axis=-1)
    return loss, backprop


@_sparse_softmax_xent.defvjp
def _sparse_softmax_xent_vjp(dys, ys, logits, labels):
    return _xent_logits_grad(dys, ys, logits, logits._value.ndim - 1)[0], None


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Cross-entropy between integer class `labels` (shape: logits' without the last axis)
    and softmax(logits); no gradient reaches the labels."""
    labels = convert_to_tensor(labels)
    logits = convert_to_tensor(logits)
    precise = logits
    if logits.dtype == dtypes.float16:
        precise = elementwise.cast(logits, dtypes.float32)
    labels_shape, logits_shape = labels.shape, logits.shape
    if logits_shape.rank == 0:
        raise ValueError(f"`logits` cannot be a scalar. Received logits={logits}`")
    if labels_shape.rank != logits_shape.rank - 1:
        raise ValueError(
            "`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
            f"labels.shape={labels_shape} of rank {labels_shape.rank} and "
            f"logits.shape={logits_shape} of rank {logits_shape.rank}"
        )
    if labels_shape != logits_shape[:-1]:
        raise ValueError(
            "`labels.shape` must equal `logits.shape` except for the last dimension. "
            f"Received: labels.shape={labels_shape} and logits.shape={logits_shape}"
        )
    cost, _ = _sparse_softmax_xent(precise, labels)
    return elementwise.cast(cost, logits.dtype)
