"""Samples for ops/gather.py and ops/scatter.py."""

import numpy as np

from samples import sample

rng = np.random.default_rng(6)
_rows = np.array([2, 0, 2])  # a repeated index: gradients add up

SAMPLES = {
    "GatherV2": [
        sample(rng.standard_normal((3, 2)), _rows),
        sample(rng.standard_normal((3, 4)), np.array([[1, 1], [0, 3]]), axis=1),
        sample(rng.standard_normal((2, 3, 4)), np.array([[2, 0], [1, 1]]), axis=1, batch_dims=1),
        sample(rng.standard_normal((2, 3, 4)), np.array([[3, 0], [1, 1]]), axis=-1, batch_dims=-1),
    ],
    "GatherNd": [
        sample(rng.standard_normal((3, 4)), np.array([[0, 1], [2, 3], [0, 1]])),
        sample(rng.standard_normal((3, 4)), np.array([[2], [0], [2]])),
        sample(rng.standard_normal((2, 3)), np.array([[[1, 2]], [[0, 0]]])),
    ],
    "ScatterNd": [
        sample(np.array([[1], [3], [1]]), rng.standard_normal(3), shape=(5,)),
        sample(np.array([[1, 0], [0, 2]]), rng.standard_normal(2), shape=(2, 3)),
        sample(np.array([[1], [0]]), rng.standard_normal((2, 3)), shape=(2, 3)),
    ],
    "UnsortedSegmentSum": [
        sample(rng.standard_normal((4, 2)), np.array([2, 0, 2, 1]), num_segments=3),
        sample(rng.standard_normal((2, 3)), np.array([[0, -1, 1], [1, 1, -1]]), num_segments=2),
    ],
    "TensorScatterUpdate": [
        sample(rng.standard_normal((3, 4)), np.array([[0, 1], [2, 3]]), rng.standard_normal(2)),
        sample(rng.standard_normal((3, 2)), np.array([[1], [0]]), rng.standard_normal((2, 2))),
    ],
    "TensorScatterAdd": [
        sample(rng.standard_normal((3, 4)), np.array([[0, 1], [0, 1]]), rng.standard_normal(2)),
        sample(rng.standard_normal((3, 2)), np.array([[1], [1]]), rng.standard_normal((2, 2))),
    ],
    "TensorScatterSub": [
        sample(rng.standard_normal((3, 4)), np.array([[0, 1], [2, 1]]), rng.standard_normal(2)),
    ],
    "SegmentSum": [
        sample(rng.standard_normal((4, 2)), np.array([0, 0, 2, 3])),
        sample(rng.standard_normal(3), np.array([1, 1, 1])),
    ],
}
