"""Samples for ops/linalg.py."""

import numpy as np

from samples import sample

rng = np.random.default_rng(4)


def normal(*shape):
    return rng.standard_normal(shape)


SAMPLES = {
    "MatMul": [
        sample(normal(2, 3), normal(3, 4)),
        sample(normal(3, 2), normal(3, 4), transpose_a=True),
        sample(normal(2, 3), normal(4, 3), transpose_b=True),
        sample(normal(3, 2), normal(4, 3), transpose_a=True, transpose_b=True),
        sample(normal(2, 2) + 1j * normal(2, 2), normal(2, 2) + 1j * normal(2, 2)),
    ],
    "BatchMatMulV2": [
        sample(normal(2, 2, 3), normal(2, 3, 2)),
        sample(normal(2, 2, 3), normal(3, 2)),
        sample(normal(2, 3, 2), normal(1, 2, 2, 3), adj_x=True, adj_y=True),
    ],
}
