"""The reverse sweep: from seeded targets back through a tape's records to the sources.

Gradients are computed with tapeflow ops, so any tape still recording records the sweep
itself; that is how nested tapes give higher derivatives (spec §0.6).
"""

from __future__ import annotations

import numpy as np

from tapeflow.core.recording import Tape
from tapeflow.core.tensor import wrap
from tapeflow.ops.elementwise import add


def _zeros_for_missing(dys: list, outputs: tuple) -> tuple:
    """Gradients for every output of a multi-output op: zeros where none arrived."""
    return tuple(
        wrap(np.zeros_like(out._value)) if dy is None else dy for dy, out in zip(dys, outputs)
    )


def _no_rule(op) -> LookupError:
    return LookupError(f"gradient registry has no entry for: {op.name}")


def compute_gradients(tape: Tape, targets: list, sources: list, seeds: list) -> list:
    """Gradients of the seeded targets with respect to each source (None if unconnected).

    `targets` and `sources` are flat lists of tensors and variables; `seeds[i]` is the
    gradient flowing into `targets[i]` (None: nothing flows from it). Records are visited
    newest first, so every tensor's gradient is complete before its producer is visited;
    gradients flow only into tensors the tape tracks (an input that was a constant for the
    tape stays one).
    """
    grads: dict = {}
    for target, seed in zip(targets, seeds):
        if seed is not None:
            key = target._id
            previous = grads.get(key)
            grads[key] = seed if previous is None else add(previous, seed)
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
            y = outputs[0]
        else:
            dys = [pop(o._id, None) for o in outputs]
            if all(dy is None for dy in dys):
                continue
            for out, dy in zip(outputs, dys):
                if dy is not None and out._id in source_ids:
                    finished[out._id] = dy
            dy = _zeros_for_missing(dys, outputs)
            y = outputs
        rule = op.vjp
        if rule is None:
            if op.differentiable:
                raise _no_rule(op)
            continue
        if len(inputs) == 1:  # the common case, kept short
            x = inputs[0]
            key = x._id
            if key in tracked:
                grad = rule(dy, y, x, **attrs)
                if type(grad) is tuple:
                    grad = grad[0]
                if grad is not None:
                    previous = grads.get(key)
                    grads[key] = grad if previous is None else add(previous, grad)
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
                    grads[key] = grad if previous is None else add(previous, grad)
    finished.update(grads)
    return [finished.get(s._id) for s in sources]
