"""ForwardAccumulator (spec §10.2–§10.4): JVPs against finite differences and against reverse
mode, nesting with tapes both ways, nested accumulators, and TF's errors."""

import logging

import numpy as np
import pytest

import tapeflow as tf


def test_jvp_of_simple_function():
    x = tf.constant([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(primals=x, tangents=tf.constant([1.0, 0.0])) as acc:
        y = x * x
    assert acc.jvp(y).numpy().tolist() == [2.0, 0.0]
    assert acc.jvp(x).numpy().tolist() == [1.0, 0.0]
    assert acc.jvp(tf.constant(1.0)) is None
    assert acc.jvp(tf.constant(1.0), unconnected_gradients="zero").numpy() == 0.0
    result = acc.jvp([x, {"a": y}])
    assert isinstance(result, list) and isinstance(result[1], dict)


def test_jvp_matches_finite_differences_and_reverse_mode():
    rng = np.random.default_rng(0)
    x0, t0 = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    w = tf.constant(rng.standard_normal((3, 2)))

    def f(x):
        return tf.reduce_sum(tf.tanh(tf.matmul(x, w) * 0.5) * tf.sin(x[:, :2]), axis=0)

    x = tf.constant(x0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(t0)) as acc:
        y = f(x)
    eps = 1e-6
    numeric = (f(tf.constant(x0 + eps * t0)) - f(tf.constant(x0 - eps * t0))).numpy() / (2 * eps)
    np.testing.assert_allclose(acc.jvp(y).numpy(), numeric, rtol=1e-6, atol=1e-9)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    jacobian = tape.jacobian(y, x).numpy()
    np.testing.assert_allclose(np.tensordot(jacobian, t0, axes=2), numeric, rtol=1e-6)


def test_ops_outside_the_context_are_not_traced():
    x = tf.constant(3.0)
    acc = tf.autodiff.ForwardAccumulator(x, 1.0)
    before = x * x
    with acc:
        inside = x * x
    after = x * x
    assert acc.jvp(before) is None and float(acc.jvp(inside)) == 6.0 and acc.jvp(after) is None


def test_variable_primal():
    v = tf.Variable([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 0.0])) as acc:
        y = tf.reduce_sum(v**3)
    assert float(acc.jvp(y)) == 3.0


def test_hessian_vector_product_forward_over_backward():
    v = tf.Variable([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 0.0])) as acc:
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(v**3.0)
        g = tape.gradient(y, v)
    assert g.numpy().tolist() == [3.0, 12.0] and acc.jvp(g).numpy().tolist() == [6.0, 0.0]


def test_hessian_vector_product_backward_over_forward():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 0.0])) as acc:
            y = tf.reduce_sum(x**3.0)
        j = acc.jvp(y)
    assert float(j) == 3.0 and tape.gradient(j, x).numpy().tolist() == [6.0, 0.0]


def test_nested_accumulators_give_higher_order():
    x = tf.constant(2.0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as outer:
        with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as inner:
            y = x**3
        first = inner.jvp(y)
    assert float(first) == 12.0 and float(outer.jvp(first)) == 12.0


def test_forward_mode_ignores_custom_gradients():
    @tf.custom_gradient
    def f(x):
        return x * 2.0, lambda dy: dy * 100.0

    x = tf.constant(1.0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
        y = f(x)
    assert float(acc.jvp(y)) == 2.0


def test_stop_gradient_has_no_tangent():
    x = tf.constant(1.0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
        y = tf.stop_gradient(x) * 3.0
    assert acc.jvp(y) is None


def test_accumulator_errors(caplog):
    x = tf.constant([1.0, 2.0])
    with pytest.raises(ValueError, match="was specified as a primal multiple times"):
        tf.autodiff.ForwardAccumulator([x, x], [x, x])
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        tf.autodiff.ForwardAccumulator(x, [1.0, 0.5])
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32"):
        tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 2.0], tf.float64))
    with pytest.raises(ValueError, match="tangent has shape"):  # [tapeflow choice]
        tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 2.0, 3.0]))
    acc = tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 2.0]))
    with acc:
        with pytest.raises(ValueError, match="Accumulator is already recording."):
            acc.__enter__()
    caplog.set_level(logging.WARNING, logger="tapeflow")
    with tf.autodiff.ForwardAccumulator(tf.constant(3), tf.constant(1)) as acc:
        pass
    assert caplog.records[-1].getMessage() == (
        "The dtype of the watched primal must be floating (e.g. tf.float32), got tf.int32"
    )


def _ops_with_jvp_rules():
    from tapeflow.core.registry import REGISTRY

    return sorted(name for name, op in REGISTRY.items() if op.jvp is not None and op.vjp)


@pytest.mark.parametrize("name", _ops_with_jvp_rules())
def test_jvp_rules_agree_with_transposed_vjp_rules(name):
    """Each declared JVP rule gives what transposing the op's VJP rule gives."""
    from samples import SAMPLES
    from tapeflow.autodiff import forwardprop
    from tapeflow.core.registry import REGISTRY

    op = REGISTRY[name]
    rng = np.random.default_rng(0)
    for args, attrs, _ in SAMPLES.get(name, []):
        attrs = {**op._attr_defaults, **attrs}  # what the op call would fill in
        inputs = [tf.constant(a) if np.asarray(a).dtype.kind == "f" else a for a in args]
        if not any(isinstance(t, tf.Tensor) for t in inputs):
            continue
        outputs = op(*inputs, **attrs)
        outputs = tuple(outputs) if isinstance(outputs, tuple) else (outputs,)
        tangents = tuple(
            tf.constant(rng.standard_normal(t.shape)) if isinstance(t, tf.Tensor) else None
            for t in inputs
        )
        tensors = tuple(t if isinstance(t, tf.Tensor) else tf.constant(t) for t in inputs)
        declared = forwardprop._output_tangents(op, tangents, tensors, outputs, attrs)
        saved, op.jvp = op.jvp, None
        try:
            derived = forwardprop._output_tangents(op, tangents, tensors, outputs, attrs)
        finally:
            op.jvp = saved
        for a, b in zip(declared, derived):
            np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-10, atol=1e-12)
