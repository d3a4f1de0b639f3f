"""Ops that steer differentiation: `tf.stop_gradient`."""

from __future__ import annotations

from tapeflow.core.registry import op


@op("StopGradient", differentiable=False)
def stop_gradient(input):  # noqa: A002 - TF's argument name
    """The same value as a new tensor through which no gradient flows (`tf.stop_gradient`)."""
    return input
