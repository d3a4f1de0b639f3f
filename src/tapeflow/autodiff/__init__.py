"""The `tf.autodiff` namespace, and the algorithms over recorded tapes behind it."""

from tapeflow.autodiff.forwardprop import ForwardAccumulator
from tapeflow.autodiff.tape import GradientTape

__all__ = ["ForwardAccumulator", "GradientTape"]


def __dir__():  # the public namespace shows TF's names, not the implementation modules
    return __all__
