"""Samples for ops/elementwise.py."""

import numpy as np

from samples import sample

rng = np.random.default_rng(1)


def normal(*shape):
    return rng.standard_normal(shape)


def positive(*shape, low=0.5, high=2.0):
    return rng.uniform(low, high, shape)


def cplx(*shape):
    return normal(*shape) + 1j * normal(*shape)


SAMPLES = {
    "AddV2": [
        sample(normal(3), normal(3)),
        sample(normal(2, 3), normal(3)),
        sample(normal(2, 1), normal(1, 3)),
        sample(cplx(2), cplx(2)),
    ],
    "Sub": [sample(normal(3), normal(3)), sample(normal(2, 3), normal(1, 3))],
    "Mul": [
        sample(normal(3), normal(3)),
        sample(normal(2, 3), normal(3)),
        sample(normal(), normal(4)),
        sample(cplx(3), cplx(3)),
    ],
    "RealDiv": [
        sample(normal(3), positive(3)),
        sample(normal(2, 3), positive(3)),
        sample(cplx(2), cplx(2)),
    ],
    "DivNoNan": [sample(normal(3), positive(3)), sample(normal(2, 2), positive(2))],
    "FloorDiv": [sample(normal(3), positive(3))],
    "FloorMod": [sample(np.array([0.3, 1.7, -2.2]), np.array([1.1, 0.9, 1.3]))],
    "Pow": [
        sample(positive(3), normal(3)),
        sample(positive(2, 2), np.array(2.5)),
        sample(cplx(2) + 3, cplx(2) * 0.3),
    ],
    "Neg": [sample(normal(3)), sample(cplx(2))],
    "Abs": [sample(np.array([-1.5, 0.7, 2.0]))],
    "ComplexAbs": [sample(cplx(3))],
    "Sign": [sample(np.array([-1.5, 0.7, 2.0]))],
    "Square": [sample(normal(3)), sample(cplx(2))],
    "Sqrt": [sample(positive(3)), sample(cplx(2) + 3)],
    "SqrtGrad": [sample(positive(3), normal(3))],
    "Reciprocal": [sample(positive(3)), sample(-positive(2)), sample(cplx(2))],
    "ReciprocalGrad": [sample(positive(3), normal(3))],
    "Exp": [sample(normal(3)), sample(cplx(2))],
    "Log": [sample(positive(3, low=0.1, high=4.0)), sample(cplx(2) + 3)],
    "Sin": [sample(normal(3)), sample(cplx(2))],
    "Cos": [sample(normal(3)), sample(cplx(2))],
    "Tanh": [sample(normal(3)), sample(cplx(2) * 0.5)],
    "TanhGrad": [sample(normal(3) * 0.5, normal(3))],
    "Sigmoid": [sample(normal(3)), sample(cplx(2) * 0.5)],
    "SigmoidGrad": [sample(normal(3) * 0.5, normal(3))],
    "Conj": [sample(cplx(3))],
    "Real": [sample(cplx(3))],
    "Imag": [sample(cplx(3))],
    "Complex": [sample(normal(3), normal(3)), sample(normal(2, 3), normal(3))],
    # (float64 -> float32 cannot be checked by float64 differences: tests/test_ops_core.py)
    "Cast": [
        sample(normal(3), dtype=np.dtype(np.complex128)),
        sample(cplx(2), dtype=np.dtype(np.float64)),
        sample(normal(3), dtype=np.dtype(np.int32)),
    ],
    "Less": [sample(normal(3), normal(3))],
    "LessEqual": [sample(normal(3), normal(3))],
    "Greater": [sample(normal(3), normal(3))],
    "GreaterEqual": [sample(normal(3), normal(3))],
    "Equal": [sample(normal(3), normal(3))],
    "NotEqual": [sample(normal(3), normal(3))],
    "LogicalAnd": [sample(np.array([True, False]), np.array([True, True]))],
    "LogicalOr": [sample(np.array([True, False]), np.array([False, False]))],
    "LogicalNot": [sample(np.array([True, False]))],
    "BitwiseAnd": [sample(np.array([3, 5]), np.array([1, 4]))],
    "BitwiseOr": [sample(np.array([3, 5]), np.array([1, 4]))],
    "BitwiseXor": [sample(np.array([3, 5]), np.array([1, 4]))],
    "Invert": [sample(np.array([3, 5]))],
    "SelectV2": [
        sample(np.array([True, False, True]), normal(3), normal(3)),
        sample(np.array([[True], [False]]), normal(2, 3), normal(3)),
    ],
}
