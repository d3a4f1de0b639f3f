"""tf.function (an eager pass-through), tf.TensorSpec and tf.print (TF's text, checked against
what TF 2.21 printed)."""

import collections
import logging
import sys

import numpy as np
import pytest

import tapeflow as tf

# -- tf.function ------------------------------------------------------------------------------


def test_function_with_and_without_parentheses():
    @tf.function
    def square(x):
        """Squares."""
        return x * x

    @tf.function(
        input_signature=None,
        autograph=False,
        jit_compile=True,
        reduce_retracing=True,
        experimental_implements=None,
        experimental_autograph_options=None,
        experimental_attributes=None,
        experimental_relax_shapes=True,
        experimental_compile=None,
        experimental_follow_type_hints=False,
    )
    def cube(x):
        return x * x * x

    assert float(square(tf.constant(3.0))) == 9.0 and float(cube(tf.constant(2.0))) == 8.0
    assert type(square).__name__ == "Function"
    assert square.__name__ == "square" and square.__doc__ == "Squares."
    assert (
        square.python_function.__name__ == "square" and square.__wrapped__ is square.python_function
    )
    assert square.input_signature is None


def test_function_runs_the_python_on_every_call():
    calls = []
    f = tf.function(lambda x: calls.append(x) or x)
    f(1)
    f(1)
    assert calls == [1, 1]


def test_function_is_differentiable():
    f = tf.function(lambda x: x * x)
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    assert float(tape.gradient(y, x)) == 6.0


def test_function_returns_tensors_in_the_same_structure():
    assert repr(tf.function(lambda: 1)()) == "<tf.Tensor: shape=(), dtype=int32, numpy=1>"
    assert tf.function(lambda: 1.5)().dtype == tf.float32
    assert tf.function(lambda: None)() is None
    out = tf.function(lambda: {"a": [1, (2.0, "s")]})()
    assert [t.dtype for t in tf.nest.flatten(out)] == [tf.int32, tf.float32, tf.string]
    assert isinstance(out["a"][1], tuple)
    read = tf.function(lambda v: v)(tf.Variable(3.0))
    assert type(read).__name__ == "EagerTensor" and float(read) == 3.0


def test_function_on_methods():
    class Model:
        def __init__(self, k):
            self.k = k

        @tf.function
        def scale(self, x):
            """Scales."""
            return x * self.k

    a, b = Model(2.0), Model(3.0)
    assert float(a.scale(tf.constant(1.0))) == 2.0 and float(b.scale(tf.constant(1.0))) == 3.0
    assert a.scale is a.scale and a.scale is not b.scale  # one bound Function per instance
    assert a.scale.__name__ == "scale" and a.scale.__doc__ == "Scales."
    assert a.scale.python_function is Model.scale.python_function


def test_function_rejects_non_callables():
    with pytest.raises(TypeError, match="5 is not a callable object"):
        tf.function(5)


def test_input_signature_converts_arguments():
    f = tf.function(
        lambda x, y: x + y,
        input_signature=[tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.float32)],
    )
    np.testing.assert_array_equal(f([1.0, 2.0], 3), [4.0, 5.0])
    np.testing.assert_array_equal(f(np.array([1.0, 2.0]), y=3), [4.0, 5.0])
    g = tf.function(lambda x: x, input_signature=[[tf.TensorSpec([]), tf.TensorSpec([], tf.int32)]])
    assert [t.dtype for t in g([1.0, 2])] == [tf.float32, tf.int32]


_SIGNATURE = (
    "for signature: (x: TensorSpec(shape=(None,), dtype=tf.float32, name=None), "
    "y: TensorSpec(shape=(), dtype=tf.float32, name=None))."
)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ([1.0, 2.0],),
            "Binding inputs to tf.function failed due to `missing a required argument: 'y'`. "
            "Received args: ([1.0, 2.0],) and kwargs: {} " + _SIGNATURE,
        ),
        (
            ([1.0], 3.0, 4.0),
            "Binding inputs to tf.function failed due to `too many positional arguments`. "
            "Received args: ([1.0], 3.0, 4.0) and kwargs: {} " + _SIGNATURE,
        ),
        (
            ([[1.0]], 3.0),
            "Binding inputs to tf.function failed due to `Can not cast TensorSpec(shape=(1, 1), "
            "dtype=tf.float32, name=None) to TensorSpec(shape=(None,), dtype=tf.float32, "
            "name=None)`. Received args: ([[1.0]], 3.0) and kwargs: {} " + _SIGNATURE,
        ),
        (
            ([1.0], "a"),
            "Binding inputs to tf.function failed due to `Cannot convert 'a' to EagerTensor of "
            "dtype float`. Received args: ([1.0], 'a') and kwargs: {} " + _SIGNATURE,
        ),
    ],
)
def test_input_signature_errors(args, message):
    f = tf.function(
        lambda x, y: x + y,
        input_signature=[tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.float32)],
    )
    with pytest.raises(TypeError) as info:
        f(*args)
    assert str(info.value) == message


def test_input_signature_rejects_tensors_of_another_dtype():
    f = tf.function(lambda x: x, input_signature=[tf.TensorSpec([], tf.float32)])
    with pytest.raises(TypeError, match="Can not cast TensorSpec\\(shape=\\(\\), dtype=tf.int32"):
        f(tf.constant(3))


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        (
            tf.TensorSpec([]),
            "input_signature must be either a tuple or a list, got "
            "<class 'tapeflow.ops.functional.TensorSpec'>.",
        ),
        (
            [5],
            "input_signature must be a possibly nested sequence of TensorSpec objects, got "
            "invalid args [5] with types [<class 'int'>].",
        ),
    ],
)
def test_input_signature_must_hold_tensor_specs(signature, message):
    with pytest.raises(TypeError) as info:
        tf.function(lambda x: x, input_signature=signature)
    assert str(info.value) == message


def test_input_signature_must_cover_the_arguments():
    with pytest.raises(TypeError, match="input_signature missing type constraint for x"):
        tf.function(lambda x: x, input_signature=[])(1.0)


def test_tensor_spec():
    spec = tf.TensorSpec([None, 2], tf.int32, name="x")
    assert repr(spec) == "TensorSpec(shape=(None, 2), dtype=tf.int32, name='x')"
    assert repr(tf.TensorSpec(None)) == "TensorSpec(shape=<unknown>, dtype=tf.float32, name=None)"
    assert spec.shape == tf.TensorShape([None, 2]) and spec.dtype == tf.int32 and spec.name == "x"
    assert tf.TensorSpec([2]) == tf.TensorSpec([2]) and tf.TensorSpec([2]) != tf.TensorSpec([3])
    assert hash(tf.TensorSpec([2])) == hash(tf.TensorSpec([2]))
    assert tf.TensorSpec([None]).is_compatible_with(tf.constant([1.0, 2.0]))
    assert not tf.TensorSpec([None]).is_compatible_with(tf.constant([1, 2]))
    assert repr(tf.TensorSpec.from_tensor(tf.constant([1, 2]))) == (
        "TensorSpec(shape=(2,), dtype=tf.int32, name=None)"
    )


# -- tf.print ---------------------------------------------------------------------------------


def _printed(capsys, *inputs, **kwargs) -> str:
    tf.print(*inputs, **kwargs)
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (tf.constant(1.5), "1.5"),
        (tf.constant([1.5, 2.0, 3.25]), "[1.5 2 3.25]"),
        (tf.constant(7), "7"),
        (tf.constant([True, False]), "[1 0]"),
        (tf.constant("abc"), "abc"),
        (tf.constant("a\nb"), "a\nb"),
        (tf.constant(["a", "b"]), '["a" "b"]'),
        (tf.constant(["it's", "a\rb\x01\x7f"]), '["it\\\'s" "a\\rb\\001\\177"]'),
        (tf.constant(['a"b', "c\\d", "é", "\t"]), '["a\\"b" "c\\\\d" "é" "\\t"]'),
        (tf.constant([[1.0, 2.0], [3.0, 4.0]]), "[[1 2]\n [3 4]]"),
        (tf.zeros([2, 2, 2]), "[[[0 0]\n  [0 0]]\n\n [[0 0]\n  [0 0]]]"),
        (tf.range(10), "[0 1 2 ... 7 8 9]"),
        (
            tf.reshape(tf.range(100), [10, 10]),
            "[[0 1 2 ... 7 8 9]\n [10 11 12 ... 17 18 19]\n [20 21 22 ... 27 28 29]\n ...\n"
            " [70 71 72 ... 77 78 79]\n [80 81 82 ... 87 88 89]\n [90 91 92 ... 97 98 99]]",
        ),
        (
            tf.constant([[1], [2], [3], [4], [5], [6], [7]]),
            "[[1]\n [2]\n [3]\n ...\n [5]\n [6]\n [7]]",
        ),
        (tf.constant(1e-8), "1e-08"),
        (tf.constant(123456789.0), "123456792"),
        (tf.constant(0.1), "0.1"),
        (tf.constant(1e6), "1e+06"),
        (tf.constant(1e5), "100000"),
        (tf.constant([1.123456789, 100.5]), "[1.12345684 100.5]"),
        (tf.constant(1 / 3, tf.float64), "0.33333333333333331"),
        (tf.constant(1e15, tf.float64), "1e+15"),
        (tf.constant([np.nan, np.inf, -np.inf]), "[nan inf -inf]"),
        (tf.constant(-0.0), "-0"),
        (tf.constant([0.1], tf.float16), "[0.0999755859]"),
        (tf.constant([0.1, 1 / 3], tf.bfloat16), "[0.100097656 0.333984375]"),
        (tf.constant(np.array([1, 2**63], np.uint64)), "[1 9223372036854775808]"),
        (tf.constant([1, -2], tf.int8), "[1 -2]"),
        (tf.constant(1 + 2j), "?"),
        (tf.constant([[1 + 1j, 2], [3, 4]], tf.complex64), "[? ? ?...]"),
        (tf.zeros([0]), "[]"),
        (tf.zeros([2, 0]), "[\n ...]"),
        (tf.zeros([2, 0, 2]), "[\n\n ...]"),
        (tf.Variable([1.0, 2.0]), "[1 2]"),
    ],
)
def test_print_tensor_text(capsys, value, text):
    assert _printed(capsys, value) == text + "\n"


@pytest.mark.parametrize(
    ("value", "summarize", "text"),
    [
        (tf.range(1000), 2, "[0 1 ... 998 999]"),
        (tf.range(12), -1, "[0 1 2 3 4 5 6 7 8 9 10 11]"),
        (tf.constant([True]), -5, "[1]"),
        (tf.range(5), 0, "[ ...]"),
        (tf.constant(1.0), 0, "..."),
        (tf.range(10), 1, "[0 ... 9]"),
        (tf.constant([1j] * 10), 0, "[...]"),
        (
            tf.reshape(tf.range(240), [4, 6, 10]),
            1,
            "[[[0 ... 9]\n  ...\n  [50 ... 59]]\n\n ...\n\n"
            " [[180 ... 189]\n  ...\n  [230 ... 239]]]",
        ),
    ],
)
def test_print_summarize(capsys, value, summarize, text):
    assert _printed(capsys, value, summarize=summarize) == text + "\n"


@pytest.mark.parametrize(
    ("inputs", "kwargs", "text"),
    [
        (("hello", tf.constant(2), 3, 4.5, None, True), {}, "hello 2 3 4.5 None True\n"),
        (("a", "b"), {"sep": ", ", "end": "!\n"}, "a, b!\n"),
        (("x", tf.constant("abc")), {}, 'x "abc"\n'),
        ((tf.constant("a"), tf.constant("b")), {}, '"a" "b"\n'),
        (([tf.constant(1), 2, "x"],), {}, "[1, 2, 'x']\n"),
        (({"b": tf.constant(1.0), "a": [tf.constant([1, 2])]},), {}, "{'a': [[1 2]], 'b': 1}\n"),
        (
            (collections.OrderedDict([("b", tf.constant(1)), ("a", 2)]),),
            {},
            "OrderedDict([('b', 1), ('a', 2)])\n",
        ),
        (((1, 2),), {}, "(1, 2)\n"),
        ((np.array([1.5, 2]),), {}, "array([1.5, 2. ])\n"),
        ((b"bytes", "str"), {}, "b'bytes' str\n"),
        (("{}", tf.constant(1)), {}, "{} 1\n"),
        ((tf.range(5), tf.range(3)), {"sep": "|"}, "[0 1 2 3 4]|[0 1 2]\n"),
        ((tf.constant(3.0),), {"end": ""}, "3"),
        ((), {}, "\n"),
        (
            (["a" * 30, tf.constant(1), "b" * 40],),
            {},
            "['" + "a" * 30 + "',\n 1,\n '" + "b" * 40 + "']\n",
        ),
    ],
)
def test_print_structures_and_python_values(capsys, inputs, kwargs, text):
    assert _printed(capsys, *inputs, **kwargs) == text


def test_print_wraps_long_structures_as_pprint_does(capsys):
    text = _printed(capsys, [tf.constant(i) for i in range(40)])
    assert text == "[" + ",\n ".join(str(i) for i in range(40)) + "]\n"


def test_print_to_stdout_file_and_logging(capsys, tmp_path, caplog):
    tf.print(tf.constant(3.0), output_stream=sys.stdout)
    assert capsys.readouterr().out == "3\n"
    target = tmp_path / "out.txt"
    tf.print(tf.constant(1.0), output_stream=f"file://{target}")
    tf.print(tf.constant(2.0), output_stream=f"file://{target}")
    assert target.read_text() == "1\n2\n"
    with caplog.at_level(logging.INFO, logger="tapeflow"):
        tf.print("logged", tf.constant(1), output_stream=logging.warning)
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [("WARNING", "logged 1")]


def test_print_accepts_writable_streams():
    class Stream:
        text = ""

        def write(self, text):
            self.text += text

    stream = Stream()
    tf.print([tf.constant([1, 2])], output_stream=stream)
    assert stream.text == "[[1 2]]\n"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bogus": 1}, "Unrecognized keyword arguments for tf.print: {'bogus': 1}"),
        (
            {"output_stream": 5},
            "Unsupported output stream, logging level, or file.5. Supported streams are "
            "sys.stdout, sys.stderr, tf.logging.info, tf.logging.warning, tf.logging.error. "
            "File needs to be in the form of 'file://<filepath>'.",
        ),
    ],
)
def test_print_errors(kwargs, message):
    with pytest.raises(ValueError) as info:
        tf.print(tf.constant(1.0), **kwargs)
    assert str(info.value) == message


def test_print_returns_none_and_ignores_name(capsys):
    assert tf.print(tf.constant(1.0), name="p") is None
    assert capsys.readouterr().err == "1\n"
