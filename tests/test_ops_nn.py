"""tf.nn: activations and softmax (the losses and layer helpers are in
test_ops_nn_losses.py).

Expected values are TensorFlow 2.21's (spec §12.3 and §12.5 for kinks and second
derivatives); finite differences of every op are in test_registry_gradients.py.
"""

import numpy as np
import pytest

import tapeflow as tf

XS = [-1.0, 0.0, 1.0]


def grad(f, x, dtype=tf.float32, **kwargs):
    x = tf.constant(x, dtype)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x, **kwargs)
    return tape.gradient(y, x)


def second(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        g = inner.gradient(y, x)
    return g, outer.gradient(g, x)


def close(actual, expected, rtol=1e-6, atol=1e-7):
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=rtol, atol=atol)


# -- kinks and values (spec §12.3) ----------------------------------------------------------


@pytest.mark.parametrize(
    "f, x, expected",
    [
        (tf.nn.relu, XS, [0, 0, 1]),
        (tf.nn.relu6, [0.0, 6.0, 7.0, 5.9], [0, 0, 0, 1]),
        (lambda x: tf.nn.leaky_relu(x, 0.2), XS, [0.2, 0.2, 1]),
        (tf.nn.elu, XS, [0.36787945, 1, 1]),
        (tf.nn.selu, XS, [0.6467686, 1.050701, 1.050701]),
        (tf.nn.gelu, XS, [-0.0833155, 0.5, 1.0833155]),
        (lambda x: tf.nn.gelu(x, approximate=True), XS, [-0.0829641, 0.5, 1.0829641]),
        (tf.nn.silu, XS, [0.0723295, 0.5, 0.9276705]),
        (tf.nn.softplus, XS, [0.2689414, 0.5, 0.7310586]),
        (tf.nn.softsign, XS, [0.25, 1, 0.25]),
        (tf.math.log_sigmoid, XS, [0.7310586, 0.5, 0.2689414]),
        (tf.nn.softmax, XS, [0, 0, 0]),
        (tf.nn.log_softmax, XS, [0.7299082, 0.26581454, -0.9957228]),
        (tf.math.l2_normalize, XS, [0.70710677] * 3),
        (
            lambda x: tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(x), logits=x),
            XS,
            [-0.7310586, -0.5, -0.2689414],
        ),
    ],
)
def test_gradient_at_kinks_matches_tf(f, x, expected):
    close(grad(f, x), expected)


def test_activation_values_match_tf():
    x = tf.constant([-1.0, 0.0, 1.0, 6.0, 5.9, 7.0])
    close(tf.nn.relu6(x), [0, 0, 1, 6, 5.9, 6])
    close(tf.nn.elu(x)[:3], [-0.63212055, 0, 1])
    close(tf.nn.selu(x)[:3], [-1.1113307, 0, 1.050701])
    close(tf.nn.softplus(x)[:3], [0.31326169, 0.69314718, 1.3132616])
    close(tf.nn.softsign(x)[:3], [-0.5, 0, 0.5])
    close(tf.math.log_sigmoid(x)[:3], [-1.3132616, -0.69314718, -0.31326169])
    close(tf.nn.silu(x)[:3], [-0.26894143, 0, 0.7310586])
    close(tf.nn.gelu(x)[:3], [-0.15865526, 0, 0.8413447])
    close(tf.nn.gelu(x, approximate=True)[:3], [-0.15880801, 0, 0.841192])
    close(tf.nn.silu([-1.0, 3.0], beta=2.0), [-0.11920292, 2.992582])


def test_relu_family_keep_integer_dtypes():
    assert tf.nn.relu(tf.constant([-1, 2])).numpy().tolist() == [0, 2]
    assert tf.nn.relu6(tf.constant([-1, 3, 9])).numpy().tolist() == [0, 3, 6]
    assert tf.nn.relu(tf.constant([-1.0, 2.0], tf.bfloat16)).dtype == tf.bfloat16
    leaky = tf.nn.leaky_relu(tf.constant([-1, 3]))
    assert leaky.dtype == tf.float32
    close(leaky, [-0.2, 3])


def test_leaky_relu_alpha_is_a_float32_attribute():
    y = tf.nn.leaky_relu(tf.constant([-1.0], tf.float64), alpha=np.array(0.3))
    assert y.numpy().tolist() == [-0.30000001192092896]
    with pytest.raises(TypeError, match="Expected float for argument 'alpha' not <tf.Tensor"):
        tf.nn.leaky_relu(tf.constant([-1.0]), alpha=tf.constant(0.3))


def test_upstream_nan_and_inf_follow_tf_kernels():
    x = tf.constant([-1.0, 0.0, 1.0, 7.0])
    upstream = tf.constant([np.nan, np.inf, np.nan, np.inf])
    expected = {
        tf.nn.relu: [np.nan, np.nan, np.nan, np.inf],  # a product with the mask: 0 * inf
        tf.nn.relu6: [np.nan] * 4,
        tf.nn.leaky_relu: [np.nan, np.inf, np.nan, np.inf],
        tf.nn.elu: [np.nan, np.inf, np.nan, np.inf],
    }
    for f, values in expected.items():
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        close(tape.gradient(y, x, output_gradients=upstream), values)


def test_float32_exp_flushes_denormals_to_zero_as_tf():
    x = tf.constant([-100.0, -87.3])
    assert tf.nn.softplus(x).numpy().tolist() == [0.0, 1.2192433092680476e-38]
    assert tf.nn.softmax(tf.constant([0.0, -88.5])).numpy().tolist() == [1.0, 0.0]


def test_half_precision_rounds_like_tf():
    x = tf.constant([-3.0, -1.0, 0.7], tf.bfloat16)
    assert tf.nn.elu(x).numpy().tolist() == [-0.94921875, -0.6328125, 0.69921875]
    assert tf.nn.softmax(tf.constant([1.0, 2.0], tf.bfloat16)).numpy().tolist() == [
        0.267578125,
        0.73046875,
    ]
    h = tf.constant([-5.0, 5.0], tf.float16)
    assert tf.nn.softplus(h).numpy().tolist() == [0.0067138671875, 5.0078125]


# -- dtype errors ----------------------------------------------------------------------------


def test_relu_rejects_bool_with_tf_message():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.nn.relu(tf.constant([True]))
    assert str(info.value).startswith(
        "Value for attr 'T' of bool is not in the list of allowed values: float, double, int32,"
        " uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64, qint8"
    )
    assert str(info.value).endswith("DT_QINT8]> [Op:Relu]")


@pytest.mark.parametrize(
    "f, op_name",
    [
        (tf.nn.elu, "Elu"),
        (tf.nn.selu, "Selu"),
        (tf.nn.softplus, "Softplus"),
        (tf.nn.softsign, "Softsign"),
        (tf.math.log_sigmoid, "Softplus"),
        (tf.nn.silu, "Sigmoid"),
        (tf.nn.softmax, "Softmax"),
        (tf.nn.log_softmax, "LogSoftmax"),
        (tf.nn.l2_loss, "L2Loss"),
    ],
)
def test_float_only_ops_reject_integers(f, op_name):
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"{{{{node {op_name}}}}}"):
        f(tf.constant([1, 2]))


def test_leaky_relu_error_lists_its_alpha_attribute():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.nn.leaky_relu(tf.constant([1j]))
    assert "attr=alpha:float,default=0.2; attr=T:type,default=DT_FLOAT" in str(info.value)


def test_gelu_requires_floats():
    with pytest.raises(ValueError, match="Received:features.dtype=<dtype: 'int32'>"):
        tf.nn.gelu(tf.constant([1, 2]))


# -- second derivatives (spec §12.5) -------------------------------------------------------------


@pytest.mark.parametrize("f", [tf.nn.relu, tf.nn.leaky_relu, tf.nn.elu, tf.nn.relu6])
def test_piecewise_linear_second_derivatives_are_zeros_not_none(f):
    first, second_derivative = second(f, [0.5, 2.0])
    close(first, [1, 1])
    assert second_derivative is not None
    close(second_derivative, [0, 0])


def test_relu_second_derivative_at_zero_is_zero():
    first, second_derivative = second(tf.nn.relu, [0.0])
    close(first, [0])
    close(second_derivative, [0])


def test_elu_and_selu_second_derivatives_for_negative_inputs():
    close(second(tf.nn.elu, [-0.5, 2.0])[1], [0.60653067, 0])
    close(second(tf.nn.selu, [-0.5, 2.0])[1], [1.0663412, 0])


def test_softplus_second_derivative():
    first, second_derivative = second(tf.nn.softplus, [0.5, 2.0])
    close(first, [0.6224594, 0.8807971])
    close(second_derivative, [0.2350037, 0.1049936], rtol=1e-5)


def test_smooth_activation_second_derivatives():
    x = [-0.5, 0.0, 2.0]
    close(second(tf.nn.gelu, x)[1], [0.6161143, 0.7978846, -0.1079819], rtol=1e-5)
    close(second(tf.nn.silu, x)[1], [0.441229, 0.5, 0.0500622], rtol=1e-5)
    close(second(tf.math.log_sigmoid, x)[1], [-0.2350037, -0.25, -0.1049936], rtol=1e-5)
    close(second(tf.nn.log_softmax, x)[1], [0, 0, 0], atol=1e-6)
    close(second(tf.nn.l2_loss, x)[1], [1, 1, 1])


def test_softsign_has_no_second_derivative_as_in_tf():
    x = tf.constant([0.5, 2.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.nn.softsign(x)
        g = inner.gradient(y, x)
    close(g, [0.44444445, 0.11111111])
    with pytest.raises(LookupError, match="gradient registry has no entry for: SoftsignGrad"):
        outer.gradient(g, x)


def test_leaky_relu_third_derivative_is_none_but_relu_third_is_zeros():
    x = tf.constant([-0.5, 2.0])
    results = {}
    for f in (tf.nn.relu, tf.nn.leaky_relu):
        with tf.GradientTape() as t3:
            t3.watch(x)
            with tf.GradientTape() as t2:
                t2.watch(x)
                with tf.GradientTape() as t1:
                    t1.watch(x)
                    y = f(x)
                g = t1.gradient(y, x)
            h = t2.gradient(g, x)
        results[f] = t3.gradient(h, x)
    close(results[tf.nn.relu], [0, 0])
    assert results[tf.nn.leaky_relu] is None


# -- numerical stability ---------------------------------------------------------------------


def test_large_logits_give_finite_values_and_gradients():
    x = tf.constant([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]])
    labels = tf.constant([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    functions = [
        tf.nn.softmax,
        tf.nn.log_softmax,
        tf.nn.softplus,
        tf.math.log_sigmoid,
        lambda x: tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=x),
        lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 2], logits=x),
        lambda x: tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=x),
        lambda x: tf.nn.weighted_cross_entropy_with_logits(labels, x, 2.0),
    ]
    for f in functions:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        assert np.all(np.isfinite(y.numpy())), f
        assert np.all(np.isfinite(tape.gradient(y, x).numpy())), f


# -- softmax -----------------------------------------------------------------------------------


def test_softmax_along_other_axes():
    x = tf.constant([[1.0, 2.0], [3.0, 5.0]])
    close(tf.nn.softmax(x, axis=0), [[0.11920291, 0.04742587], [0.880797, 0.95257413]])
    close(tf.nn.log_softmax(x, axis=-2), [[-2.126928, -3.0485873], [-0.12692805, -0.04858733]])
    assert tf.math.softmax is tf.nn.softmax and tf.math.log_softmax is tf.nn.log_softmax


def test_softmax_errors():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.nn.softmax(tf.zeros([2, 3]), axis=2)
    assert str(info.value) == (
        "`dim` must be in the range [-2, 2) where 2 is the number of dimensions in the input. "
        "Received: dim=2"
    )
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.nn.softmax(tf.constant(1.0))
    assert str(info.value) == "logits must have >= 1 dimension, got [] [Op:Softmax]"
    assert tf.nn.softmax(tf.zeros([0, 3])).shape == (0, 3)
    assert tf.nn.softmax(tf.zeros([2, 0])).shape == (2, 0)


def test_half_logits_keep_their_dtype():
    x = tf.constant([1.0, 2.0], tf.float16)
    assert tf.nn.softmax(x).dtype == tf.float16
    # every step rounds to half, as in TF's kernel
    assert tf.nn.log_softmax(x).numpy().tolist() == [-1.3134765625, -0.3134765625]


# -- namespaces and swish ------------------------------------------------------------------


def test_namespaces_share_objects():
    assert tf.math.softplus is tf.nn.softplus
    assert tf.math.softsign is tf.nn.softsign
    assert tf.nn.silu is tf.nn.swish
    assert not hasattr(tf.nn, "log_sigmoid")


def test_swish_beta_gradient():
    x = tf.constant([-1.0, 0.5, 2.0])
    beta = tf.constant(1.5)
    with tf.GradientTape() as tape:
        tape.watch(beta)
        y = tf.nn.swish(x, beta)
    # d/dβ Σ x sigmoid(βx) = Σ x² s (1 - s)
    s = 1 / (1 + np.exp(-1.5 * x.numpy()))
    close(tape.gradient(y, beta), np.sum(x.numpy() ** 2 * s * (1 - s)), rtol=1e-5)
