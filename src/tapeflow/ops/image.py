"""Image ops (`tf.image`): `adjust_contrast`, which TF registers without a gradient (its
autodiff guide shows the LookupError that gives)."""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import KernelError, TypeList, op
from tapeflow.ops.elementwise import cast

_FLOAT = TypeList(
    dtypes.float16,
    dtypes.float32,
    dtypes.float64,
    signature=("images:T, contrast_factor:float -> output:T"),
)


@op("AdjustContrastv2", dtypes=_FLOAT, match=())
def adjust_contrast_op(images, contrast_factor):
    """(x - mean) * factor + mean, the mean taken per channel over height and width."""
    if images.ndim < 3:
        raise KernelError("input must be at least 3-D, got shape" + _dims(images.shape))
    if contrast_factor.ndim != 0:
        raise KernelError("contrast_factor must be scalar: " + _dims(contrast_factor.shape))
    mean = np.mean(images, axis=(-3, -2), keepdims=True, dtype=np.float32).astype(images.dtype)
    return ((images - mean) * contrast_factor.astype(images.dtype) + mean).astype(images.dtype)


def _dims(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def adjust_contrast(images, contrast_factor, name=None):
    """Scales each channel's contrast around its mean (`tf.image.adjust_contrast`); images of
    other dtypes are computed in float32 and converted back, as TF does."""
    images = convert_to_tensor(images)
    factor = convert_to_tensor(contrast_factor, dtype=dtypes.float32)
    if images.dtype in (dtypes.float16, dtypes.float32):
        return adjust_contrast_op(images, cast(factor, images.dtype))
    result = adjust_contrast_op(cast(images, dtypes.float32), factor)
    if images.dtype.is_integer:
        low, high = images.dtype.limits
        result = convert_to_tensor(np.clip(np.round(result._value), low, high))
    return cast(result, images.dtype)
