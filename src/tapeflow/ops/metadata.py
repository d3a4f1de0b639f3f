"""A tensor's shape as tensors: `tf.shape`, `tf.size`, `tf.rank` (int32 by default; no
gradient flows through them, spec §12.2)."""

from __future__ import annotations

import numpy as np

from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.dtypes import as_dtype, int32
from tapeflow.core.registry import op
from tapeflow.core.tensor import wrap
from tapeflow.ops._shape_args import attr_error


@op("Shape", differentiable=False)
def _shape(x, *, out_type):
    return np.array(x.shape, dtype=out_type)


def shape(input, out_type=None, name=None):  # noqa: A002
    """The shape of a tensor, as an int32 (or int64 `out_type`) tensor (`tf.shape`)."""
    out_type = as_dtype(out_type or int32)._np
    if out_type not in (np.int32, np.int64):
        raise attr_error("Shape", out_type)
    return _shape(input, out_type=out_type)


def size(input, out_type=None, name=None):  # noqa: A002
    """The number of elements of a tensor, as an int32 (or `out_type`) scalar (`tf.size`)."""
    # Eager TF computes it in Python (no op), in any numeric dtype.
    count = convert_to_tensor(input)._value.size
    return wrap(np.array(count, dtype=as_dtype(out_type or int32)._np))


def rank(input, name=None):  # noqa: A002
    """The rank of a tensor, as an int32 scalar (`tf.rank`)."""
    return wrap(np.array(convert_to_tensor(input)._value.ndim, dtype=np.int32))
