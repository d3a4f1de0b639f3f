"""tf.random and tf.nn.dropout: distributions (checked statistically, since TF's streams cannot
be reproduced), dtypes, TF's seed semantics, gradients and errors."""

import subprocess
import sys

import numpy as np
import pytest

import tapeflow as tf

N = 100_000  # samples for the statistical checks; tolerances are several standard errors


@pytest.fixture(autouse=True)
def _unseeded():
    """Each test starts (and leaves the process) without a global seed."""
    tf.random.set_seed(None)
    yield
    tf.random.set_seed(None)


# -- distributions ----------------------------------------------------------------------------


def test_normal_has_mean_and_stddev():
    tf.random.set_seed(1)
    x = tf.random.normal([N]).numpy()
    assert abs(x.mean()) < 0.02 and abs(x.std() - 1) < 0.02
    y = tf.random.normal([N], mean=3.0, stddev=0.5, dtype=tf.float64).numpy()
    assert abs(y.mean() - 3) < 0.01 and abs(y.std() - 0.5) < 0.01


def test_normal_broadcasts_mean_and_stddev():
    tf.random.set_seed(2)
    x = tf.random.normal([N, 2], mean=[0.0, 10.0], stddev=[1.0, 0.1]).numpy()
    np.testing.assert_allclose(x.mean(axis=0), [0, 10], atol=0.02)
    np.testing.assert_allclose(x.std(axis=0), [1, 0.1], rtol=0.02)


def test_uniform_float_is_in_unit_interval_with_uniform_moments():
    tf.random.set_seed(3)
    x = tf.random.uniform([N]).numpy()
    assert x.min() >= 0 and x.max() < 1
    assert abs(x.mean() - 0.5) < 0.005 and abs(x.var() - 1 / 12) < 0.002


def test_uniform_float_range():
    tf.random.set_seed(4)
    x = tf.random.uniform([N], minval=-2.0, maxval=3.0).numpy()
    assert x.min() >= -2 and x.max() < 3
    assert abs(x.mean() - 0.5) < 0.03
    y = tf.random.uniform([N], maxval=4.0).numpy()  # minval 0: scaled only
    assert y.min() >= 0 and y.max() < 4 and abs(y.mean() - 2) < 0.03


@pytest.mark.parametrize(("dtype", "bits"), [(tf.float16, 10), (tf.bfloat16, 7)])
def test_uniform_half_types_are_multiples_of_the_mantissa_step(dtype, bits):
    x = tf.random.uniform([10_000], dtype=dtype)
    assert x.dtype == dtype
    values = x.numpy().astype(np.float64)
    assert values.min() >= 0 and values.max() < 1
    np.testing.assert_array_equal(values * 2**bits, np.round(values * 2**bits))


def test_uniform_int_covers_range_evenly():
    tf.random.set_seed(5)
    x = tf.random.uniform([N], minval=-3, maxval=4, dtype=tf.int32)
    assert x.dtype == tf.int32
    counts = np.bincount(x.numpy() + 3, minlength=7)
    assert counts.size == 7
    np.testing.assert_allclose(counts / N, 1 / 7, atol=0.01)
    assert tf.random.uniform([3], maxval=2**40, dtype=tf.int64).dtype == tf.int64


def test_truncated_normal_stays_within_two_stddevs():
    tf.random.set_seed(6)
    x = tf.random.truncated_normal([N]).numpy()
    assert np.abs(x).max() <= 2
    # N(0, 1) truncated to [-2, 2]: variance 1 - 4 φ(2) / (Φ(2) - Φ(-2)) ≈ 0.7737
    assert abs(x.mean()) < 0.01 and abs(x.var() - 0.7737) < 0.01
    y = tf.random.truncated_normal([N], mean=5.0, stddev=2.0, dtype=tf.float64).numpy()
    assert y.min() >= 1 and y.max() <= 9 and abs(y.mean() - 5) < 0.03


def test_categorical_frequencies_follow_softmax():
    tf.random.set_seed(7)
    probs = np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])
    samples = tf.random.categorical(np.log(probs), 20_000)
    assert samples.dtype == tf.int64 and samples.shape == (2, 20_000)
    for row, p in zip(samples.numpy(), probs):
        np.testing.assert_allclose(np.bincount(row, minlength=3) / row.size, p, atol=0.015)


def test_categorical_non_finite_logits_weigh_nothing():
    # TF's kernel: -inf, +inf and nan logits are never drawn; a row without a finite logit
    # gives num_classes
    logits = [[-np.inf, 0.0, np.nan], [np.inf, -np.inf, 1.0], [-np.inf, -np.inf, -np.inf]]
    samples = tf.random.categorical(logits, 50, dtype=tf.int32)
    assert samples.dtype == tf.int32
    np.testing.assert_array_equal(samples.numpy(), [[1] * 50, [2] * 50, [3] * 50])


def test_categorical_shapes():
    assert tf.random.categorical([[0.0, 0.0]], 0).shape == (1, 0)
    assert tf.random.categorical(tf.zeros([0, 2]), 3).shape == (0, 3)
    assert tf.random.categorical(tf.zeros([1, 2], tf.float16), tf.constant(2)).shape == (1, 2)


def test_shuffle_permutes_rows():
    x = tf.reshape(tf.range(200), [100, 2])
    y = tf.random.shuffle(x).numpy()
    assert y.shape == (100, 2)
    np.testing.assert_array_equal(y[:, 1] - y[:, 0], 1)  # rows move whole
    np.testing.assert_array_equal(np.sort(y[:, 0]), np.arange(0, 200, 2))
    assert int(tf.random.shuffle(5)) == 5
    assert tf.random.shuffle(tf.zeros([0, 2])).shape == (0, 2)


@pytest.mark.parametrize(
    "make",
    [
        lambda dtype: tf.random.normal([3], dtype=dtype),
        lambda dtype: tf.random.uniform([3], dtype=dtype),
        lambda dtype: tf.random.truncated_normal([3], dtype=dtype),
    ],
)
@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16, tf.float32, tf.float64])
def test_float_dtypes(make, dtype):
    assert make(dtype).dtype == dtype


def test_default_dtype_is_float32_and_shapes_are_accepted_in_all_forms():
    for shape in ([2, 3], (2, 3), tf.TensorShape([2, 3]), tf.constant([2, 3]), np.array([2, 3])):
        x = tf.random.normal(shape)
        assert x.dtype == tf.float32 and x.shape == (2, 3)
    assert tf.random.uniform([]).shape == ()
    assert tf.random.uniform(tf.constant([2], tf.int64)).shape == (2,)
    assert tf.random.normal([2, tf.constant(3)]).shape == (2, 3)


# -- seeds ------------------------------------------------------------------------------------


def test_global_seed_makes_the_sequence_reproducible():
    tf.random.set_seed(0)
    first = [tf.random.normal([3]), tf.random.uniform([2]), tf.random.normal([3])]
    tf.random.set_seed(0)
    again = [tf.random.normal([3]), tf.random.uniform([2]), tf.random.normal([3])]
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], first[2])  # successive ops draw different values
    tf.random.set_seed(1)
    assert not np.array_equal(tf.random.normal([3]), first[0])


def test_op_seed_repeats_differ_until_set_seed_restarts():
    # TF's kernels count their calls: the same op seed gives new values each call
    tf.random.set_seed(0)
    a, b = tf.random.normal([2], seed=1), tf.random.normal([2], seed=1)
    assert not np.array_equal(a, b)
    tf.random.set_seed(0)
    np.testing.assert_array_equal(tf.random.normal([2], seed=1), a)
    np.testing.assert_array_equal(tf.random.normal([2], seed=1), b)


def test_op_seed_combines_with_global_seed():
    tf.random.set_seed(0)
    a = tf.random.uniform([4], seed=5)
    tf.random.set_seed(1)
    b = tf.random.uniform([4], seed=5)
    tf.random.set_seed(None)
    c = tf.random.uniform([4], seed=5)
    assert not np.array_equal(a, b) and not np.array_equal(a, c) and not np.array_equal(b, c)


def test_op_seeds_are_independent_of_unseeded_ops_between_them():
    tf.random.set_seed(None)
    a = tf.random.normal([3], seed=7)
    tf.random.set_seed(None)
    tf.random.normal([5])  # no seed: does not disturb seeded kernels
    np.testing.assert_array_equal(tf.random.normal([3], seed=7), a)


def test_unseeded_draws_differ():
    assert not np.array_equal(tf.random.normal([8]), tf.random.normal([8]))


def test_seeds_across_processes():
    """Unseeded draws differ from run to run; an op seed alone or a global seed gives the
    same values in every run (TF's rules)."""
    code = (
        "import tapeflow as tf;"
        "print(tf.random.normal([2]).numpy().tolist());"
        "print(tf.random.normal([2], seed=3).numpy().tolist());"
        "tf.random.set_seed(9); print(tf.random.uniform([2]).numpy().tolist())"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        for _ in range(2)
    ]
    first, second = (r.stdout.splitlines() for r in runs)
    assert first[0] != second[0]
    assert first[1:] == second[1:]


def test_set_seed_accepts_numpy_values():
    tf.random.set_seed(np.array(3))
    a = tf.random.normal([2])
    tf.random.set_seed(3)
    np.testing.assert_array_equal(tf.random.normal([2]), a)


def test_dropout_with_rate_zero_still_takes_a_seed():
    # TF draws an op seed even then, so the draws after it do not depend on the rate
    tf.random.set_seed(0)
    tf.nn.dropout(tf.ones([3]), 0.0)
    a = tf.random.normal([3])
    tf.random.set_seed(0)
    tf.nn.dropout(tf.ones([3]), 0.5)
    np.testing.assert_array_equal(tf.random.normal([3]), a)


# -- gradients --------------------------------------------------------------------------------


def test_random_ops_have_no_gradient_to_their_shape():
    x = tf.constant([-1.0, 0.0, 1.0, 2.5])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        outputs = [
            tf.random.uniform(tf.shape(x)),
            tf.random.shuffle(x),
            tf.cast(tf.random.categorical([x], 3), tf.float32),
        ]
    assert [tape.gradient(y, x) for y in outputs] == [None, None, None]


def test_gradients_reach_mean_stddev_minval_maxval():
    mean, stddev = tf.constant(0.5, tf.float64), tf.constant([1.0, 2.0, 3.0], tf.float64)
    low, high = tf.constant(-1.0, tf.float64), tf.constant(4.0, tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([mean, stddev, low, high])
        n = tf.random.normal([3], mean=mean, stddev=stddev, dtype=tf.float64)
        t = tf.random.truncated_normal([3], mean=mean, stddev=stddev, dtype=tf.float64)
        u = tf.random.uniform([3], minval=low, maxval=high, dtype=tf.float64)
        v = tf.random.uniform([3], maxval=high, dtype=tf.float64)
    # n = z * stddev + mean: d/dmean = 3 (one per sample), d/dstddev = z = (n - mean) / stddev
    assert float(tape.gradient(n, mean)) == 3.0
    np.testing.assert_allclose(tape.gradient(n, stddev), (n - mean) / stddev)
    assert float(tape.gradient(t, mean)) == 3.0
    # u = r * (high - low) + low: d/dlow = Σ (1 - r), d/dhigh = Σ r, with r = (u - low) / 5
    r = (u.numpy() + 1) / 5
    np.testing.assert_allclose(tape.gradient(u, [low, high]), [np.sum(1 - r), np.sum(r)])
    np.testing.assert_allclose(tape.gradient(v, high), np.sum(v.numpy() / 4))


# -- dropout ----------------------------------------------------------------------------------


def test_dropout_scales_kept_entries_and_drops_about_rate():
    tf.random.set_seed(11)
    y = tf.nn.dropout(tf.ones([N]), rate=0.25).numpy()
    assert set(np.unique(y)) <= {0.0, np.float32(1 / 0.75)}
    assert abs(np.mean(y == 0) - 0.25) < 0.01
    assert abs(y.mean() - 1) < 0.02  # the scaling keeps the expected value


def test_dropout_rate_zero_returns_input():
    x = tf.constant([1.0, 2.0])
    assert tf.nn.dropout(x, 0) is x


def test_dropout_gradient_flows_through_kept_entries():
    x = tf.constant(np.arange(1.0, 9.0).reshape(2, 4))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.dropout(x, 0.5, seed=4)
    kept = y.numpy() != 0
    np.testing.assert_array_equal(tape.gradient(y, x), np.where(kept, 2.0, 0.0))
    np.testing.assert_array_equal(y, np.where(kept, 2 * x.numpy(), 0))


def test_dropout_tensor_rate_and_noise_shape():
    x = tf.ones([50, 4])
    y = tf.nn.dropout(x, tf.constant(0.5), noise_shape=[50, 1]).numpy()
    assert set(np.unique(y)) <= {0.0, 2.0}
    assert all(len(set(row)) == 1 for row in y)  # whole rows kept or dropped together
    z = tf.nn.dropout(x, 0.5, noise_shape=[None, 1]).numpy()  # None: taken from x
    assert all(len(set(row)) == 1 for row in z)
    assert tf.nn.dropout(tf.ones([4], tf.float16), 0.5).dtype == tf.float16


def test_dropout_with_variable_input_reaches_the_variable():
    v = tf.Variable([1.0, 2.0, 3.0, 4.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.nn.dropout(v, 0.5, seed=2))
    g = tape.gradient(y, v).numpy()
    assert set(np.unique(g)) <= {0.0, 2.0}


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: tf.nn.dropout(tf.ones([2]), 1.0), ValueError, "in the range [0, 1)"),
        (lambda: tf.nn.dropout(tf.ones([2]), -0.1), ValueError, "Received: rate=-0.1"),
        (
            lambda: tf.nn.dropout(tf.ones([2], tf.int32), 0.5),
            ValueError,
            "`x.dtype` must be a floating point tensor as `x` will be scaled. "
            "Received: x_dtype=<dtype: 'int32'>",
        ),
        (
            lambda: tf.nn.dropout(tf.ones([2]), tf.constant(0.5, tf.float64)),
            ValueError,
            "Received: x.dtype=<dtype: 'float32'> and rate.dtype=<dtype: 'float64'>",
        ),
        (lambda: tf.nn.dropout(tf.ones([2]), tf.constant([0.5])), ValueError, "must have rank 0"),
        (lambda: tf.nn.dropout(tf.ones([2]), "0.5"), ValueError, "must be a scalar or scalar"),
    ],
)
def test_dropout_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: tf.random.normal([2], dtype=tf.int32),
            TypeError,
            "Cannot convert 0.0 to EagerTensor of dtype int32",
        ),
        (
            lambda: tf.random.normal([2], dtype=tf.complex64),
            tf.errors.InvalidArgumentError,
            "Value for attr 'dtype' of complex64 is not in the list of allowed values: "
            "half, bfloat16, float, double\n\t; NodeDef: {{node RandomStandardNormal}}; "
            "Op<name=RandomStandardNormal; signature=shape:T -> output:dtype;",
        ),
        (
            lambda: tf.random.uniform([2.5]),
            tf.errors.InvalidArgumentError,
            "Value for attr 'T' of float is not in the list of allowed values: int32, int64\n\t; "
            "NodeDef: {{node RandomUniform}}; Op<name=RandomUniform;",
        ),
        (
            lambda: tf.random.normal(3),
            tf.errors.InvalidArgumentError,
            "shape must be a vector of {int32,int64}, got shape [] [Op:RandomStandardNormal]",
        ),
        (
            lambda: tf.random.truncated_normal([-1]),
            tf.errors.InvalidArgumentError,
            "Dimension -1 must be >= 0 [Op:TruncatedNormal]",
        ),
        (
            lambda: tf.random.uniform([2], dtype=tf.int32),
            ValueError,
            "Must specify maxval for integer dtype tf.int32",
        ),
        (
            lambda: tf.random.uniform([2], maxval=3, dtype=tf.int8),
            ValueError,
            "Argument `dtype` got invalid value <dtype: 'int8'>. Accepted dtypes are "
            "(tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64).",
        ),
        (
            lambda: tf.random.uniform([2], minval=3, maxval=3, dtype=tf.int32),
            tf.errors.InvalidArgumentError,
            "Need minval < maxval, got 3 >= 3 [Op:RandomUniformInt]",
        ),
        (
            lambda: tf.random.uniform([2], minval=[1, 2], maxval=3, dtype=tf.int32),
            tf.errors.InvalidArgumentError,
            "minval must be 0-D, got shape [2] [Op:RandomUniformInt]",
        ),
        (
            lambda: tf.random.uniform(
                [2], minval=tf.constant(1, tf.int64), maxval=3, dtype=tf.int32
            ),
            ValueError,
            "min: Tensor conversion requested dtype int32 for Tensor with dtype int64",
        ),
        (
            lambda: tf.random.categorical([0.0, 0.0], 5),
            tf.errors.InvalidArgumentError,
            "logits should be a matrix, got shape [2] [Op:Multinomial]",
        ),
        (
            lambda: tf.random.categorical([[0.0, 0.0]], -1),
            tf.errors.InvalidArgumentError,
            "num_samples should be non-negative, got -1 [Op:Multinomial]",
        ),
        (
            lambda: tf.random.categorical(tf.zeros([1, 0]), 3),
            tf.errors.InvalidArgumentError,
            "num_classes should be positive, got 0 [Op:Multinomial]",
        ),
        (
            lambda: tf.random.categorical([[0.0, 0.0]], 2.5),
            TypeError,
            "Cannot convert 2.5 to EagerTensor of dtype int32",
        ),
        (
            lambda: tf.random.categorical([[0.0]], 3, dtype=tf.int16),
            ValueError,
            "Argument `dtype` got invalid value <dtype: 'int16'>. Accepted dtypes are "
            "(tf.int32, tf.int64).",
        ),
        (
            lambda: tf.random.categorical([[1, 2]], 3),
            tf.errors.NotFoundError,
            "Could not find device for node: {{node Multinomial}} = Multinomial[T=DT_INT32, "
            "output_dtype=DT_INT64",
        ),
    ],
)
def test_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)


# -- tf.random.Generator ----------------------------------------------------------------------


def test_generator_from_seed_is_reproducible_and_keeps_its_state_in_a_variable():
    g = tf.random.Generator.from_seed(1)
    assert repr(g.state) == (
        "<tf.Variable 'StateVar:0' shape=(3,) dtype=int64, numpy=array([1, 0, 0])>"
    )
    assert g.algorithm == 1 and int(g.key) == 0
    a, b = g.normal([3]), g.normal([3])
    assert not np.array_equal(a, b)
    assert g.state.numpy()[0] == 3  # each draw moves the counter on
    g.reset_from_seed(1)
    np.testing.assert_array_equal(g.normal([3]), a)
    np.testing.assert_array_equal(tf.random.Generator.from_seed(1).normal([3]), a)
    assert not np.array_equal(tf.random.Generator.from_seed(2).normal([3]), a)


def test_generator_distributions():
    g = tf.random.Generator.from_seed(3)
    x = g.normal([N], mean=1.0, stddev=2.0).numpy()
    assert abs(x.mean() - 1) < 0.03 and abs(x.std() - 2) < 0.03
    u = g.uniform([N], minval=2.0, maxval=4.0).numpy()
    assert u.min() >= 2 and u.max() < 4 and abs(u.mean() - 3) < 0.01
    assert np.abs(g.truncated_normal([N]).numpy()).max() <= 2
    ints = g.uniform([N], minval=0, maxval=5, dtype=tf.int64).numpy()
    np.testing.assert_array_equal(np.unique(ints), np.arange(5))
    full = g.uniform([N], minval=None, maxval=None, dtype=tf.int32).numpy()
    assert full.dtype == np.int32 and full.min() < -(2**30) and full.max() > 2**30
    assert g.uniform_full_int([2]).dtype == tf.uint64
    b = g.binomial([N, 2], counts=[10.0, 20.0], probs=0.25).numpy()
    assert b.dtype == np.int32 and b.min() >= 0 and b[:, 1].max() <= 20
    np.testing.assert_allclose(b.mean(axis=0), [2.5, 5.0], atol=0.05)


def test_generator_gradients_reach_mean():
    g = tf.random.Generator.from_seed(0)
    mean = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(mean)
        y = g.normal([2], mean=mean)
    assert float(tape.gradient(y, mean)) == 2.0


def test_generator_split_and_make_seeds():
    g = tf.random.Generator.from_seed(5)
    children = g.split(3)
    assert len(children) == 3 and all(isinstance(c, tf.random.Generator) for c in children)
    draws = [c.normal([4]).numpy() for c in children] + [g.normal([4]).numpy()]
    assert len({d.tobytes() for d in draws}) == 4
    seeds = g.make_seeds(4)
    assert seeds.dtype == tf.int64 and seeds.shape == (2, 4)
    np.testing.assert_array_equal(seeds[1], 0)


def test_generator_constructors_and_global_generator():
    np.testing.assert_array_equal(tf.random.create_rng_state(1234, "philox"), [1234, 0, 0])
    np.testing.assert_array_equal(tf.random.create_rng_state([12, 34], "threefry"), [12, 34])
    np.testing.assert_array_equal(tf.random.create_rng_state(2**64 + 5, 1), [5, 1, 0])
    g = tf.random.Generator.from_key_counter(key=7, counter=[1, 2], alg="philox")
    np.testing.assert_array_equal(g.state.numpy(), [1, 2, 7])
    copy = tf.random.Generator(copy_from=g)
    np.testing.assert_array_equal(copy.normal([2]), g.normal([2]))
    threefry = tf.random.Generator.from_seed(1, alg=tf.random.Algorithm.THREEFRY)
    assert threefry.algorithm == 2 and threefry.state.shape == (2,)
    a = tf.random.Generator.from_non_deterministic_state().normal([4])
    b = tf.random.Generator.from_non_deterministic_state().normal([4])
    assert not np.array_equal(a, b)
    mine = tf.random.Generator.from_seed(9)
    previous = tf.random.get_global_generator()
    try:
        tf.random.set_global_generator(mine)
        assert tf.random.get_global_generator() is mine
    finally:
        tf.random.set_global_generator(previous)


def test_generator_uniform_int_needs_both_bounds_or_neither():
    g = tf.random.Generator.from_seed(1)
    with pytest.raises(ValueError) as info:
        g.uniform([2], dtype=tf.int32)
    assert str(info.value) == (
        "For integer dtype <dtype: 'int32'>, minval and maxval must be both `None` or both "
        "non-`None`; got minval=0 and maxval=None"
    )
