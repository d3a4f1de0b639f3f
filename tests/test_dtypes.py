"""dtypes: TF's DType objects, inference for constants, conversion rules and errors (spec §11)."""

import ml_dtypes
import numpy as np
import pytest

import tapeflow as tf


def test_dtype_text_forms():
    assert str(tf.float32) == "<dtype: 'float32'>"
    assert repr(tf.float32) == "tf.float32"
    assert tf.float32.name == "float32"
    assert tf.double is tf.float64 and tf.half is tf.float16
    assert tf.dtypes.float32 is tf.float32


def test_dtype_comparisons_with_numpy_and_strings():
    assert tf.float32 == np.float32
    assert tf.float32 == "float32"
    assert tf.float32 != tf.float64
    assert tf.float32 != "not a dtype"
    assert hash(tf.float32) == hash(tf.as_dtype("float32"))


def test_dtype_properties():
    assert tf.float32.is_floating and not tf.float32.is_integer and not tf.float32.is_complex
    assert tf.int32.is_integer and tf.uint8.is_unsigned and tf.bool.is_bool
    assert tf.complex64.is_complex and tf.complex64.real_dtype is tf.float32
    assert tf.complex128.real_dtype is tf.float64
    assert tf.float32.as_numpy_dtype is np.float32
    assert tf.bfloat16.as_numpy_dtype is ml_dtypes.bfloat16
    assert tf.float32.size == 4
    assert tf.float32.min == np.float32(-3.4028235e38) and tf.int8.max == 127


@pytest.mark.parametrize(
    "value, name",
    [
        (np.float64, "float64"),
        ("float32", "float32"),
        ("double", "float64"),
        (np.dtype("int64"), "int64"),
        (float, "float32"),
        (bool, "bool"),
        (1, "float32"),
        (np.str_, "string"),
        (ml_dtypes.bfloat16, "bfloat16"),
    ],
)
def test_as_dtype(value, name):
    assert tf.as_dtype(value).name == name


def test_as_dtype_rejects_none_with_tf_message():
    with pytest.raises(TypeError, match=r"Cannot convert the argument `type_value`: None to a "):
        tf.as_dtype(None)


@pytest.mark.parametrize(
    "value, name, shape",
    [
        (4.0, "float32", ()),
        (4, "int32", ()),
        (True, "bool", ()),
        ("s", "string", ()),
        ([1, 2], "int32", (2,)),
        ([1.0, 2], "float32", (2,)),
        (np.float64(1.0), "float64", ()),
        (np.array([1]), "int64", (1,)),
        (2**40, "int64", ()),
        (1 + 2j, "complex128", ()),
        ([], "float32", (0,)),
        ([[]], "float32", (1, 0)),
        (np.array(1.0, np.float16), "float16", ()),
    ],
)
def test_constant_infers_tf_dtypes(value, name, shape):
    t = tf.constant(value)
    assert t.dtype.name == name and t.shape == shape


def test_constant_conversion_errors():
    with pytest.raises(ValueError, match="mixed types"):
        tf.constant([True, 1])
    with pytest.raises(ValueError, match="out-of-range integer"):
        tf.constant(2**64)
    with pytest.raises(ValueError, match="non-rectangular"):
        tf.constant([[1, 2], [3]])
    with pytest.raises(TypeError, match="Cannot convert 4.5 to EagerTensor of dtype int32"):
        tf.constant(4.5, dtype=tf.int32)
    with pytest.raises(TypeError, match="Cannot convert 'x' to EagerTensor of dtype float"):
        tf.constant("x", dtype=tf.float32)


def test_constant_with_dtype_and_shape():
    assert tf.constant(4, dtype=tf.float32).dtype is tf.float32
    np.testing.assert_array_equal(tf.constant(np.array([1.5]), dtype=tf.int32), [1])
    np.testing.assert_array_equal(tf.constant(0.0, shape=[2, 3]), np.zeros((2, 3)))
    with pytest.raises(TypeError, match=r"has 3 elements, but got `shape` \(2, 2\) with 4"):
        tf.constant([1.0, 2.0, 3.0], shape=[2, 2])


def test_constant_copies_numpy_input():
    array = np.array([1.0, 2.0])
    t = tf.constant(array)
    array[0] = 99.0
    assert t.numpy()[0] == 1.0


def test_convert_to_tensor_dtype_hint_falls_back():
    assert tf.convert_to_tensor(4, dtype_hint=tf.float32).dtype is tf.float32
    assert tf.convert_to_tensor(4.5, dtype_hint=tf.int32).dtype is tf.float32


def test_python_scalars_take_the_tensor_dtype():
    x = tf.constant(2.0)
    for result in (x * 3, 3 * x, x * 3.5, x + 1, x / 2, x**2, 2**x, x - True):
        assert result.dtype is tf.float32
    assert (tf.constant(2.0, tf.float64) * 3.5).dtype is tf.float64
    assert (tf.constant(1.0, tf.float16) * 1e6).numpy() == np.inf
    assert (tf.constant([1.0, 2.0]) * np.array([1.0, 2.0])).dtype is tf.float32


def test_tensors_of_different_dtypes_do_not_mix():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.constant(1.0) * tf.constant(1.0, tf.float64)
    assert str(info.value) == (
        "cannot compute Mul as input #1(zero-based) was expected to be a float tensor but is "
        "a double tensor [Op:Mul]"
    )
    assert info.value.error_code == 3 and info.value.op is None
    assert not isinstance(info.value, (ValueError, TypeError))


def test_python_int_out_of_range_is_an_error_not_a_wrap():
    # [tapeflow choice] TF silently wraps 2**40 into int32
    with pytest.raises(tf.errors.InvalidArgumentError, match="2199023255552|1099511627776"):
        tf.constant(1) + 2**40


def test_complex_python_number_with_real_tensor():
    with pytest.raises(tf.errors.InvalidArgumentError, match="but is a complex128 tensor"):
        tf.constant([1.0, 2.0]) + 1j


def test_integer_division_dtypes():
    assert (tf.constant(7) / 2).dtype is tf.float64
    assert (tf.constant(7, tf.int8) / 2).dtype is tf.float32
    assert (tf.constant(7) // 2).numpy() == 3 and (tf.constant(7) % 3).numpy() == 1
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Integer division by zero \[Op:"):
        tf.constant(1) // 0


def test_disallowed_dtype_message_names_the_allowed_list():
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.constant(True) + tf.constant(True)
    assert str(info.value).startswith(
        "Value for attr 'T' of bool is not in the list of allowed values: bfloat16, half, float"
    )
    assert str(info.value).endswith("is_commutative=true; is_aggregate=true> [Op:AddV2]")


def test_error_class_hierarchy():
    assert tf.errors.InvalidArgumentError.__mro__[1:3] == (tf.errors.OpError, Exception)
