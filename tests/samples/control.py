"""Samples for ops/control.py and the variable read (core/variable.py)."""

import numpy as np

from samples import sample

SAMPLES = {
    "StopGradient": [sample(np.array([1.0, 2.0]))],
    "ReadVariableOp": [sample(np.array([1.0, -2.0]))],
}
