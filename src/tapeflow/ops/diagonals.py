"""Diagonals and bands of (batches of) matrices: `tf.linalg.diag`, `diag_part`, `set_diag`,
`band_part`, `tf.eye` and `tf.linalg.trace`, each op beside its gradient."""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import KernelError, op
from tapeflow.core.tensor import Tensor
from tapeflow.ops import creation, reductions
from tapeflow.ops._linalg_kernels import shape_text

_ALIGNS = ("LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT")
_SIGNATURES = {
    "MatrixDiagV3": "diagonal:T, k:int32, num_rows:int32, num_cols:int32, padding_value:T -> "
    "output:T",
    "MatrixDiagPartV3": "input:T, k:int32, padding_value:T -> diagonal:T",
    "MatrixSetDiagV3": "input:T, diagonal:T, k:int32 -> output:T",
}


def _check_align(align: str, op_name: str) -> None:
    if align not in _ALIGNS:
        allowed = ", ".join(f'"{a}"' for a in _ALIGNS)
        raise KernelError(
            f"Value for attr 'align' of \"{align}\" is not in the list of allowed values: "
            f"{allowed}\n\t; NodeDef: {{{{node {op_name}}}}}; Op<name={op_name}; signature="
            f'{_SIGNATURES[op_name]}; attr=T:type; attr=align:string,default="RIGHT_LEFT",'
            f"allowed=[{allowed}]>"
        )


def _check_k(k: tuple) -> tuple:
    if len(k) not in (1, 2):
        raise KernelError(
            f"diag_index must have only one or two elements, received {len(k)} elements."
        )
    lower, upper = k[0], k[-1]
    if lower > upper:
        raise KernelError(
            f"lower_diag_index must not be larger than upper_diag_index: {lower} > {upper}"
        )
    return lower, upper


def _diagonal_length(d: int, rows: int, cols: int) -> int:
    return min(rows + min(0, d), cols - max(0, d))


def _offset(d: int, align: str, max_len: int, rows: int, cols: int) -> int:
    """Where diagonal d starts in its packed row: superdiagonals (and the main diagonal) follow
    the first half of `align`, subdiagonals the second; a RIGHT alignment pads on the left."""
    side = align.split("_")[0 if d >= 0 else 1]
    return max_len - _diagonal_length(d, rows, cols) if side == "RIGHT" else 0


def _diagonal_places(k: tuple, rows: int, cols: int, max_len: int, align: str):
    """For each diagonal d in the band k: its packed row, its positions there, and the matrix
    rows and columns they hold."""
    lower, upper = k
    for d in range(lower, upper + 1):
        n = max(_diagonal_length(d, rows, cols), 0)
        index = np.arange(n)
        offset = _offset(d, align, max_len, rows, cols)
        yield upper - d, offset + index, index + max(-d, 0), index + max(d, 0)


def _packed(diagonal: np.ndarray, k: tuple, row: int):
    """Diagonal `row` of a packed array (a band has a diagonal axis, a single k has none)."""
    return diagonal[..., row, :] if k[0] != k[1] else diagonal


@op("MatrixDiagV3", match=())
def matrix_diag_op(
    diagonal, *, k=(0, 0), num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"
):
    """A batch of matrices with the given diagonals (`k` a band of diagonals, lower first)."""
    _check_align(align, "MatrixDiagV3")
    lower, upper = k = _check_k(k)
    if diagonal.ndim < 1:
        raise KernelError(
            f"diagonal must be at least 1-dim, received shape: {shape_text(diagonal.shape)}"
        )
    if lower != upper and (diagonal.ndim < 2 or diagonal.shape[-2] != upper - lower + 1):
        raise KernelError(
            "The number of diagonals provided in the input does not match the "
            "lower_diag_index and upper_diag_index range."
        )
    max_len = diagonal.shape[-1]
    min_rows, min_cols = max_len - min(upper, 0), max_len + max(lower, 0)
    if num_rows == -1 and num_cols == -1:
        num_rows = num_cols = max(min_rows, min_cols)
    elif num_rows == -1:
        num_rows = min_rows
    elif num_cols == -1:
        num_cols = min_cols
    if num_rows < min_rows:
        raise KernelError("The number of rows is too small.")
    if num_cols < min_cols:
        raise KernelError("The number of columns is too small.")
    if num_rows != min_rows and num_cols != min_cols:
        raise KernelError(
            "The number of rows or columns is not consistent with the specified d_lower, "
            "d_upper, and diagonal."
        )
    batch = diagonal.shape[: -1 if lower == upper else -2]
    out = np.full(batch + (num_rows, num_cols), padding_value, dtype=diagonal.dtype)
    for row, place, i, j in _diagonal_places(k, num_rows, num_cols, max_len, align):
        out[..., i, j] = _packed(diagonal, k, row)[..., place]
    return out


@matrix_diag_op.defvjp
def _matrix_diag_vjp(dy, y, diagonal, *, k, num_rows, num_cols, padding_value, align):
    return matrix_diag_part_op(dy, k=k, align=align)


def _check_rank(x: np.ndarray) -> None:
    if x.ndim < 2:
        raise KernelError(f"input must be at least 2-dim, received shape: {shape_text(x.shape)}")


def _band_of(x: np.ndarray, k: tuple, align: str, op_name: str) -> tuple:
    """The checked band `k` of the matrices `x`, their size, the length of the packed
    diagonals and the shape of the packed array."""
    _check_align(align, op_name)
    _check_rank(x)
    rows, cols = x.shape[-2:]
    lower, upper = k = _check_k(k)
    for name, d in (("lower", lower), ("upper", upper)):
        if not (-rows < d < cols or d == 0):
            raise KernelError(
                f"{name}_diag_index is out of bound: {d}. It must be between {-rows} and {cols}"
            )
    max_len = max(min(rows + min(upper, 0), cols - max(lower, 0)), 0)
    band = () if lower == upper else (upper - lower + 1,)
    return k, rows, cols, max_len, x.shape[:-2] + band + (max_len,)


@op("MatrixDiagPartV3", match=())
def matrix_diag_part_op(x, *, k=(0, 0), padding_value=0, align="RIGHT_LEFT"):
    """The diagonals `k` of a batch of matrices, packed and padded."""
    k, rows, cols, max_len, packed_shape = _band_of(x, k, align, "MatrixDiagPartV3")
    out = np.full(packed_shape, padding_value, dtype=x.dtype)
    for row, place, i, j in _diagonal_places(k, rows, cols, max_len, align):
        _packed(out, k, row)[..., place] = x[..., i, j]
    return out


@matrix_diag_part_op.defvjp
def _matrix_diag_part_vjp(dy, y, x, *, k, padding_value, align):
    rows, cols = x._value.shape[-2:]
    return matrix_diag_op(dy, k=k, num_rows=rows, num_cols=cols, align=align)


@op("MatrixSetDiagV3")
def matrix_set_diag_op(x, diagonal, *, k=(0, 0), align="RIGHT_LEFT"):
    """The matrices `x` with their diagonals `k` replaced."""
    k, rows, cols, max_len, expected = _band_of(x, k, align, "MatrixSetDiagV3")
    if diagonal.shape != expected:
        raise KernelError(
            "Either first dimensions of diagonal don't match input.shape[:-2], or "
            "diagonal.shape[:-1] is not equal to the longests diagonal in range "
            f"[lower_diag_index:upper_diag_index].\nInput shape: {shape_text(x.shape)}\n"
            f"Diagonal shape: {shape_text(diagonal.shape)}\n"
            f"Expected diagonal shape: {shape_text(expected)}"
        )
    out = x.copy()
    for row, place, i, j in _diagonal_places(k, rows, cols, max_len, align):
        out[..., i, j] = _packed(diagonal, k, row)[..., place]
    return out


@matrix_set_diag_op.defvjp
def _matrix_set_diag_vjp(dy, y, x, diagonal, *, k, align, needs):
    dx = ddiagonal = None
    if needs[0]:
        zeros = creation.zeros_like(diagonal)
        dx = matrix_set_diag_op(dy, zeros, k=k, align=align)
    if needs[1]:
        ddiagonal = matrix_diag_part_op(dy, k=k, align=align)
    return dx, ddiagonal


@op("MatrixBandPart", match=())
def matrix_band_part_op(x, *, num_lower, num_upper):
    """Keeps `num_lower` subdiagonals and `num_upper` superdiagonals (negative: all)."""
    _check_rank(x)
    rows, cols = x.shape[-2:]
    if num_lower > rows:
        raise KernelError(
            f"num_lower must be negative or less or equal to number of rows ({rows}) got: "
            f"{num_lower}"
        )
    if num_upper > cols:
        raise KernelError(
            f"num_upper must be negative or less or equal to number of columns ({cols}) got: "
            f"{num_upper}"
        )
    offset = np.arange(cols)[None, :] - np.arange(rows)[:, None]  # j - i
    keep = np.ones((rows, cols), dtype=bool)
    if num_lower >= 0:
        keep &= -offset <= num_lower
    if num_upper >= 0:
        keep &= offset <= num_upper
    return np.where(keep, x, np.zeros((), dtype=x.dtype))


@matrix_band_part_op.defvjp
def _matrix_band_part_vjp(dy, y, x, *, num_lower, num_upper):
    return matrix_band_part_op(dy, num_lower=num_lower, num_upper=num_upper)


# -- public functions -------------------------------------------------------------------------


def _k(k) -> tuple:
    if isinstance(k, Tensor) or hasattr(type(k), "__tf_tensor__"):
        k = convert_to_tensor(k)._value.tolist()
    k = tuple(np.ravel(k).tolist())
    return (k[0], k[0]) if len(k) == 1 else k


def _padding(padding_value, x: Tensor):
    """The padding as a scalar of `x`'s dtype (TF converts it to that dtype)."""
    return convert_to_tensor(padding_value, dtype=x.dtype)._value


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    """A batched diagonal matrix with the given diagonal values (`tf.linalg.diag`)."""
    if getattr(diagonal, "dtype", None) == dtypes.bool:  # TF's special case for bool tensors
        padding_value = bool(padding_value)
    diagonal = convert_to_tensor(diagonal)
    return matrix_diag_op(
        diagonal,
        k=_k(k),
        num_rows=int(num_rows),
        num_cols=int(num_cols),
        padding_value=_padding(padding_value, diagonal),
        align=align,
    )


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):  # noqa: A002
    """The batched diagonal part of a batched tensor (`tf.linalg.diag_part`)."""
    x = convert_to_tensor(input)
    return matrix_diag_part_op(x, k=_k(k), padding_value=_padding(padding_value, x), align=align)


def set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):  # noqa: A002
    """Returns a batched matrix tensor with new batched diagonal values (`tf.linalg.set_diag`)."""
    return matrix_set_diag_op(input, diagonal, k=_k(k), align=align)


def _band_width(value) -> int:
    return int(convert_to_tensor(value, dtype=dtypes.int64)._value)


def band_part(input, num_lower, num_upper, name=None):  # noqa: A002 - TF's argument name
    """Copies a tensor, setting everything outside a central band to zero
    (`tf.linalg.band_part`)."""
    return matrix_band_part_op(
        input, num_lower=_band_width(num_lower), num_upper=_band_width(num_upper)
    )


def trace(x, name=None):
    """The sum along the main diagonal of each inner-most matrix (`tf.linalg.trace`)."""
    return reductions.reduce_sum(diag_part(x), [-1])


def _eye_size(value):
    if isinstance(value, Tensor) or hasattr(type(value), "__tf_tensor__"):
        return int(convert_to_tensor(value)._value)
    return value


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """An identity matrix, or a batch of them (`tf.eye`)."""
    num_rows = _eye_size(num_rows)
    num_columns = num_rows if num_columns is None else _eye_size(num_columns)
    if not isinstance(num_rows, (int, np.integer)) or not isinstance(
        num_columns, (int, np.integer)
    ):
        raise TypeError(
            "Arguments `num_rows` and `num_columns` must be positive integer values. "
            f"Received: num_rows={num_rows}, num_columns={num_columns}"
        )
    batch = [] if batch_shape is None else list(batch_shape)
    ones = creation.ones(batch + [min(num_rows, num_columns)], dtype=dtype)
    if num_rows == num_columns:
        return diag(ones)
    zeros = creation.zeros(batch + [num_rows, num_columns], dtype=dtype)
    return set_diag(zeros, ones)
