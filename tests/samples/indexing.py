"""Samples for ops/indexing.py."""

import numpy as np

from samples import sample

rng = np.random.default_rng(5)


def _spec(begin, end, strides, **masks):
    return dict(begin=begin, end=end, strides=strides, **masks)


# x[1], x[::-1, 1:3], x[..., None, 2] and a spec with every mask
_ROW = _spec((1,), (2,), (1,), shrink_axis_mask=1)
_REVERSED = _spec((0, 1), (0, 3), (-1, 1), begin_mask=1, end_mask=1)
_NEW_AXIS = _spec(
    (0, 0, 2), (0, 0, 3), (1, 1, 1), ellipsis_mask=1, new_axis_mask=2, shrink_axis_mask=4
)
_MASKS = _spec(
    (0, 0, -1, 1),
    (0, 0, 0, 4),
    (1, 1, 1, 2),
    begin_mask=8,
    ellipsis_mask=2,
    new_axis_mask=1,
    shrink_axis_mask=4,
)

SAMPLES = {
    "StridedSlice": [
        sample(rng.standard_normal((3, 4)), **_ROW),
        sample(rng.standard_normal((3, 4)), **_REVERSED),
        sample(rng.standard_normal((3, 4)), **_NEW_AXIS),
        sample(rng.standard_normal((2, 3, 5)), **_MASKS),
    ],
    "StridedSliceGrad": [
        sample(rng.standard_normal(4), shape=(3, 4), **_ROW),
        sample(rng.standard_normal((3, 2)), shape=(3, 4), **_REVERSED),
        sample(rng.standard_normal((1, 2, 2)), shape=(2, 3, 5), **_MASKS),
    ],
}
