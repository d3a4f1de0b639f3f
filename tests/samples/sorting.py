"""Samples for ops/sorting.py (tf.sort and tf.argsort are compositions of TopKV2)."""

import numpy as np

from samples import sample

SAMPLES = {
    "Unique": [sample(np.array([3.0, 1.0, 3.0, 2.0]))],
}
