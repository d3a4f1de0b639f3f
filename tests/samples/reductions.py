"""Samples for ops/reductions.py."""

import numpy as np

from samples import sample

rng = np.random.default_rng(2)

SAMPLES = {
    "Sum": [
        sample(rng.standard_normal((2, 3))),
        sample(rng.standard_normal((2, 3)), axis=(1,)),
        sample(rng.standard_normal((2, 3, 2)), axis=(0, 2), keepdims=True),
        sample(rng.standard_normal(())),
    ],
    "Mean": [
        sample(rng.standard_normal((2, 3))),
        sample(rng.standard_normal((2, 3)), axis=(0,)),
        sample(rng.standard_normal((4, 2)), axis=(1,), keepdims=True),
    ],
}
