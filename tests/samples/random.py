"""Samples for ops/random.py: no random op has a gradient (TF registers none)."""

import numpy as np

from samples import sample

_F32 = np.dtype(np.float32)
_SEED = (1, 2, 0)

SAMPLES = {
    "RandomStandardNormal": [sample(shape=(2, 3), dtype=_F32, seed=_SEED)],
    "TruncatedNormal": [sample(shape=(4,), dtype=np.dtype(np.float64), seed=_SEED)],
    "RandomUniform": [sample(shape=(3,), dtype=_F32, seed=_SEED)],
    "RandomUniformInt": [sample(np.int32(2), np.int32(9), shape=(5,), seed=_SEED)],
    "RandomShuffle": [sample(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), seed=_SEED)],
    "Multinomial": [
        sample(
            np.array([[0.5, 1.0, -1.0]]), num_samples=4, output_dtype=np.dtype(np.int64), seed=_SEED
        )
    ],
}
SAMPLES.update(
    {
        "StatefulUniformFullInt": [sample(shape=(3,), dtype=np.dtype(np.int64), seed=_SEED)],
        "StatefulRandomBinomial": [
            sample(
                np.array([10.0, 20.0]),
                np.array(0.5),
                shape=(3, 2),
                dtype=np.dtype(np.int32),
                seed=_SEED,
            )
        ],
    }
)
