"""Samples for ops/activations.py (inputs kept away from the kinks at 0 and 6)."""

import numpy as np

from samples import first_order_only, sample

rng = np.random.default_rng(7)


def away_from_zero(*shape):
    """Values in ±[0.3, 2]: no kink of relu, leaky_relu or elu is near."""
    return rng.uniform(0.3, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


SAMPLES = {
    "Relu": [sample(away_from_zero(4)), sample(away_from_zero(2, 3))],
    "ReluGrad": [sample(rng.standard_normal(4), away_from_zero(4))],
    "Relu6": [sample(np.array([-1.5, 0.4, 3.0, 5.5, 7.0]))],
    "Relu6Grad": [sample(rng.standard_normal(5), np.array([-1.5, 0.4, 3.0, 5.5, 7.0]))],
    "LeakyRelu": [sample(away_from_zero(4)), sample(away_from_zero(2, 2), alpha=0.3)],
    "LeakyReluGrad": [sample(rng.standard_normal(4), away_from_zero(4), alpha=0.1)],
    "Elu": [sample(away_from_zero(5))],
    "EluGrad": [sample(rng.standard_normal(4), np.array([-0.8, -0.3, 0.5, 2.0]))],
    "Selu": [sample(away_from_zero(5))],
    "SeluGrad": [sample(rng.standard_normal(4), np.array([-1.5, -0.3, 0.5, 2.0]))],
    "Softplus": [sample(rng.standard_normal(5) * 3)],
    "Softsign": [first_order_only(away_from_zero(4))],
    "SoftsignGrad": [sample(rng.standard_normal(3), away_from_zero(3))],
    "Swish": [
        sample(rng.standard_normal(4), np.array(1.0)),
        sample(rng.standard_normal((2, 3)), np.array(0.7)),
    ],
}
