"""Samples for ops/creation.py."""

import numpy as np

from samples import sample

SAMPLES = {
    "Fill": [sample(np.array(1.5), dims=(2, 3))],
}
