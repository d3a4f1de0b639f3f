"""`GradientTape.jacobian` and `batch_jacobian` (spec §6).

Instead of one backward pass per row of the Jacobian (or TF's retraced pfor graphs), one
batched pass pushes a whole stacked basis of cotangents back through the tape. Ops whose
rules broadcast over a leading axis take the stack at once; the others are differentiated row
by row, inside the same pass.
"""

from __future__ import annotations

import numpy as np

from tapeflow.autodiff._arguments import (
    CONSUMED,
    UnconnectedGradients,
    check_leaf,
    unconnected_mode,
    zeros_like,
)
from tapeflow.autodiff.backprop import batch_rank, compute_gradients
from tapeflow.core import nest
from tapeflow.core.dtypes import DIFFERENTIABLE_NP
from tapeflow.core.tensor import Tensor, wrap
from tapeflow.core.variable import Variable
from tapeflow.ops import arrays, linalg, shapes
from tapeflow.ops.elementwise import conj, real_div
from tapeflow.ops.indexed_slices import to_dense

# Ops whose ordinary rule is correct when `dy` carries extra leading axes: elementwise maths
# (broadcasting, then the batch-aware sum_to_shape) and ops that pass `dy` on.
# tests/test_jacobians.py checks each against the row-by-row computation.
_BROADCASTING_RULES = frozenset(
    {
        # ops/elementwise.py
        "AddV2",
        "Sub",
        "Mul",
        "RealDiv",
        "DivNoNan",
        "Pow",
        "FloorMod",
        "Neg",
        "Abs",
        "Square",
        "Sqrt",
        "SqrtGrad",
        "Reciprocal",
        "ReciprocalGrad",
        "Exp",
        "Log",
        "Sin",
        "Cos",
        "Tanh",
        "TanhGrad",
        "Sigmoid",
        "SigmoidGrad",
        "Conj",
        "Real",
        "Imag",
        "Complex",
        "ComplexAbs",
        "Cast",
        "SelectV2",
        # ops/math_functions.py, trigonometry.py, special_functions.py, comparison.py
        "Add",
        "Angle",
        "Expm1",
        "Log1p",
        "Rsqrt",
        "RsqrtGrad",
        "SquaredDifference",
        "Xdivy",
        "Xlogy",
        "Acos",
        "Acosh",
        "Asin",
        "Asinh",
        "Atan",
        "Atan2",
        "Atanh",
        "Cosh",
        "Sinh",
        "Tan",
        "BesselI0",
        "BesselI1",
        "Digamma",
        "Erf",
        "Erfc",
        "Lgamma",
        "Polygamma",
        "Maximum",
        "Minimum",
        # ops/activations.py
        "Elu",
        "EluGrad",
        "LeakyRelu",
        "Relu",
        "Relu6",
        "Selu",
        "SeluGrad",
        "Softplus",
        "Softsign",
        "Swish",
        # passing dy on, broadcasting products
        "Identity",
        "ReadVariableOp",
        "BroadcastTo",
        "BatchMatMulV2",
        "BatchMatMulV3",
    }
)
# Ops whose rule reshapes dy to the input's shape: the stack keeps its leading axis.
_RESHAPING = frozenset({"Reshape", "ExpandDims", "Squeeze"})


def _matmul_batched(dy, y, a, b, *, transpose_a, transpose_b, needs):
    # y = A @ B with A = op(a) (r x p), B = op(b) (p x c); dy stacks n cotangents (n, r, c).
    # The stack is folded into the matrices so each gradient is a single product (one GEMM).
    a, b = conj(a), conj(b)
    n, r, c = dy._value.shape
    da = db = None
    if needs[0]:  # dA = dy @ Bᴴ: rows of all cotangents at once
        rows = shapes.reshape_op(dy, shape=(n * r, c))
        da = shapes.reshape_op(
            linalg._matmul_2d(rows, b, transpose_b=not transpose_b), shape=(n, r, -1)
        )
        if transpose_a:
            da = arrays.transpose_op(da, perm=(0, 2, 1))
    if needs[1] and c == 1:  # a matrix-vector product: dBᵀ = dyᵀ A for every row at once
        rows = shapes.reshape_op(dy, shape=(n, r))
        product = linalg._matmul_2d(rows, a, transpose_b=transpose_a)
        db = shapes.reshape_op(product, shape=(n, 1, -1) if transpose_b else (n, -1, 1))
    elif needs[1]:  # dB = Aᴴ @ dy: columns of all cotangents side by side
        columns = shapes.reshape_op(arrays.transpose_op(dy, perm=(1, 0, 2)), shape=(r, n * c))
        db = linalg._matmul_2d(a, columns, transpose_a=not transpose_a)
        db = arrays.transpose_op(shapes.reshape_op(db, shape=(-1, n, c)), perm=(1, 0, 2))
        if transpose_b:
            db = arrays.transpose_op(db, perm=(0, 2, 1))
    return da, db


def _stacked(dy) -> tuple:
    return tuple(dy._value.shape[:1])


def _sum_batched(dy, y, x, *, axis, keepdims):
    shape = x._value.shape
    if not keepdims:
        kept = (
            (1,) * len(shape)
            if axis is None
            else tuple(1 if i in axis else d for i, d in enumerate(shape))
        )
        dy = shapes.reshape_op(dy, shape=_stacked(dy) + kept)
    return shapes.broadcast_to_op(dy, shape=_stacked(dy) + shape)


def _mean_batched(dy, y, x, *, axis, keepdims):
    dx = _sum_batched(dy, y, x, axis=axis, keepdims=keepdims)
    count = max(x._value.size // max(y._value.size, 1), 1)
    return real_div(dx, wrap(np.array(count, dtype=dx._value.dtype)))


def _reshape_batched(dy, y, x, **attrs):
    return shapes.reshape_op(dy, shape=_stacked(dy) + x._value.shape)


_BATCH_RULES = {"MatMul": _matmul_batched, "Sum": _sum_batched, "Mean": _mean_batched}
_BATCH_RULES.update(dict.fromkeys(_RESHAPING, _reshape_batched))


def _row_by_row(rule):
    """A rule for stacked cotangents that calls `rule` once per row and stacks the results."""

    def rows(dy, y, *inputs, **attrs):
        with batch_rank(0):
            if isinstance(dy, tuple):
                per_output = [shapes.unstack(d) for d in dy]
                row_dys = [tuple(parts) for parts in zip(*per_output)]
            else:
                row_dys = shapes.unstack(dy)
            results = [rule(d, y, *inputs, **attrs) for d in row_dys]
            if len(inputs) == 1:
                results = [r[0] if isinstance(r, (tuple, list)) else r for r in results]
                return _stack([[r] for r in results], inputs)[0]
            return _stack(results, inputs)

    return rows


def _stack(results: list, inputs) -> list:
    stacked = []
    for i, x in enumerate(inputs):
        column = [r[i] for r in results]
        if all(g is None for g in column):
            stacked.append(None)
            continue
        zeros = wrap(np.zeros(x._value.shape, dtype=x._value.dtype))
        stacked.append(shapes.stack([zeros if g is None else to_dense(g) for g in column]))
    return stacked


def batch_rule(op):
    """The rule a batched sweep calls for `op`."""
    special = _BATCH_RULES.get(op.name)
    if special is not None:
        return special
    if op.name in _BROADCASTING_RULES:
        return op.vjp
    return _row_by_row(op.vjp)


def _check_tensor(value, what: str):
    if not isinstance(value, (Tensor, Variable)):
        raise TypeError(
            f"GradientTape.{what} must be a single Tensor or Variable, got "
            f"{type(value).__name__}: {value!r}"
        )
    return value


def _stacked_gradients(tape, target, sources: list, seeds) -> list:
    """Gradients for a stack of seeds (leading axis), one batched sweep."""
    with batch_rank(1):
        return compute_gradients(
            tape, [target], sources, [seeds], batch=seeds._value.shape[0], batch_rules=batch_rule
        )


def _vectorizing_error(what: str) -> ValueError:
    """TF's error for `parallel_iterations=1` with pfor, with its cause as TF words it."""
    error = ValueError(
        f"Encountered an exception while vectorizing the {what} computation. "
        "Vectorization can be disabled by setting experimental_use_pfor to False."
    )
    error.__cause__ = ValueError(
        "in user code:\n\n\n    ValueError: Found "
        "`parallel_iterations == 1`. Use `for_loop` instead.\n"
    )
    return error


def jacobian(
    gradient_tape,
    target,
    sources,
    unconnected_gradients,
    parallel_iterations,
    experimental_use_pfor,
):
    """d target[i...] / d source[j...] for each source, shaped target.shape + source.shape."""
    if gradient_tape._tape is None:
        raise RuntimeError(CONSUMED)
    if not experimental_use_pfor and not gradient_tape._persistent:
        raise RuntimeError(
            "GradientTape must be created with persistent=True to compute the "
            "jacobian with eager execution enabled and with  experimental_use_pfor"
            " set to False."
        )
    zero = unconnected_mode(unconnected_gradients) is UnconnectedGradients.ZERO
    if experimental_use_pfor and parallel_iterations == 1:
        raise _vectorizing_error("jacobian")
    target = _check_tensor(target, "jacobian target")
    flat_sources = [check_leaf(s, "source", i) for i, s in enumerate(nest.flatten(sources))]
    tape = gradient_tape._take_tape(depth=4)

    value = target._value
    count = value.size
    grads = [None] * len(flat_sources)
    if value.dtype in DIFFERENTIABLE_NP and count:
        basis = np.eye(count, dtype=value.dtype).reshape((count,) + value.shape)
        grads = _stacked_gradients(tape, target, flat_sources, wrap(basis))
    results = []
    for grad, source in zip(grads, flat_sources):
        shape = value.shape + source._value.shape
        if grad is None:
            if zero or count == 0:
                grad = zeros_like(wrap(np.zeros(shape, dtype=source._value.dtype)))
        else:
            grad = shapes.reshape_op(to_dense(grad), shape=shape)
        results.append(grad)
    return nest.pack_sequence_as(sources, results)


def batch_jacobian(
    gradient_tape, target, source, unconnected_gradients, parallel_iterations, experimental_use_pfor
):
    """d target[b, i...] / d source[b, j...], shaped [b] + target.shape[1:] + source.shape[1:]
    (the derivative of the sum over the batch, as TF computes it)."""
    if gradient_tape._tape is None:
        raise RuntimeError(
            "A non-persistent GradientTape can only be used tocompute one set of "
            "gradients (or jacobians)"
        )
    target = _check_tensor(target, "batch_jacobian target")
    source = _check_tensor(source, "batch_jacobian source")
    for value in (target, source):
        value.shape.with_rank_at_least(2)
    t_shape, s_shape = target._value.shape, source._value.shape
    if t_shape[0] != s_shape[0]:
        raise ValueError(
            f"Need first dimension of target shape ({target.shape}) and source "
            f"shape ({source.shape}) to match."
        )
    if not experimental_use_pfor and not gradient_tape._persistent:
        raise RuntimeError(
            "GradientTape must be created with persistent=True to compute the "
            "batch_jacobian with eager execution enabled and  with "
            "experimental_use_pfor set to False."
        )
    unconnected_mode(unconnected_gradients)
    if experimental_use_pfor and parallel_iterations == 1:
        raise _vectorizing_error("batch_jacobian")
    tape = gradient_tape._take_tape(depth=4)

    batch, row = t_shape[0], int(np.prod(t_shape[1:], dtype=np.int64))
    out_shape = (batch,) + t_shape[1:] + s_shape[1:]
    dtype = target._value.dtype
    grad = None
    if dtype in DIFFERENTIABLE_NP and batch and row:
        # seed k puts a 1 at position k of every row of the target
        basis = np.eye(row, dtype=dtype).reshape((row, 1) + t_shape[1:])
        seeds = np.broadcast_to(basis, (row,) + t_shape).copy()
        grad = _stacked_gradients(tape, target, [source], wrap(seeds))[0]
    if grad is None:  # TF gives zeros even when unconnected, of the target's dtype
        return wrap(np.zeros(out_shape, dtype=dtype))
    grad = to_dense(grad)  # (row, batch, *source.shape[1:]) -> (batch, row, ...)
    grad = shapes.pack(*shapes.unstack(grad), axis=1)
    return shapes.reshape_op(grad, shape=out_shape)
