"""Layer helpers of `tf.nn`: `bias_add` (the BiasAdd op and its gradient), `l2_normalize`,
`moments` and `batch_normalization`. Activations live in ops/activations.py, softmax and its
cross-entropies in ops/softmax.py, the other losses in ops/losses.py."""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import KernelError, TypeList, op
from tapeflow.ops import _types as T
from tapeflow.ops import control, elementwise, reductions, shapes
from tapeflow.ops.comparison import maximum
from tapeflow.ops.elementwise import add, multiply
from tapeflow.ops.math_functions import rsqrt, squared_difference

# -- bias_add ---------------------------------------------------------------------------------

_BIAS_ADD_TYPES = TypeList(
    *T.NUMBERS,
    op_def=(
        "Op<name=BiasAdd; signature=value:T, bias:T -> output:T; attr=T:type,allowed=[{enums}]; "
        'attr=data_format:string,default="NHWC",allowed=["NHWC", "NCHW"]>'
    ),
)


def _channel_axis(ndim: int, data_format: str) -> int:
    return 1 if data_format == "NCHW" else ndim - 1


def _shape_text(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


@op("BiasAdd", dtypes=_BIAS_ADD_TYPES)
def _bias_add(value, bias, *, data_format="NHWC"):
    if value.ndim < 2:
        raise KernelError(f"Input tensor must be at least 2D: {_shape_text(value.shape)}")
    if bias.ndim != 1:
        raise KernelError(f"Biases must be 1D: {_shape_text(bias.shape)}")
    axis = _channel_axis(value.ndim, data_format)
    if bias.shape[0] != value.shape[axis]:
        raise KernelError(
            "Must provide as many biases as the last dimension of the input tensor: "
            f"{_shape_text(bias.shape)} vs. {_shape_text(value.shape)}"
        )
    return value + bias.reshape(bias.shape + (1,) * (value.ndim - 1 - axis))


@_bias_add.defvjp
def _bias_add_vjp(dy, y, value, bias, *, data_format, needs):
    dbias = bias_add_grad(dy, data_format=data_format) if needs[1] else None
    return dy, dbias


@op("BiasAddGrad", dtypes=_BIAS_ADD_TYPES)
def bias_add_grad(out_backprop, *, data_format="NHWC"):
    """The bias gradient of BiasAdd: `out_backprop` summed over all but the channel axis."""
    axis = _channel_axis(out_backprop.ndim, data_format)
    others = tuple(i for i in range(out_backprop.ndim) if i != axis)
    return np.sum(out_backprop, axis=others, dtype=out_backprop.dtype)


@bias_add_grad.defvjp
def _bias_add_grad_vjp(ddb, db, out_backprop, *, data_format):
    # The channel gradient spread back over the other axes (TF reshapes and tiles).
    shape = out_backprop._value.shape
    axis = _channel_axis(len(shape), data_format)
    expanded = tuple(d if i == axis else 1 for i, d in enumerate(shape))
    return shapes.broadcast_to_op(shapes.reshape_op(ddb, shape=expanded), shape=shape)


def bias_add(value, bias, data_format=None, name=None):
    """Adds the 1-D `bias` along the channel axis of `value`: the last axis ('N...C', the
    default) or axis 1 ('NC...')."""
    if data_format is None:
        data_format = "NHWC"
    elif data_format.startswith("NC"):
        data_format = "NCHW"
    elif data_format.startswith("N") and data_format.endswith("C"):
        data_format = "NHWC"
    else:
        raise ValueError(
            "`data_format` must be of the form `N...C` or `NC...`. "
            f"Received: data_format={data_format}"
        )
    return _bias_add(value, bias, data_format=data_format)


# -- l2_normalize ---------------------------------------------------------------------------


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x ** 2, axis), epsilon)), composed of ops as in TF (complex x is
    normalised by its magnitude)."""
    if axis is None:
        axis = dim
    x = convert_to_tensor(x)
    if x.dtype.is_complex:
        real, imag = elementwise.real(x), elementwise.imag(x)
        squares = add(elementwise.square(real), elementwise.square(imag))
        square_sum = reductions.reduce_sum(squares, axis, keepdims=True)
        inv_norm = rsqrt(maximum(square_sum, epsilon))
        return elementwise.complex_op(multiply(real, inv_norm), multiply(imag, inv_norm))
    square_sum = reductions.reduce_sum(elementwise.square(x), axis, keepdims=True)
    inv_norm = rsqrt(maximum(square_sum, epsilon))
    return multiply(x, inv_norm)


# -- moments and batch_normalization --------------------------------------------------------


def moments(x, axes, shift=None, keepdims=False, name=None):
    """Mean and (biased) variance of `x` over `axes`; float16 is computed in float32.
    `shift` is accepted and ignored, as in TF."""
    x = convert_to_tensor(x)
    y = elementwise.cast(x, dtypes.float32) if x.dtype == dtypes.float16 else x
    mean = reductions.reduce_mean(y, axes, keepdims=True)
    # The variance's gradient need not pass through the mean: it would be zero there.
    deviations = squared_difference(y, control.stop_gradient(mean))
    variance = reductions.reduce_mean(deviations, axes, keepdims=True)
    if not keepdims:  # (TF's squeeze: empty axes drop every axis of size 1)
        mean, variance = shapes.squeeze(mean, axes), shapes.squeeze(variance, axes)
    if x.dtype == dtypes.float16:
        return elementwise.cast(mean, dtypes.float16), elementwise.cast(variance, dtypes.float16)
    return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) * scale / sqrt(variance + variance_epsilon) + offset, composed as TF does
    (offset and scale may be None)."""
    inv = rsqrt(variance + variance_epsilon)
    if scale is not None:
        inv = inv * scale
    x = convert_to_tensor(x)
    shift = offset - mean * inv if offset is not None else -mean * inv
    return add(multiply(x, elementwise.cast(inv, x.dtype)), elementwise.cast(shift, x.dtype))
