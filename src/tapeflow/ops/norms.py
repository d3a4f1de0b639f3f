"""Vector and matrix norms (`tf.norm`, `tf.linalg.normalize`), composed of reductions as TF
composes them, so gradients at kinks follow TF: NaN at the zero vector for the Euclidean norm,
`sign(x)` for ord=1, ties split equally for the infinity norm (spec §12.3)."""

from __future__ import annotations

import numpy as np

from tapeflow.core.convert import convert_to_tensor
from tapeflow.ops import arrays, reductions, shapes
from tapeflow.ops.decompositions import svd
from tapeflow.ops.elementwise import abs, cast, conj, divide, multiply, pow, sqrt

_MATRIX_NORMS = ["euclidean", "fro", 1, 2, np.inf]
_VECTOR_NORMS = ["euclidean", 1, 2, np.inf]


def _is_int(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _check(ord, axis) -> tuple:  # noqa: A002 - TF's argument name
    """TF's validation of `ord` and `axis`: returns whether this is a matrix norm and the
    axes (a tuple, or None for all)."""
    if isinstance(axis, (list, tuple)) and len(axis) == 2:
        axis = tuple(axis)
        if not _is_int(axis[0]) or not _is_int(axis[1]) or axis[0] == axis[1]:
            raise ValueError(
                f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}"
            )
        if ord not in _MATRIX_NORMS:
            raise ValueError(f"'ord' must be a supported matrix norm in {_MATRIX_NORMS}, got {ord}")
        return True, axis
    if not (_is_int(axis) or axis is None):
        raise ValueError(
            f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}"
        )
    real_positive = not isinstance(ord, str) and np.isreal(ord) and ord > 0
    if not real_positive and ord not in _VECTOR_NORMS:
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    return False, None if axis is None else (axis,)


def _spectral_norm(tensor, axis: tuple):
    """The largest singular value over the two `axis` (kept as size-1 axes): the axes are
    moved last for the SVD, then moved back."""
    rank = tensor._value.ndim
    positive = [a + rank if a < 0 else a for a in axis]
    perm_before = [a for a in range(rank) if a not in positive] + positive
    perm_after = [perm_before.index(a) for a in range(rank)]
    singular = svd(arrays.transpose(tensor, perm_before), compute_uv=False)
    largest = reductions.reduce_max(abs(singular), axis=-1, keepdims=True)
    return arrays.transpose(shapes.expand_dims(largest, -1), perm_after)


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002
    """Vector norms (the p-norms, p > 0) and matrix norms (Frobenius, 1, 2, infinity) of
    tensors (`tf.norm`); `axis` None for the whole tensor, an int for vectors, two ints for
    matrices."""
    is_matrix, axis = _check(ord, axis)
    tensor = convert_to_tensor(tensor)
    if ord in ("fro", "euclidean", 2, 2.0):
        if is_matrix and ord in (2, 2.0):
            result = _spectral_norm(tensor, axis)
        else:
            squares = multiply(tensor, conj(tensor))
            result = sqrt(reductions.reduce_sum(squares, axis, keepdims=True))
    else:
        result = abs(tensor)
        if ord == 1:
            result = reductions.reduce_sum(result, None if axis is None else axis[0], True)
            if is_matrix:
                result = reductions.reduce_max(result, axis[-1], keepdims=True)
        elif ord == np.inf:
            if is_matrix:
                result = reductions.reduce_sum(result, axis[1], keepdims=True)
            result = reductions.reduce_max(result, None if axis is None else axis[0], True)
        else:
            total = reductions.reduce_sum(pow(result, ord), axis, keepdims=True)
            result = pow(total, 1.0 / ord)
    if not keepdims:
        result = shapes.squeeze(result, axis)
    return result


def normalize(tensor, ord="euclidean", axis=None, name=None):  # noqa: A002
    """`tensor` divided by its norm, and the norm (`tf.linalg.normalize`)."""
    tensor = convert_to_tensor(tensor)
    size = cast(norm(tensor, ord, axis, keepdims=True), tensor.dtype)
    return divide(tensor, size), size
