"""The `tf.math.special` namespace (the special functions tapeflow has)."""

from tapeflow.ops.special_functions import bessel_i0, bessel_i1

__all__ = ["bessel_i0", "bessel_i1"]
