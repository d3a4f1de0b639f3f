"""The `tf.image` namespace (only what the autodiff guides use so far)."""

from tapeflow.ops.image import adjust_contrast
