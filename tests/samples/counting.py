"""Samples for ops/counting.py."""

import numpy as np

from samples import sample

SAMPLES = {
    "DenseBincount": [sample(np.array([1, 1, 3]), np.array([0.5, 1.0, 2.0]), size=4)],
}
