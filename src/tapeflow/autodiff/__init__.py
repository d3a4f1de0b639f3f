"""The `tf.autodiff` namespace, and the algorithms over recorded tapes behind it."""

from tapeflow.autodiff.tape import GradientTape, UnconnectedGradients

__all__ = ["GradientTape", "UnconnectedGradients"]
