"""Samples for ops/softmax.py, ops/losses.py and ops/nn.py."""

import numpy as np

from samples import sample

rng = np.random.default_rng(8)


def distribution(*shape, axis=-1):
    p = rng.uniform(0.1, 1.0, shape)
    return p / p.sum(axis=axis, keepdims=True)


SAMPLES = {
    "Softmax": [
        sample(rng.standard_normal(4)),
        sample(rng.standard_normal((2, 3)), axis=1),
        sample(rng.standard_normal((3, 2)), axis=0),
    ],
    "LogSoftmax": [
        sample(rng.standard_normal(4)),
        sample(rng.standard_normal((2, 3, 2)), axis=1),
    ],
    "SoftmaxCrossEntropyWithLogits": [
        sample(rng.standard_normal((2, 3)), distribution(2, 3), axis=1),
        sample(rng.standard_normal((3, 2)), distribution(3, 2, axis=0), axis=0),
        sample(rng.standard_normal((2, 3)), distribution(1, 3), axis=1),
    ],
    "SparseSoftmaxCrossEntropyWithLogits": [
        sample(rng.standard_normal((3, 4)), np.array([0, 3, 1], np.int32)),
        sample(rng.standard_normal((2, 2, 3)), np.array([[2, 0], [1, 1]], np.int64)),
    ],
    "L2Loss": [sample(rng.standard_normal(4)), sample(rng.standard_normal((2, 3)))],
    "BiasAdd": [
        sample(rng.standard_normal((2, 3)), rng.standard_normal(3)),
        sample(rng.standard_normal((2, 3, 2)), rng.standard_normal(3), data_format="NCHW"),
    ],
    "BiasAddGrad": [
        sample(rng.standard_normal((2, 3))),
        sample(rng.standard_normal((2, 3, 2)), data_format="NCHW"),
    ],
}
