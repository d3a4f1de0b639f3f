"""Samples for ops/arrays.py."""

import numpy as np

from samples import sample

rng = np.random.default_rng(5)

SAMPLES = {
    "Tile": [
        sample(rng.standard_normal((2, 3)), multiples=(2, 1)),
        sample(rng.standard_normal((2, 1, 2)), multiples=(1, 3, 2)),
    ],
    "Slice": [
        sample(rng.standard_normal((3, 4)), begin=(1, 0), size=(2, -1)),
        sample(rng.standard_normal((2, 3, 2)), begin=(0, 1, 1), size=(1, 2, 1)),
    ],
    "ReverseV2": [
        sample(rng.standard_normal((2, 3)), axis=(1,)),
        sample(rng.standard_normal((2, 3, 2)), axis=(0, -1)),
    ],
    "Transpose": [
        sample(rng.standard_normal((2, 3)), perm=(1, 0)),
        sample(rng.standard_normal((2, 3, 4)), perm=(2, 0, 1)),
    ],
    "ConjugateTranspose": [
        sample(rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3)), perm=(1, 0)),
    ],
    "Pad": [
        sample(rng.standard_normal((2, 3)), paddings=((1, 0), (2, 1))),
    ],
    # TF gives the padding value no gradient, so finite differences agree only where no
    # padding is added (tests/test_ops_shapes.py checks the padded case by hand).
    "PadV2": [
        sample(rng.standard_normal((2, 3)), rng.standard_normal(()), paddings=((0, 0), (0, 0))),
    ],
    "MirrorPad": [
        sample(rng.standard_normal((3, 4)), paddings=((2, 1), (1, 3)), mode="REFLECT"),
        sample(rng.standard_normal((3, 4)), paddings=((3, 1), (0, 2)), mode="SYMMETRIC"),
    ],
    "MirrorPadGrad": [
        sample(rng.standard_normal((6, 8)), paddings=((2, 1), (1, 3)), mode="REFLECT"),
        sample(rng.standard_normal((7, 6)), paddings=((3, 1), (0, 2)), mode="SYMMETRIC"),
    ],
}
