"""Losses of `tf.nn`: the sigmoid cross-entropies, `log_poisson_loss`, `l2_loss`, and the
averaging helpers `compute_average_loss` and `scale_regularization_loss`.

All but `l2_loss` (the L2Loss op) are composed of ops exactly as TF composes them, so their
values, gradients and dtype errors follow from those ops.
"""

from __future__ import annotations

import math

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import InvalidArgumentError
from tapeflow.core.registry import TypeList, op
from tapeflow.core.tensor import Tensor
from tapeflow.ops import creation, elementwise, reductions, shapes
from tapeflow.ops.activations import relu
from tapeflow.ops.elementwise import add, multiply, scalar_like, subtract
from tapeflow.ops.math_functions import divide_no_nan, log1p


def _check_same_shape(first: Tensor, second: Tensor, names: str) -> None:
    if not first.shape.is_compatible_with(second.shape):
        raise ValueError(
            f"{names} must have the same shape, received ({first.shape} vs {second.shape})."
        )


# -- sigmoid cross-entropies ----------------------------------------------------------------


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Elementwise logistic loss of `logits` against `labels` in [0, 1]:
    max(x, 0) - x * z + log(1 + exp(-|x|)), stable for large |x|."""
    if labels is None or logits is None:
        raise ValueError(
            "Both `labels` and `logits` must be provided for sigmoid_cross_entropy_with_logits"
            f"Received: labels={labels} and logits={logits}"
        )
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels)
    _check_same_shape(logits, labels, "`logits` and `labels`")
    # max and abs are written with where, so that the gradient at 0 is defined (as TF does)
    zeros = creation.zeros_like(logits)
    nonnegative = elementwise.greater_equal(logits, zeros)
    relu_logits = elementwise.select(nonnegative, logits, zeros)
    neg_abs_logits = elementwise.select(nonnegative, elementwise.negative(logits), logits)
    return add(
        subtract(relu_logits, multiply(logits, labels)),
        log1p(elementwise.exp(neg_abs_logits)),
    )


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    """The sigmoid cross-entropy with positive examples weighted by `pos_weight`:
    (1 - z) * x + (1 + (q - 1) * z) * (log(1 + exp(-|x|)) + max(-x, 0))."""
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels)
    _check_same_shape(logits, labels, "`logits` and `labels`")
    log_weight = 1 + (pos_weight - 1) * labels
    softplus_minus_x = add(
        log1p(elementwise.exp(elementwise.negative(elementwise.abs(logits)))),
        relu(elementwise.negative(logits)),
    )
    return add(multiply(1 - labels, logits), multiply(log_weight, softplus_minus_x))


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """Negative log-likelihood of `targets` under a Poisson distribution with log-rate
    `log_input` (up to a constant unless `compute_full_loss`, which adds Stirling's term)."""
    log_input = convert_to_tensor(log_input)
    targets = convert_to_tensor(targets)
    _check_same_shape(log_input, targets, "`log_input` and `targets`")
    result = subtract(elementwise.exp(log_input), multiply(log_input, targets))
    if compute_full_loss:
        half = scalar_like(0.5, targets)
        two_pi = scalar_like(2 * math.pi, targets)
        stirling = add(
            subtract(multiply(targets, elementwise.log(targets)), targets),
            multiply(half, elementwise.log(multiply(two_pi, targets))),
        )
        zeros = creation.zeros_like(targets)
        ones = creation.ones_like(targets)
        small = elementwise.logical_and(
            elementwise.greater_equal(targets, zeros), elementwise.less_equal(targets, ones)
        )
        result = add(result, elementwise.select(small, zeros, stirling))
    return result


# -- l2_loss ----------------------------------------------------------------------------------


_L2_TYPES = TypeList(
    dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, signature="t:T -> output:T"
)


@op("L2Loss", dtypes=_L2_TYPES)
def l2_loss(t):
    """sum(t ** 2) / 2."""
    halves = (t * t * np.asarray(0.5, t.dtype)).reshape(-1)
    if t.dtype.itemsize == 2 and halves.size:  # TF adds half-precision values one by one
        return np.add.accumulate(halves)[-1]
    return np.sum(halves)


@l2_loss.defvjp
def _l2_loss_vjp(dy, y, t):
    return multiply(t, dy)


# -- averaging for (distributed) training loops ----------------------------------------------
# tapeflow has no distribution strategies: there is always one replica.


def _match_rank(weights: Tensor, rank: int) -> Tensor:
    """Sample weights squeezed or expanded by one trailing axis to `rank` (TF's rule)."""
    weights_rank = weights._value.ndim
    if weights_rank - rank == 1:
        return shapes.squeeze_op(weights, axis=(-1,))
    if rank - weights_rank == 1 and weights_rank:
        return shapes.expand_dims_op(weights, axis=-1)
    return weights


def _check_batch_size(size: Tensor) -> None:
    if size._value.ndim != 0:
        raise ValueError(
            f"global_batch_size must be scalar..  Expected scalar shape, saw shape: {size.shape}."
        )
    if not size.dtype.is_integer:
        raise TypeError(
            'global_batch_size must be an integer..  Expected "x" to be integer type.  '
            f"Found: tensor of dtype {size.dtype}"
        )
    if size._value < 0:
        raise InvalidArgumentError(
            None,
            None,
            "global_batch_size must be non-negative..  \nCondition x >= 0 did not hold "
            f"element-wise:\nx (shape=() dtype={size.dtype.name}) = \n{size._value}",
        )


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    """The sum of the (weighted) per-example losses divided by the global batch size
    (by default the size of the first axis); 0 for an empty batch."""
    per_example_loss = convert_to_tensor(per_example_loss)
    input_dtype = per_example_loss.dtype
    rank = per_example_loss._value.ndim
    if rank == 0:
        raise ValueError(
            "Invalid value passed for `per_example_loss`. Expected a tensor with at least "
            f"rank 1. Received per_example_loss={per_example_loss} with rank {rank}"
        )
    if sample_weight is not None:
        # TF weights losses in float32, then casts back
        losses = elementwise.cast(per_example_loss, dtypes.float32)
        weights = elementwise.cast(convert_to_tensor(sample_weight), dtypes.float32)
        per_example_loss = multiply(losses, _match_rank(weights, rank))
    per_example_loss = elementwise.cast(per_example_loss, input_dtype)
    if global_batch_size is None:
        global_batch_size = per_example_loss._value.shape[0]
    global_batch_size = convert_to_tensor(global_batch_size)
    _check_batch_size(global_batch_size)
    loss = reductions.reduce_sum(per_example_loss)
    return divide_no_nan(loss, elementwise.cast(global_batch_size, input_dtype))


def scale_regularization_loss(regularization_loss):
    """The summed regularization loss divided by the number of replicas (one here)."""
    return elementwise.divide(reductions.reduce_sum(regularization_loss), 1)
