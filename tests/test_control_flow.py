"""tf.cond, tf.while_loop, tf.case and tf.switch_case in eager mode: only the Python that ran
is recorded, so gradients follow the branch taken and the iterations done (spec §16)."""

import numpy as np
import pytest

import tapeflow as tf

TRUE, FALSE = tf.constant(True), tf.constant(False)


# -- tf.cond ----------------------------------------------------------------------------------


def test_cond_gradient_follows_the_branch_taken():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.cond(x > 0, lambda: x * x, lambda: -x)
        z = tf.cond(x < 0, lambda: x * x, lambda: -x)
    assert float(tape.gradient(y, x)) == 6.0  # spec §16
    assert float(tape.gradient(z, x)) == -1.0


def test_cond_runs_only_one_branch():
    ran = []
    result = tf.cond(FALSE, lambda: ran.append("true"), lambda: ran.append("false") or 7)
    assert ran == ["false"] and result == 7


@pytest.mark.parametrize(
    ("pred", "taken"),
    [
        (True, 1),
        (False, 2),
        (tf.constant(0), 2),
        (tf.constant(2), 1),
        (tf.constant([True]), 1),
        (tf.constant(1.0), 1),
        ([True], 1),
        ("a", 1),
        ("", 2),
        (np.array([True]), 1),
        (tf.Variable(True), 1),
    ],
)
def test_cond_reads_the_predicate_as_tf_does(pred, taken):
    assert tf.cond(pred, lambda: 1, lambda: 2) == taken


def test_cond_returns_the_branch_result_unchanged():
    x = tf.constant(3.0)
    assert tf.cond(x > 0, lambda: [x], lambda: [x])[0] is x
    assert tf.cond(x > 0, lambda: (x, 1), lambda: 2)[1] == 1
    assert tf.cond(x > 0, lambda: None, lambda: 2) is None
    assert tf.cond(x > 0, true_fn=lambda: 1, false_fn=lambda: 2) == 1


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: tf.cond(TRUE, lambda: 1), TypeError, "cond(): 'false_fn' argument required"),
        (lambda: tf.cond(TRUE, None, lambda: 1), TypeError, "cond(): 'true_fn' argument required"),
        (lambda: tf.cond(TRUE, 1, lambda: 2), TypeError, "'true_fn' must be callable."),
        (
            lambda: tf.cond(tf.constant([True, False]), lambda: 1, lambda: 2),
            ValueError,
            "The truth value of an array with more than one element is ambiguous. "
            "Use a.any() or a.all()",
        ),
    ],
)
def test_cond_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


# -- tf.while_loop ----------------------------------------------------------------------------


def test_while_loop_gradient_flows_through_the_iterations():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        _, z = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), [0, tf.constant(1.0)])
    assert float(z) == 27.0
    assert float(tape.gradient(z, x)) == 27.0  # d(x³)/dx at 3, spec §16


def test_while_loop_second_order():
    x = tf.constant(2.0, tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            (y,) = tf.while_loop(lambda a: a < 100, lambda a: (a * x,), [x])
        dy = inner.gradient(y, x)  # y = x^7 (128): 7x^6
    assert float(y) == 128.0 and float(dy) == 448.0
    assert float(outer.gradient(dy, x)) == 42 * 2.0**5


def test_while_loop_returns_tensors_in_the_structure_body_returns():
    i, s = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s), [0, "a"])
    assert isinstance(i, tf.Tensor) and int(i) == 3 and s.dtype == tf.string
    result = tf.while_loop(lambda i: i < 3, lambda i: [i + 1], (0,))
    assert isinstance(result, list) and int(result[0]) == 3
    nested = tf.while_loop(lambda i, t: i < 2, lambda i, t: (i + 1, t), (0, (1, [2])))
    assert int(nested[1][1][0]) == 2 and isinstance(nested[1], tuple)


def test_while_loop_that_never_runs_returns_loop_vars_as_tensors():
    result = tf.while_loop(lambda i: i < 0, lambda i: (i + 1,), [0])
    assert isinstance(result, list) and isinstance(result[0], tf.Tensor) and int(result[0]) == 0


def test_while_loop_maximum_iterations():
    (x,) = tf.while_loop(
        lambda i: i < 10, lambda i: [i + 1], [tf.constant(0.5)], maximum_iterations=2
    )
    assert float(x) == 2.5
    limit = tf.constant(3)
    i, j = tf.while_loop(
        lambda i, j: i < 10, lambda i, j: (i + 1, j * 2), [0, 1.0], maximum_iterations=limit
    )
    assert int(i) == 3 and float(j) == 8.0
    assert float(tf.while_loop(lambda i: True, lambda i: (i + 1,), [0.5], maximum_iterations=0)[0])
    assert float(tf.while_loop(lambda i: True, lambda i: (i + 1,), [0.5], maximum_iterations=-1)[0])


def test_while_loop_reads_variables():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        (y,) = tf.while_loop(lambda a: a < 10, lambda a: (a * a,), [v])
    assert float(y) == 16.0
    assert float(tape.gradient(y, v)) == 32.0  # v⁴


def test_while_loop_structure_mismatch_names_the_loop_vars_specs():
    with pytest.raises(ValueError) as info:
        tf.while_loop(lambda i: i < 3, lambda i: (i + 1, 2), [0])
    assert str(info.value).startswith(
        "The two structures don't have the same nested structure.\n\n"
        "First structure: type=list str=[TensorSpec(shape=(), dtype=tf.int32, name=None)]\n\n"
        "Second structure: type=list str=[1, 2]\n\n"
    )
    with pytest.raises(TypeError, match="The two namedtuples don't have the same sequence type"):
        tf.while_loop(lambda i, t: i < 3, lambda i, t: (i + 1, [1, [2]]), (0, (1, [2])))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: tf.while_loop(5, lambda i: i, [0]), TypeError, "'cond' must be callable."),
        (lambda: tf.while_loop(lambda i: i < 3, 5, [0]), TypeError, "'body' must be callable."),
        (
            lambda: tf.while_loop(lambda i: i < 3, lambda i: i, [0], parallel_iterations=0),
            TypeError,
            "'parallel_iterations' must be a positive integer.",
        ),
        (lambda: tf.while_loop(lambda i: i < 3, lambda i: i, []), ValueError, "'loop_vars' must"),
        (lambda: tf.while_loop(lambda i: i < 3, lambda i: i, 0), ValueError, "'loop_vars' must"),
        (
            lambda: tf.while_loop(lambda i: i < 3, lambda i: i, [0], maximum_iterations=[2]),
            ValueError,
            "'maximum_iterations' must be a scalar. Received shape: (1,)",
        ),
        # a body returning a bare value for one loop variable: TF's error
        (lambda: tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0]), TypeError, "'int' object"),
    ],
)
def test_while_loop_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value).startswith(message)


# -- tf.case ----------------------------------------------------------------------------------


def test_case_runs_the_first_true_branch_or_default():
    assert tf.case([(TRUE, lambda: 1), (TRUE, lambda: 2)], default=lambda: 3) == 1
    assert tf.case([(FALSE, lambda: 1), (TRUE, lambda: 2)], default=lambda: 3) == 2
    assert tf.case([(FALSE, lambda: 1), (FALSE, lambda: 2)], default=lambda: 3) == 3
    assert tf.case([(FALSE, lambda: 1), (TRUE, lambda: 2)]) == 2


def test_case_gradient_follows_the_branch_taken():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.case([(x < 0, lambda: -x), (x < 5, lambda: x**3)], default=lambda: x)
    assert float(tape.gradient(y, x)) == 12.0


def test_case_unpacks_one_element_results_once_per_cond_as_tf():
    # TF chains conds, each unpacking a one-element list unless strict=True
    assert tf.case([(TRUE, lambda: [1])]) == [1]
    assert tf.case([(TRUE, lambda: [[1]]), (TRUE, lambda: 2)]) == [1]
    assert tf.case([(FALSE, lambda: 1), (TRUE, lambda: [[[2]]])]) == [[2]]
    assert tf.case([(FALSE, lambda: 1), (FALSE, lambda: 5)], default=lambda: [[[2]]]) == [2]
    assert tf.case([(FALSE, lambda: 1), (TRUE, lambda: [[[2]]])], strict=True) == [[[2]]]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: tf.case([(FALSE, lambda: 1), (FALSE, lambda: 2)] * 2),
            tf.errors.InvalidArgumentError,
            "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: "
            "b'Input error: None of conditions evaluated as True:'\nFalse, False, False, ...",
        ),
        (
            lambda: tf.case(
                [(TRUE, lambda: 1), (TRUE, lambda: 2), (TRUE, lambda: 3)], exclusive=True
            ),
            tf.errors.InvalidArgumentError,
            "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: "
            "b'Input error: exclusive=True: more than 1 conditions (?, ?) evaluated as True:'"
            "\nTrue, True",
        ),
        (
            lambda: tf.case([(FALSE, lambda: 1)], default=5),
            TypeError,
            "'false_fn' must be callable.",
        ),
        (lambda: tf.case([(True, lambda: 1)]), TypeError, "pred must be a Tensor, got: True"),
        (
            lambda: tf.case([TRUE]),
            TypeError,
            "Each entry in 'pred_fn_pairs' must be a 2-tuple. Received True.",
        ),
        (
            lambda: tf.case(5),
            TypeError,
            "'pred_fn_pairs' must be a list, tuple, or dict. Received: <class 'int'>",
        ),
        (
            lambda: tf.case({TRUE.ref(): lambda: 1}),
            ValueError,
            "Unordered dictionaries are not supported for the 'pred_fn_pairs' argument when "
            "`exclusive=False` and eager mode is enabled.",
        ),
        (lambda: tf.case([]), ValueError, "not enough values to unpack (expected 2, got 0)"),
        (
            lambda: tf.case([(tf.constant(1), lambda: 1)]),
            TypeError,
            "pred must be Tensor of type bool: tf.int32",
        ),
    ],
)
def test_case_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def test_case_exclusive_allows_one_true_predicate():
    assert tf.case([(FALSE, lambda: 1), (TRUE, lambda: 2)], default=lambda: 3, exclusive=True) == 2
    # without default the last pair is the fallback, outside the exclusivity check (as TF)
    assert tf.case([(TRUE, lambda: 1), (TRUE, lambda: 2)], exclusive=True) == 1


# -- tf.switch_case ---------------------------------------------------------------------------


def test_switch_case_selects_by_index():
    branches = [lambda: "a", lambda: "b"]
    assert tf.switch_case(tf.constant(1), branches) == "b"
    assert tf.switch_case(tf.constant(0, tf.int64), branches) == "a"
    assert tf.switch_case(tf.constant(1), {0: lambda: 1, 1: lambda: 2}) == 2
    assert tf.switch_case(tf.constant(0), [(1, lambda: 1), (0, lambda: 2)]) == 2
    assert tf.switch_case(tf.constant(0), [lambda: [1]]) == [1]


def test_switch_case_out_of_range_runs_default_or_last_branch():
    branches = [lambda: 1, lambda: 2]
    assert tf.switch_case(tf.constant(5), branches) == 2
    assert tf.switch_case(tf.constant(-1), branches) == 2
    assert tf.switch_case(tf.constant(5), branches, default=lambda: 9) == 9


def test_switch_case_gradient():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.switch_case(tf.constant(1), [lambda: x, lambda: x * x])
    assert float(tape.gradient(y, x)) == 6.0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: tf.switch_case(1, [lambda: 1]),
            TypeError,
            "'branch_index' must be a Tensor, got <class 'int'>",
        ),
        (
            lambda: tf.switch_case(tf.constant(1.0), [lambda: 1]),
            TypeError,
            "'branch_index' must be an integer Tensor, got <dtype: 'float32'>",
        ),
        (
            lambda: tf.switch_case(tf.constant(1), []),
            ValueError,
            "Must provide at least one item in 'branch_fns'",
        ),
        (
            lambda: tf.switch_case(tf.constant(3), {0: lambda: 1, 3: lambda: 2}),
            ValueError,
            "branch indices (keys) must form contiguous range of [0 to 2) but found {0,3}",
        ),
        (
            lambda: tf.switch_case(tf.constant(0), {0: lambda: 1, "a": lambda: 2}),
            TypeError,
            "key must be a Python `int`, got <class 'str'>",
        ),
        (
            lambda: tf.switch_case(tf.constant(0), [(0, 1)]),
            TypeError,
            "fn for key 0 must be callable.",
        ),
        (
            lambda: tf.switch_case(tf.constant([[0]]), [lambda: 1]),
            tf.errors.InvalidArgumentError,
            "branch_index must be a scalar, got shape [1, 1]",
        ),
    ],
)
def test_switch_case_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message
