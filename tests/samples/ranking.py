"""Samples for ops/ranking.py: distinct values, so top_k has no ties."""

import numpy as np

from samples import sample

rng = np.random.default_rng(4)


def distinct(*shape):
    return rng.permutation(np.arange(int(np.prod(shape))) * 0.25 - 1.0).reshape(shape)


SAMPLES = {
    "ArgMax": [
        sample(distinct(4), axis=0, output_type=np.dtype(np.int64)),
        sample(distinct(2, 3), axis=-1, output_type=np.dtype(np.int32)),
    ],
    "ArgMin": [sample(distinct(2, 3), axis=0, output_type=np.dtype(np.int64))],
    "TopKV2": [
        sample(distinct(5), k=2, sorted=True, index_type=np.dtype(np.int32)),
        sample(distinct(2, 3, 4), k=3, sorted=True, index_type=np.dtype(np.int64)),
        sample(distinct(2, 3), k=0, sorted=True, index_type=np.dtype(np.int32)),
    ],
}
