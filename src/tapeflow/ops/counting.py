"""`tf.math.bincount`: how often each integer occurs (TF's DenseBincount; no gradient)."""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import KernelError, op


@op("DenseBincount", differentiable=False, match=())
def dense_bincount(arr, weights, *, size, binary_output=False):
    """Counts (or sums of `weights`) of each value of `arr` in [0, size)."""
    if arr.size and arr.min() < 0:
        raise KernelError("Input arr must be non-negative!")
    flat = arr.reshape(-1)
    keep = flat < size
    if binary_output:
        out = np.zeros(size, dtype=weights.dtype)
        out[flat[keep]] = 1
        return out
    if weights.size:
        return np.bincount(flat[keep], weights.reshape(-1)[keep], size).astype(weights.dtype)
    return np.bincount(flat[keep], minlength=size).astype(weights.dtype)


def bincount(
    arr,
    weights=None,
    minlength=None,
    maxlength=None,
    dtype=dtypes.int32,
    name=None,
    axis=None,
    binary_output=False,
):
    """Counts the occurrences of each value of an int tensor (`tf.math.bincount`): the result
    has max(arr) + 1 entries, at least `minlength` and at most `maxlength`."""
    arr = convert_to_tensor(arr, dtype_hint=dtypes.int32)
    if arr.dtype.is_floating:
        arr = convert_to_tensor(arr._value.astype(np.int32))
    size = int(arr._value.max()) + 1 if arr._value.size else 0
    size = max(size, 0 if minlength is None else int(minlength))
    if maxlength is not None:
        size = min(size, int(maxlength))
    if weights is None:
        weights = convert_to_tensor(np.zeros(0, dtype=dtypes.as_dtype(dtype)._np))
    else:
        weights = convert_to_tensor(weights)
    return dense_bincount(arr, weights, size=size, binary_output=bool(binary_output))
