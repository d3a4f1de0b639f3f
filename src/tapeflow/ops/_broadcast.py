"""Helpers shared by gradient rules: undoing broadcasting."""

from __future__ import annotations

from tapeflow.ops import reductions, shapes


def sum_to_shape(grad, shape: tuple):
    """Sums `grad` over the axes that broadcasting added or stretched, so it has `shape`.

    Returns `grad` itself (no op) when the shapes already agree, the common case.
    """
    grad_shape = grad._value.shape
    if grad_shape == shape:
        return grad
    lead = len(grad_shape) - len(shape)
    axes = list(range(lead))
    axes += [lead + i for i, d in enumerate(shape) if d == 1 and grad_shape[lead + i] != 1]
    if axes:
        grad = reductions.sum_op(grad, axis=tuple(axes), keepdims=False)
    if grad._value.shape != shape:
        grad = shapes.reshape_op(grad, shape=shape)
    return grad
