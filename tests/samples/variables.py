"""Samples for the variable read (core/variable.py)."""

import numpy as np

from samples import sample

SAMPLES = {
    "ReadVariableOp": [sample(np.array([1.0, -2.0]))],
}
