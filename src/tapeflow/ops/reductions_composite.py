"""Reductions TF composes from other ops (`reduce_logsumexp`, `reduce_variance`, `reduce_std`,
`count_nonzero`), and `add_n`. Their gradients follow from the ops they are made of."""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import KernelError, op
from tapeflow.core.tensor import EagerTensor, wrap
from tapeflow.ops import _types as T
from tapeflow.ops import elementwise, shapes
from tapeflow.ops._axes import retyped
from tapeflow.ops.comparison import is_finite
from tapeflow.ops.control import stop_gradient
from tapeflow.ops.reductions import reduce_max, reduce_mean, reduce_sum


def _tensor(value):
    return value if type(value) is EagerTensor else convert_to_tensor(value)


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """log(sum(exp(x))) across `axis`, computed stably: the (finite) maximum is taken out
    first and gets no gradient, so the gradient is softmax(x) even at ±1000."""
    x = _tensor(input_tensor)
    raw_max = reduce_max(x, axis=axis, keepdims=True)
    zero = wrap(np.zeros((), raw_max._value.dtype))
    shift = stop_gradient(elementwise.select(is_finite(raw_max), raw_max, zero))
    total = reduce_sum(elementwise.exp(elementwise.subtract(x, shift)), axis, keepdims)
    result = elementwise.log(total)
    if not keepdims:
        shift = shapes.reshape_op(shift, shape=result._value.shape)
    return elementwise.add(result, shift)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """Variance across `axis`, mean((x - mean(x))**2); real for complex inputs."""
    x = _tensor(input_tensor)
    means = reduce_mean(x, axis=axis, keepdims=True)
    if means.dtype.is_integer:
        raise TypeError(
            f"Input must be either real or complex. Received integer type {means.dtype}."
        )
    diff = elementwise.subtract(x, means)
    if diff.dtype.is_complex:
        squared = elementwise.real(elementwise.multiply(elementwise.conj(diff), diff))
    else:
        squared = elementwise.square(diff)
    return reduce_mean(squared, axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """Standard deviation across `axis`, sqrt(reduce_variance) (gradient nan where it is 0)."""
    return elementwise.sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def count_nonzero(input, axis=None, keepdims=None, dtype=dtypes.int64, name=None):  # noqa: A002
    """How many elements across `axis` are not zero (not empty, for strings), as `dtype`."""
    x = _tensor(input)
    predicate = x
    if x.dtype != dtypes.bool:
        zero = b"" if x.dtype == dtypes.string else 0
        predicate = elementwise.not_equal(x, wrap(np.array(zero, dtype=x._value.dtype)))
    counts = reduce_sum(
        elementwise.cast(predicate, dtypes.int64), axis=axis, keepdims=bool(keepdims)
    )
    return elementwise.cast(counts, dtype)


# -- add_n --------------------------------------------------------------------------------------

ADD_N = retyped(
    T.REDUCTION,
    "Op<name={name}; signature=inputs:N*T -> sum:T; attr=N:int,min=1; "
    "attr=T:type,allowed=[{enums}]; is_commutative=true; is_aggregate=true>",
    "variant",
)
_ADD_N_INPUTS = (
    "Inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype and shape."
)


def _shape_text(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


@op("AddN", dtypes=ADD_N, passes_indexed_slices=True)
def add_n_op(*inputs):
    """The element-wise sum of tensors of one shape and dtype (no broadcasting)."""
    first = inputs[0].shape
    for i, x in enumerate(inputs[1:], 1):
        if x.shape != first:
            raise KernelError(
                "Inputs to operation AddN of type AddN must have the same size and shape.  "
                f"Input 0: {_shape_text(first)} != input {i}: {_shape_text(x.shape)}"
            )
    total = np.add(inputs[0], inputs[1], out=np.empty_like(inputs[0]))
    for x in inputs[2:]:
        np.add(total, x, out=total)
    return total


@add_n_op.defvjp
def _add_n_vjp(dy, y, *inputs):
    # Every input gets the gradient unchanged (an IndexedSlices stays one, as in TF).
    return (dy,) * len(inputs)


def add_n(inputs, name=None):
    """Adds a list of tensors of one shape and dtype (`tf.add_n`); one input is returned as
    it is (an IndexedSlices made dense)."""
    if inputs is None or (isinstance(inputs, (list, tuple)) and not inputs):
        raise ValueError(_ADD_N_INPUTS)
    tensors = []
    for value in inputs:  # a non-iterable raises TF's TypeError here
        if value is None:
            raise ValueError(_ADD_N_INPUTS)
        tensors.append(_tensor(value))
    if len(tensors) == 1:
        return tensors[0]
    return add_n_op(*tensors)
