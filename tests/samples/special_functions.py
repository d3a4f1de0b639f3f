"""Samples for ops/special_functions.py (away from the poles of lgamma and digamma)."""

import numpy as np

from samples import sample

rng = np.random.default_rng(13)


def normal(*shape):
    return rng.standard_normal(shape)


def uniform(low, high, *shape):
    return rng.uniform(low, high, shape)


SAMPLES = {
    "Erf": [sample(normal(3)), sample(normal(2, 2))],
    "Erfc": [sample(normal(3))],
    "Lgamma": [sample(uniform(0.5, 4.0, 3)), sample(np.array([-2.5, -0.5, -1.7]))],
    "Digamma": [sample(uniform(0.5, 4.0, 3)), sample(np.array([-1.5, -0.3]))],
    # The order `a` stays a Python integer (then converted to x's dtype by the op), since it
    # has no gradient and polygamma is NaN at non-integer orders.
    "Polygamma": [sample(1, uniform(0.5, 3.0, 3)), sample([1, 2], uniform(0.5, 3.0, 2, 2))],
    "BesselI0": [sample(normal(3)), sample(uniform(2.0, 5.0, 2))],
    "BesselI1": [sample(normal(3)), sample(-uniform(2.0, 5.0, 2))],
}
