"""Samples for ops/scans.py (Cumprod away from zero, where TF's rule uses div_no_nan)."""

import numpy as np

from samples import sample

rng = np.random.default_rng(3)


def normal(*shape):
    return rng.standard_normal(shape)


def away_from_zero(*shape):
    return rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


SAMPLES = {
    "Cumsum": [
        sample(normal(4)),
        sample(normal(2, 3), axis=1, exclusive=True),
        sample(normal(2, 3), axis=-2, reverse=True),
        sample(normal(3, 2), axis=0, exclusive=True, reverse=True),
        sample(normal(2) + 1j * normal(2)),
    ],
    "Cumprod": [
        sample(away_from_zero(4)),
        sample(away_from_zero(2, 3), axis=1, exclusive=True),
        sample(away_from_zero(2, 3), axis=-1, reverse=True),
        sample(away_from_zero(3, 2), axis=0, exclusive=True, reverse=True),
    ],
}
