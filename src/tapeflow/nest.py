"""The `tf.nest` namespace: flattening and rebuilding nested structures."""

from tapeflow.core.nest import (  # noqa: F401
    assert_same_structure,
    flatten,
    is_nested,
    map_structure,
    pack_sequence_as,
)
