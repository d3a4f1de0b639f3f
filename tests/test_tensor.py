"""Tensors: printing as TF prints them (spec §8) and the Python protocols (§8.5)."""

import copy
import pickle

import numpy as np
import pytest

import tapeflow as tf


@pytest.mark.parametrize(
    "value, text, representation",
    [
        (
            tf.constant(48.0),
            "tf.Tensor(48.0, shape=(), dtype=float32)",
            "<tf.Tensor: shape=(), dtype=float32, numpy=48.0>",
        ),
        (
            tf.constant(0.1),
            "tf.Tensor(0.1, shape=(), dtype=float32)",
            "<tf.Tensor: shape=(), dtype=float32, numpy=0.10000000149011612>",
        ),
        (
            tf.constant(3),
            "tf.Tensor(3, shape=(), dtype=int32)",
            "<tf.Tensor: shape=(), dtype=int32, numpy=3>",
        ),
        (
            tf.constant("hi"),
            "tf.Tensor(b'hi', shape=(), dtype=string)",
            "<tf.Tensor: shape=(), dtype=string, numpy=b'hi'>",
        ),
        (
            tf.constant(1.5, tf.bfloat16),
            "tf.Tensor(1.5, shape=(), dtype=bfloat16)",
            "<tf.Tensor: shape=(), dtype=bfloat16, numpy=1.5>",
        ),
        (
            tf.constant([1.0, 2.0]),
            "tf.Tensor([1. 2.], shape=(2,), dtype=float32)",
            "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1., 2.], dtype=float32)>",
        ),
        (
            tf.constant(["a", "bc"]),
            "tf.Tensor([b'a' b'bc'], shape=(2,), dtype=string)",
            "<tf.Tensor: shape=(2,), dtype=string, numpy=array([b'a', b'bc'], dtype=object)>",
        ),
        (
            tf.zeros([2, 0]),
            "tf.Tensor([], shape=(2, 0), dtype=float32)",
            "<tf.Tensor: shape=(2, 0), dtype=float32, "
            "numpy=array([], shape=(2, 0), dtype=float32)>",
        ),
    ],
)
def test_str_and_repr(value, text, representation):
    assert str(value) == text
    assert repr(value) == representation


def test_multiline_values_start_on_a_new_line():
    matrix = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    assert str(matrix) == "tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)"
    assert repr(matrix) == (
        "<tf.Tensor: shape=(2, 2), dtype=float32, numpy=\n"
        "array([[1., 2.],\n       [3., 4.]], dtype=float32)>"
    )


def test_large_tensors_are_summarised_like_numpy():
    assert str(tf.range(2000.0)).startswith("tf.Tensor([0.000e+00 1.000e+00 2.000e+00 ...")


def test_printoptions_apply_to_arrays_not_scalars(monkeypatch):
    old = np.get_printoptions()
    try:
        np.set_printoptions(precision=2)
        assert (
            str(tf.constant([1.23456, 2.0])) == "tf.Tensor([1.23 2.  ], shape=(2,), dtype=float32)"
        )
        assert repr(tf.constant(1.23456)).endswith("numpy=1.2345600128173828>")
    finally:
        np.set_printoptions(**old)


def test_shape_dtype_device():
    t = tf.constant([[1.0]])
    assert t.shape == (1, 1) and repr(t.shape) == "TensorShape([1, 1])" and str(t.shape) == "(1, 1)"
    assert type(t.shape[0]) is int and t.shape.as_list() == [1, 1] and t.ndim == 2
    assert t.device == "/job:localhost/replica:0/task:0/device:CPU:0"
    assert type(t).__name__ == "EagerTensor" and isinstance(t, tf.Tensor)
    assert (
        str(tf.TensorShape([None, 3])) == "(None, 3)" and str(tf.TensorShape(None)) == "<unknown>"
    )


def test_numpy_returns_scalars_and_writable_copies():
    scalar = tf.constant(0.1).numpy()
    assert type(scalar) is np.float32
    t = tf.constant([1.0, 2.0])
    array = t.numpy()
    array[0] = 5.0
    assert t.numpy()[0] == 1.0
    view = np.asarray(t)
    assert not view.flags.writeable


def test_python_number_protocols():
    assert float(tf.constant(2.5)) == 2.5 and int(tf.constant(2)) == 2
    assert bool(tf.constant([1.0])) and not bool(tf.constant([[0.0]]))
    with pytest.raises(ValueError, match="truth value of an array with more than one element"):
        bool(tf.constant([1.0, 2.0]))
    with pytest.raises(TypeError, match="only 0-dimensional arrays can be converted"):
        float(tf.constant([1.0, 2.0]))
    assert f"{tf.constant(1.5)}" == "1.5" and f"{tf.constant(1.5):.2f}" == "1.50"


def test_len_iter_hash_ref():
    assert len(tf.constant([[1.0, 2.0]])) == 1
    with pytest.raises(TypeError, match="Scalar tensor has no `len\\(\\)`"):
        len(tf.constant(1.0))
    assert [float(v) for v in tf.constant([1.0, 2.0])] == [1.0, 2.0]
    with pytest.raises(TypeError, match="Cannot iterate over a scalar tensor."):
        iter(tf.constant(1.0)).__next__()
    with pytest.raises(TypeError, match="Tensor is unhashable. Instead, use tensor.ref()"):
        hash(tf.constant(1.0))
    t = tf.constant(1.0)
    assert {t.ref(): 1}[t.ref()] == 1 and t.ref().deref() is t


def test_equality_operators():
    a, b = tf.constant([1.0, 2.0]), tf.constant([1.0, 3.0])
    np.testing.assert_array_equal(a == b, [True, False])
    np.testing.assert_array_equal(a != b, [False, True])
    assert (a == None) is False and (a != None) is True  # noqa: E711 - TF's operator
    assert bool(tf.constant([1.0, 2.0]) == tf.constant([1.0, 2.0, 3.0])) is False
    with pytest.raises(TypeError, match="Cannot convert 'x' to EagerTensor of dtype float"):
        a == "x"  # noqa: B015


def test_unary_plus_and_round_are_errors():
    with pytest.raises(TypeError, match="bad operand type for unary \\+: 'EagerTensor'"):
        +tf.constant(1.0)  # noqa: B018
    with pytest.raises(TypeError, match="tf.round"):  # [tapeflow choice]
        round(tf.constant(1.5))


def test_numpy_arrays_on_the_left_give_tensors():
    result = np.array([1.0, 2.0]) * tf.constant([1.0, 2.0])
    assert type(result).__name__ == "EagerTensor" and result.dtype is tf.float32
    assert type(np.float64(2.0) * tf.constant([1.0])).__name__ == "EagerTensor"
    assert isinstance(np.sin(tf.constant([1.0])), np.ndarray)  # NumPy functions give NumPy


def test_copies_and_pickling():
    t = tf.constant([1.0, 2.0])
    assert copy.copy(t) is t
    deep = copy.deepcopy(t)
    assert deep is not t and deep.ref() != t.ref()
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(t)), [1.0, 2.0])


def test_tensor_ids_are_unique_and_increasing():
    a, b = tf.constant(1.0), tf.constant(1.0)
    assert a._id < b._id
