"""jacobian and batch_jacobian (spec §6): values against finite differences and against
gradient() row by row, shapes, dtypes, options and TF's errors."""

import numpy as np
import pytest

import tapeflow as tf
from samples import SAMPLES
from tapeflow.autodiff import jacobians
from tapeflow.core.registry import REGISTRY


def numeric_jacobian(f, x: np.ndarray, eps=1e-6) -> np.ndarray:
    out = np.asarray(f(x))
    result = np.zeros(out.shape + x.shape)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = eps
        result[(...,) + index] = (np.asarray(f(x + step)) - np.asarray(f(x - step))) / (2 * eps)
    return result


FUNCTIONS = {
    "elementwise": lambda x: tf.sin(x) * x + tf.exp(x) / (1.0 + x * x),
    "reduction": lambda x: tf.reduce_sum(x * x, axis=-1) * tf.reduce_mean(x),
    "matmul": lambda x: tf.tanh(
        tf.matmul(tf.reshape(x, [-1, 2]), tf.constant([[1.0, 2.0], [-1.0, 0.5]], tf.float64))
    ),
    "broadcast": lambda x: x - tf.reduce_sum(x, axis=0, keepdims=True),
    "slicing": lambda x: x[..., ::-1] * x[..., :1],
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize("shape", [(4,), (2, 2), (3, 2)])
def test_jacobian_matches_finite_differences(name, shape):
    f = FUNCTIONS[name]
    x0 = np.random.default_rng(0).uniform(-1.0, 1.0, shape)
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    jac = tape.jacobian(y, x)
    expected = numeric_jacobian(lambda v: f(tf.constant(v)).numpy(), x0)
    assert jac.shape == y.shape + x.shape and jac.dtype is tf.float64
    np.testing.assert_allclose(jac.numpy(), expected, rtol=1e-6, atol=1e-8)


def test_jacobian_rows_equal_gradients():
    x = tf.constant([0.5, -1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.sin(x) * tf.reduce_sum(x)
        rows = [y[i] for i in range(3)]
    jac = tape.jacobian(y, x).numpy()
    for i in range(3):
        np.testing.assert_allclose(jac[i], tape.gradient(rows[i], x).numpy(), rtol=1e-6)


def test_jacobian_structures_dtypes_and_unconnected_sources():
    x = tf.constant([1.0, 2.0])
    w = tf.constant([[3.0]], tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, w])
        y = x * x
    assert tape.jacobian(y, x).numpy().tolist() == [[2.0, 0.0], [0.0, 4.0]]
    assert tape.jacobian(y, w) is None
    zeros = tape.jacobian(y, w, unconnected_gradients="zero")
    assert zeros.shape == (2, 1, 1) and zeros.dtype is tf.float64
    both = tape.jacobian(y, {"x": x, "w": w})
    assert both["w"] is None and both["x"].shape == (2, 2)


def test_jacobian_of_scalar_and_of_variables():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        y = v * v
        s = tf.reduce_sum(y)
    assert tape.jacobian(y, v).numpy().tolist() == [[2.0, 0.0], [0.0, 4.0]]
    assert tape.jacobian(v, v).numpy().tolist() == [[1.0, 0.0], [0.0, 1.0]]
    assert tape.jacobian(s, v).numpy().tolist() == [2.0, 4.0]


def test_hessian_as_jacobian_of_gradient():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(x**3)
        g = inner.gradient(y, x)
    assert outer.jacobian(g, x).numpy().tolist() == [[6.0, 0.0], [0.0, 12.0]]


def test_jacobian_of_jacobian_composes_shapes():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x
        j = inner.jacobian(y, x)
    jj = outer.jacobian(j, x)
    assert j.shape == (2, 2) and jj.shape == (2, 2, 2)
    assert jj.numpy()[1, 1, 1] == 12.0 and jj.numpy()[0, 1, 1] == 0.0


def test_persistent_jacobian_inside_context_is_differentiable():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        j = tape.jacobian(y, x)
    assert tape.gradient(j, x).numpy().tolist() == [2.0, 2.0]


def test_jacobian_options_and_errors():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    with pytest.raises(
        RuntimeError,
        match="persistent=True to compute the jacobian with eager "
        "execution enabled and with  experimental_use_pfor",
    ):
        tape.jacobian(y, x, experimental_use_pfor=False)
    with pytest.raises(ValueError, match="while vectorizing the jacobian") as info:
        tape.jacobian(y, x, parallel_iterations=1)
    assert "parallel_iterations == 1" in str(info.value.__cause__)
    with pytest.raises(TypeError, match="single Tensor"):  # [tapeflow choice]
        tape.jacobian([y, y], x)
    assert tape.jacobian(y, x, parallel_iterations=4).numpy().tolist() == [[2.0, 0.0], [0.0, 4.0]]
    with pytest.raises(RuntimeError, match="one set of gradients"):
        tape.gradient(y, x)


def test_empty_target_gives_empty_jacobian():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x[:0]
    assert tape.jacobian(y, x).shape == (0, 2)


def test_batch_jacobian_values_and_shapes():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        w = tf.reshape(x, [2, 2, 1]) * x[:, None, :]
    assert tape.batch_jacobian(y, x).numpy().tolist() == [[[2, 0], [0, 4]], [[6, 0], [0, 8]]]
    jw = tape.batch_jacobian(w, x)
    assert jw.shape == (2, 2, 2, 2)
    full = tape.jacobian(w, x).numpy()  # rows are independent: the diagonal blocks
    np.testing.assert_allclose(jw.numpy(), np.stack([full[b, :, :, b, :] for b in range(2)]))


def test_batch_jacobian_includes_cross_batch_terms_and_zeros_when_unconnected():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    z = tf.zeros([2, 3], tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, z])
        y = x * tf.reduce_sum(x, axis=0, keepdims=True)
    assert tape.batch_jacobian(y, x).numpy().tolist() == [[[8, 0], [0, 12]], [[8, 0], [0, 12]]]
    zeros = tape.batch_jacobian(y, z)  # zeros even in 'none' mode, with the target's dtype
    assert zeros.shape == (2, 2, 3) and zeros.dtype is tf.float32


def test_batch_jacobian_errors():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.reshape(tf.stack([x, x]), [4, 2])
        v = tf.reduce_sum(x, axis=1)
    with pytest.raises(ValueError, match=r"Shape \(2,\) must have rank at least 2"):
        tape.batch_jacobian(v, x)
    with pytest.raises(
        ValueError,
        match=r"Need first dimension of target shape \(\(4, 2\)\) "
        r"and source shape \(\(2, 2\)\) to match.",
    ):
        tape.batch_jacobian(y, x)
    with tf.GradientTape() as once:
        once.watch(x)
        y = x * x
    with pytest.raises(RuntimeError, match="and  with experimental_use_pfor set to False"):
        once.batch_jacobian(y, x, experimental_use_pfor=False)
    once.batch_jacobian(y, x)
    with pytest.raises(RuntimeError, match="can only be used tocompute one set"):
        once.batch_jacobian(y, x)


def test_batch_jacobian_of_gradient_gives_per_example_hessians():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(x**3, axis=1)
        g = inner.gradient(y, x)
    assert outer.batch_jacobian(g, x).numpy().tolist() == [[[6, 0], [0, 12]], [[18, 0], [0, 24]]]


def _jacobians_of_sample(op, args, attrs):
    inputs = [tf.constant(a) if np.asarray(a).dtype.kind in "fc" else a for a in args]
    floats = [t for t in inputs if isinstance(t, tf.Tensor)]
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(floats)
        outputs = tf.nest.flatten(op(*inputs, **attrs))
        target = outputs[0]
    if target.dtype not in (tf.float64, tf.complex128):
        return None
    return [None if j is None else j.numpy() for j in tape.jacobian(target, floats)]


def _vectorized_ops():
    return sorted(jacobians._BROADCASTING_RULES | set(jacobians._BATCH_RULES))


@pytest.mark.parametrize("name", _vectorized_ops())
def test_vectorized_rules_match_row_by_row(name, monkeypatch):
    op = REGISTRY[name]
    for args, attrs, _ in SAMPLES[name]:
        vectorized = _jacobians_of_sample(op, args, attrs)
        with monkeypatch.context() as patch:  # every op row by row
            patch.setattr(jacobians, "_BROADCASTING_RULES", frozenset())
            patch.setattr(jacobians, "_BATCH_RULES", {})
            rows = _jacobians_of_sample(op, args, attrs)
        if vectorized is None:
            continue
        for a, b in zip(vectorized, rows):
            assert (a is None) == (b is None)
            if a is not None:
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
