"""Samples for ops/trigonometry.py (away from poles and branch cuts)."""

import numpy as np

from samples import sample

rng = np.random.default_rng(12)


def normal(*shape):
    return rng.standard_normal(shape)


def uniform(low, high, *shape):
    return rng.uniform(low, high, shape)


def cplx(*shape, scale=1.0):
    return (normal(*shape) + 1j * normal(*shape)) * scale


SAMPLES = {
    "Tan": [sample(uniform(-1.2, 1.2, 3)), sample(cplx(2, scale=0.5))],
    "Asin": [sample(uniform(-0.8, 0.8, 3)), sample(cplx(2, scale=0.4))],
    "Acos": [sample(uniform(-0.8, 0.8, 3)), sample(cplx(2, scale=0.4))],
    "Atan": [sample(normal(3)), sample(cplx(2, scale=0.4))],
    "Atan2": [
        sample(normal(3), uniform(0.5, 2.0, 3)),
        sample(normal(2, 3), normal(3) + 3),
        sample(uniform(0.5, 2.0, 2), -uniform(0.5, 2.0, 2)),
    ],
    "Sinh": [sample(normal(3)), sample(cplx(2))],
    "Cosh": [sample(normal(3)), sample(cplx(2))],
    "Asinh": [sample(normal(3)), sample(cplx(2, scale=0.4))],
    "Acosh": [sample(uniform(1.5, 3.0, 3)), sample(cplx(2) + 3)],
    "Atanh": [sample(uniform(-0.8, 0.8, 3)), sample(cplx(2, scale=0.3))],
}
