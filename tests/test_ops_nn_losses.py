"""tf.nn losses and layer helpers: the softmax and sigmoid cross-entropies, log_poisson_loss,
l2_loss, compute_average_loss, bias_add, l2_normalize, moments and batch_normalization.

Expected values are TensorFlow 2.21's; finite differences of every op are in
test_registry_gradients.py.
"""

import numpy as np
import pytest

import tapeflow as tf


def grad(f, x, dtype=tf.float32):
    x = tf.constant(x, dtype)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x)


def close(actual, expected, rtol=1e-6, atol=1e-7):
    np.testing.assert_allclose(np.asarray(actual), expected, rtol=rtol, atol=atol)


# -- softmax cross-entropies -------------------------------------------------------------------


def test_softmax_cross_entropy_values_shapes_and_dtypes():
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1, 0]], logits=[[1.0, 2, 0.5]])
    assert loss.numpy().tolist() == [0.4643687903881073]
    assert (
        tf.nn.softmax_cross_entropy_with_logits(labels=[0, 1, 0], logits=[1.0, 2, 0.5]).shape == ()
    )
    f64 = tf.nn.softmax_cross_entropy_with_logits(
        labels=tf.constant([[0, 1, 0]]), logits=tf.constant([[1.0, 2.0, 0.5]], tf.float64)
    )
    assert f64.dtype == tf.float64
    half = tf.nn.softmax_cross_entropy_with_logits(
        labels=tf.constant([[0.0, 1.0, 0.0]], tf.float16),
        logits=tf.constant([[1.0, 2.0, 0.5]], tf.float16),
    )
    assert half.dtype == tf.float16 and half.numpy().tolist() == [0.46435546875]
    logits = tf.reshape(tf.range(24, dtype=tf.float32) / 10, [2, 3, 4])
    labels = tf.nn.softmax(logits * 2, axis=1)
    assert tf.nn.softmax_cross_entropy_with_logits(labels, logits, axis=1).shape == (2, 4)
    # tapeflow choice: negative class axes other than -1 work (TF's wrapper fails on them)
    close(
        tf.nn.softmax_cross_entropy_with_logits(labels, logits, axis=-2),
        tf.nn.softmax_cross_entropy_with_logits(labels, logits, axis=1),
    )


def test_softmax_cross_entropy_gradient_reaches_labels():
    logits = tf.constant([[1.0, 2.0, 0.5]])
    labels = tf.constant([[0.2, 0.7, 0.1]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([logits, labels])
        y = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits) * 3.0
    close(tape.gradient(y, logits), [[0.09367168, -0.21440488, 0.12073313]])
    close(tape.gradient(y, labels), [[4.3931065, 1.3931063, 5.8931065]])


def test_softmax_cross_entropy_improves_on_tf_for_labels():
    # tapeflow choice: broadcast labels get a gradient of their own shape (TF fails in a
    # reshape), and the logits gradient depends on the labels (TF's mixed derivative is 0).
    logits = tf.constant([[1.0, 2.0, 0.5], [3.0, 2.0, 1.0]])
    labels = tf.constant([[0.0, 1.0, 0.0]])
    with tf.GradientTape() as tape:
        tape.watch(labels)
        y = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    close(tape.gradient(y, labels), [[1.8719747, 1.8719747, 4.371975]])
    logits, labels = logits[:1], tf.constant([[0.2, 0.7, 0.1]])
    with tf.GradientTape() as outer:
        outer.watch(labels)
        with tf.GradientTape() as inner:
            inner.watch(logits)
            y = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        g = inner.gradient(y, logits)
    close(g, [[0.03122389, -0.07146829, 0.04024438]])
    close(outer.gradient(g, labels), [[-1, -1, -1]])


def test_softmax_cross_entropy_errors():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0]], logits=[[1.0, 2.0, 0.5]])
    assert str(info.value) == (
        "logits and labels must be broadcastable: logits_size=[1,3] labels_size=[1,2] "
        "[Op:SoftmaxCrossEntropyWithLogits]"
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[Op:Slice\]"):
        tf.nn.softmax_cross_entropy_with_logits(labels=1.0, logits=2.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="{{node SoftmaxCrossEntropyWith"):
        tf.nn.softmax_cross_entropy_with_logits(labels=[[0, 1, 0]], logits=[[1, 2, 0]])


def test_sparse_softmax_cross_entropy_values():
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=[1, 0], logits=[[1.0, 2.0, 0.5], [3.0, 1.0, 0.0]]
    )
    close(loss, [0.4643688, 0.16984604])
    ranked = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.constant([[1, 2]], tf.int64), logits=tf.ones([1, 2, 3])
    )
    close(ranked, [[1.0986123, 1.0986123]])
    half = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=[1, 0], logits=tf.constant([[1.0, 2.0, 0.5], [3.0, 1.0, 0.0]], tf.float16)
    )
    assert half.dtype == tf.float16
    assert tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.zeros([0], tf.int32), logits=tf.zeros([0, 3])
    ).shape == (0,)


def test_sparse_softmax_cross_entropy_gives_no_label_gradient():
    logits = tf.constant([[1.0, 2.0, 0.5]])
    labels = tf.constant([1.0])
    with tf.GradientTape() as tape:
        tape.watch([logits, labels])
        y = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.cast(labels, tf.int32), logits=logits
        )
    dlogits, dlabels = tape.gradient(y, [logits, labels])
    close(dlogits, [[0.2312239, -0.3714683, 0.14024438]])
    assert dlabels is None


@pytest.mark.parametrize(
    "labels, logits, error, message",
    [
        (
            [1, 5],
            [[1.0, 2.0, 0.5], [3.0, 1.0, 0.0]],
            tf.errors.InvalidArgumentError,
            "Received a label value of 5 which is outside the valid range of [0, 3).  "
            "Label values: 1 5 [Op:SparseSoftmaxCrossEntropyWithLogits]",
        ),
        (
            [-1, 2],
            [[1.0, 2.0, 0.5], [3.0, 1.0, 0.0]],
            tf.errors.InvalidArgumentError,
            "Received a label value of -1 which is outside the valid range of [0, 3).  "
            "Label values: -1 2 [Op:SparseSoftmaxCrossEntropyWithLogits]",
        ),
        (
            [[1, 0]],
            [[1.0, 2.0, 0.5], [3.0, 1.0, 0.0]],
            ValueError,
            "`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
            "labels.shape=(1, 2) of rank 2 and logits.shape=(2, 3) of rank 2",
        ),
        (
            [1, 0, 1],
            [[1.0, 2.0, 0.5], [3.0, 1.0, 0.0]],
            ValueError,
            "`labels.shape` must equal `logits.shape` except for the last dimension. "
            "Received: labels.shape=(3,) and logits.shape=(2, 3)",
        ),
        (1, 2.0, ValueError, "`logits` cannot be a scalar. Received logits=2.0`"),
        (
            tf.zeros([2], tf.int32),
            tf.zeros([2, 0]),
            tf.errors.InvalidArgumentError,
            "Must have at least one class, but got logits shape [2,0] "
            "[Op:SparseSoftmaxCrossEntropyWithLogits]",
        ),
    ],
)
def test_sparse_softmax_cross_entropy_errors(labels, logits, error, message):
    with pytest.raises(error) as info:
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    assert str(info.value) == message


def test_sparse_softmax_cross_entropy_needs_integer_labels():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1.0], logits=[[1.0, 2.0]])
    assert str(info.value).startswith(
        "Value for attr 'Tlabels' of float is not in the list of allowed values: int32, int64\n"
        "\t; NodeDef: {{node SparseSoftmaxCrossEntropyWithLogits}}; "
        "Op<name=SparseSoftmaxCrossEntropyWithLogits; signature=features:T, labels:Tlabels -> "
        "loss:T, backprop:T; attr=T:type,allowed=[DT_HALF, DT_BFLOAT16, DT_FLOAT, DT_DOUBLE]; "
        "attr=Tlabels:type,default=DT_INT64,allowed=[DT_INT32, DT_INT64]>"
    )


@pytest.mark.parametrize("sparse", [True, False])
def test_softmax_cross_entropy_second_order_matches_tf(sparse):
    logits = tf.constant([[1.0, 2.0, 0.5]])
    with tf.GradientTape() as outer:
        outer.watch(logits)
        with tf.GradientTape() as inner:
            inner.watch(logits)
            if sparse:
                losses = tf.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=tf.constant([1]), logits=logits
                )
            else:
                losses = tf.nn.softmax_cross_entropy_with_logits(
                    labels=tf.constant([[0.0, 1.0, 0.0]]), logits=logits
                )
            loss = tf.reduce_sum(losses)
        g = inner.gradient(loss, logits)
    h = outer.gradient(g, logits)
    exact = np.testing.assert_array_equal
    exact(g, np.array([[0.2312239, -0.3714683, 0.14024438]], np.float32))
    # the gradient of a softmax row's sum: rounding noise, TF's exactly
    exact(h, np.array([[1.3782018e-08, 3.7463408e-08, 8.3592164e-09]], np.float32))


def test_cross_entropies_at_large_logits_match_tf():
    logits = tf.constant([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]])
    labels = tf.constant([[0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([logits, labels])
        dense = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        sparse = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 0], logits=logits)
    close(dense, [1000, 1000])
    close(tape.gradient(dense, logits), [[0.5, -0.5, 0], [0, 1, -1]])
    close(tape.gradient(dense, labels), [[0, 2000, 1000], [2000, 0, 1000]])
    close(sparse, [0, 2000])
    close(tape.gradient(sparse, logits), [[0, 0, 0], [-1, 1, 0]])
    close(tf.nn.softplus([-1000.0, 1000.0]), [0, 1000])
    close(grad(tf.nn.softplus, [-1000.0, 1000.0]), [0, 1])


# -- sigmoid cross-entropies and other losses ------------------------------------------------


def test_sigmoid_cross_entropy_values_gradients_and_errors():
    labels = tf.constant([0.3, 0.7])
    logits = tf.constant([1.0, -2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([labels, logits])
        y = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    close(y, [1.0132617, 1.526928])
    close(tape.gradient(y, labels), [-1, 2])
    close(tape.gradient(y, logits), [0.43105856, -0.5807971])
    with pytest.raises(
        ValueError, match=r"must have the same shape, received \(\(3,\) vs \(2,\)\)"
    ):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Both `labels` and `logits` must be provided"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=None, logits=[1.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot compute Mul"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=[1, 0], logits=[1.0, 2.0])


def test_weighted_cross_entropy():
    y = tf.nn.weighted_cross_entropy_with_logits(
        labels=[1.0, 0.0, 0.5], logits=[1.0, -2.0, 3.0], pos_weight=2.0
    )
    close(y, [0.6265234, 0.12692809, 1.572881])
    labels, logits, weight = tf.constant([0.3, 0.7]), tf.constant([1.0, -2.0]), tf.constant(1.5)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([labels, logits, weight])
        y = tf.nn.weighted_cross_entropy_with_logits(labels, logits, weight)
    for g in tape.gradient(y, [labels, logits, weight]):
        assert g is not None and np.all(np.isfinite(g.numpy()))


def test_log_poisson_loss():
    targets = tf.constant([0.0, 0.5, 1.0, 3.0])
    log_input = tf.constant([0.1, -1.0, 2.0, 1.0])
    close(tf.nn.log_poisson_loss(targets, log_input), [1.105171, 0.86787945, 5.389056, -0.28171825])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([targets, log_input])
        y = tf.nn.log_poisson_loss(targets, log_input, compute_full_loss=True)
    close(y, [1.105171, 0.86787945, 5.389056, 1.4823633])
    close(tape.gradient(y, targets), [np.nan, 1, -2, 0.265279], rtol=1e-5)
    close(tape.gradient(y, log_input), [1.105171, -0.13212055, 6.389056, -0.28171825])


def test_l2_loss():
    assert tf.nn.l2_loss([1.0, 2.0]).numpy() == 2.5
    assert tf.nn.l2_loss(tf.constant([[1.0, 2.0]], tf.float64)).dtype == tf.float64
    close(grad(tf.nn.l2_loss, [[1.0, -2.0]]), [[1, -2]])


def test_compute_average_loss():
    close(tf.nn.compute_average_loss([1.0, 2.0, 3.0]), 2.0)
    close(tf.nn.compute_average_loss([1.0, 2.0, 3.0], global_batch_size=6), 1.0)
    close(tf.nn.compute_average_loss([1.0, 2.0, 3.0], sample_weight=[1.0, 0.0, 2.0]), 2.3333333)
    close(tf.nn.compute_average_loss([[1.0, 2.0], [3.0, 4.0]], sample_weight=[1.0, 2.0]), 8.5)
    close(tf.nn.compute_average_loss([1.0, 2.0], sample_weight=[[1.0], [2.0]]), 2.5)
    close(tf.nn.compute_average_loss([1.0, 2.0], global_batch_size=0), 0.0)
    integer = tf.nn.compute_average_loss([1, 2, 3])
    assert integer.dtype == tf.float64 and integer.numpy() == 2.0
    assert tf.nn.compute_average_loss(tf.constant([1.0, 2.0], tf.float16)).dtype == tf.float16


def test_compute_average_loss_errors():
    with pytest.raises(ValueError, match="Expected a tensor with at least rank 1. Received "):
        tf.nn.compute_average_loss(2.0)
    with pytest.raises(TypeError) as info:
        tf.nn.compute_average_loss([1.0, 2.0], global_batch_size=2.5)
    assert str(info.value) == (
        'global_batch_size must be an integer..  Expected "x" to be integer type.  Found: '
        "tensor of dtype <dtype: 'float32'>"
    )
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.nn.compute_average_loss([1.0, 2.0], global_batch_size=-1)
    assert str(info.value) == (
        "global_batch_size must be non-negative..  \nCondition x >= 0 did not hold "
        "element-wise:\nx (shape=() dtype=int32) = \n-1"
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="Can not squeeze dim"):
        tf.nn.compute_average_loss([1.0, 2.0], sample_weight=[[1.0, 2.0], [2.0, 3.0]])
    with pytest.raises(ValueError, match=r"saw shape: \(2,\)\."):
        tf.nn.compute_average_loss([1.0, 2.0], global_batch_size=[1, 2])


def test_scale_regularization_loss():
    close(tf.nn.scale_regularization_loss([1.0, 2.0]), 3.0)
    assert tf.nn.scale_regularization_loss(tf.constant(3)).dtype == tf.float64


# -- bias_add, l2_normalize, moments, batch_normalization ----------------------------------------


def test_bias_add_formats_and_gradients():
    close(tf.nn.bias_add([[1.0, 2.0], [3.0, 4.0]], [10.0, 20.0]), [[11, 22], [13, 24]])
    x = tf.ones([2, 3, 2])
    b = tf.constant([1.0, 2.0, 3.0])
    weights = tf.reshape(tf.range(12, dtype=tf.float32), [2, 3, 2])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, b])
        y = tf.nn.bias_add(x, b, data_format="NC...") * weights
    close(tape.gradient(y, x), weights)
    close(tape.gradient(y, b), [14, 22, 30])
    assert tf.nn.bias_add(tf.ones([1, 1, 1, 1, 1, 2]), [10.0, 20.0]).shape == (1, 1, 1, 1, 1, 2)


def test_bias_add_second_order():
    x = tf.ones([2, 2])
    b = tf.constant([1.0, 2.0])
    with tf.GradientTape() as outer:
        outer.watch(b)
        with tf.GradientTape() as inner:
            inner.watch(b)
            y = tf.nn.bias_add(x, b) ** 2
        g = inner.gradient(y, b)
    close(g, [8, 12])
    close(outer.gradient(g, b), [4, 4])


@pytest.mark.parametrize(
    "value, bias, data_format, error, message",
    [
        ([1.0, 2.0], [10.0, 20.0], None, tf.errors.InvalidArgumentError,
         "Input tensor must be at least 2D: [2] [Op:BiasAdd]"),
        ([[1.0, 2.0]], [10.0, 20.0, 30.0], None, tf.errors.InvalidArgumentError,
         "Must provide as many biases as the last dimension of the input tensor: [3] vs. [1,2] "
         "[Op:BiasAdd]"),
        ([[1.0, 2.0]], [[10.0, 20.0]], None, tf.errors.InvalidArgumentError,
         "Biases must be 1D: [1,2] [Op:BiasAdd]"),
        ([[1.0, 2.0]], [10.0, 20.0], "XY", ValueError,
         "`data_format` must be of the form `N...C` or `NC...`. Received: data_format=XY"),
        ([[1, 2]], [1.0, 2.0], None, TypeError,
         "Cannot convert [1.0, 2.0] to EagerTensor of dtype int32"),
    ],
)  # fmt: skip
def test_bias_add_errors(value, bias, data_format, error, message):
    with pytest.raises(error) as info:
        tf.nn.bias_add(value, bias, data_format=data_format)
    assert str(info.value) == message


def test_l2_normalize():
    close(tf.nn.l2_normalize([3.0, 4.0]), [0.6, 0.8])
    close(tf.nn.l2_normalize([[3.0, 4.0], [0.0, 0.0]], axis=0), [[1, 1], [0, 0]])
    close(tf.nn.l2_normalize([3.0, 4.0], epsilon=100.0), [0.3, 0.4])
    close(tf.nn.l2_normalize([[3.0, 4.0]], dim=1), [[0.6, 0.8]])
    close(tf.nn.l2_normalize(tf.constant([3 + 4j, 1j])), [0.58834841 + 0.78446454j, 0.19611614j])
    close(grad(tf.nn.l2_normalize, [0.0, 0.0]), [1e6, 1e6])
    assert tf.math.l2_normalize is tf.nn.l2_normalize
    with pytest.raises(TypeError, match="Cannot convert 1e-12 to EagerTensor of dtype int32"):
        tf.nn.l2_normalize([3, 4])


def test_moments():
    x = tf.constant([[1.0, 2.0, 4.0], [3.0, 5.0, 9.0]])
    mean, variance = tf.nn.moments(x, axes=[0])
    close(mean, [2, 3.5, 6.5])
    close(variance, [1, 2.25, 6.25])
    mean, variance = tf.nn.moments(x, axes=[0, 1], keepdims=True)
    assert mean.shape == (1, 1) and variance.shape == (1, 1)
    close(variance, [[6.6666665]])
    # TF squeezes with the axes given: an empty list drops every axis of size 1
    assert tf.nn.moments(tf.constant([[1.0, 2.0]]), axes=[])[0].shape == (2,)
    mean, variance = tf.nn.moments(tf.constant([1.0, 2.0, 1000.0], tf.float16), axes=[0])
    assert mean.dtype == tf.float16 and mean.numpy() == 334.25 and np.isinf(variance.numpy())
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        mean, variance = tf.nn.moments(x, axes=[1])
    close(tape.gradient(mean, x), np.full((2, 3), 1 / 3))
    close(
        tape.gradient(variance, x),
        [[-0.88888884, -0.22222218, 1.1111112], [-1.7777777, -0.44444436, 2.2222223]],
        rtol=1e-5,
    )


def test_batch_normalization():
    x = tf.constant([[1.0, 2.0], [3.0, 5.0]])
    mean, variance = tf.constant([2.0, 3.5]), tf.constant([1.0, 2.25])
    offset, scale = tf.constant([0.0, 1.0]), tf.constant([1.0, 2.0])
    weights = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, mean, variance, offset, scale])
        y = tf.nn.batch_normalization(x, mean, variance, offset, scale, 1e-3) * weights
    grads = tape.gradient(y, [x, mean, variance, offset, scale])
    close(grads[0], [[0.9995004, 2.6660743], [2.9985013, 5.3321486]])
    close(grads[1], [-3.9980016, -7.998223])
    close(grads[2], [-0.9985019, -0.88829666], rtol=1e-5)
    close(grads[3], [4, 6])
    close(grads[4], [1.9990008, 1.9995557])
    half = tf.nn.batch_normalization(
        tf.constant([[1.0, 2.0]], tf.float64), tf.constant([1.0, 1.0]), tf.constant([1.0, 4.0]),
        None, None, 0.0,
    )  # fmt: skip
    assert half.dtype == tf.float64
    close(half, [[0, 0.5]])
