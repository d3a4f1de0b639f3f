"""Samples for the linear-algebra ops (ops/linalg.py, einsum.py, diagonals.py, solvers.py,
decompositions.py, matrix_functions.py): well-conditioned inputs, away from the places where
the gradients are undefined (repeated eigen- or singular values, singular matrices)."""

import numpy as np

from samples import sample

rng = np.random.default_rng(4)


def normal(*shape):
    return rng.standard_normal(shape)


def cplx(*shape):
    return normal(*shape) + 1j * normal(*shape)


def well_conditioned(*shape):
    """Matrices near 3·I: invertible, with distinct singular values."""
    n = shape[-1]
    return 3 * np.eye(n) + 0.5 * normal(*shape) + np.diag(np.linspace(0, 1, n))


def spd(*shape, complex_=False):
    """Symmetric (Hermitian) positive-definite matrices with distinct eigenvalues."""
    a = cplx(*shape) if complex_ else normal(*shape)
    n = shape[-1]
    return a @ np.conj(np.swapaxes(a, -1, -2)) / n + np.diag(np.arange(1.0, n + 1))


def lower(*shape):
    return np.tril(well_conditioned(*shape))


SAMPLES = {
    "MatMul": [
        sample(normal(2, 3), normal(3, 4)),
        sample(normal(3, 2), normal(3, 4), transpose_a=True),
        sample(normal(2, 3), normal(4, 3), transpose_b=True),
        sample(normal(3, 2), normal(4, 3), transpose_a=True, transpose_b=True),
        sample(cplx(2, 2), cplx(2, 2)),
    ],
    "BatchMatMulV2": [
        sample(normal(2, 2, 3), normal(2, 3, 2)),
        sample(normal(2, 2, 3), normal(3, 2)),
        sample(normal(2, 3, 2), normal(1, 2, 2, 3), adj_x=True, adj_y=True),
    ],
    "BatchMatMulV3": [
        sample(normal(2, 2, 3), normal(3, 2), Tout=np.dtype(np.float64)),
    ],
    "Cross": [sample(normal(3), normal(3)), sample(normal(2, 3), normal(2, 3))],
    "Einsum": [
        sample(normal(2, 3), normal(3, 4), equation="ij,jk->ik"),
        sample(normal(3, 3), equation="ii->i"),
        sample(normal(2, 3, 2, 3), equation="bxby->bxy"),
        sample(normal(3), equation="i->ii"),
        sample(normal(2, 3, 4), equation="abc->ca"),
        sample(normal(2, 1, 2, 3), normal(5, 3, 4), equation="...ij,...jk->...ik"),
        sample(normal(2, 3, 4), normal(4, 5), equation="abc,cd->ad"),
        sample(cplx(2, 3), cplx(4, 3), equation="ij,kj->ik"),
    ],
    "MatrixDiagV3": [
        sample(normal(2, 3)),
        sample(normal(2, 3), k=(-1, 0), num_rows=3, num_cols=4, align="LEFT_RIGHT"),
    ],
    "MatrixDiagPartV3": [sample(normal(3, 4)), sample(normal(2, 3, 3), k=(-1, 1))],
    "MatrixSetDiagV3": [
        sample(normal(2, 3), normal(2)),
        sample(normal(3, 3), normal(2, 3), k=(0, 1)),
    ],
    "MatrixBandPart": [
        sample(normal(3, 4), num_lower=1, num_upper=0),
        sample(normal(2, 3, 3), num_lower=-1, num_upper=1),
    ],
    "MatrixInverse": [
        sample(well_conditioned(3, 3)),
        sample(well_conditioned(2, 3, 3), adjoint=True),
        sample(cplx(2, 2) + 3 * np.eye(2)),
    ],
    # Complex determinants are left out: TF's rule multiplies by det, not its conjugate
    # (tests/test_ops_linalg.py checks that value against TF's).
    "MatrixDeterminant": [sample(well_conditioned(3, 3)), sample(well_conditioned(2, 2, 2))],
    # Real matrices only: TF's rule ignores the sign output, whose derivative vanishes for
    # real matrices but not for complex ones.
    "LogMatrixDeterminant": [sample(well_conditioned(3, 3)), sample(-well_conditioned(2, 3, 3))],
    "MatrixSolve": [
        sample(well_conditioned(3, 3), normal(3, 2)),
        sample(well_conditioned(2, 3, 3), normal(2, 3, 1), adjoint=True),
        sample(cplx(2, 2) + 3 * np.eye(2), cplx(2, 1)),
    ],
    "MatrixTriangularSolve": [
        sample(lower(3, 3), normal(3, 2)),
        sample(np.swapaxes(lower(2, 3, 3), -1, -2), normal(3, 1), lower=False),
        sample(lower(3, 3), normal(2, 3, 2), adjoint=True),
    ],
    # TF's rule symmetrizes (it assumes symmetric perturbations) while the op reads the lower
    # triangle, so only 1×1 matrices can be checked element by element here; larger ones are
    # checked through a symmetrization in tests/test_ops_linalg.py.
    "Cholesky": [sample(np.array([[2.0]])), sample(np.array([[[1.5]], [[3.0]]]))],
    "Qr": [
        sample(normal(4, 3)),
        sample(normal(3, 3)),
        sample(normal(2, 4)),
        sample(normal(3, 3), full_matrices=True),
        sample(cplx(3, 2)),
    ],
    "Svd": [
        sample(normal(3, 2)),
        sample(normal(2, 3)),
        sample(normal(3, 3), compute_uv=False),
        sample(normal(2, 3), full_matrices=True),
    ],
    "SelfAdjointEigV2": [sample(spd(3, 3)), sample(spd(2, 3, 3), compute_v=False)],
    "MatrixSolveLs": [
        sample(normal(4, 3) + 3 * np.eye(4, 3), normal(4, 2)),
        sample(normal(2, 3), normal(2, 1), l2_regularizer=0.5),
        sample(cplx(3, 2), cplx(3, 1)),
    ],
    "MatrixExponential": [sample(0.5 * normal(3, 3)), sample(0.3 * cplx(2, 2))],
}
