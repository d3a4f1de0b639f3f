"""Array ops that move elements around (`tf.tile`, `tf.slice`, `tf.reverse`, `tf.transpose`,
`tf.pad`, `tf.repeat`), each beside its gradient.

Every rule is linear in `dy` and never reads the inputs' values, so second derivatives
through these ops are None, as in TF (spec §12.5).
"""

from __future__ import annotations

import builtins

import numpy as np

from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import invalid_argument
from tapeflow.core.registry import KernelError, op
from tapeflow.core.tensor import Tensor
from tapeflow.ops import reductions
from tapeflow.ops._shape_args import index_array, int_argument, shape_text
from tapeflow.ops.shapes import concat_op, expand_dims_op, linear_in_input, reshape_op, split_v


@op("Tile")
def tile_op(input, *, multiples):  # noqa: A002 - TF's argument name
    """`input` repeated `multiples[i]` times along each axis i."""
    if len(multiples) != input.ndim:
        raise KernelError(
            f"Expected multiples argument to be a vector of length {input.ndim} but got length "
            f"{len(multiples)}"
        )
    for i, m in enumerate(multiples):
        if m < 0:
            raise KernelError(f"Expected multiples[{i}] >= 0, but got {m}")
    return np.tile(input, multiples)


@tile_op.defvjp
def _tile_vjp(dy, y, x, *, multiples):
    # View dy as [m0, d0, m1, d1, ...] and sum the copies (the even axes) away.
    shape = x._value.shape
    split = tuple(n for pair in zip(multiples, shape) for n in pair)
    dy = reshape_op(dy, shape=split)
    return reductions.sum_op(dy, axis=tuple(range(0, len(split), 2)), keepdims=False)


def tile(input, multiples, name=None):  # noqa: A002
    """Repeats a tensor `multiples[i]` times along each axis i (`tf.tile`)."""
    counts = index_array(multiples, "Tile")
    if counts.ndim != 1:
        raise invalid_argument(
            f"Expected multiples to be 1-D, but got shape {shape_text(counts.shape)}", "Tile"
        )
    return tile_op(input, multiples=tuple(counts.tolist()))


@op("Slice")
def slice_op(input, *, begin, size):  # noqa: A002
    """The block of `input` starting at `begin` with extent `size` (-1: to the end)."""
    index = []
    for i, (b, s, d) in enumerate(zip(begin, size, input.shape)):
        if s == -1:
            s = d - b
        if d == 0:
            if b != 0 or s != 0:
                raise KernelError(
                    f"Expected begin[{i}] == 0 (got {b}) and size[{i}] == 0 (got {s}) when "
                    f"input.dim_size({i}) == 0"
                )
        elif not 0 <= b <= d:
            raise KernelError(f"Expected begin[{i}] in [0, {d}], but got {b}")
        elif not 0 <= s <= d - b:
            raise KernelError(f"Expected size[{i}] in [0, {d - b}], but got {s}")
        index.append(builtins.slice(b, b + s))
    return input[tuple(index)]


@slice_op.defvjp
def _slice_vjp(dy, y, x, *, begin, size):
    # Zeros around the slice: pad dy back to the input's shape.
    shape = x._value.shape
    after = (d - b - n for d, b, n in zip(shape, begin, y._value.shape))
    return pad_op(dy, paddings=tuple(zip(begin, after)))


def slice(input_, begin, size, name=None):  # noqa: A001 - TF's public name
    """Extracts the block of `input_` at `begin` of extent `size` (`tf.slice`)."""
    if isinstance(begin, Tensor) and isinstance(size, Tensor) and begin.dtype != size.dtype:
        raise invalid_argument(
            f"cannot compute Slice as input #2(zero-based) was expected to be a "
            f"{begin.dtype._type_string} tensor but is a {size.dtype._type_string} tensor",
            "Slice",
        )
    x = convert_to_tensor(input_)
    starts, sizes = index_array(begin, "Slice"), index_array(size, "Slice")
    rank = x._value.ndim
    if starts.shape != (rank,) or sizes.shape != (rank,):
        raise invalid_argument(
            f"Expected begin and size arguments to be 1-D tensors of size {rank}, but got "
            f"shapes {shape_text(starts.shape)} and {shape_text(sizes.shape)} instead.",
            "Slice",
        )
    return slice_op(x, begin=tuple(starts.tolist()), size=tuple(sizes.tolist()))


@op("ReverseV2")
def reverse_op(tensor, *, axis):
    """`tensor` with the order of its elements reversed along each axis in `axis`."""
    rank = tensor.ndim
    seen = set()
    for i, a in enumerate(axis):
        if not -rank <= a < rank:
            # (TF's message lacks the closing bracket)
            raise KernelError(f"'axis'[{i}] = {a} is out of valid range [0, {rank - 1}")
        if a % rank in seen:
            raise KernelError(f"axis {a % rank} specified more than once.")
        seen.add(a % rank)
    return np.flip(tensor, tuple(seen)) if seen else tensor


@reverse_op.defvjp
def _reverse_vjp(dy, y, x, *, axis):
    return reverse_op(dy, axis=axis)


def reverse(tensor, axis, name=None):
    """Reverses the order of elements along the dimensions in `axis` (`tf.reverse`)."""
    axes = index_array(axis, "ReverseV2")
    if axes.ndim != 1:
        raise invalid_argument(f"'dims' must be 1-dimension, not {axes.ndim}", "ReverseV2")
    return reverse_op(tensor, axis=tuple(axes.tolist()))


def _check_perm(x: np.ndarray, perm: tuple) -> tuple:
    rank = x.ndim
    if len(perm) != rank:
        raise KernelError(
            f"transpose expects a vector of size {rank}. But input(1) is a vector of size "
            f"{len(perm)}"
        )
    axes = tuple(p + rank if p < 0 else p for p in perm)
    for p in axes:
        if not 0 <= p < rank:
            raise KernelError(f"{p} is out of range [0 .. {rank})")
    for i in range(rank):
        if i not in axes:
            raise KernelError(f"{i} is missing from {{{','.join(str(p) for p in perm)}}}.")
    return axes


@op("Transpose")
def transpose_op(x, *, perm):
    """x with its axes permuted: axis i of the result is axis `perm[i]` of x."""
    return np.transpose(x, _check_perm(x, perm))


@transpose_op.defvjp
def _transpose_vjp(dy, y, x, *, perm):
    return transpose_op(dy, perm=_inverse(x, perm))


def _inverse(x, perm: tuple) -> tuple:
    rank = x._value.ndim
    return tuple(np.argsort([p % rank for p in perm]).tolist())


@op("ConjugateTranspose")
def conjugate_transpose(x, *, perm):
    """The complex conjugate of x with its axes permuted."""
    return np.conj(np.transpose(x, _check_perm(x, perm)))


@conjugate_transpose.defvjp
def _conjugate_transpose_vjp(dy, y, x, *, perm):
    return conjugate_transpose(dy, perm=_inverse(x, perm))


def transpose(a, perm=None, conjugate=False, name="transpose"):
    """Permutes the dimensions of `a` (reverses them if `perm` is None); `conjugate=True`
    also conjugates complex values (`tf.transpose`)."""
    a = convert_to_tensor(a)
    if perm is None:
        perm = tuple(range(a._value.ndim - 1, -1, -1))
    else:
        axes = index_array(perm, "Transpose")
        if axes.ndim != 1:
            raise invalid_argument(
                f"perm must be rank 1, got shape {shape_text(axes.shape)}", "Transpose"
            )
        perm = tuple(axes.tolist())
    if conjugate and a.dtype.is_complex:
        return conjugate_transpose(a, perm=perm)
    return transpose_op(a, perm=perm)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swaps the last two dimensions of `a` (`tf.linalg.matrix_transpose`)."""
    a = convert_to_tensor(a)
    rank = a._value.ndim
    if rank < 2:
        raise ValueError(
            f"Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = {a} "
            f"with shape: {a.shape}"
        )
    perm = (*range(rank - 2), rank - 1, rank - 2)
    return transpose(a, perm=perm, conjugate=conjugate)


def _check_paddings(paddings: tuple, name: str) -> None:
    for before, after in paddings:
        if before < 0 or after < 0:
            raise KernelError(f"{name} must be non-negative: {before} {after}")


def _padded(x: np.ndarray, paddings: tuple, value) -> np.ndarray:
    shape = tuple(before + n + after for (before, after), n in zip(paddings, x.shape))
    out = np.full(shape, value, dtype=x.dtype)
    out[tuple(builtins.slice(before, before + n) for (before, _), n in zip(paddings, x.shape))] = x
    return out


@op("Pad")
def pad_op(input, *, paddings):  # noqa: A002
    """`input` with `paddings[i] = (before, after)` zeros added around axis i."""
    _check_paddings(paddings, "Paddings")
    return _padded(input, paddings, b"" if input.dtype.kind == "O" else 0)  # strings: b""


@pad_op.defvjp
def _pad_vjp(dy, y, x, *, paddings):
    return slice_op(dy, begin=tuple(p[0] for p in paddings), size=x._value.shape)


@op("PadV2")
def pad_v2(input, constant_values, *, paddings):  # noqa: A002
    """`input` padded with the scalar `constant_values`."""
    _check_paddings(paddings, "Paddings")
    if constant_values.ndim:
        raise KernelError(
            f"constant_values must be a scalar. Found: {shape_text(constant_values.shape)}"
        )
    return _padded(input, paddings, constant_values)


@pad_v2.defvjp
def _pad_v2_vjp(dy, y, x, constant_values, *, paddings):
    # TF gives no gradient to the padding value.
    return _pad_vjp(dy, y, x, paddings=paddings), None


def _mirror_index(n: int, before: int, after: int, mode: str) -> np.ndarray:
    """For each position along a mirror-padded axis, the input position it copies."""
    if mode == "REFLECT":  # the edge is not repeated
        left, right = np.arange(before, 0, -1), np.arange(n - 2, n - 2 - after, -1)
    else:  # SYMMETRIC: the edge is repeated
        left, right = np.arange(before - 1, -1, -1), np.arange(n - 1, n - 1 - after, -1)
    return np.concatenate([left, np.arange(n), right])


@op("MirrorPad")
def mirror_pad(input, *, paddings, mode):  # noqa: A002
    """`input` padded with its own values mirrored at each edge (REFLECT or SYMMETRIC)."""
    _check_paddings(paddings, "paddings")
    for (before, after), n in zip(paddings, input.shape):
        if mode == "REFLECT" and (before >= n or after >= n):
            raise KernelError(
                f"paddings must be less than the dimension size: {before}, {after} not less "
                f"than {n}"
            )
        if mode == "SYMMETRIC" and (before > n or after > n):
            raise KernelError(
                f"paddings must be no greater than the dimension size: {before}, {after} "
                f"greater than {n}"
            )
    for axis, (before, after) in enumerate(paddings):
        if before or after:
            index = _mirror_index(input.shape[axis], before, after, mode)
            input = np.take(input, index, axis=axis)
    return input


@mirror_pad.defvjp
def _mirror_pad_vjp(dy, y, x, *, paddings, mode):
    return mirror_pad_grad(dy, paddings=paddings, mode=mode)


@op("MirrorPadGrad")
def mirror_pad_grad(input, *, paddings, mode):  # noqa: A002
    """The gradient of MirrorPad: each padded value added back onto the value it copies."""
    for axis, (before, after) in enumerate(paddings):
        if before or after:
            n = input.shape[axis] - before - after
            index = _mirror_index(n, before, after, mode)
            folded = np.zeros(input.shape[:axis] + (n,) + input.shape[axis + 1 :], input.dtype)
            np.add.at(folded, (np.s_[:],) * axis + (index,), input)
            input = folded
    return input


@mirror_pad_grad.defvjp
def _mirror_pad_grad_vjp(ddx, dx, dy, *, paddings, mode):
    return mirror_pad(ddx, paddings=paddings, mode=mode)


linear_in_input(tile_op, slice_op, reverse_op, transpose_op, pad_op, mirror_pad, mirror_pad_grad)


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """Pads a tensor (`tf.pad`): with `constant_values` (CONSTANT), or with its own values
    mirrored at the edges (REFLECT excludes the edge, SYMMETRIC repeats it)."""
    mode = mode.upper()
    if mode == "CONSTANT":
        zero = not isinstance(constant_values, Tensor) and np.ndim(constant_values) == 0
        op_name = "Pad" if zero and constant_values == np.zeros_like(constant_values) else "PadV2"
    elif mode in ("REFLECT", "SYMMETRIC"):
        op_name = "MirrorPad"
    else:
        raise ValueError(
            'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or '
            f'"SYMMETRIC". Received `mode` = {mode}'
        )
    x = convert_to_tensor(tensor)
    widths = index_array(paddings, op_name)
    if widths.ndim != 2 or widths.shape[1] != 2:
        raise invalid_argument(
            f"paddings must be a matrix with 2 columns: {shape_text(widths.shape)}", op_name
        )
    if widths.shape[0] != x._value.ndim:
        separator = ", " if op_name == "MirrorPad" else " "
        raise invalid_argument(
            f"The first dimension of paddings must be the rank of inputs"
            f"{shape_text(widths.shape)}{separator}{shape_text(x._value.shape)}",
            op_name,
        )
    pairs = tuple(tuple(p) for p in widths.tolist())
    if op_name == "Pad":
        return pad_op(x, paddings=pairs)
    if op_name == "PadV2":
        if isinstance(constant_values, Tensor) and constant_values.dtype != x.dtype:
            raise invalid_argument(
                f"cannot compute PadV2 as input #2(zero-based) was expected to be a "
                f"{x.dtype._type_string} tensor but is a {constant_values.dtype._type_string} "
                "tensor",
                "PadV2",
            )
        return pad_v2(x, constant_values, paddings=pairs)
    return mirror_pad(x, paddings=pairs, mode=mode)


def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    """Repeats each element of `input` `repeats` times (a scalar, or one count per element
    along `axis`); with `axis=None` the input is flattened first (`tf.repeat`)."""
    if axis is None:
        input, axis = reshape_op(input, shape=(-1,)), 0
    if not isinstance(axis, int):
        raise TypeError(
            f"Argument `axis` must be an int. Received `axis` = {axis} of type "
            f"{type(axis).__name__}"
        )
    data = convert_to_tensor(input)
    counts = int_argument(repeats, "repeats")
    if counts.ndim > 1:
        raise ValueError(f"Shape {counts.shape} must have rank at most 1")
    if data._value.ndim == 0:
        data = reshape_op(data, shape=(1,))
    shape = data._value.shape
    rank = len(shape)
    if not -rank <= axis < rank:
        raise ValueError(f"axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
    axis %= rank
    n = shape[axis]
    if counts.size != 1 and counts.size != n:
        raise ValueError(f"Dimensions {n} and {counts.size} are not compatible")
    uniform = counts.size == 1 or n == 0
    # Tile a new axis after `axis` to the largest count, then merge it into `axis`.
    if uniform:
        most = int(counts.reshape(-1)[0]) if counts.size else 0
    else:
        most = max(int(counts.max()), 0)
    multiples = [1] * (rank + 1)
    multiples[axis + 1] = most
    tiled = tile_op(expand_dims_op(data, axis=axis + 1), multiples=tuple(multiples))
    merged = reshape_op(tiled, shape=shape[:axis] + (n * most,) + shape[axis + 1 :])
    if uniform:
        return merged
    # Keep the first count[i] copies of element i: cut the merged axis into alternating
    # kept and dropped runs (negative counts keep none, as in TF).
    kept = [min(max(int(c), 0), most) for c in counts.tolist()]
    runs = tuple(r for c in kept for r in (c, most - c))
    return concat_op(*split_v(merged, size_splits=runs, axis=axis)[::2], axis=axis)
