"""Samples for ops/shapes.py."""

import numpy as np

from samples import sample

rng = np.random.default_rng(3)

SAMPLES = {
    "Reshape": [
        sample(rng.standard_normal((2, 3)), shape=(3, 2)),
        sample(rng.standard_normal((2, 3)), shape=(-1,)),
        sample(rng.standard_normal(()), shape=(1, 1)),
    ],
    "BroadcastTo": [
        sample(rng.standard_normal((3,)), shape=(2, 3)),
        sample(rng.standard_normal((2, 1)), shape=(2, 4)),
    ],
    "Pack": [
        sample(rng.standard_normal(3), rng.standard_normal(3), axis=0),
        sample(rng.standard_normal((2, 2)), rng.standard_normal((2, 2)), axis=2),
        sample(rng.standard_normal(2), axis=1),
    ],
    "Unpack": [
        sample(rng.standard_normal((3, 2)), axis=0),
        sample(rng.standard_normal((2, 3)), axis=1),
        sample(rng.standard_normal((1, 3)), axis=0),
    ],
    "ConcatV2": [
        sample(rng.standard_normal((2, 3)), rng.standard_normal((1, 3)), axis=0),
        sample(
            rng.standard_normal((2, 1)),
            rng.standard_normal((2, 3)),
            rng.standard_normal((2, 2)),
            axis=-1,
        ),
    ],
    "Split": [
        sample(rng.standard_normal((2, 6)), num_split=3, axis=1),
        sample(rng.standard_normal((4, 2)), num_split=1, axis=0),
    ],
    "SplitV": [
        sample(rng.standard_normal((2, 6)), size_splits=(1, -1, 2), axis=-1),
        sample(rng.standard_normal((3, 2)), size_splits=(3,), axis=0),
    ],
    "ExpandDims": [
        sample(rng.standard_normal((2, 3)), axis=1),
        sample(rng.standard_normal(()), axis=-1),
    ],
    "Squeeze": [
        sample(rng.standard_normal((1, 3, 1)), axis=()),
        sample(rng.standard_normal((1, 3, 1)), axis=(-1,)),
    ],
    "Identity": [sample(rng.standard_normal(3))],
    "Shape": [sample(rng.standard_normal((2, 3)), out_type=np.dtype(np.int32))],
}
