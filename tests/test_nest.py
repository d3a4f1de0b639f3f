"""tf.nest against TF's rules: what is a structure, flatten order, how structures are rebuilt,
and TF's messages for structures that do not match (recorded with TF 2.21)."""

import collections

import numpy as np
import pytest

import tapeflow as tf

NT = collections.namedtuple("NT", "a b")


class _Pair:
    """A user class with TF's nest protocol."""

    def __init__(self, a, b):
        self.a, self.b = a, b

    def __tf_flatten__(self):
        return "meta", (self.a, self.b)

    @classmethod
    def __tf_unflatten__(cls, metadata, components):
        return cls(*components)


class _Frozen(collections.abc.Mapping):
    """A read-only mapping: rebuilt from (key, value) pairs."""

    def __init__(self, items):
        self._items = dict(items)

    def __getitem__(self, key):
        return self._items[key]

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)


def test_public_names():
    names = ["assert_same_structure", "flatten", "is_nested", "map_structure", "pack_sequence_as"]
    assert all(hasattr(tf.nest, n) for n in names)


@pytest.mark.parametrize(
    ("value", "nested"),
    [
        ([1], True),
        ((), True),
        (NT(1, 2), True),
        ({"a": 1}, True),
        ({}.keys(), True),
        (range(2), True),
        (_Pair(1, 2), True),
        ("ab", False),
        (b"ab", False),
        ({1, 2}, False),
        (None, False),
        (np.array([1, 2]), False),
        (tf.constant([1, 2]), False),
        (tf.Variable(1.0), False),
    ],
)
def test_is_nested(value, nested):
    assert tf.nest.is_nested(value) is nested


@pytest.mark.parametrize(
    ("structure", "flat"),
    [
        (None, [None]),
        (5, [5]),
        ([None, 1], [None, 1]),
        ({"b": 1, "a": 2}, [2, 1]),
        (collections.OrderedDict([("b", 1), ("a", 2)]), [2, 1]),
        (collections.defaultdict(int, {"b": 1, "a": 2}), [2, 1]),
        ({"a": {"c": 3, "b": 2}, "x": [4, (5,)]}, [2, 3, 4, 5]),
        (NT(2, [1]), [2, 1]),
        ({"b": 1, "a": 2}.keys(), ["b", "a"]),
        ({"b": 1, "a": 2}.items(), ["b", 1, "a", 2]),
        (range(3), [0, 1, 2]),
        ([[], {}, ()], []),
        ({1, 2}, [{1, 2}]),
        ("abc", ["abc"]),
        (_Pair(1, [2, 3]), [1, 2, 3]),
    ],
)
def test_flatten(structure, flat):
    assert tf.nest.flatten(structure) == flat


def test_flatten_keeps_tensors_and_variables_as_leaves():
    t, v = tf.constant([1, 2]), tf.Variable(1.0)
    flat = tf.nest.flatten([t, {"v": v}])
    assert flat[0] is t and flat[1] is v


def test_flatten_unsortable_keys():
    with pytest.raises(TypeError, match="'<' not supported between instances of 'str' and 'int'"):
        tf.nest.flatten({1: "x", "a": 2})


def test_flatten_deep_structure_has_no_recursion_limit():
    deep = 1
    for _ in range(5000):
        deep = [deep]
    assert tf.nest.flatten(deep) == [1]


def test_pack_rebuilds_mappings_in_their_own_key_order():
    packed = tf.nest.pack_sequence_as({"b": 0, "a": 0}, [1, 2])
    assert list(packed.items()) == [("b", 2), ("a", 1)]
    ordered = tf.nest.pack_sequence_as(collections.OrderedDict([("b", 0), ("a", 0)]), [1, 2])
    assert type(ordered) is collections.OrderedDict and list(ordered.items()) == [
        ("b", 2),
        ("a", 1),
    ]
    default = tf.nest.pack_sequence_as(collections.defaultdict(list, {"a": 0}), [7])
    assert default.default_factory is list and default == {"a": 7}


def test_pack_other_structures():
    assert tf.nest.pack_sequence_as(NT(0, [0, 0]), [1, 2, 3]) == NT(1, [2, 3])
    assert tf.nest.pack_sequence_as((0,), (7,)) == (7,)
    assert tf.nest.pack_sequence_as([], []) == []
    assert tf.nest.pack_sequence_as(0, [1]) == 1
    assert tf.nest.pack_sequence_as(range(2), [5, 6]) == [5, 6]
    assert tf.nest.pack_sequence_as({"a": 0}.keys(), [4]) == [4]
    pair = tf.nest.pack_sequence_as(_Pair(0, 0), [5, 6])
    assert (pair.a, pair.b) == (5, 6)
    frozen = tf.nest.pack_sequence_as(_Frozen({"b": 0, "a": 0}), [1, 2])
    assert type(frozen) is _Frozen and dict(frozen) == {"b": 2, "a": 1}


@pytest.mark.parametrize(
    ("structure", "flat", "error", "message"),
    [
        (
            [0, 0],
            [1],
            ValueError,
            "Could not pack sequence. Structure had 2 atoms, but flat_sequence had 1 items.  "
            "Structure: [0, 0], flat_sequence: [1].",
        ),
        (
            [0, 0],
            [1, 2, 3],
            ValueError,
            "Could not pack sequence. Structure had 2 atoms, but flat_sequence had 3 items.  "
            "Structure: [0, 0], flat_sequence: [1, 2, 3].",
        ),
        (
            0,
            [1, 2],
            ValueError,
            "The target structure is of type `<class 'int'>`\n  0\nHowever the input is a "
            "sequence (<class 'list'>) of length 2.\n  [1, 2]\nnest cannot guarantee that it is "
            "safe to map one to the other.",
        ),
        (
            [0],
            5,
            TypeError,
            "Attempted to pack value:\n  5\ninto a structure, but found incompatible type "
            "`<class 'int'>` instead.",
        ),
        (
            [0, 0],
            "ab",
            TypeError,
            "Attempted to pack value:\n  ab\ninto a structure, but found incompatible type "
            "`<class 'str'>` instead.",
        ),
        ({1: 0, "a": 0}, [1, 2], TypeError, "nest only supports dicts with sortable keys."),
    ],
)
def test_pack_errors(structure, flat, error, message):
    with pytest.raises(error) as info:
        tf.nest.pack_sequence_as(structure, flat)
    assert str(info.value) == message


def test_map_structure():
    assert tf.nest.map_structure(lambda x: x * 2, [1, (2, {"a": 3})]) == [2, (4, {"a": 6})]
    assert tf.nest.map_structure(lambda x, y: x + y, [1, 2], [3, 4]) == [4, 6]
    assert tf.nest.map_structure(lambda x, y: x + y, [1, 2], (3, 4), check_types=False) == [4, 6]
    assert tf.nest.map_structure(lambda x: None, [1, 2]) == [None, None]
    assert tf.nest.map_structure(lambda x, y: (x, y), 1, 2) == (1, 2)
    assert tf.nest.map_structure(lambda x: x, {"a": 1}.items()) == [("a", 1)]
    # mappings of different types match; the first structure's type is kept
    merged = tf.nest.map_structure(lambda x, y: x + y, {"a": 1}, collections.OrderedDict(a=2))
    assert type(merged) is dict and merged == {"a": 3}


def test_map_structure_on_tensors():
    out = tf.nest.map_structure(lambda t: t * 2, {"x": tf.constant(1.0), "y": [tf.constant(2.0)]})
    assert float(out["x"]) == 2.0 and float(out["y"][0]) == 4.0


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: tf.nest.map_structure(lambda x: x),
            ValueError,
            "Must provide at least one structure",
        ),
        (lambda: tf.nest.map_structure(5, [1]), TypeError, "func must be callable, got: 5"),
        (
            lambda: tf.nest.map_structure(lambda x: x, [1], bogus=1),
            ValueError,
            "Only valid keyword arguments are `check_types` and `expand_composites`, not: `bogus`",
        ),
    ],
)
def test_map_structure_argument_errors(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert str(info.value) == message


def _assert_message(a, b, error, message, **kwargs):
    with pytest.raises(error) as info:
        tf.nest.assert_same_structure(a, b, **kwargs)
    assert str(info.value) == message


def test_same_structure_passes():
    tf.nest.assert_same_structure([1, (2, {"a": 3})], ["x", ("y", {"a": "z"})])
    tf.nest.assert_same_structure(NT(1, 2), collections.namedtuple("NT", "a b")(3, 4))
    tf.nest.assert_same_structure({"a": 1}, collections.OrderedDict(a=1))
    tf.nest.assert_same_structure(collections.OrderedDict(a=1), _Frozen({"a": 1}))
    tf.nest.assert_same_structure([[]], [()], check_types=False)
    tf.nest.assert_same_structure(np.array([1, 2]), 5)  # both leaves


def test_number_of_elements_differs():
    _assert_message(
        [1, 2],
        [3],
        ValueError,
        "The two structures don't have the same nested structure.\n\n"
        "First structure: type=list str=[1, 2]\n\nSecond structure: type=list str=[3]\n\n"
        "More specifically: The two structures don't have the same number of elements. "
        "First structure: type=list str=[1, 2]. Second structure: type=list str=[3]\n"
        "Entire first structure:\n[., .]\nEntire second structure:\n[.]",
    )


def test_sequence_versus_leaf():
    _assert_message(
        [1, [2]],
        [3, 4],
        ValueError,
        "The two structures don't have the same nested structure.\n\n"
        "First structure: type=list str=[1, [2]]\n\nSecond structure: type=list str=[3, 4]\n\n"
        'More specifically: Substructure "type=list str=[2]" is a sequence, while substructure '
        '"type=int str=4" is not\nEntire first structure:\n[., [.]]\nEntire second structure:\n'
        "[., .]",
    )
    _assert_message(
        np.array([1]),
        [[1]],
        ValueError,
        "The two structures don't have the same nested structure.\n\n"
        "First structure: type=ndarray str=[1]\n\nSecond structure: type=list str=[[1]]\n\n"
        'More specifically: Substructure "type=list str=[[1]]" is a sequence, while '
        'substructure "type=ndarray str=[1]" is not\nEntire first structure:\n.\n'
        "Entire second structure:\n[[.]]",
    )


def test_sequence_types_differ():
    _assert_message(
        [1, 2],
        (3, 4),
        TypeError,
        "The two structures don't have the same nested structure.\n\n"
        "First structure: type=list str=[1, 2]\n\nSecond structure: type=tuple str=(3, 4)\n\n"
        "More specifically: The two namedtuples don't have the same sequence type. First "
        "structure type=list str=[1, 2] has type list, while second structure type=tuple "
        "str=(3, 4) has type tuple\nEntire first structure:\n[., .]\nEntire second structure:\n"
        "(., .)",
    )
    other = collections.namedtuple("NT2", "a b")
    _assert_message(
        NT(1, 2),
        other(3, 4),
        TypeError,
        "The two structures don't have the same nested structure.\n\n"
        "First structure: type=NT str=NT(a=1, b=2)\n\nSecond structure: type=NT2 str=NT2(a=3, "
        "b=4)\n\nMore specifically: The two namedtuples don't have the same sequence type. "
        "First structure type=NT str=NT(a=1, b=2) has type NT, while second structure type=NT2 "
        "str=NT2(a=3, b=4) has type NT2\nEntire first structure:\nNT(a=., b=.)\n"
        "Entire second structure:\nNT2(a=., b=.)",
    )


def test_types_written_in_c_print_with_their_module():
    with pytest.raises(TypeError, match="has type collections.OrderedDict, while second"):
        tf.nest.assert_same_structure(collections.OrderedDict(a=1), (1,))


def test_dictionary_keys_differ():
    _assert_message(
        {"a": 1},
        {"a": 1, "b": 2},
        ValueError,
        "The two structures don't have the same nested structure.\n\n"
        "First structure: type=dict str={'a': 1}\n\nSecond structure: type=dict str={'a': 1, "
        "'b': 2}\n\nMore specifically: The two dictionaries don't have the same set of keys. "
        "First structure has keys type=list str=['a'], while second structure has keys "
        "type=list str=['a', 'b']\nEntire first structure:\n{'a': .}\nEntire second "
        "structure:\n{'a': ., 'b': .}",
    )
    # TF compares keys only when checking types
    tf.nest.assert_same_structure({"a": 1, "b": 2}, {"a": 1, "c": 2}, check_types=False)


def test_expand_composites_flattens_indexed_slices():
    slices = tf.IndexedSlices(tf.constant([1.0]), tf.constant([0]), tf.constant([3]))
    assert tf.nest.flatten(slices) == [slices]
    values, indices, shape = tf.nest.flatten(slices, expand_composites=True)
    assert values is slices.values and indices is slices.indices and shape is slices.dense_shape
    doubled = tf.nest.map_structure(lambda t: t * 2, [slices], expand_composites=True)[0]
    assert type(doubled) is type(slices)
    np.testing.assert_array_equal(doubled.values, [2.0])
    np.testing.assert_array_equal(doubled.indices, [0])


def test_gradient_pairs_dict_sources_in_insertion_order():
    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = 3 * a + 5 * b
    grads = tape.gradient(y, {"z": a, "b": b})
    assert list(grads) == ["z", "b"]
    assert float(grads["z"]) == 3.0 and float(grads["b"]) == 5.0
