"""The `tf.linalg` namespace: re-exports only."""

from tapeflow.ops.arrays import matrix_transpose
from tapeflow.ops.clipping import global_norm
from tapeflow.ops.decompositions import eigh, eigvalsh, pinv, qr, svd
from tapeflow.ops.diagonals import band_part, diag, diag_part, eye, set_diag, trace
from tapeflow.ops.einsum import einsum
from tapeflow.ops.linalg import adjoint, cross, matmul, matvec, tensordot
from tapeflow.ops.matrix_functions import expm, logdet, lstsq
from tapeflow.ops.nn import l2_normalize
from tapeflow.ops.norms import norm, normalize
from tapeflow.ops.solvers import cholesky, cholesky_solve, det, inv, slogdet, solve
from tapeflow.ops.solvers import triangular_solve

__all__ = [
    "adjoint",
    "band_part",
    "cholesky",
    "cholesky_solve",
    "cross",
    "det",
    "diag",
    "diag_part",
    "eigh",
    "eigvalsh",
    "einsum",
    "expm",
    "eye",
    "global_norm",
    "inv",
    "l2_normalize",
    "logdet",
    "lstsq",
    "matmul",
    "matrix_transpose",
    "matvec",
    "norm",
    "normalize",
    "pinv",
    "qr",
    "set_diag",
    "slogdet",
    "solve",
    "svd",
    "tensordot",
    "trace",
    "triangular_solve",
]
