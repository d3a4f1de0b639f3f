"""Samples for ops/comparison.py (no ties between maximum's and minimum's inputs)."""

import numpy as np

from samples import sample

rng = np.random.default_rng(14)


def normal(*shape):
    return rng.standard_normal(shape)


SAMPLES = {
    "Maximum": [
        sample(normal(3), normal(3)),
        sample(normal(2, 3), normal(3)),
        sample(normal(2, 1), np.array(0.1)),
    ],
    "Minimum": [
        sample(normal(3), normal(3)),
        sample(normal(2, 3), normal(1, 3)),
    ],
    "IsNan": [sample(np.array([np.nan, 1.0, np.inf]))],
    "IsInf": [sample(np.array([np.nan, 1.0, -np.inf]))],
    "IsFinite": [sample(np.array([np.nan, 1.0, np.inf]))],
    "Where": [sample(np.array([[True, False], [False, True]])), sample(normal(2, 2))],
}
