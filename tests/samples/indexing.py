"""Samples for ops/indexing.py."""

import numpy as np

from samples import sample

rng = np.random.default_rng(5)

SAMPLES = {
    "StridedSlice": [
        sample(rng.standard_normal((3, 4)), index=(1,)),
        sample(rng.standard_normal((3, 4)), index=(slice(None, None, -1), slice(1, 3))),
        sample(rng.standard_normal((3, 4)), index=(Ellipsis, None, 2)),
    ],
    "StridedSliceGrad": [sample(rng.standard_normal(4), shape=(3, 4), index=(1,))],
}
