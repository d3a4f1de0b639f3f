"""Shape ops (`tf.reshape`, `tf.broadcast_to`, `tf.stack`, `tf.concat`, `tf.split`,
`tf.expand_dims`, `tf.squeeze`, `tf.identity`), each beside its gradient.

Their rules are linear in `dy` and never read the inputs' values, so second derivatives
through them are None, as in TF (spec §12.5).
"""

from __future__ import annotations

import functools
import math
import numbers

import numpy as np

from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import invalid_argument
from tapeflow.core.registry import KernelError, op
from tapeflow.core.tensor import Tensor
from tapeflow.ops._shape_args import (
    axis_value,
    index_array,
    op_definition,
    shape_text,
    shape_tuple,
)


def linear_in_input(*ops) -> None:
    """Declares the forward-mode rule of ops linear in their one tensor input: the op itself,
    applied to the tangent."""
    for linear_op in ops:
        linear_op.defjvp(functools.partial(_linear_jvp, linear_op))


def _linear_jvp(linear_op, tangents, y, x, **attrs):
    return linear_op(tangents[0], **attrs)


def _resolve_reshape(size: int, input_shape: tuple, shape: tuple) -> tuple:
    """The requested shape with its -1 filled in, checked as TF's Reshape kernel does."""
    unknown = -1
    product = 1
    for i, d in enumerate(shape):
        if d == -1:
            if unknown != -1:
                raise KernelError(f"Only one input size may be -1, not both {unknown} and {i}")
            unknown = i
        elif d < 0:
            raise KernelError(f"Size {i} must be non-negative, not {d}")
        elif d:
            product *= d
    if unknown != -1:
        # TF leaves zero-sized dimensions out of both counts when the request has a zero
        # too, so that the other dimensions can still be inferred.
        zero_requested = 0 in shape
        count = 1
        for d in input_shape:
            if d or not zero_requested:
                count *= d
        missing = count // product
        skipped_zero = zero_requested and 0 in input_shape
        if missing * product != count and not skipped_zero:
            raise KernelError(
                f"Input to reshape is a tensor with {count} values, but the requested shape "
                f"requires a multiple of {product}"
            )
        shape = shape[:unknown] + (missing,) + shape[unknown + 1 :]
    requested = math.prod(shape)
    if requested != size:
        raise KernelError(
            f"Input to reshape is a tensor with {size} values, but the requested shape has "
            f"{requested}"
        )
    return shape


@op("Reshape", match=())
def reshape_op(x, *, shape):
    """x with a new shape (one entry may be -1: inferred)."""
    if x.size != math.prod(shape) or min(shape, default=0) < 0:
        shape = _resolve_reshape(x.size, x.shape, shape)
    return x.reshape(shape)


@reshape_op.defvjp
def _reshape_vjp(dy, y, x, *, shape):
    return reshape_op(dy, shape=x._value.shape)


def reshape(tensor, shape, name=None):
    """Reshapes a tensor (`tf.reshape`); `shape` may hold -1 and scalar tensors."""
    return reshape_op(tensor, shape=shape_tuple(shape, "Reshape"))


@op("BroadcastTo", match=())
def broadcast_to_op(x, *, shape):
    """x broadcast to `shape`."""
    for d in shape:
        if d < 0:
            raise KernelError(f"Dimension {d} must be >= 0")
    if x.ndim > len(shape):
        raise KernelError(
            f"Rank of input ({x.ndim}) must be no greater than rank of output shape ({len(shape)})."
        )
    try:
        return np.broadcast_to(x, shape)
    except ValueError:
        raise KernelError(
            f"Incompatible shapes: {shape_text(x.shape)} vs. {shape_text(shape)}"
        ) from None


@broadcast_to_op.defvjp
def _broadcast_to_vjp(dy, y, x, *, shape):
    # Imported here: _broadcast needs this module, which every op family imports first.
    from tapeflow.ops._broadcast import sum_to_shape

    return sum_to_shape(dy, x._value.shape)


def broadcast_to(input, shape, name=None):  # noqa: A002 - TF's argument name
    """Broadcasts a tensor to a compatible shape (`tf.broadcast_to`)."""
    return broadcast_to_op(input, shape=shape_tuple(shape, "BroadcastTo"))


@op("Pack")
def pack(*values, axis=0):
    """Stacks equally shaped tensors along a new axis."""
    first = values[0].shape
    for i, v in enumerate(values):
        if v.shape != first:
            raise KernelError(
                f"Shapes of all inputs must match: values[0].shape = {shape_text(first)} != "
                f"values[{i}].shape = {shape_text(v.shape)}"
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
    return pack(*_as_tuple(dys), axis=axis)


def _as_tuple(dys) -> tuple:
    """The gradients of a multi-output op's outputs (a single tensor when it has one)."""
    return dys if isinstance(dys, tuple) else (dys,)


def stack(values, axis=0, name="stack"):
    """Stacks a list of rank-R tensors into one rank-(R+1) tensor (`tf.stack`)."""
    if axis == 0:  # as TF: a list that converts to a tensor is that tensor (packed if needed)
        try:
            return convert_to_tensor(values)
        except (TypeError, ValueError):
            pass
    rank = convert_to_tensor(values[0])._value.ndim
    if not -rank - 1 <= axis <= rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank - 1}, {rank + 1})")
    return pack(*values, axis=axis % (rank + 1))


def unstack(value, num=None, axis=0, name="unstack"):
    """Unpacks a tensor along `axis` into a list of tensors (`tf.unstack`)."""
    value = convert_to_tensor(value)
    shape = value._value.shape
    rank = len(shape)
    if not -rank <= axis < rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    if num is not None and num != shape[axis]:
        raise invalid_argument(
            f"Input shape axis {axis % rank} must equal {num}, got shape {shape_text(shape)}",
            "Unpack",
        )
    if shape[axis] == 0:
        return []
    return list(_as_tuple(unpack(value, axis=axis % rank)))


@op("ConcatV2")
def concat_op(*values, axis):
    """Joins tensors along the existing axis `axis`."""
    first = values[0].shape
    rank = len(first)
    if rank == 0:
        raise KernelError("ConcatOp : Can't concatenate scalars (use tf.stack instead)")
    if not -rank <= axis < rank:
        raise KernelError(
            f"ConcatOp : Expected concatenating dimensions in the range [{-rank}, {rank}), "
            f"but got {axis}"
        )
    axis %= rank
    for i, v in enumerate(values[1:], 1):
        if v.ndim != rank:
            raise KernelError(
                f"ConcatOp : Ranks of all input tensors should match: shape[0] = "
                f"{shape_text(first)} vs. shape[{i}] = {shape_text(v.shape)}"
            )
        for d in range(rank):
            if d != axis and v.shape[d] != first[d]:
                raise KernelError(
                    f"ConcatOp : Dimension {d} in both shapes must be equal: shape[0] = "
                    f"{shape_text(first)} vs. shape[{i}] = {shape_text(v.shape)}"
                )
    return np.concatenate(values, axis=axis)


@concat_op.defvjp
def _concat_vjp(dy, y, *values, axis):
    axis %= values[0]._value.ndim
    sizes = tuple(v._value.shape[axis] for v in values)
    return _as_tuple(split_v(dy, size_splits=sizes, axis=axis))


def concat(values, axis, name="concat"):
    """Concatenates tensors along one dimension (`tf.concat`)."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    axis = axis_value(axis, "ConcatV2")
    if not values:
        raise invalid_argument("ConcatOp : Expected at least one tensor to concatenate", "ConcatV2")
    if len(values) == 1:  # TF returns a copy of a single tensor, whatever the axis
        return identity(values[0])
    return concat_op(*values, axis=axis)


def _split_dim(value: np.ndarray, axis: int) -> int:
    rank = value.ndim
    if not -rank <= axis < rank:
        raise KernelError(
            f"-input rank(-{rank}) <= split_dim < input rank ({rank}), but got {axis}"
        )
    return axis % rank


@op("Split")
def split_op(value, *, num_split, axis):
    """`value` cut into `num_split` equal pieces along `axis`."""
    axis = _split_dim(value, axis)
    size = value.shape[axis]
    if size % num_split:
        raise KernelError(
            f"Number of ways to split should evenly divide the split dimension, but got "
            f"split_dim {axis} (size = {size}) and num_split {num_split}"
        )
    return tuple(np.split(value, num_split, axis=axis))


@split_op.defvjp
def _split_vjp(dys, ys, value, *, num_split, axis):
    return concat_op(*_as_tuple(dys), axis=axis) if num_split > 1 else dys


@op("SplitV")
def split_v(value, *, size_splits, axis):
    """`value` cut along `axis` into pieces of the sizes `size_splits` (one may be -1)."""
    axis = _split_dim(value, axis)
    size = value.shape[axis]
    unknown = [i for i, s in enumerate(size_splits) if s == -1]
    if len(unknown) > 1:
        raise KernelError("There can only be one -1 in the input.")
    known = sum(s for s in size_splits if s != -1)
    if known > size or (not unknown and known != size):
        raise KernelError(
            "Determined shape must either match input shape along split_dim exactly if fully "
            "specified, or be less than the size of the input along split_dim if not fully "
            f"specified.  Got: {known}"
        )
    sizes = [size - known if s == -1 else s for s in size_splits]
    for i, s in enumerate(sizes):
        if s < 0:
            raise KernelError(f"Split size at index {i} must be >= 0. Got: {s}")
    return tuple(np.split(value, np.cumsum(sizes[:-1]), axis=axis))


@split_v.defvjp
def _split_v_vjp(dys, ys, value, *, size_splits, axis):
    return concat_op(*_as_tuple(dys), axis=axis) if len(size_splits) > 1 else dys


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits a tensor into `num_or_size_splits` pieces, or pieces of the given sizes, along
    `axis` (`tf.split`)."""
    if isinstance(axis, Tensor) and axis._value.dtype != np.int32:
        raise invalid_argument(
            "cannot compute Split as input #0(zero-based) was expected to be a int32 tensor "
            f"but is a {axis.dtype._type_string} tensor",
            "Split",
        )
    axis = axis_value(axis, "Split")
    if isinstance(num_or_size_splits, numbers.Integral):
        if num_or_size_splits < 1:
            raise _no_split("Split", num_or_size_splits)
        return list(split_op(value, num_split=int(num_or_size_splits), axis=axis))
    sizes = index_array(num_or_size_splits, "SplitV")
    if sizes.ndim == 0:
        raise ValueError(
            "Rank-0 tensors are not supported as the num_or_size_splits argument to split. "
            f"Argument provided: {num_or_size_splits!s}"
        )
    if num is None:
        num = sizes.shape[0]
    if num < 1:
        raise _no_split("SplitV", num)
    if sizes.ndim != 1 or sizes.size != num:
        raise invalid_argument(
            "size of the split_tensor must be 1-D and have the same elements as outputs got "
            f"{sizes.ndim} -D and {sizes.size} elements",
            "SplitV",
        )
    return list(split_v(value, size_splits=tuple(sizes.tolist()), axis=axis))


_SPLIT_DEF = (
    "signature=split_dim:int32, value:T -> output:num_split*T; attr=num_split:int,min=1; "
    "attr=T:type"
)


def _no_split(op_name: str, num: int):
    """TF's error for splitting into fewer than one piece."""
    definition = _SPLIT_DEF if op_name == "Split" else op_definition(op_name)
    return invalid_argument(
        f"Value for attr 'num_split' of {num} must be at least minimum 1\n\t; NodeDef: "
        f"{{{{node {op_name}}}}}; Op<name={op_name}; {definition}>",
        op_name,
    )


@op("ExpandDims")
def expand_dims_op(input, *, axis):  # noqa: A002 - TF's argument name
    """`input` with a new axis of size 1 inserted at `axis`."""
    if not -input.ndim - 1 <= axis <= input.ndim:
        raise KernelError(
            f"Tried to expand dim index {axis} for tensor with {input.ndim} dimensions."
        )
    return np.expand_dims(input, axis)


@expand_dims_op.defvjp
def _expand_dims_vjp(dy, y, x, *, axis):
    return reshape_op(dy, shape=x._value.shape)


def expand_dims(input, axis, name=None):  # noqa: A002
    """Inserts a dimension of size 1 at index `axis` (`tf.expand_dims`)."""
    if type(axis) is not int:
        if isinstance(axis, float):
            axis_value(axis, "ExpandDims")  # raises TF's TypeError
        axes = index_array(axis, "ExpandDims").reshape(-1)
        if axes.size != 1:
            raise invalid_argument("'dim' must be a tensor with a single value", "ExpandDims")
        axis = int(axes[0])
    return expand_dims_op(input, axis=axis)


@op("Squeeze")
def squeeze_op(input, *, axis=()):  # noqa: A002
    """`input` without the size-1 dimensions listed in `axis` (all of them if empty)."""
    rank = input.ndim
    if not axis:
        return input.reshape([d for d in input.shape if d != 1])
    for a in axis:
        if not -rank <= a < rank:
            raise KernelError(f"Tried to squeeze dim index {a} for tensor with {rank} dimensions.")
        if input.shape[a] != 1:
            raise KernelError(
                f"Can not squeeze dim[{a % rank}], expected a dimension of 1, got {input.shape[a]}"
            )
    return np.squeeze(input, axis=tuple({a % rank for a in axis}))


@squeeze_op.defvjp
def _squeeze_vjp(dy, y, x, *, axis):
    return reshape_op(dy, shape=x._value.shape)


def squeeze(input, axis=None, name=None):  # noqa: A002
    """Removes dimensions of size 1 (`tf.squeeze`): those in `axis`, or all of them."""
    axes = () if axis is None else np.ravel(axis).tolist()
    return squeeze_op(input, axis=tuple(int(a) for a in axes))


@op("Identity", passes_indexed_slices=True)
def identity(input):  # noqa: A002 - TF's argument name
    """Returns a tensor with the same value (a new tensor, recorded)."""
    return input


@identity.defvjp
def _identity_vjp(dy, y, x):
    return dy


linear_in_input(
    reshape_op, broadcast_to_op, unpack, split_op, split_v, expand_dims_op, squeeze_op, identity
)
