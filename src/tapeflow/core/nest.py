"""Nested structures as `tf.nest` sees them: lists, tuples, namedtuples and dicts are
structure; everything else (tensors, None, numbers) is a leaf. Dicts flatten in sorted-key
order and are rebuilt in their own key order, which is how `gradient()` pairs structures."""

from __future__ import annotations

import collections.abc


def _is_namedtuple(value) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def is_nested(value) -> bool:
    """True for lists, tuples (named or not) and mappings."""
    return isinstance(value, (list, tuple, collections.abc.Mapping))


is_nested_or_composite = is_nested


def _sorted_keys(mapping):
    try:
        return sorted(mapping)
    except TypeError:
        raise TypeError("nest only supports dicts with sortable keys.") from None


def _children(value) -> list:
    if isinstance(value, collections.abc.Mapping):
        return [value[k] for k in _sorted_keys(value)]
    return list(value)


def flatten(structure, expand_composites=False) -> list:
    """The leaves of `structure`, depth first (dict values in sorted-key order)."""
    if not is_nested(structure):
        return [structure]
    flat = []
    stack = [structure]
    while stack:  # iterative, so deep structures do not hit the recursion limit
        value = stack.pop()
        if is_nested(value):
            stack.extend(reversed(_children(value)))
        else:
            flat.append(value)
    return flat


def _rebuild(structure, values: list):
    """A container like `structure` holding `values` (given in flatten order)."""
    if isinstance(structure, collections.abc.Mapping):
        by_key = dict(zip(_sorted_keys(structure), values))
        items = [(k, by_key[k]) for k in structure]  # the structure's own key order
        if isinstance(structure, collections.defaultdict):
            return type(structure)(structure.default_factory, items)
        return type(structure)(items)
    if _is_namedtuple(structure):
        return type(structure)(*values)
    if isinstance(structure, tuple):
        return tuple(values) if type(structure) is tuple else type(structure)(values)
    return list(values) if type(structure) is list else type(structure)(values)


def _pack(structure, flat: list, index: int):
    if not is_nested(structure):
        return flat[index], index + 1
    values = []
    for child in _children(structure):
        value, index = _pack(child, flat, index)
        values.append(value)
    return _rebuild(structure, values), index


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """`flat_sequence` rearranged into the shape of `structure`."""
    flat = list(flat_sequence) if is_nested(flat_sequence) else [flat_sequence]
    count = len(flatten(structure))
    if len(flat) != count:
        raise ValueError(
            f"Could not pack sequence. Structure had {count} atoms, but "
            f"flat_sequence had {len(flat)} items. Structure: {structure}, "
            f"flat_sequence: {flat}."
        )
    return _pack(structure, flat, 0)[0]


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False) -> None:
    """Raises ValueError (TypeError for different container types) if the structures differ."""
    if is_nested(nest1) != is_nested(nest2):
        raise ValueError(
            "The two structures don't have the same nested structure.\n\n"
            f"First structure: {nest1}\n\nSecond structure: {nest2}"
        )
    if not is_nested(nest1):
        return
    if check_types and type(nest1) is not type(nest2):
        both_lists = isinstance(nest1, list) and isinstance(nest2, list)
        if not both_lists:
            raise TypeError(
                "The two structures don't have the same sequence type. Input "
                f"structure has type {type(nest1)}, while shallow structure has "
                f"type {type(nest2)}."
            )
    if isinstance(nest1, collections.abc.Mapping):
        if set(nest1) != set(nest2):
            raise ValueError(
                "The two dictionaries don't have the same set of keys. First "
                f"structure has keys {list(nest1)}, while second structure has "
                f"keys {list(nest2)}."
            )
    children1, children2 = _children(nest1), _children(nest2)
    if len(children1) != len(children2):
        raise ValueError(
            "The two structures don't have the same nested structure.\n\n"
            f"First structure: {nest1}\n\nSecond structure: {nest2}"
        )
    for a, b in zip(children1, children2):
        assert_same_structure(a, b, check_types)


def map_structure(func, *structure, check_types=True, expand_composites=False):
    """Applies `func` to corresponding leaves of the structures; returns the first's shape."""
    if not structure:
        raise ValueError("Must provide at least one structure")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types)
    flats = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*leaves) for leaves in zip(*flats)])
