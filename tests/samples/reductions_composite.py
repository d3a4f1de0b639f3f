"""Samples for ops/reductions_composite.py (the other functions there compose ops)."""

import numpy as np

from samples import sample

rng = np.random.default_rng(5)

SAMPLES = {
    "AddN": [
        sample(rng.standard_normal(3), rng.standard_normal(3)),
        sample(*[rng.standard_normal((2, 2)) for _ in range(4)]),
    ],
}
