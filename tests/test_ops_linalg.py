"""tf.linalg, tf.einsum, tf.tensordot, tf.eye, tf.norm: values, TF's messages and quirks, and
hand-derived gradients (every op's rule is also checked by test_registry_gradients.py)."""

import numpy as np
import pytest

import tapeflow as tf

rng = np.random.default_rng(7)
f64 = tf.float64


def grad(f, *xs):
    xs = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = f(*xs)
    grads = tape.gradient(y, xs)
    return grads[0] if len(grads) == 1 else grads


def second(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        g = inner.gradient(y, x)
    return g, outer.gradient(g, x)


def raises(error, message, f):
    with pytest.raises(error) as info:
        f()
    assert str(info.value) == message


SPD = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
A = np.array([[3.0, 1.0, 0.0], [0.5, 2.0, 1.0], [0.0, -1.0, 4.0]])


# -- namespaces -------------------------------------------------------------------------------


def test_aliases_are_the_same_objects():
    assert tf.linalg.matmul is tf.matmul
    assert tf.linalg.norm is tf.norm
    assert tf.linalg.eye is tf.eye
    assert tf.linalg.einsum is tf.einsum
    assert tf.linalg.tensordot is tf.tensordot
    assert not hasattr(tf.linalg, "transpose")  # as in TF: tf.transpose or matrix_transpose


# -- matmul -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, message",
    [
        ([3], [3], "In[0] and In[1] ndims must be == 2: 1 [Op:MatMul]"),
        ([3], [3, 2], "In[0] and In[1] has different ndims: [3] vs. [3,2] [Op:MatMul]"),
        ([2, 3], [3], "In[0] and In[1] has different ndims: [2,3] vs. [3] [Op:MatMul]"),
        ([2, 2, 3], [3], "In[1] ndims must be >= 2: 1 [Op:BatchMatMulV2]"),
        ([2, 3], [2, 3], "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3] [Op:MatMul]"),
        (
            [4, 2, 3],
            [2, 3, 2],
            "In[0] and In[1] must have compatible batch dimensions: [4,2,3] vs. [2,3,2] "
            "[Op:BatchMatMulV2]",
        ),
    ],
)
def test_matmul_shape_errors_are_tfs(a, b, message):
    raises(tf.errors.InvalidArgumentError, message, lambda: tf.matmul(tf.ones(a), tf.ones(b)))


def test_matmul_batch_axes_broadcast_and_their_gradients_sum():
    a, b = rng.standard_normal((4, 1, 2, 3)), rng.standard_normal((5, 3, 2))
    assert tf.matmul(a, b).shape == (4, 5, 2, 2)
    da, db = grad(lambda a, b: tf.matmul(a, b), a, b)
    dz = np.ones((4, 5, 2, 2))
    np.testing.assert_allclose(da, (dz @ np.swapaxes(b, -1, -2)).sum(1, keepdims=True))
    np.testing.assert_allclose(db, (np.swapaxes(a, -1, -2) @ dz).sum(0))


def test_matmul_adjoint_conjugates():
    a = np.array([[1 + 2j, 3j], [1, 2]])
    np.testing.assert_allclose(tf.matmul(a, a, adjoint_a=True), a.conj().T @ a)
    np.testing.assert_allclose(tf.matmul(a, a, adjoint_b=True), a @ a.conj().T)
    np.testing.assert_allclose(tf.matmul(a, a, transpose_b=True), a @ a.T)
    batch = np.stack([a, 2 * a])
    np.testing.assert_allclose(
        tf.matmul(batch, batch, transpose_a=True), np.swapaxes(batch, 1, 2) @ batch
    )
    raises(
        ValueError,
        "Only one of `transpose_a` and `adjoint_a` can be True. Received `transpose_a`=True, "
        "`adjoint_a`=True.",
        lambda: tf.matmul(a, a, transpose_a=True, adjoint_a=True),
    )


def test_matmul_dtypes():
    ints = tf.constant([[1, 2], [3, 4]])
    assert tf.matmul(ints, ints).numpy().tolist() == [[7, 10], [15, 22]]
    assert (
        tf.matmul(tf.ones([2, 3], tf.bfloat16), tf.ones([3, 2], tf.bfloat16)).dtype == tf.bfloat16
    )
    assert tf.matmul(tf.ones([2, 3], tf.float16), tf.ones([3, 2], tf.float16)).dtype == tf.float16
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of int8"):
        tf.matmul(tf.ones([2, 2], tf.int8), tf.ones([2, 2], tf.int8))
    with pytest.raises(tf.errors.NotFoundError, match=r"MatMul\[T=DT_UINT8, grad_a=false"):
        tf.matmul(tf.ones([2, 2], tf.uint8), tf.ones([2, 2], tf.uint8))
    product = tf.matmul(tf.ones([2, 3], tf.int8), tf.ones([3, 2], tf.int8), output_type=tf.int32)
    assert product.dtype == tf.int32 and product.numpy().tolist() == [[3, 3], [3, 3]]
    raises(
        tf.errors.InvalidArgumentError,
        "cannot compute MatMul as input #1(zero-based) was expected to be a int32 tensor but is "
        "a float tensor [Op:MatMul]",
        lambda: tf.matmul([[1, 2]], [[3.0], [4.0]]),
    )
    assert tf.matmul([[1.0, 2.0]], tf.constant([[3.0], [4.0]])).numpy().tolist() == [[11.0]]


def test_matvec_and_tensordot():
    m, v = rng.standard_normal((4, 2, 3)), rng.standard_normal(3)
    np.testing.assert_allclose(tf.linalg.matvec(m, v), m @ v)
    np.testing.assert_allclose(tf.linalg.matvec(m[0].T, v, transpose_a=True), m[0] @ v)
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((4, 3))
    np.testing.assert_allclose(tf.tensordot(a, b, 1), np.tensordot(a, b, 1))
    np.testing.assert_allclose(
        tf.tensordot(a, b, [[1, 2], [1, 0]]), np.tensordot(a, b, [[1, 2], [1, 0]])
    )
    assert tf.tensordot(a, b, 0).shape == (2, 3, 4, 4, 3)
    raises(ValueError, "`axes` must be at least 0. Received: -1.", lambda: tf.tensordot(a, b, -1))
    raises(
        ValueError,
        "Different number of contraction axes `a` and `b`, 1 != 2.",
        lambda: tf.tensordot(a, b, [[1], [1, 0]]),
    )
    da, db = grad(lambda a, b: tf.tensordot(a, b, [[1, 2], [1, 0]]), a, b)
    np.testing.assert_allclose(da, np.broadcast_to(b.T, (2, 3, 4)))
    np.testing.assert_allclose(db, a.sum(0).T)


# -- norms (spec §12.3) -----------------------------------------------------------------------


def test_norm_gradients_at_kinks_are_tfs():
    np.testing.assert_allclose(
        grad(tf.norm, np.array([-1.0, 0.0, 1.0], np.float32)), [-0.7071068, 0, 0.7071068], rtol=1e-6
    )
    assert np.isnan(grad(tf.norm, np.array([0.0, 0.0], np.float32)).numpy()).all()
    assert grad(lambda x: tf.norm(x, ord=1), np.array([0.0, -2.0])).numpy().tolist() == [0, -1]
    assert grad(lambda x: tf.norm(x, ord=np.inf), np.array([3.0, -3.0])).numpy().tolist() == [
        0.5,
        -0.5,
    ]


def test_norm_orders_axes_and_keepdims():
    x = np.array([[1.0, -2.0], [3.0, 4.0]])
    assert tf.norm(x, ord=1, axis=[0, 1]).numpy() == 6.0
    assert tf.norm(x, ord=np.inf, axis=(0, 1)).numpy() == 7.0
    np.testing.assert_allclose(tf.norm(x, ord=2, axis=[0, 1]), np.linalg.norm(x, 2))
    np.testing.assert_allclose(tf.norm(x, ord=3, axis=-1), np.linalg.norm(x, 3, axis=-1))
    assert tf.norm(tf.ones([2, 3, 4]), ord=2, axis=[2, 0], keepdims=True).shape == (1, 3, 1)
    assert tf.norm(tf.ones([2, 3, 4]), axis=1, keepdims=True).shape == (2, 1, 4)
    assert tf.norm(tf.constant([3 + 4j, 1j])).dtype == tf.complex128  # sqrt(sum(x * conj(x)))
    raises(
        ValueError, "'ord' must be a supported vector norm, got fro", lambda: tf.norm(x, ord="fro")
    )
    raises(
        ValueError,
        "'ord' must be a supported matrix norm in ['euclidean', 'fro', 1, 2, inf], got 3",
        lambda: tf.norm(x, ord=3, axis=[0, 1]),
    )
    raises(
        ValueError,
        "'axis' must be None, an integer, or a tuple of 2 unique integers, got (0, 0)",
        lambda: tf.norm(x, axis=[0, 0]),
    )


def test_normalize():
    unit, size = tf.linalg.normalize([[3.0, 4.0], [1.0, 0.0]], axis=1)
    np.testing.assert_allclose(unit, [[0.6, 0.8], [1, 0]])
    assert size.numpy().tolist() == [[5.0], [1.0]]


# -- einsum -----------------------------------------------------------------------------------


def test_einsum_diagonals_ellipsis_and_implicit_output():
    j = np.arange(16.0).reshape(2, 2, 2, 2)
    np.testing.assert_allclose(tf.einsum("bxby->bxy", j), np.einsum("bxby->bxy", j))
    m = np.arange(9.0).reshape(3, 3)
    assert tf.einsum("ii->i", m).numpy().tolist() == [0, 4, 8]
    assert tf.einsum("ii", m).numpy() == 12
    assert tf.einsum("ba", np.ones((3, 4))).shape == (4, 3)  # implicit: sorted labels
    assert tf.einsum("...ij,...jk->...ik", tf.ones([2, 1, 2, 3]), tf.ones([5, 3, 4])).shape == (
        2,
        5,
        2,
        4,
    )
    abc = [rng.standard_normal(s) for s in [(2, 3), (3, 4), (4, 5)]]
    np.testing.assert_allclose(tf.einsum("ij,jk,kl->il", *abc), abc[0] @ abc[1] @ abc[2])
    np.testing.assert_allclose(grad(lambda m: tf.einsum("ii->i", m), m), np.eye(3))


@pytest.mark.parametrize(
    "equation, shapes, error, message",
    [
        (
            "i->ii",
            [[2]],
            ValueError,
            "Output subscripts contain a label appearing more than once: i->ii",
        ),
        (
            "ij->ik",
            [[2, 3]],
            ValueError,
            "Output subscripts contain the label k not present in the input subscripts.",
        ),
        ("ij,jk->ik", [[2, 3]], ValueError, 'Got 1 inputs for equation "ij,jk->ik", expecting 2'),
        ("i1->i", [[2, 3]], ValueError, "Subscripts have incorrect format: i1->i"),
        (
            "ijk->ij",
            [[2, 3]],
            tf.errors.InvalidArgumentError,
            "Expected input 0 to have rank 3 but got: 2 [Op:Einsum]",
        ),
        (
            "ii->i",
            [[2, 3]],
            tf.errors.InvalidArgumentError,
            "Expected dimension 2 at axis 1 of the input shaped [2,3] but got dimension 3 "
            "[Op:Einsum]",
        ),
        (
            "...,...",
            [[2, 3], [3]],
            tf.errors.InvalidArgumentError,
            "Output contains 2 broadcasting dimension(s) but no ellipsis (...) was found in the "
            "output subscripts. [Op:Einsum]",
        ),
    ],
)
def test_einsum_errors_are_tfs(equation, shapes, error, message):
    raises(error, message, lambda: tf.einsum(equation, *[tf.ones(s) for s in shapes]))


# -- diagonals, bands, eye --------------------------------------------------------------------


def test_eye():
    assert tf.eye(2, 3).numpy().tolist() == [[1, 0, 0], [0, 1, 0]]
    assert tf.eye(2, batch_shape=[3]).shape == (3, 2, 2)
    assert tf.eye(2, dtype=tf.int32).dtype == tf.int32
    assert tf.eye(2, dtype=tf.bool).numpy().tolist() == [[True, False], [False, True]]
    raises(
        TypeError,
        "Arguments `num_rows` and `num_columns` must be positive integer values. Received: "
        "num_rows=2.5, num_columns=2.5",
        lambda: tf.eye(2.5),
    )


def test_diag_parts_bands_and_alignment():
    x = np.arange(12).reshape(3, 4)
    assert tf.linalg.diag_part(x, k=(-1, 1)).numpy().tolist() == [[1, 6, 11], [0, 5, 10], [4, 9, 0]]
    assert tf.linalg.diag_part(
        x, k=(-1, 1), align="LEFT_RIGHT", padding_value=-1
    ).numpy().tolist() == [[1, 6, 11], [0, 5, 10], [-1, 4, 9]]
    assert tf.linalg.diag([1, 2], num_rows=3, padding_value=9).numpy().tolist() == [
        [1, 9],
        [9, 2],
        [9, 9],
    ]
    band = tf.linalg.band_part(np.ones((3, 3)), 1, 0).numpy()
    assert band.tolist() == [[1, 0, 0], [1, 1, 0], [0, 1, 1]]
    assert tf.linalg.trace(np.arange(12).reshape(3, 4)).numpy() == 15
    raises(
        tf.errors.InvalidArgumentError,
        "The number of rows is too small. [Op:MatrixDiagV3]",
        lambda: tf.linalg.diag([1, 2], num_rows=1),
    )
    raises(
        tf.errors.InvalidArgumentError,
        "num_upper must be negative or less or equal to number of columns (3) got: 5 "
        "[Op:MatrixBandPart]",
        lambda: tf.linalg.band_part(tf.ones([3, 3]), 1, 5),
    )


@pytest.mark.parametrize(
    "f",
    [
        tf.linalg.diag_part,
        tf.linalg.trace,
        lambda x: tf.linalg.band_part(x, 0, -1),
        lambda x: tf.einsum("ij->ji", x),
        tf.linalg.adjoint,
    ],
)
def test_linear_structure_ops_have_none_second_derivatives(f):
    first, second_order = second(lambda x: tf.reduce_sum(f(x) * 2.0), A)
    assert first is not None and second_order is None


# -- solvers and determinants -----------------------------------------------------------------


def test_singular_and_non_square_errors_are_tfs():
    singular = tf.constant([[1.0, 2.0], [2.0, 4.0]])
    raises(
        tf.errors.InvalidArgumentError,
        "Input is not invertible. [Op:MatrixInverse]",
        lambda: tf.linalg.inv(singular),
    )
    raises(
        tf.errors.InvalidArgumentError,
        "Input matrix is not invertible. [Op:MatrixSolve]",
        lambda: tf.linalg.solve(singular, tf.ones([2, 1])),
    )
    raises(
        tf.errors.InvalidArgumentError,
        "Input matrix must be square. [Op:MatrixDeterminant]",
        lambda: tf.linalg.det(tf.ones([2, 3])),
    )
    raises(
        tf.errors.InvalidArgumentError,
        "Input tensor 0 must have rank >= 2, got 1 [Op:Cholesky]",
        lambda: tf.linalg.cholesky(tf.ones([3])),
    )
    raises(
        tf.errors.InvalidArgumentError,
        "All input tensors must have the same rank. [Op:MatrixSolve]",
        lambda: tf.linalg.solve(tf.eye(2), tf.ones([2])),
    )
    with pytest.raises(
        tf.errors.NotFoundError,
        match=r"\{\{node MatrixDeterminant\}\} = MatrixDeterminant\[T=DT_HALF\]",
    ):
        tf.linalg.det(tf.ones([2, 2], tf.float16))


def test_determinants_of_singular_matrices_have_tfs_signed_zeros():
    assert str(tf.linalg.det([[1.0, 2.0], [2.0, 4.0]]).numpy()) == "-0.0"  # a row swap
    assert str(tf.linalg.det([[2.0, 4.0], [1.0, 2.0]]).numpy()) == "0.0"
    sign, log_abs = tf.linalg.slogdet([[1.0, 2.0], [2.0, 4.0]])
    assert str(sign.numpy()) == "-0.0" and log_abs.numpy() == -np.inf
    assert tf.linalg.det(tf.zeros([2, 0, 0])).numpy().tolist() == [1.0, 1.0]


def test_cholesky_of_a_matrix_that_is_not_positive_definite_is_nan_below_the_diagonal():
    out = tf.linalg.cholesky([[[4.0, 2.0], [2.0, 3.0]], [[1.0, 2.0], [2.0, 1.0]]]).numpy()
    np.testing.assert_allclose(out[0], np.linalg.cholesky([[4.0, 2.0], [2.0, 3.0]]))
    assert np.isnan(out[1][np.tril_indices(2)]).all() and out[1][0, 1] == 0


def test_triangular_solve_with_a_zero_pivot_divides_as_tf():
    out = tf.linalg.triangular_solve([[0.0, 0.0], [1.0, 2.0]], [[1.0], [1.0]]).numpy()
    assert out.ravel().tolist() == [np.inf, -np.inf]
    batched = tf.linalg.triangular_solve(tf.eye(2, batch_shape=[2]), tf.ones([3, 1, 2, 1]))
    assert batched.shape == (3, 2, 2, 1)


def test_hand_derived_gradients():
    np.testing.assert_allclose(grad(tf.linalg.det, A), np.linalg.det(A) * np.linalg.inv(A).T)
    np.testing.assert_allclose(grad(lambda a: tf.linalg.slogdet(a)[1], A), np.linalg.inv(A).T)
    np.testing.assert_allclose(grad(tf.linalg.logdet, SPD), np.linalg.inv(SPD), rtol=1e-6)
    np.testing.assert_allclose(grad(tf.linalg.trace, A), np.eye(3))
    inverse = np.linalg.inv(A)
    np.testing.assert_allclose(
        grad(lambda a: tf.reduce_sum(tf.linalg.inv(a)), A), -inverse.T @ np.ones((3, 3)) @ inverse.T
    )
    e, v = np.linalg.eigh(SPD)
    np.testing.assert_allclose(
        grad(lambda s: tf.linalg.eigvalsh(s)[2], SPD),
        np.tril(2 * np.outer(v[:, 2], v[:, 2]), -1) + np.diag(v[:, 2] ** 2),
        atol=1e-12,
    )
    u, s, vh = np.linalg.svd(A)
    np.testing.assert_allclose(
        grad(lambda a: tf.reduce_sum(tf.linalg.svd(a, compute_uv=False)), A), u @ vh
    )
    np.testing.assert_allclose(
        grad(lambda a: tf.linalg.trace(tf.linalg.expm(a)), 0.3 * A),
        tf.linalg.expm(0.3 * A).numpy().T,
    )


def test_complex_determinant_gradient_is_tfs_unconjugated_formula():
    c = np.array([[1 + 2j, 0.5 - 1j], [0.3 + 0.1j, 2 - 1j]])
    # TF multiplies by det rather than its conjugate (checked against TF 2.21)
    np.testing.assert_allclose(grad(tf.linalg.det, c), np.linalg.det(c) * np.linalg.inv(c).conj().T)


def test_cholesky_gradient_through_a_symmetrization_matches_finite_differences():
    def f(a):
        return tf.linalg.cholesky((a + tf.linalg.adjoint(a)) * 0.5)

    tf.test.check_gradients(f, [SPD])
    tf.test.check_gradients(f, [np.stack([SPD, SPD + np.eye(3)])])


def test_least_squares_and_pseudo_inverse():
    a, b = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    expected = np.linalg.lstsq(a, b, rcond=None)[0]
    np.testing.assert_allclose(tf.linalg.lstsq(a, b), expected, rtol=1e-9)
    np.testing.assert_allclose(tf.linalg.lstsq(a, b, fast=False), expected, rtol=1e-9)
    np.testing.assert_allclose(tf.linalg.pinv(a), np.linalg.pinv(a), rtol=1e-9)
    with tf.GradientTape() as tape:
        x = tf.constant(a)
        tape.watch(x)
        y = tf.linalg.lstsq(x, b, fast=False)
    with pytest.raises(ValueError, match="Gradient not defined for fast=False"):
        tape.gradient(y, x)
    raises(
        TypeError,
        "Input `a` must have `float`-like `dtype` (saw int32).",
        lambda: tf.linalg.pinv([[1, 2], [3, 4]]),
    )


def test_expm_and_decompositions():
    np.testing.assert_allclose(
        tf.linalg.expm([[0.0, 1.0], [-1.0, 0.0]]),
        [[np.cos(1), np.sin(1)], [-np.sin(1), np.cos(1)]],
        rtol=1e-6,
    )
    raises(
        ValueError,
        "tf.linalg.expm does not support matrices of type <dtype: 'int32'>",
        lambda: tf.linalg.expm([[1, 2], [3, 4]]),
    )
    q, r = tf.linalg.qr(A)
    np.testing.assert_allclose(q.numpy() @ r.numpy(), A, atol=1e-12)
    assert type(tf.linalg.qr(A)).__name__ == "Qr"
    assert tf.linalg.svd(np.eye(2) * (1 + 1j), compute_uv=False).dtype == tf.float64
    s, u, v = tf.linalg.svd(A[:, :2])
    np.testing.assert_allclose(u.numpy() * s.numpy() @ v.numpy().T, A[:, :2], atol=1e-12)
    e, vectors = tf.linalg.eigh(SPD)
    np.testing.assert_allclose(
        vectors.numpy() @ np.diag(e.numpy()) @ vectors.numpy().T, SPD, atol=1e-12
    )
    with pytest.raises(NotImplementedError, match="QrGrad not implemented when nrows > ncols"):
        grad(lambda a: tf.linalg.qr(a, full_matrices=True)[0], A[:, :2])


def test_cross():
    assert tf.linalg.cross([1.0, 0, 0], [0.0, 1, 0]).numpy().tolist() == [0, 0, 1]
    da, db = grad(lambda a, b: tf.linalg.cross(a, b), np.array([1.0, 2, 3]), np.array([4.0, 5, 6]))
    assert da.numpy().tolist() == np.cross([4.0, 5, 6], [1, 1, 1]).tolist()
    raises(
        tf.errors.FailedPreconditionError,
        "Cross-products are only defined for 3-element vectors. [Op:Cross]",
        lambda: tf.linalg.cross([1.0, 0], [0.0, 1]),
    )
