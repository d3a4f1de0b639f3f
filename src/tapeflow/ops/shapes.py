"""Shape ops (`tf.reshape`, `tf.broadcast_to`, `tf.stack`, `tf.shape`, ...), each beside its
gradient."""

from __future__ import annotations

import numpy as np

from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.dtypes import as_dtype, int32
from tapeflow.core.errors import invalid_argument
from tapeflow.core.registry import KernelError, op
from tapeflow.core.shape import TensorShape
from tapeflow.core.tensor import Tensor
from tapeflow.ops import _broadcast


def shape_tuple(shape, op_name: str, allow_unknown: bool = False) -> tuple:
    """A shape argument (list, tuple, TensorShape, or 1-D int tensor; entries may be scalar
    tensors) as a tuple of Python ints (-1 kept where `allow_unknown`)."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    elif isinstance(shape, Tensor) or hasattr(type(shape), "__tf_tensor__"):
        shape = convert_to_tensor(shape)._value.tolist()
    elif isinstance(shape, np.ndarray):
        shape = shape.tolist()
    if isinstance(shape, (int, np.integer)):
        shape = [shape]
    dims = []
    for d in shape:
        if isinstance(d, Tensor) or hasattr(type(d), "__tf_tensor__"):
            d = convert_to_tensor(d)._value
            if d.dtype.kind not in "iu":
                raise invalid_argument(f"shape must contain integers, got {d.dtype}", op_name)
        elif d is None and allow_unknown:
            d = -1
        try:
            dims.append(int(d))
        except TypeError:
            raise TypeError(
                f"Expected int32 for the shape of {op_name}, got {d!r} of type "
                f"'{type(d).__name__}' instead."
            ) from None
    return tuple(dims)


def _resolve_reshape(size: int, shape: tuple) -> tuple:
    unknown = [i for i, d in enumerate(shape) if d == -1]
    if len(unknown) > 1:
        raise KernelError(f"Only one input size may be -1, not both {unknown[0]} and {unknown[1]}")
    for d in shape:
        if d < -1:
            raise KernelError(f"Size {shape.index(d)} must be non-negative, not {d}")
    known = int(np.prod([d for d in shape if d != -1], dtype=np.int64))
    if unknown:
        if known == 0 or size % known:
            raise KernelError(
                f"Input to reshape is a tensor with {size} values, but the "
                f"requested shape requires a multiple of {known}"
            )
        shape = tuple(size // known if d == -1 else d for d in shape)
    elif known != size:
        raise KernelError(
            f"Input to reshape is a tensor with {size} values, but the requested shape has {known}"
        )
    return shape


@op("Reshape", match=())
def reshape_op(x, *, shape):
    """x with a new shape (one entry may be -1: inferred)."""
    return x.reshape(_resolve_reshape(x.size, shape))


@reshape_op.defvjp
def _reshape_vjp(dy, y, x, *, shape):
    return reshape_op(dy, shape=x._value.shape)


def reshape(tensor, shape, name=None):
    """Reshapes a tensor (`tf.reshape`); `shape` may hold -1 and scalar tensors."""
    return reshape_op(tensor, shape=shape_tuple(shape, "Reshape"))


@op("BroadcastTo", match=())
def broadcast_to_op(x, *, shape):
    """x broadcast to `shape`."""
    try:
        return np.broadcast_to(x, shape)
    except ValueError:
        raise KernelError(
            f"Unable to broadcast tensor of shape {list(x.shape)} to tensor of shape {list(shape)}"
        ) from None


@broadcast_to_op.defvjp
def _broadcast_to_vjp(dy, y, x, *, shape):
    return _broadcast.sum_to_shape(dy, x._value.shape)


def broadcast_to(input, shape, name=None):  # noqa: A002 - TF's argument name
    """Broadcasts a tensor to a compatible shape (`tf.broadcast_to`)."""
    return broadcast_to_op(input, shape=shape_tuple(shape, "BroadcastTo"))


@op("Pack")
def pack(*values, axis=0):
    """Stacks equally shaped tensors along a new axis."""
    shapes = {v.shape for v in values}
    if len(shapes) > 1:
        first, other = values[0].shape, next(v.shape for v in values if v.shape != values[0].shape)
        index = next(i for i, v in enumerate(values) if v.shape != first)
        raise KernelError(
            f"Shapes of all inputs must match: values[0].shape = "
            f"{list(first)} != values[{index}].shape = {list(other)}"
        )
    return np.stack(values, axis=axis)


@pack.defvjp
def _pack_vjp(dy, y, *values, axis):
    if len(values) == 1:
        return (reshape_op(dy, shape=values[0]._value.shape),)
    return unpack(dy, axis=axis)


@op("Unpack")
def unpack(value, *, axis=0):
    """Splits a tensor into its slices along `axis`."""
    return tuple(np.moveaxis(value, axis, 0))


@unpack.defvjp
def _unpack_vjp(dys, ys, value, *, axis):
    return pack(*dys, axis=axis)


def stack(values, axis=0, name="stack"):
    """Stacks a list of rank-R tensors into one rank-(R+1) tensor (`tf.stack`)."""
    if not isinstance(values, (list, tuple)) or not values:
        raise ValueError("values must be a non-empty list or tuple of tensors")
    tensors = pack.convert_inputs(tuple(values))
    rank = tensors[0]._value.ndim
    if not -rank - 1 <= axis <= rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank - 1}, {rank + 1})")
    return pack(*tensors, axis=axis % (rank + 1))


def unstack(value, num=None, axis=0, name="unstack"):
    """Unpacks a tensor along `axis` into a list of tensors (`tf.unstack`)."""
    value = convert_to_tensor(value)
    rank = value._value.ndim
    if not -rank <= axis < rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    if value._value.shape[axis] == 0:
        return []
    parts = unpack(value, axis=axis % rank)
    return list(parts) if isinstance(parts, tuple) else [parts]


@op("Identity")
def identity(input):  # noqa: A002 - TF's argument name
    """Returns a tensor with the same value (a new tensor, recorded)."""
    return input


@identity.defvjp
def _identity_vjp(dy, y, x):
    return dy


@op("Shape", differentiable=False)
def _shape(x, *, out_type):
    return np.array(x.shape, dtype=out_type)


def shape(input, out_type=None, name=None):  # noqa: A002
    """The shape of a tensor, as an int32 (or `out_type`) tensor (`tf.shape`)."""
    return _shape(input, out_type=as_dtype(out_type or int32)._np)


@op("Size", differentiable=False)
def _size(x, *, out_type):
    return np.array(x.size, dtype=out_type)


def size(input, out_type=None, name=None):  # noqa: A002
    """The number of elements of a tensor, as an int32 (or `out_type`) scalar (`tf.size`)."""
    return _size(input, out_type=as_dtype(out_type or int32)._np)


@op("Rank", differentiable=False)
def _rank(x):
    return np.array(x.ndim, dtype=np.int32)


def rank(input, name=None):  # noqa: A002
    """The rank of a tensor, as an int32 scalar (`tf.rank`)."""
    return _rank(input)
