"""Samples for ops/reductions.py: away from ties (Max, Min) and zeros (Prod, EuclideanNorm).
Complex Prod is checked at order 1 in test_ops_reductions.py: its second order goes through
Cumprod's rule, which (as TF's) does not conjugate."""

import numpy as np

from samples import sample

rng = np.random.default_rng(2)


def normal(*shape):
    return rng.standard_normal(shape)


def distinct(*shape):
    """Values at least 0.1 apart, shuffled: no ties for Max and Min."""
    return rng.permutation(np.arange(int(np.prod(shape))) * 0.1 - 0.3).reshape(shape)


def away_from_zero(*shape):
    return rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


def cplx(*shape):
    return normal(*shape) + 1j * normal(*shape)


SAMPLES = {
    "Sum": [
        sample(normal(2, 3)),
        sample(normal(2, 3), axis=(1,)),
        sample(normal(2, 3, 2), axis=(0, 2), keepdims=True),
        sample(normal()),
        sample(cplx(2, 2), axis=(0,)),
    ],
    "Mean": [
        sample(normal(2, 3)),
        sample(normal(2, 3), axis=(0,)),
        sample(normal(4, 2), axis=(1,), keepdims=True),
        sample(cplx(3)),
    ],
    "Max": [
        sample(distinct(5)),
        sample(distinct(2, 3), axis=(1,)),
        sample(distinct(2, 3, 2), axis=(0, 2), keepdims=True),
    ],
    "Min": [
        sample(distinct(4)),
        sample(distinct(3, 2), axis=(0,), keepdims=True),
    ],
    "Prod": [
        sample(away_from_zero(4)),
        sample(away_from_zero(2, 3), axis=(1,)),
        sample(away_from_zero(2, 3, 2), axis=(0, 2), keepdims=True),
        sample(away_from_zero(2, 2, 3), axis=(0, 1)),
        sample(away_from_zero(3)[0]),
    ],
    "EuclideanNorm": [
        sample(away_from_zero(3)),
        sample(away_from_zero(2, 3), axis=(1,)),
        sample(away_from_zero(2, 3), axis=(0,), keepdims=True),
    ],
    "Any": [sample(np.array([[True, False], [False, False]]), axis=(1,))],
    "All": [sample(np.array([[True, False], [True, True]]), axis=(0,), keepdims=True)],
}
