"""Activation functions (`tf.nn.relu`, `elu`, `softplus`, `gelu`, `silu`, ...), each beside its
gradient.

The rules call TF's gradient ops (ReluGrad, EluGrad, ...), whose own rules give zeros where
TF's second derivatives are zeros (spec §12.5); kinks take TF's values (spec §12.3).
"""

from __future__ import annotations

import ml_dtypes
import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import TypeList, op
from tapeflow.core.tensor import Tensor
from tapeflow.ops import _types as T
from tapeflow.ops import creation, elementwise, special_functions
from tapeflow.ops._broadcast import sum_to_shape
from tapeflow.ops.elementwise import multiply, scalar_like, select, sigmoid

_ACTIVATION = "features:T -> activations:T"
_GRADIENT = "gradients:T, features:T -> backprops:T"
_REAL = T.REAL_NUMBERS
_HALF_FIRST = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
RELU_TYPES = TypeList(*_REAL, "qint8", signature=_ACTIVATION)
RELU6_TYPES = TypeList(*_REAL, signature=_ACTIVATION)
FLOAT_TYPES = TypeList(*_HALF_FIRST, signature=_ACTIVATION)


def _leaky_types(name: str, signature: str) -> TypeList:
    return TypeList(
        *_HALF_FIRST,
        op_def=(
            f"Op<name={name}; signature={signature}; attr=alpha:float,default=0.2; "
            "attr=T:type,default=DT_FLOAT,allowed=[{enums}]>"
        ),
    )


def _const(value, like: np.ndarray) -> np.ndarray:
    """A scalar of `like`'s dtype (NumPy would widen bfloat16 times a Python float)."""
    return np.asarray(value, dtype=like.dtype)


_TINY32 = np.finfo(np.float32).tiny


def rounded(ufunc, x: np.ndarray) -> np.ndarray:
    """ufunc(x), for float32 computed in float64 and rounded: TF's float32 exp and log agree
    with the correctly rounded value far more often than NumPy's float32 loops do. TF's CPU
    threads flush denormal results to zero (exp(-100) is 0), and so does this."""
    if x.dtype != np.float32:
        return ufunc(x)
    y = ufunc(x.astype(np.float64)).astype(np.float32)
    return np.where(np.abs(y) < _TINY32, y * 0, y)


# -- relu, relu6, leaky_relu ------------------------------------------------------------------


@op("Relu", dtypes=RELU_TYPES)
def relu(features):
    """Rectified linear unit: max(features, 0)."""
    return np.maximum(features, _const(0, features))


@relu.defvjp
def _relu_vjp(dy, y, x):
    return relu_grad(dy, y)  # TF's rule reads the output: 0 at x == 0


@op("ReluGrad", dtypes=TypeList(*_REAL, signature=_GRADIENT))
def relu_grad(gradients, features):
    """gradients where features > 0, else 0 (a product: 0 * inf is nan, as in TF)."""
    return gradients * (features > 0).astype(gradients.dtype)


@relu_grad.defvjp
def _relu_grad_vjp(ddx, dx, dy, y, *, needs):
    # Linear in dy; the mask has a zero (not None) derivative, so second derivatives are zeros.
    return relu_grad(ddx, y) if needs[0] else None, creation.zeros_like(y)


@op("Relu6", dtypes=RELU6_TYPES)
def relu6(features):
    """min(max(features, 0), 6)."""
    return np.minimum(np.maximum(features, _const(0, features)), _const(6, features))


@relu6.defvjp
def _relu6_vjp(dy, y, x):
    return relu6_grad(dy, y)  # 1 only on the open interval (0, 6), read from the output


@op("Relu6Grad", dtypes=TypeList(*_REAL, signature=_GRADIENT))
def relu6_grad(gradients, features):
    """gradients where 0 < features < 6, else 0 (a product, as in TF)."""
    inside = (features > 0) & (features < 6)
    return gradients * inside.astype(gradients.dtype)


@relu6_grad.defvjp
def _relu6_grad_vjp(ddx, dx, dy, y, *, needs):
    return relu6_grad(ddx, y) if needs[0] else None, creation.zeros_like(y)


@op("LeakyRelu", dtypes=_leaky_types("LeakyRelu", _ACTIVATION))
def _leaky_relu(features, *, alpha=0.2):
    return np.where(features > 0, features, features * _const(alpha, features))


@_leaky_relu.defvjp
def _leaky_relu_vjp(dy, y, x, *, alpha):
    return leaky_relu_grad(dy, x, alpha=alpha)  # alpha at x == 0 (strict x > 0)


@op("LeakyReluGrad", dtypes=_leaky_types("LeakyReluGrad", _GRADIENT))
def leaky_relu_grad(gradients, features, *, alpha=0.2):
    """gradients where features > 0, else alpha * gradients."""
    return np.where(features > 0, gradients, gradients * _const(alpha, gradients))


@leaky_relu_grad.defvjp
def _leaky_relu_grad_vjp(ddx, dx, dy, x, *, alpha, needs):
    first = leaky_relu_grad(ddx, x, alpha=alpha) if needs[0] else None
    return first, creation.zeros_like(x)


def leaky_relu(features, alpha=0.2, name=None):
    """max(features, alpha * features) for alpha < 1; integer features become float32."""
    features = convert_to_tensor(features)
    if features.dtype.is_integer:
        features = elementwise.cast(features, dtypes.float32)
    if isinstance(alpha, np.ndarray):
        alpha = alpha.item()
    if isinstance(alpha, Tensor) or not isinstance(alpha, (int, float, np.number)):
        raise TypeError(f"Expected float for argument 'alpha' not {alpha!r}.")
    # alpha is a float attribute: TF rounds it to float32 (0.3 acts as 0.30000001)
    return _leaky_relu(features, alpha=float(np.float32(alpha)))


# -- elu, selu ----------------------------------------------------------------------------------


@op("Elu", dtypes=FLOAT_TYPES)
def elu(features):
    """exp(features) - 1 where features < 0, else features."""
    one = _const(1, features)
    return np.where(features < 0, rounded(np.exp, features) - one, features)


@elu.defvjp
def _elu_vjp(dy, y, x):
    return elu_grad(dy, y)  # 1 at x == 0


@op("EluGrad", dtypes=TypeList(*_HALF_FIRST, signature="gradients:T, outputs:T -> backprops:T"))
def elu_grad(gradients, outputs):
    """(outputs + 1) * gradients where outputs < 0, else gradients."""
    return np.where(outputs < 0, (outputs + _const(1, outputs)) * gradients, gradients)


@elu_grad.defvjp
def _elu_grad_vjp(ddx, dx, dy, y, *, needs):
    ddy = elu_grad(ddx, y) if needs[0] else None
    negative = elementwise.less(y, scalar_like(0, y))
    return ddy, select(negative, multiply(ddx, dy), creation.zeros_like(y))


_SELU_SCALE = 1.0507009873554804934193349852946
_SELU_SCALE_ALPHA = 1.7580993408473768599402175208123


@op("Selu", dtypes=FLOAT_TYPES)
def selu(features):
    """Scaled ELU: scale * alpha * (exp(features) - 1) where features < 0, else
    scale * features."""
    x = features
    negative = _const(_SELU_SCALE_ALPHA, x) * (rounded(np.exp, x) - _const(1, x))
    return np.where(x < 0, negative, _const(_SELU_SCALE, x) * x)


@selu.defvjp
def _selu_vjp(dy, y, x):
    return selu_grad(dy, y)  # scale at x == 0


@op("SeluGrad", dtypes=TypeList(*_HALF_FIRST, signature="gradients:T, outputs:T -> backprops:T"))
def selu_grad(gradients, outputs):
    """gradients * (outputs + scale * alpha) where outputs < 0, else gradients * scale."""
    return np.where(
        outputs < 0,
        gradients * (outputs + _const(_SELU_SCALE_ALPHA, outputs)),
        gradients * _const(_SELU_SCALE, gradients),
    )


@selu_grad.defvjp
def _selu_grad_vjp(ddx, dx, dy, y, *, needs):
    ddy = selu_grad(ddx, y) if needs[0] else None
    negative = elementwise.less(y, scalar_like(0, y))
    return ddy, select(negative, multiply(ddx, dy), creation.zeros_like(y))


# -- softplus, softsign, log_sigmoid ------------------------------------------------------------


@op("Softplus", dtypes=FLOAT_TYPES)
def softplus(features):
    """log(exp(features) + 1), without overflow for large |features|."""
    x = features.astype(np.float32) if features.dtype == np.float16 else features  # as TF
    # TF's thresholds: log(epsilon) + 2 of the computing dtype; beyond them softplus(x) is x
    # (large x) or exp(x) (very negative x) to working precision.
    threshold = _const(np.log(ml_dtypes.finfo(x.dtype).eps) + 2, x)
    exp_x = rounded(np.exp, x)
    y = np.where(x > -threshold, x, np.where(x < threshold, exp_x, rounded(np.log1p, exp_x)))
    return y.astype(features.dtype, copy=False)


@softplus.defvjp
def _softplus_vjp(dy, y, x):
    return multiply(dy, sigmoid(x))


@op("Softsign", dtypes=FLOAT_TYPES)
def softsign(features):
    """features / (|features| + 1)."""
    return features / (np.abs(features) + _const(1, features))


@softsign.defvjp
def _softsign_vjp(dy, y, x):
    return softsign_grad(dy, x)


# TF registers no gradient for SoftsignGrad: a second derivative of softsign raises
# `LookupError: gradient registry has no entry for: SoftsignGrad`, as in TF.
@op("SoftsignGrad", dtypes=TypeList(*_HALF_FIRST, signature=_GRADIENT))
def softsign_grad(gradients, features):
    """gradients / (|features| + 1)²."""
    denominator = np.abs(features) + _const(1, features)
    return gradients / (denominator * denominator)


def log_sigmoid(x, name=None):
    """log(1 / (1 + exp(-x))), computed as -softplus(-x) (TF's composition)."""
    return elementwise.negative(softplus(elementwise.negative(x)))


# -- swish (silu) ---------------------------------------------------------------------------------


@op("Swish", dtypes=elementwise.sigmoid.type_list)
def _swish(features, beta):
    # TF builds swish with tf.custom_gradient (no op of its own); this op has that gradient.
    return features * elementwise.sigmoid.forward(beta * features)


@_swish.defvjp
def _swish_vjp(dy, y, features, beta, *, needs):
    # TF's custom gradient: sigmoid(βx) is recomputed; d/dx = s (1 + βx (1 - s)),
    # d/dβ = Σ dy x² s (1 - s).
    beta_x = multiply(beta, features)
    s = sigmoid(beta_x)
    one_minus_s = elementwise.subtract(scalar_like(1, s), s)
    dx = dbeta = None
    if needs[0]:
        slope = elementwise.add(scalar_like(1, s), multiply(beta_x, one_minus_s))
        dx = multiply(dy, multiply(s, slope))
    if needs[1]:
        terms = multiply(multiply(multiply(dy, elementwise.square(features)), s), one_minus_s)
        dbeta = sum_to_shape(terms, beta._value.shape)
    return dx, dbeta


def swish(features, beta=1.0):
    """features * sigmoid(beta * features) (`tf.nn.silu`, `tf.nn.swish`)."""
    features = convert_to_tensor(features)
    if not (features.dtype.is_floating or features.dtype.is_complex):
        # TF's forward pass fails in its Sigmoid op
        raise elementwise.sigmoid.type_list.error("Sigmoid", features.dtype)
    beta = elementwise.cast(convert_to_tensor(beta), features.dtype)
    return _swish(features, beta)


silu = swish


# -- gelu -----------------------------------------------------------------------------------------


def gelu(features, approximate=False, name=None):
    """Gaussian error linear unit: features * P(X <= features) for X ~ N(0, 1); with
    `approximate`, TF's tanh approximation. Composed of ops as in TF."""
    features = convert_to_tensor(features)
    if not features.dtype.is_floating:
        raise ValueError(
            "`features.dtype` must be a floating point tensor."
            f"Received:features.dtype={features.dtype}"
        )
    half_x = multiply(scalar_like(0.5, features), features)
    if approximate:
        cubic = multiply(scalar_like(0.044715, features), elementwise.pow(features, 3))
        inner = multiply(
            scalar_like(0.7978845608028654, features), elementwise.add(features, cubic)
        )
        return multiply(half_x, elementwise.add(scalar_like(1, features), elementwise.tanh(inner)))
    scaled = multiply(elementwise.negative(features), scalar_like(0.7071067811865476, features))
    return multiply(half_x, special_functions.erfc(scaled))
