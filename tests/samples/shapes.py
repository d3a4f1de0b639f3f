"""Samples for ops/shapes.py."""

import numpy as np

from samples import sample

rng = np.random.default_rng(3)

SAMPLES = {
    "Reshape": [
        sample(rng.standard_normal((2, 3)), shape=(3, 2)),
        sample(rng.standard_normal((2, 3)), shape=(-1,)),
    ],
    "BroadcastTo": [
        sample(rng.standard_normal((3,)), shape=(2, 3)),
        sample(rng.standard_normal((2, 1)), shape=(2, 4)),
    ],
    "Pack": [
        sample(rng.standard_normal(3), rng.standard_normal(3), axis=0),
        sample(rng.standard_normal((2, 2)), rng.standard_normal((2, 2)), axis=2),
    ],
    "Unpack": [
        sample(rng.standard_normal((3, 2)), axis=0),
        sample(rng.standard_normal((2, 3)), axis=1),
    ],
    "Identity": [sample(rng.standard_normal(3))],
    "Shape": [sample(rng.standard_normal((2, 3)), out_type=np.dtype(np.int32))],
    "Size": [sample(rng.standard_normal((2, 3)), out_type=np.dtype(np.int32))],
    "Rank": [sample(rng.standard_normal((2, 3)))],
}
