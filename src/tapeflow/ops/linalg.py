"""Matrix products (`tf.matmul`, `tf.linalg.matvec`, `tf.tensordot`), adjoints and cross
products, each op beside its gradient."""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import FailedPreconditionError
from tapeflow.core.registry import KernelError, TypeList, op
from tapeflow.core.tensor import Tensor
from tapeflow.ops import _types as T
from tapeflow.ops import arrays, shapes
from tapeflow.ops._broadcast import sum_to_shape
from tapeflow.ops._linalg_kernels import compute_dtype, dtype_enum, kernels, no_kernel, shape_text
from tapeflow.ops.elementwise import add, conj


def _t(a: np.ndarray) -> np.ndarray:
    """Swaps the last two axes."""
    return np.swapaxes(a, -1, -2)


def _product(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    wide = compute_dtype(x)
    if wide is None:
        return np.matmul(x, y)
    return np.matmul(x.astype(wide), y.astype(wide)).astype(x.dtype)


# -- matmul -----------------------------------------------------------------------------------

_MATMUL_KERNELS = kernels(
    "INT64 INT32 INT16 DOUBLE FLOAT BFLOAT16 HALF COMPLEX128 COMPLEX64",
    xla="FLOAT DOUBLE INT32 COMPLEX64 INT64 BFLOAT16 COMPLEX128 HALF",
)
_BATCH_MATMUL_KERNELS = kernels(
    "INT64 INT32 INT16 DOUBLE FLOAT BFLOAT16 HALF COMPLEX128 COMPLEX64",
    xla="FLOAT DOUBLE INT32 UINT8 INT16 COMPLEX64 INT64 BFLOAT16 UINT16 COMPLEX128 HALF UINT32 "
    "UINT64",
)


def _flag(value: bool) -> str:
    return "true" if value else "false"


@op("MatMul", dtypes=T.MATMUL)
def _matmul_2d(a, b, *, transpose_a=False, transpose_b=False):
    if a.dtype.kind == "u":
        raise no_kernel(
            "MatMul",
            f"T={dtype_enum(a)}, grad_a=false, grad_b=false, transpose_a={_flag(transpose_a)}, "
            f"transpose_b={_flag(transpose_b)}",
            _MATMUL_KERNELS,
        )
    if a.ndim != 2 or b.ndim != 2:
        if a.ndim != b.ndim:
            raise KernelError(
                f"In[0] and In[1] has different ndims: {shape_text(a.shape)} vs. "
                f"{shape_text(b.shape)}"
            )
        raise KernelError(f"In[0] and In[1] ndims must be == 2: {a.ndim}")
    a2 = a.T if transpose_a else a
    b2 = b.T if transpose_b else b
    if a2.shape[1] != b2.shape[0]:
        raise KernelError(
            f"Matrix size-incompatible: In[0]: {shape_text(a.shape)}, In[1]: {shape_text(b.shape)}"
        )
    return _product(a2, b2)


@_matmul_2d.defvjp
def _matmul_2d_vjp(dy, y, a, b, *, transpose_a, transpose_b, needs):
    # y = A @ B with A = op(a), B = op(b): dA = dy @ Bᴴ, dB = Aᴴ @ dy, then undo op().
    # MatMul's flags are plain transposes, so complex factors are conjugated first (as TF).
    a, b = conj(a), conj(b)
    da = db = None
    if needs[0]:
        if transpose_a:
            da = _matmul_2d(b, dy, transpose_a=transpose_b, transpose_b=True)
        else:
            da = _matmul_2d(dy, b, transpose_b=not transpose_b)
    if needs[1]:
        if transpose_b:
            db = _matmul_2d(dy, a, transpose_a=True, transpose_b=transpose_a)
        else:
            db = _matmul_2d(a, dy, transpose_a=not transpose_a)
    return da, db


@_matmul_2d.defjvp
def _matmul_2d_jvp(tangents, y, a, b, *, transpose_a, transpose_b):
    # d(A B) = dA B + A dB, with the same transposes
    ta, tb = tangents
    flags = {"transpose_a": transpose_a, "transpose_b": transpose_b}
    first = None if ta is None else _matmul_2d(ta, b, **flags)
    second = None if tb is None else _matmul_2d(a, tb, **flags)
    if first is None or second is None:
        return first if second is None else second
    return add(first, second)


def _check_batch_matmul(x, y, adj_x, adj_y) -> None:
    for i, v in enumerate((x, y)):
        if v.ndim < 2:
            raise KernelError(f"In[{i}] ndims must be >= 2: {v.ndim}")
    inner_x = x.shape[-2] if adj_x else x.shape[-1]
    inner_y = y.shape[-1] if adj_y else y.shape[-2]
    if inner_x != inner_y:
        raise KernelError(
            f"Matrix size-incompatible: In[0]: {shape_text(x.shape)}, In[1]: {shape_text(y.shape)}"
        )
    try:
        np.broadcast_shapes(x.shape[:-2], y.shape[:-2])
    except ValueError:
        raise KernelError(
            f"In[0] and In[1] must have compatible batch dimensions: "
            f"{shape_text(x.shape)} vs. {shape_text(y.shape)}"
        ) from None


@op("BatchMatMulV2", dtypes=T.BATCH_MATMUL)
def _batch_matmul(x, y, *, adj_x=False, adj_y=False):
    # The flags transpose without conjugating: callers conjugate complex operands themselves.
    if x.dtype.kind == "u":
        raise no_kernel(
            "BatchMatMulV2",
            f"T={dtype_enum(x)}, adj_x={_flag(adj_x)}, adj_y={_flag(adj_y)}, grad_x=false, "
            "grad_y=false",
            _BATCH_MATMUL_KERNELS,
        )
    _check_batch_matmul(x, y, adj_x, adj_y)
    return _product(_t(x) if adj_x else x, _t(y) if adj_y else y)


@_batch_matmul.defvjp
def _batch_matmul_vjp(dz, z, x, y, *, adj_x, adj_y, needs):
    x, y = conj(x), conj(y)
    dx = dy = None
    if needs[0]:
        if adj_x:
            dx = _batch_matmul(y, dz, adj_x=adj_y, adj_y=True)
        else:
            dx = _batch_matmul(dz, y, adj_y=not adj_y)
        dx = sum_to_shape(dx, x._value.shape)  # batch axes may have broadcast
    if needs[1]:
        if adj_y:
            dy = _batch_matmul(dz, x, adj_x=True, adj_y=adj_x)
        else:
            dy = _batch_matmul(x, dz, adj_x=not adj_x)
        dy = sum_to_shape(dy, y._value.shape)
    return dx, dy


# BatchMatMulV3 (matmul's `output_type`): the (u)int8 products into int32 and bfloat16 times
# (u)int8 that TF's CPU kernels implement, besides the same-dtype products.
_MIXED_PRODUCTS = {
    ("uint8", "bfloat16", "bfloat16"),
    ("int8", "bfloat16", "bfloat16"),
    ("bfloat16", "uint8", "bfloat16"),
    ("bfloat16", "int8", "bfloat16"),
    ("uint8", "uint8", "int32"),
    ("int8", "uint8", "int32"),
    ("uint8", "int8", "int32"),
    ("int8", "int8", "int32"),
}
_SAME_PRODUCTS = {
    "int64",
    "int32",
    "int16",
    "float64",
    "float32",
    "bfloat16",
    "complex128",
    "complex64",
}
_V3_KERNEL_TEXT = (
    "  device='XLA_CPU_JIT'; Tout in [DT_FLOAT, DT_DOUBLE, DT_INT32, DT_INT16, DT_COMPLEX64, "
    "DT_INT64, DT_BFLOAT16, DT_COMPLEX128, DT_HALF]; Tb in [DT_FLOAT, DT_DOUBLE, DT_INT32, "
    "DT_UINT8, DT_INT16, DT_INT8, DT_COMPLEX64, DT_INT64, DT_BFLOAT16, DT_COMPLEX128, DT_HALF]; "
    "Ta in [DT_FLOAT, DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_COMPLEX64, DT_INT64, "
    "DT_BFLOAT16, DT_COMPLEX128, DT_HALF]",
    *(
        f"  device='CPU'; Ta in [{ta}]; Tb in [{tb}]; Tout in [{to}]"
        for ta, tb, to in [
            ("DT_UINT8", "DT_BFLOAT16", "DT_BFLOAT16"),
            ("DT_INT8", "DT_BFLOAT16", "DT_BFLOAT16"),
            ("DT_BFLOAT16", "DT_UINT8", "DT_BFLOAT16"),
            ("DT_BFLOAT16", "DT_INT8", "DT_BFLOAT16"),
            ("DT_UINT8", "DT_UINT8", "DT_INT32"),
            ("DT_INT8", "DT_UINT8", "DT_INT32"),
            ("DT_UINT8", "DT_INT8", "DT_INT32"),
            ("DT_INT8", "DT_INT8", "DT_INT32"),
        ]
    ),
    *(
        f"  device='CPU'; Ta in [DT_{t}]; Tb in [DT_{t}]; Tout in [DT_{t}]"
        for t in "INT64 INT32 INT16 DOUBLE FLOAT BFLOAT16 COMPLEX128 COMPLEX64".split()
    ),
)


@op("BatchMatMulV3", match=())
def _batch_matmul_v3(x, y, *, adj_x=False, adj_y=False, Tout):  # noqa: N803 - TF's attr
    out = np.dtype(Tout)
    names = (x.dtype.name, y.dtype.name, out.name)
    same = names[0] == names[1] == names[2] and names[0] in _SAME_PRODUCTS
    if not same and names not in _MIXED_PRODUCTS:
        node = (
            f"Ta={dtype_enum(x)}, Tb={dtype_enum(y)}, Tout=DT_"
            f"{dtypes.from_numpy(out)._type_string.upper()}, adj_x={_flag(adj_x)}, "
            f"adj_y={_flag(adj_y)}, grad_x=false, grad_y=false"
        )
        raise no_kernel("BatchMatMulV3", node, _V3_KERNEL_TEXT)
    _check_batch_matmul(x, y, adj_x, adj_y)
    wide = np.float32 if out.name == "bfloat16" else out
    product = np.matmul((_t(x) if adj_x else x).astype(wide), (_t(y) if adj_y else y).astype(wide))
    return product.astype(out)


@_batch_matmul_v3.defvjp
def _batch_matmul_v3_vjp(dz, z, x, y, *, adj_x, adj_y, Tout, needs):
    # TF shares BatchMatMulV2's rule; it applies where all three dtypes agree.
    return _batch_matmul_vjp(dz, z, x, y, adj_x=adj_x, adj_y=adj_y, needs=needs)


def _tensor_like(x) -> bool:
    return isinstance(x, Tensor) or hasattr(type(x), "__tf_tensor__")  # variables too


def _operands(a, b) -> tuple:
    """TF converts `a`, then `b` with `a`'s dtype as a hint; a non-tensor `a` next to a tensor
    or variable `b` (the `@` operator with a list on the left) takes `b`'s dtype."""
    if not _tensor_like(a) and _tensor_like(b):
        b = convert_to_tensor(b)
        return convert_to_tensor(a, dtype_hint=b.dtype), b
    a = convert_to_tensor(a)
    return a, convert_to_tensor(b, dtype_hint=a.dtype)


def matmul(
    a,
    b,
    transpose_a=False,
    transpose_b=False,
    adjoint_a=False,
    adjoint_b=False,
    a_is_sparse=False,
    b_is_sparse=False,
    output_type=None,
    grad_a=False,
    grad_b=False,
    name=None,
):
    """Multiplies matrix `a` by matrix `b` (`tf.matmul`), with batch axes for rank > 2."""
    for side, transpose, adjoint in (("a", transpose_a, adjoint_a), ("b", transpose_b, adjoint_b)):
        if transpose and adjoint:
            raise ValueError(
                f"Only one of `transpose_{side}` and `adjoint_{side}` can be True. Received "
                f"`transpose_{side}`={transpose}, `adjoint_{side}`={adjoint}."
            )
    a, b = _operands(a, b)
    v3 = output_type is not None and (
        dtypes.as_dtype(output_type) != a.dtype or dtypes.as_dtype(output_type) != b.dtype
    )
    # The kernels' flags transpose; an adjoint is the transpose of the conjugate.
    if adjoint_a:
        a, transpose_a = conj(a), True
    if adjoint_b:
        b, transpose_b = conj(b), True
    if v3:
        return _batch_matmul_v3(
            a, b, adj_x=transpose_a, adj_y=transpose_b, Tout=dtypes.as_dtype(output_type)._np
        )
    if a._value.ndim > 2 or b._value.ndim > 2:
        return _batch_matmul(a, b, adj_x=transpose_a, adj_y=transpose_b)
    return _matmul_2d(a, b, transpose_a=transpose_a, transpose_b=transpose_b)


def matvec(
    a,
    b,
    transpose_a=False,
    adjoint_a=False,
    a_is_sparse=False,
    b_is_sparse=False,
    name=None,
):
    """Multiplies matrix `a` by vector `b` (`tf.linalg.matvec`): `matmul` with `b` as a column."""
    a = convert_to_tensor(a)
    b = convert_to_tensor(b, dtype_hint=a.dtype)
    column = matmul(a, shapes.expand_dims(b, -1), transpose_a=transpose_a, adjoint_a=adjoint_a)
    return shapes.squeeze(column, axis=-1)


def adjoint(matrix, name=None):
    """The conjugate transpose of the inner-most matrices (`tf.linalg.adjoint`)."""
    return arrays.matrix_transpose(matrix, conjugate=True)


def _tensordot_axes(a: Tensor, axes) -> tuple:
    """TF's reading of `axes`: N (the last N axes of `a`, the first N of `b`) or two lists."""
    if _tensor_like(axes):
        axes = convert_to_tensor(axes, dtype=dtypes.int32)._value.tolist()
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {axes}.")
        rank = a._value.ndim
        if axes > rank:
            raise ValueError(
                f"`axes` must not be larger than the number of dimensions of tensor {a}.  "
                f"Received {axes}, vs tensor dimensions {rank}."
            )
        return list(range(rank - axes, rank)), list(range(axes))
    if isinstance(axes, (list, tuple)):
        if len(axes) != 2:
            raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
        a_axes, b_axes = axes
        if isinstance(a_axes, (int, np.integer)) and isinstance(b_axes, (int, np.integer)):
            a_axes, b_axes = [a_axes], [b_axes]
        if len(a_axes) != len(b_axes):
            raise ValueError(
                f"Different number of contraction axes `a` and `b`, {len(a_axes)} != {len(b_axes)}."
            )
        return list(a_axes), list(b_axes)
    raise TypeError(f"Cannot convert {axes!r} to EagerTensor of dtype int32")


def _as_matrix(x: Tensor, axes: list, contracted_first: bool):
    """`x` transposed so the contracted axes come last (first for the right operand), and
    reshaped to a matrix; also returns the sizes of the free axes."""
    shape = list(x._value.shape)
    axes = [i if i >= 0 else i + len(shape) for i in axes]
    free = [i for i in range(len(shape)) if i not in axes]
    free_dims = [shape[i] for i in free]  # an axis past the rank fails here, as in TF
    free_size = int(np.prod(free_dims))
    axes_size = int(np.prod([shape[i] for i in axes]))
    perm = axes + free if contracted_first else free + axes
    if perm != list(range(len(shape))):
        x = arrays.transpose(x, perm)
    matrix_shape = (axes_size, free_size) if contracted_first else (free_size, axes_size)
    if x._value.shape != matrix_shape:
        x = shapes.reshape(x, matrix_shape)
    return x, free_dims


def tensordot(a, b, axes, name=None):
    """Tensor contraction of `a` and `b` along the given axes (`tf.tensordot`), as a matrix
    product of transposed and reshaped operands (TF's construction)."""
    a = convert_to_tensor(a)
    b = convert_to_tensor(b)
    a_axes, b_axes = _tensordot_axes(a, axes)
    a_matrix, a_free = _as_matrix(a, a_axes, contracted_first=False)
    b_matrix, b_free = _as_matrix(b, b_axes, contracted_first=True)
    product = matmul(a_matrix, b_matrix)
    if list(product._value.shape) == a_free + b_free:
        return product
    return shapes.reshape(product, a_free + b_free)


# -- cross products ---------------------------------------------------------------------------

_CROSS = TypeList(
    *T.REAL_NUMBERS,
    signature="a:T, b:T -> product:T",
)


@op("Cross", dtypes=_CROSS)
def cross(a, b):
    """The pairwise cross product of 3-element vectors (`tf.linalg.cross`)."""
    if a.shape != b.shape:
        raise KernelError(
            f"Both inputs must be of same shape: {shape_text(a.shape)} vs. {shape_text(b.shape)}"
        )
    if a.ndim < 1:
        raise KernelError("Input must be at least 1D" + shape_text(a.shape))
    if a.shape[-1] != 3:
        raise KernelError(
            "Cross-products are only defined for 3-element vectors.", FailedPreconditionError
        )
    return np.cross(a, b)


@cross.defvjp
def _cross_vjp(dy, y, a, b, *, needs):
    # d(a × b) = da × b + a × db; the adjoints of u ↦ u × b and v ↦ a × v.
    return (cross(b, dy) if needs[0] else None), (cross(dy, a) if needs[1] else None)
