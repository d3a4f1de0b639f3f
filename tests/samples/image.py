"""Samples for ops/image.py (AdjustContrastv2 has no gradient in TF: LookupError)."""

import numpy as np

from samples import sample

SAMPLES = {
    "AdjustContrastv2": [sample(np.random.default_rng(12).uniform(0, 1, (2, 2, 3)), np.array(2.0))],
}
