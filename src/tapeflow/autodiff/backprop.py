"""The reverse sweep: from seeded targets back through a tape's records to the sources.

Gradients are computed with tapeflow ops, so any tape still recording records the sweep
itself; that is how nested tapes give higher derivatives (spec §0.6).

A batched sweep (for Jacobians) carries a leading axis of stacked cotangents on every
gradient: ops whose rules broadcast over it get the whole stack at once, the others are
differentiated row by row (autodiff/jacobians.py says which is which).
"""

from __future__ import annotations

import numpy as np

from tapeflow.core.recording import Tape, state
from tapeflow.core.tensor import EagerTensor, wrap
from tapeflow.ops import shapes
from tapeflow.ops.elementwise import add
from tapeflow.ops.indexed_slices import IndexedSlices, to_dense


def aggregate(a, b):
    """The sum of two gradient contributions to one tensor (spec §10.5 for IndexedSlices:
    slices with slices concatenate, anything with a dense tensor becomes dense)."""
    if type(a) is EagerTensor and type(b) is EagerTensor:
        return add(a, b)
    if isinstance(a, IndexedSlices) and isinstance(b, IndexedSlices):
        return IndexedSlices(
            shapes.concat([a.values, b.values], 0),
            shapes.concat([a.indices, b.indices], 0),
            a.dense_shape,
        )
    return add(to_dense(a), to_dense(b))


def _zeros_for_missing(dys: list, outputs: tuple, batch: int) -> tuple:
    """Gradients for every output of a multi-output op: zeros where none arrived."""
    return tuple(
        wrap(np.zeros((batch,) * (batch > 0) + out._value.shape, dtype=out._value.dtype))
        if dy is None
        else dy
        for dy, out in zip(dys, outputs)
    )


def _no_rule(op) -> LookupError:
    return LookupError(f"gradient registry has no entry for: {op.name}")


def compute_gradients(
    tape: Tape, targets: list, sources: list, seeds: list, batch: int = 0, batch_rules=None
) -> list:
    """Gradients of the seeded targets with respect to each source (None if unconnected).

    `targets` and `sources` are flat lists of tensors and variables; `seeds[i]` is the
    gradient flowing into `targets[i]` (None: nothing flows from it). Records are visited
    newest first, so every tensor's gradient is complete before its producer is visited;
    gradients flow only into tensors the tape tracks (an input that was a constant for the
    tape stays one). With `batch` > 0, every seed and gradient has a leading axis of that
    length and `batch_rules(op)` gives the rule to call (see autodiff/jacobians.py).
    """
    grads: dict = {}
    for target, seed in zip(targets, seeds):
        if seed is not None:
            key = target._id
            previous = grads.get(key)
            grads[key] = seed if previous is None else aggregate(previous, seed)
    source_ids = {s._id for s in sources}
    finished: dict = {}  # gradients of sources that some record produced
    tracked = tape.tracked
    pop = grads.pop
    for op, inputs, outputs, attrs in reversed(list(tape.records)):  # a copy: a persistent
        if len(outputs) == 1:  # tape inside its context records this very sweep
            key = outputs[0]._id
            dy = pop(key, None)
            if dy is None:
                continue
            if key in source_ids:
                finished[key] = dy
            if type(dy) is not EagerTensor and not op.passes_indexed_slices:
                dy = to_dense(dy)
            y = outputs[0]
        else:
            dys = [pop(o._id, None) for o in outputs]
            if all(dy is None for dy in dys):
                continue
            for out, dy in zip(outputs, dys):
                if dy is not None and out._id in source_ids:
                    finished[out._id] = dy
            dy = _zeros_for_missing([to_dense(d) for d in dys], outputs, batch)
            y = outputs
        rule = op.vjp
        if rule is None:
            if op.differentiable:
                raise _no_rule(op)
            continue
        if batch:
            rule = batch_rules(op)
        if len(inputs) == 1:  # the common case, kept short
            x = inputs[0]
            key = x._id
            if key in tracked:
                grad = rule(dy, y, x, **attrs)
                if type(grad) is tuple:
                    grad = grad[0]
                if grad is not None:
                    previous = grads.get(key)
                    grads[key] = grad if previous is None else aggregate(previous, grad)
            continue
        if op.vjp_takes_needs:
            results = rule(dy, y, *inputs, needs=[t._id in tracked for t in inputs], **attrs)
        else:
            results = rule(dy, y, *inputs, **attrs)
        for t, grad in zip(inputs, results):
            if grad is not None:
                key = t._id
                if key in tracked:
                    previous = grads.get(key)
                    grads[key] = grad if previous is None else aggregate(previous, grad)
    finished.update(grads)
    return [finished.get(s._id) for s in sources]


class batch_rank:
    """Tells batch-aware helpers (sum_to_shape) how many leading axes are stacked
    cotangents while a batched sweep runs."""

    def __init__(self, rank: int):
        self.rank = rank

    def __enter__(self):
        self.saved = state.batch_rank
        state.batch_rank = self.rank

    def __exit__(self, *exc):
        state.batch_rank = self.saved
