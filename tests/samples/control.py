"""Samples for ops/control.py."""

import numpy as np

from samples import sample

SAMPLES = {
    "StopGradient": [sample(np.array([1.0, 2.0]))],
}
