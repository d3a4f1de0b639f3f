"""`tf.nn.dropout`, composed of ops as TF composes it (so its gradient is the kept mask times
the scale)."""

from __future__ import annotations

import numbers

from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.shape import TensorShape
from tapeflow.core.tensor import Tensor
from tapeflow.ops import random
from tapeflow.ops.elementwise import greater_equal, multiply, real_div, select, subtract


def _noise_shape(x: Tensor, noise_shape):
    """`noise_shape` with unknown (None) entries taken from x, as TF fills them."""
    if noise_shape is None:
        return x._value.shape
    try:
        dims = TensorShape(noise_shape).as_list()
    except (TypeError, ValueError):
        return noise_shape
    if len(dims) != x._value.ndim:
        return noise_shape
    return [size if d is None else d for d, size in zip(dims, x._value.shape)]


def dropout(x, rate, noise_shape=None, seed=None, name=None) -> Tensor:
    """Zeroes each entry of `x` with probability `rate` and scales the others by
    1 / (1 - rate) (`tf.nn.dropout`); gradients flow through the kept entries.

    `noise_shape` sets which entries are dropped together (it broadcasts against x's shape).
    Reproducible with seeds, but not TF's masks.
    """
    is_number = isinstance(rate, numbers.Real)
    if is_number and (rate < 0 or rate >= 1):
        raise ValueError(
            f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}"
        )
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        raise ValueError(
            "`x.dtype` must be a floating point tensor as `x` will be scaled. "
            f"Received: x_dtype={x.dtype}"
        )
    if is_number and rate == 0:
        random.seed_pair(
            seed
        )  # TF takes a seed even here, so later draws do not depend on the rate
        return x
    if isinstance(rate, Tensor) or hasattr(type(rate), "__tf_tensor__"):
        rate = convert_to_tensor(rate)
        if rate._value.ndim != 0:
            raise ValueError(f"Shape {rate.shape} must have rank 0")
        if rate.dtype != x.dtype:
            raise ValueError(
                "`x.dtype` must be compatible with `rate.dtype`. "
                f"Received: x.dtype={x.dtype} and rate.dtype={rate.dtype}"
            )
        kept = real_div(x, subtract(convert_to_tensor(1, dtype=x.dtype), rate))
    elif is_number:
        kept = multiply(x, convert_to_tensor(1 / (1 - rate), dtype=x.dtype))
    else:
        raise ValueError(f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
    noise = random.uniform(_noise_shape(x, noise_shape), dtype=x.dtype, seed=seed)
    return select(greater_equal(noise, rate), kept, convert_to_tensor(0, dtype=x.dtype))
