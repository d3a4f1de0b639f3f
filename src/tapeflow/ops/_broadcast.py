"""Helpers shared by gradient rules: undoing broadcasting."""

from __future__ import annotations

from tapeflow.core.recording import state


def sum_to_shape(grad, shape: tuple):
    """Sums `grad` over the axes that broadcasting added or stretched, so it has `shape`.

    Returns `grad` itself (no op) when the shapes already agree, the common case. In a
    batched sweep (Jacobians) the leading `state.batch_rank` axes are kept.
    """
    grad_shape = grad._value.shape
    if grad_shape == shape:
        return grad
    batch = state.batch_rank
    stacked = grad_shape[:batch]
    lead = len(grad_shape) - len(shape)
    axes = list(range(batch, lead))
    axes += [lead + i for i, d in enumerate(shape) if d == 1 and grad_shape[lead + i] != 1]
    if axes:
        grad = reductions.sum_op(grad, axis=tuple(axes), keepdims=False)
    if grad._value.shape != stacked + shape:
        grad = shapes.reshape_op(grad, shape=stacked + shape)
    return grad


# Imported last: reductions and shapes import modules that import sum_to_shape from here, so
# it must exist before they load, whichever op module Python loads first.
from tapeflow.ops import reductions, shapes  # noqa: E402
