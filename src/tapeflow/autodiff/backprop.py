"""The reverse sweep: from seeded targets back through a tape's records to the sources.

Gradients are computed with tapeflow ops, so any tape still recording records the sweep
itself; that is how nested tapes give higher derivatives (spec §0.6).

A batched sweep (for Jacobians) carries a leading axis of stacked cotangents on every
gradient: ops whose rules broadcast over it get the whole stack at once, the others are
differentiated row by row (autodiff/jacobians.py says which is which).
"""

from __future__ import annotations

import collections

import numpy as np

from tapeflow.core.recording import Tape, state
from tapeflow.core.tensor import EagerTensor, wrap
from tapeflow.ops import shapes
from tapeflow.ops.elementwise import add
from tapeflow.ops.indexed_slices import IndexedSlices, to_dense
from tapeflow.ops.reductions_composite import add_n_op


def aggregate(grads: list):
    """The sum of the gradient contributions that reached one tensor, in arrival order, as TF
    sums them (one AddN); slices with slices concatenate, anything with a dense tensor becomes
    dense (spec §10.5)."""
    if len(grads) == 1:
        return grads[0]
    if len(grads) == 2 and type(grads[0]) is EagerTensor and type(grads[1]) is EagerTensor:
        return add(grads[0], grads[1])  # what AddN gives for two, on the faster path
    if all(isinstance(g, IndexedSlices) for g in grads):
        return IndexedSlices(
            shapes.concat([g.values for g in grads], 0),
            shapes.concat([g.indices for g in grads], 0),
            grads[0].dense_shape,
        )
    return add_n_op(*[to_dense(g) for g in grads])


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


def _schedule(records: list, producer: dict, target_ids):
    """TF's bookkeeping for its reverse sweep: how many records on the way to the targets use
    each tensor, and for each such record how many of its outputs still wait for users."""
    usage: dict = {}
    waiting: dict = {}
    stack = list(target_ids)
    while stack:
        index = producer.get(stack.pop())
        if index is None or index in waiting:
            continue
        waiting[index] = 0
        for t in records[index][1]:
            key = t._id
            if key in usage:
                usage[key] += 1
            else:
                usage[key] = 1
                stack.append(key)
    for index in waiting:
        count = 0
        for out in records[index][2]:
            if out._id in usage:
                count += 1
        waiting[index] = count
    return usage, waiting


def compute_gradients(
    tape: Tape, targets: list, sources: list, seeds: list, batch: int = 0, batch_rules=None
) -> list:
    """Gradients of the seeded targets with respect to each source (None if unconnected).

    `targets` and `sources` are flat lists of tensors and variables; `seeds[i]` is the
    gradient flowing into `targets[i]` (None: nothing flows from it). Where a tensor has
    several users, the sweep visits records in TF's order and sums the contributions to a
    tensor in the order they arrive, as TF sums them, so float results and IndexedSlices
    match TF's; otherwise newest record first, which gives the same sums, cheaper. Gradients
    flow only into tensors the tape tracks (an input that was a constant for the tape stays
    one). With `batch` > 0, every seed and gradient has a leading axis of that length and
    `batch_rules(op)` gives the rule to call (see autodiff/jacobians.py).
    """
    grads: dict = {}  # tensor id -> its gradient, or the list of its contributions so far
    for target, seed in zip(targets, seeds):
        if seed is not None:
            _contribute(grads, target._id, seed)
    records = list(tape.records)  # a copy: a persistent tape in its context records this sweep
    source_ids = {s._id for s in sources}
    finished: dict = {}  # gradients of sources that some record produced
    if tape.shared:
        order = _tf_order(records, tape.producer, list(grads))
    else:  # no tensor has two users, so no sum depends on the order: newest record first
        order = _reverse_order(records)
    index = next(order, None)
    while index is not None:
        op, inputs, outputs, attrs = records[index]
        if len(outputs) == 1:  # the common case, kept short
            key = outputs[0]._id
            dy = grads.pop(key, None)
            if type(dy) is list:
                dy = aggregate(dy)
            if dy is not None and key in source_ids:
                finished[key] = dy
            dys = None if dy is None else (dy,)
        else:
            dys = [grads.pop(o._id, None) for o in outputs]
            dys = [aggregate(d) if type(d) is list else d for d in dys]
            for out, dy in zip(outputs, dys):
                if dy is not None and out._id in source_ids:
                    finished[out._id] = dy
            if all(dy is None for dy in dys):
                dys = None
        if dys is not None:
            results = _call_rule(op, inputs, outputs, attrs, dys, tape.tracked, batch, batch_rules)
            if results is not None:
                for t, grad in zip(inputs, results):
                    if grad is not None and t._id in tape.tracked:
                        _contribute(grads, t._id, grad)
        index = _next_record(order, index)
    for key, parts in grads.items():
        if key in source_ids:
            finished[key] = aggregate(parts) if type(parts) is list else parts
    return [finished.get(s._id) for s in sources]


def _next_record(order, visited: int):
    """The next record to visit, told which one was just visited (None: no more)."""
    try:
        return order.send(visited)
    except StopIteration:
        return None


def _reverse_order(records: list):
    """Record indices, newest first: every tensor is complete before its producer's turn."""
    for index in range(len(records) - 1, -1, -1):  # noqa: UP028 - `send` must reach here
        yield index  # (the visited index sent back is not needed)


def _tf_order(records: list, producer: dict, target_ids: list):
    """Record indices in TF's order, used when a tensor has several users: a record is ready
    once every record using its outputs has been visited (each visited index is sent back),
    and ready records are visited first in, first out."""
    usage, waiting = _schedule(records, producer, target_ids)
    # first the records that only produce targets, newest first (popped from the right)
    ready = collections.deque(sorted(i for i, n in waiting.items() if n == 0))
    while ready:
        visited = yield ready.pop()
        for t in records[visited][1]:
            key = t._id
            remaining = usage[key] - 1
            usage[key] = remaining
            if remaining == 0:
                index = producer.get(key)
                if index is not None and index in waiting:
                    waiting[index] -= 1
                    if waiting[index] == 0:
                        ready.appendleft(index)


def _contribute(grads: dict, key: int, grad) -> None:
    previous = grads.get(key)
    if previous is None:
        grads[key] = grad
    elif type(previous) is list:
        previous.append(grad)
    else:
        grads[key] = [previous, grad]


def _call_rule(op, inputs, outputs, attrs, dys, tracked, batch, batch_rules):
    """The op's rule applied to the gradients of its outputs: one gradient (or None) per
    input, or None when the op has no gradient."""
    rule = op.vjp
    if rule is None:
        if op.differentiable:
            raise _no_rule(op)
        return None
    if batch:
        rule = batch_rules(op)
    if len(outputs) == 1:
        dy = dys[0]
        if type(dy) is not EagerTensor and not op.passes_indexed_slices:
            dy = to_dense(dy)
        y = outputs[0]
    else:
        dy = _zeros_for_missing([None if d is None else to_dense(d) for d in dys], outputs, batch)
        y = outputs
    if len(inputs) == 1:
        if inputs[0]._id not in tracked:
            return None
        result = rule(dy, y, inputs[0], **attrs)
        return (result[0] if type(result) is tuple else result,)
    if op.vjp_takes_needs:
        return rule(dy, y, *inputs, needs=[t._id in tracked for t in inputs], **attrs)
    return rule(dy, y, *inputs, **attrs)


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
