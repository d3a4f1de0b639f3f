"""Samples for ops/math_functions.py."""

import numpy as np

from samples import sample

rng = np.random.default_rng(11)


def normal(*shape):
    return rng.standard_normal(shape)


def positive(*shape, low=0.5, high=2.0):
    return rng.uniform(low, high, shape)


def cplx(*shape):
    return normal(*shape) + 1j * normal(*shape)


SAMPLES = {
    "Add": [sample(normal(3), normal(3)), sample(normal(2, 3), normal(3))],
    "Rsqrt": [sample(positive(3)), sample(cplx(2) + 3)],
    "RsqrtGrad": [sample(positive(3), normal(3)), sample(cplx(2) + 3, cplx(2))],
    "Expm1": [sample(normal(3)), sample(cplx(2))],
    "Log1p": [sample(positive(3, low=-0.5)), sample(cplx(2) * 0.3)],
    # No gradients (TF registers None): the test checks that.
    "Floor": [sample(np.array([-1.3, 0.2, 2.7]))],
    "Ceil": [sample(np.array([-1.3, 0.2, 2.7]))],
    "Rint": [sample(np.array([-1.3, 0.2, 2.7]))],
    "Round": [sample(np.array([-1.3, 0.2, 2.7]))],
    # (complex: TF's rule 2·dy·(x − y) is not the gradient of |x − y|² for complex dy;
    # tests/test_ops_math.py checks TF's values instead)
    "SquaredDifference": [
        sample(normal(3), normal(3)),
        sample(normal(2, 3), normal(3)),
        sample(normal(), normal(2)),
    ],
    # (complex: TF's rules leave log(y) and 1/y unconjugated; tests/test_ops_math.py checks
    # TF's values)
    "Xlogy": [sample(normal(3), positive(3)), sample(normal(2, 3), positive(3))],
    "Xdivy": [sample(normal(3), positive(3)), sample(normal(3), positive(2, 1))],
    "Angle": [sample(cplx(3) + 0.5)],
}
