"""The `tf.linalg` namespace."""

from tapeflow.ops.linalg import matmul  # noqa: F401
