"""Argument checks and values shared by `gradient`, `jacobian` and `batch_jacobian`."""

from __future__ import annotations

import enum

import numpy as np

from tapeflow.core.tensor import Tensor, wrap
from tapeflow.core.variable import Variable


class UnconnectedGradients(enum.Enum):
    """What `gradient()` returns for a source the targets do not depend on."""

    NONE = "none"
    ZERO = "zero"


CONSUMED = (
    "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
)


def unconnected_mode(value) -> UnconnectedGradients:
    try:
        return UnconnectedGradients(value)
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {value!r}") from None


def check_leaf(value, role: str, index: int):
    if isinstance(value, (Tensor, Variable)):
        return value
    if hasattr(value, "_watch_parts"):  # IndexedSlices and other composites
        raise TypeError(
            f"GradientTape.gradient: {role} {index} is of type {type(value).__name__}; "
            "convert it with tf.convert_to_tensor first."
        )
    raise TypeError(
        f"GradientTape.gradient: every {role} must be a Tensor or a Variable, but "
        f"{role} {index} is {value!r} of type '{type(value).__name__}'. Python and "
        "NumPy values are constants: make them tensors (tf.constant) and watch them "
        "before computing with them."
    )


def zeros_like(source):
    value = source._value
    if value.dtype.kind == "O":
        return wrap(np.full(value.shape, b"", dtype=object))
    return wrap(np.zeros(value.shape, dtype=value.dtype))
