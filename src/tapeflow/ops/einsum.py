"""`tf.einsum`: the Einsum op (contractions, transposes, generalized traces, ellipsis
broadcasting) beside its gradient, and the equation parsing of TF's public function."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import KernelError, op
from tapeflow.ops import reductions, shapes
from tapeflow.ops._linalg_kernels import compute_dtype, dtype_enum, kernels, no_kernel, shape_text
from tapeflow.ops.elementwise import conj

_ELLIPSIS = "..."
_KERNEL_DTYPES = frozenset(
    np.dtype(d._np)
    for d in (
        dtypes.int64,
        dtypes.int32,
        dtypes.float16,
        dtypes.float32,
        dtypes.float64,
        dtypes.complex64,
        dtypes.complex128,
        dtypes.bfloat16,
    )
)
_KERNELS = kernels(
    "INT64 INT32 HALF FLOAT DOUBLE COMPLEX64 COMPLEX128 BFLOAT16",
    xla="FLOAT DOUBLE INT32 COMPLEX64 INT64 BFLOAT16 COMPLEX128 HALF UINT64",
)


def _labels(subscripts: str) -> str:
    return subscripts.replace(_ELLIPSIS, "")


def _unique(subscripts: str) -> str:
    """The subscripts with repeated labels dropped (an ellipsis kept once)."""
    seen, out = set(), []
    for part in re.findall(r"\.\.\.|.", subscripts):
        if part not in seen:
            seen.add(part)
            out.append(part)
    return "".join(out)


def _check_operands(subs: list, operands: tuple) -> tuple:
    """TF's checks of ranks, label sizes and ellipsis broadcasting; returns the broadcast
    shape of the ellipsis axes."""
    sizes: dict = {}
    batch_shapes = []
    for i, (s, x) in enumerate(zip(subs, operands)):
        labels = _labels(s)
        if _ELLIPSIS in s:
            if x.ndim < len(labels):
                raise KernelError(
                    f"Expected input {i} to have rank at least {len(labels)} but got: {x.ndim}"
                )
            start, count = s.index(_ELLIPSIS), x.ndim - len(labels)
            axes = [*range(start), *range(start + count, x.ndim)]
            batch_shapes.append(x.shape[start : start + count])
        else:
            if x.ndim != len(labels):
                raise KernelError(
                    f"Expected input {i} to have rank {len(labels)} but got: {x.ndim}"
                )
            axes = range(x.ndim)
        for label, axis in zip(labels, axes):
            expected = sizes.setdefault(label, x.shape[axis])
            if expected != x.shape[axis]:
                raise KernelError(
                    f"Expected dimension {expected} at axis {axis} of the input shaped "
                    f"{shape_text(x.shape)} but got dimension {x.shape[axis]}"
                )
    try:
        return np.broadcast_shapes(*batch_shapes)
    except ValueError:
        raise KernelError(
            "Invalid broadcasting dimensions: "
            + " vs. ".join(shape_text(x.shape) for x in operands)
        ) from None


@op("Einsum")
def einsum_op(*inputs, equation):
    """Einsum with a resolved equation (`ij,jk->ik`, `...ii->...i`). Unlike the public
    `tf.einsum`, the output may repeat a label: `i->ii` puts a vector on a diagonal."""
    if inputs[0].dtype not in _KERNEL_DTYPES:
        node = f'N={len(inputs)}, T={dtype_enum(inputs[0])}, equation="{equation}"'
        raise no_kernel("Einsum", node, _KERNELS)
    in_text, out = equation.split("->")
    subs = in_text.split(",")
    batch = _check_operands(subs, inputs)
    if batch and _ELLIPSIS not in out:
        raise KernelError(
            f"Output contains {len(batch)} broadcasting dimension(s) but no ellipsis (...) "
            "was found in the output subscripts."
        )
    wide = compute_dtype(inputs[0])
    arrays = inputs if wide is None else [x.astype(wide) for x in inputs]
    unique = _unique(out)
    result = np.einsum(f"{in_text}->{unique}", *arrays, optimize=len(arrays) > 1)
    if unique != out:  # repeated output labels: write the result on a zero diagonal
        sizes = _label_sizes(unique, result.shape, len(batch))
        full = np.zeros(_shape_of(out, sizes, batch), dtype=result.dtype)
        np.einsum(f"{out}->{unique}", full)[...] = result
        result = full
    return result if wide is None else result.astype(inputs[0].dtype)


def _label_sizes(subscripts: str, shape: tuple, batch_rank: int) -> dict:
    sizes, axis = {}, 0
    for part in re.findall(r"\.\.\.|.", subscripts):
        if part == _ELLIPSIS:
            axis += batch_rank
        else:
            sizes[part] = shape[axis]
            axis += 1
    return sizes


def _shape_of(subscripts: str, sizes: dict, batch: tuple) -> tuple:
    shape: list = []
    for part in re.findall(r"\.\.\.|.", subscripts):
        shape.extend(batch if part == _ELLIPSIS else (sizes[part],))
    return tuple(shape)


def _axis_of(subscripts: str, label: str) -> int:
    """The axis of a label's first occurrence: from the left before an ellipsis, from the
    right (negative) after it."""
    head, _, tail = subscripts.partition(_ELLIPSIS)
    if label in head:
        return head.index(label)
    return tail.index(label) - len(tail)


def _grad_of_reduction(grad, grad_subs: str, x_subs: str, x_shape: tuple, reduced: set):
    """The gradient of the unary einsum `x_subs -> grad_subs` that sums the `reduced` labels:
    broadcast back along them, then (for traces or transposes) the reversed einsum."""
    reduced_subs = "".join(sorted(reduced))
    axes = [_axis_of(x_subs, label) for label in reduced_subs]
    dims = tuple(x_shape[a] for a in axes)
    grad_shape = grad._value.shape
    repeated = len(set(x_subs)) + len(set(grad_subs)) < len(x_subs) + len(grad_subs)
    kept = "".join(c for c in x_subs if c not in reduced)
    if not repeated and kept == grad_subs:
        # x_subs with the reduced labels dropped is grad_subs: reshape as keepdims, broadcast.
        kept_shape = list(x_shape)
        for a in axes:
            kept_shape[a] = 1
        grad = shapes.reshape_op(grad, shape=tuple(kept_shape))
        return shapes.broadcast_to_op(grad, shape=tuple(x_shape))
    grad = shapes.reshape_op(grad, shape=(1,) * len(dims) + grad_shape)
    grad = shapes.broadcast_to_op(grad, shape=dims + grad_shape)
    return einsum_op(grad, equation=f"{reduced_subs}{grad_subs}->{x_subs}")


def _grad_wrt(dz, other, x_shape, x_subs: str, other_subs: str, z_subs: str):
    """The gradient of a binary einsum for the operand `x`: the einsum of `dz` with the other
    operand onto x's subscripts, after removing the labels only `x` has (summed out)."""
    reduced = set(_labels(x_subs)) - set(z_subs + other_subs)
    kept = "".join(c for c in x_subs if c not in reduced)
    grad = einsum_op(dz, other, equation=f"{z_subs},{other_subs}->{kept}")
    if not reduced:
        return grad
    return _grad_of_reduction(grad, kept, x_subs, x_shape, reduced)


def _unbroadcast(grad, subs: str, shape: tuple):
    """Sums the ellipsis axes of `grad` down to `shape` (operands broadcast there)."""
    grad_shape = grad._value.shape
    if grad_shape == shape:
        return grad
    start = subs.index(_ELLIPSIS)
    named = len(_labels(subs))
    grad_batch = len(grad_shape) - named
    own_batch = len(shape) - named
    lead = grad_batch - own_batch
    axes = [start + i for i in range(lead)]
    axes += [
        start + lead + i
        for i in range(own_batch)
        if shape[start + i] == 1 and grad_shape[start + lead + i] != 1
    ]
    if axes:
        grad = reductions.sum_op(grad, axis=tuple(axes), keepdims=False)
    return shapes.reshape_op(grad, shape=shape)


@einsum_op.defvjp
def _einsum_vjp(dz, z, *inputs, equation, needs=None):  # no `needs` for one input
    # Each operand's gradient is an einsum of dz with the other operands (TF's construction:
    # contractions, traces and transposes are their own adjoints up to relabelling).
    in_text, z_subs = equation.split("->")
    if len(inputs) == 1:
        x_subs, x_shape = in_text, inputs[0]._value.shape
        reduced = set(_labels(x_subs)) - set(z_subs)
        if not reduced:
            return einsum_op(dz, equation=f"{z_subs}->{x_subs}")
        return _grad_of_reduction(dz, z_subs, x_subs, x_shape, reduced)
    x_subs, y_subs = in_text.split(",")
    if _ELLIPSIS in z_subs:  # an operand without ellipsis has an empty one
        x_subs += _ELLIPSIS if _ELLIPSIS not in x_subs else ""
        y_subs += _ELLIPSIS if _ELLIPSIS not in y_subs else ""
    x, y = inputs
    dx = dy = None
    if needs[0]:
        dx = _grad_wrt(dz, conj(y), x._value.shape, x_subs, y_subs, z_subs)
        if _ELLIPSIS in z_subs:
            dx = _unbroadcast(dx, x_subs, x._value.shape)
    if needs[1]:
        dy = _grad_wrt(dz, conj(x), y._value.shape, y_subs, x_subs, z_subs)
        if _ELLIPSIS in z_subs:
            dy = _unbroadcast(dy, y_subs, y._value.shape)
    return dx, dy


# -- the public function ----------------------------------------------------------------------


def _resolve(equation: str, count: int) -> str:
    """TF's validation of an equation; returns it with whitespace removed and the output
    subscripts made explicit (implicit mode: labels seen once, sorted)."""
    resolved = equation.replace(" ", "")
    ellipsis = None
    if _ELLIPSIS in equation:
        ellipsis = "0"  # TF's stand-in label for the ellipsis while parsing
        if ellipsis in resolved:
            raise ValueError(f'Invalid character "{ellipsis}" in equation: {equation}.')
        resolved = resolved.replace(_ELLIPSIS, ellipsis)
    allowed = "a-zA-Z" + (ellipsis or "")
    match = re.match(f"^([{allowed},]*)(->[{allowed}]*)?$", resolved)
    if not match:
        raise ValueError(f"Subscripts have incorrect format: {resolved}")
    inputs = match.group(1)
    if count != len(inputs.split(",")):
        raise ValueError(
            f'Got {count} inputs for equation "{equation}", expecting {len(inputs.split(","))}'
        )
    for labels in inputs.split(","):
        if ellipsis and labels.count(ellipsis) > 1:
            raise ValueError(
                f"Too many ellipses in input label {labels.replace(ellipsis, _ELLIPSIS)}."
            )
    if match.group(2) is None:
        counts = Counter(inputs)
        output = "".join(c for c in sorted(counts) if c != "," and counts[c] == 1)
    else:
        output = match.group(2)[2:]
    if len(set(output)) != len(output):
        raise ValueError(f"Output subscripts contain a label appearing more than once: {equation}")
    for label in output:
        if label != ellipsis and label not in inputs:
            raise ValueError(
                f"Output subscripts contain the label {label} not present in the input subscripts."
            )
    resolved = f"{inputs}->{output}"
    return resolved.replace(ellipsis, _ELLIPSIS) if ellipsis else resolved


def _pairwise(equation: str, operands: list):
    """More than two operands: contract pairs in NumPy's greedy order, each pair keeping the
    labels that later operands or the output still need (TF contracts pairs too)."""
    in_text, output = equation.split("->")
    subs = in_text.split(",")
    dummies = [np.broadcast_to(np.zeros((), x._value.dtype), x._value.shape) for x in operands]
    path = np.einsum_path(equation, *dummies, optimize="greedy")[0][1:]
    for step in path:
        picked = sorted(step, reverse=True)
        step_subs = [subs.pop(k) for k in picked][::-1]
        step_operands = [operands.pop(k) for k in picked][::-1]
        needed = set("".join(subs) + output)
        joined = "".join(step_subs)
        kept = "".join(dict.fromkeys(c for c in _labels(joined) if c in needed))
        if _ELLIPSIS in joined:
            kept = _ELLIPSIS + kept
        operands.append(einsum_op(*step_operands, equation=f"{','.join(step_subs)}->{kept}"))
        subs.append(kept)
    return einsum_op(operands[0], equation=f"{subs[0]}->{output}")


def einsum(equation, *inputs, **kwargs):
    """Tensor contraction over specified indices and outer product (`tf.einsum`)."""
    kwargs.pop("name", None)
    kwargs.pop("optimize", None)
    if kwargs:
        raise TypeError(
            f"Invalid keyword arguments for einsum: {', '.join(kwargs)}. "
            "Valid arguments: name, optimize, greedy."
        )
    resolved = _resolve(equation, len(inputs))
    tensors = [convert_to_tensor(x) for x in inputs]
    if len(tensors) <= 2:
        return einsum_op(*tensors, equation=resolved)
    return _pairwise(resolved, tensors)
