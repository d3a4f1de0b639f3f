"""Samples for ops/sequences.py."""

import numpy as np

from samples import sample

SAMPLES = {
    "OneHot": [
        sample(np.array([0, 2, -1]), np.array(2.5), np.array(-0.5), depth=3, axis=-1),
        sample(np.array([[1], [0]]), np.array(1.0), np.array(0.0), depth=2, axis=0),
    ],
}
