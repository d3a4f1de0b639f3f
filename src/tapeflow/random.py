"""The `tf.random` namespace: random ops, seeds and generators (TF's semantics, NumPy's
streams)."""

from tapeflow.ops.random import (  # noqa: F401
    categorical,
    normal,
    set_seed,
    shuffle,
    truncated_normal,
    uniform,
)
from tapeflow.ops.random_generator import (  # noqa: F401
    Algorithm,
    Generator,
    create_rng_state,
    get_global_generator,
    set_global_generator,
)
