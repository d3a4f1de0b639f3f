"""The reverse sweep: from seeded targets back through a tape's records to the sources.

Gradients are computed with tapeflow ops, so any tape still recording records the sweep
itself; that is how nested tapes give higher derivatives (spec §0.6).
"""

from __future__ import annotations

import numpy as np

from tapeflow.core.recording import Tape
from tapeflow.core.tensor import wrap
from tapeflow.ops.elementwise import add


def _relevant_records(tape: Tape, source_ids: set) -> tuple[list, set]:
    """The records that depend on a source, in execution order, and the ids they reach.

    Only sources the tape tracks count: an input that was a constant when an op ran stays
    one, even if it is watched later (spec §0.3).
    """
    reached = {i for i in source_ids if i in tape.tracked}
    relevant = []
    if not reached:
        return relevant, reached
    for rec in list(tape.records):  # a copy: a persistent tape records this very sweep
        for t in rec.inputs:
            if t._id in reached:
                relevant.append(rec)
                for out in rec.outputs:
                    reached.add(out._id)
                break
    return relevant, reached


def _accumulate(grads: dict, key: int, grad) -> None:
    previous = grads.get(key)
    grads[key] = grad if previous is None else add(previous, grad)


def _output_gradients(rec, grads: dict):
    """The gradients reaching a record's outputs (zeros where only some outputs have one),
    or None when none has."""
    outputs = rec.outputs
    if len(outputs) == 1:
        return grads.get(outputs[0]._id)
    dys = [grads.get(out._id) for out in outputs]
    if all(dy is None for dy in dys):
        return None
    return tuple(
        wrap(np.zeros_like(out._value)) if dy is None else dy for dy, out in zip(dys, outputs)
    )


def _call_rule(rec, dy, reached: set):
    op = rec.op
    if op.vjp is None:
        raise LookupError(f"gradient registry has no entry for: {op.name}")
    outputs, inputs = rec.outputs, rec.inputs
    y = outputs[0] if len(outputs) == 1 else outputs
    if op.vjp_takes_needs:
        needs = tuple(t._id in reached for t in inputs)
        result = op.vjp(dy, y, *inputs, needs=needs, **rec.attrs)
    else:
        result = op.vjp(dy, y, *inputs, **rec.attrs)
    if len(inputs) == 1 and not isinstance(result, (tuple, list)):
        return (result,)
    return result


def compute_gradients(tape: Tape, targets: list, sources: list, seeds: list) -> list:
    """Gradients of the seeded targets with respect to each source (None if unconnected).

    `targets` and `sources` are flat lists of tensors and variables; `seeds[i]` is the
    gradient flowing into `targets[i]` (None: nothing flows from it).
    """
    grads: dict = {}
    for target, seed in zip(targets, seeds):
        if seed is not None:
            _accumulate(grads, target._id, seed)
    relevant, reached = _relevant_records(tape, {s._id for s in sources})
    for rec in reversed(relevant):
        if not rec.op.differentiable:
            continue
        dy = _output_gradients(rec, grads)
        if dy is None:
            continue
        for t, grad in zip(rec.inputs, _call_rule(rec, dy, reached)):
            if grad is not None and t._id in reached:
                _accumulate(grads, t._id, grad)
    return [grads.get(s._id) for s in sources]
