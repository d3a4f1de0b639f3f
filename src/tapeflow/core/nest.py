"""Nested structures as `tf.nest` sees them, with TF's rules and messages.

Structure: lists, tuples (named or not) and other sequences except strings; mappings
(flattened in sorted-key order, rebuilt in their own key order, which is how `gradient()`
pairs structures); mapping views (rebuilt as lists); `attrs` classes; objects with TF's
`__tf_flatten__`/`__tf_unflatten__` protocol; with `expand_composites=True`, composite tensors
(objects with `_watch_parts`, such as IndexedSlices). Everything else is a leaf: tensors,
variables, ndarrays, sets, strings, numbers, None.
"""

from __future__ import annotations

import collections
import collections.abc as abc

_warned_mapping = False


class _Dot:
    """The "." that stands for a leaf in TF's "Entire first structure" text."""

    def __repr__(self):
        return "."


_DOT = _Dot()


# -- what is a structure ---------------------------------------------------------------------


def _is_namedtuple(value) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def _is_attrs(value) -> bool:
    return hasattr(type(value), "__attrs_attrs__")


def _is_custom(value) -> bool:
    kind = type(value)
    return hasattr(kind, "__tf_flatten__") and hasattr(kind, "__tf_unflatten__")


def _is_composite(value) -> bool:
    return hasattr(type(value), "_watch_parts")


# Whether a type is a structure depends only on the type, so the answer is kept per type
# (TF's C++ keeps the same cache).
_nested_types: dict = {list: True, tuple: True, dict: True}


def _is_nested_type(kind: type) -> bool:
    if issubclass(kind, (str, bytes)):
        return False
    return (
        issubclass(kind, (abc.Sequence, abc.Mapping, abc.MappingView))
        or hasattr(kind, "__attrs_attrs__")
        or (hasattr(kind, "__tf_flatten__") and hasattr(kind, "__tf_unflatten__"))
    )


def is_nested(seq) -> bool:
    """True for structures: sequences other than strings, mappings, mapping views, attrs
    classes and objects with `__tf_flatten__` (`tf.nest.is_nested`)."""
    kind = type(seq)
    known = _nested_types.get(kind)
    if known is None:
        known = _nested_types[kind] = _is_nested_type(kind)
    return known


def is_nested_or_composite(seq) -> bool:
    """True for structures and for composite tensors (what `expand_composites` expands)."""
    return is_nested(seq) or _is_composite(seq)


def _nested_test(expand_composites: bool):
    return is_nested_or_composite if expand_composites else is_nested


# -- children in flatten order ---------------------------------------------------------------


def _sorted_keys(mapping) -> list:
    return sorted(mapping)  # unsortable keys raise Python's TypeError, as TF's flatten does


def _packing_keys(mapping) -> list:
    try:
        return sorted(mapping)
    except TypeError:  # TF's packing words it so
        raise TypeError("nest only supports dicts with sortable keys.") from None


def _children(value, keys=_sorted_keys) -> list:
    """The items of a structure, in flatten order (mappings by sorted key)."""
    kind = type(value)
    if kind is list or kind is tuple:
        return value
    if isinstance(value, abc.Mapping):
        return [value[k] for k in keys(value)]
    if _is_attrs(value):
        return [getattr(value, a.name) for a in type(value).__attrs_attrs__]
    if _is_custom(value):
        return list(value.__tf_flatten__()[1])
    if _is_composite(value) and not is_nested(value):
        return list(value._watch_parts())
    return list(value)


def _sequence_like(instance, values: list):
    """A structure like `instance` holding `values` (given in flatten order)."""
    kind = type(instance)
    if kind is list:
        return values
    if kind is tuple:
        return tuple(values)
    if isinstance(instance, abc.Mapping):
        by_key = dict(zip(_packing_keys(instance), values))
        if isinstance(instance, abc.MutableMapping):
            if kind is collections.defaultdict:
                result = collections.defaultdict(instance.default_factory)
            else:
                result = kind()
            for key in instance:  # the structure's own key order
                result[key] = by_key[key]
            return result
        _warn_mapping(kind)
        try:
            return kind((key, by_key[key]) for key in instance)
        except TypeError as e:
            raise TypeError(
                f"Error creating an object of type {kind} like {instance}. Note that it must "
                "accept a single positional argument representing an iterable of key-value "
                f"pairs, in addition to self. Cause: {e}"
            ) from None
    if isinstance(instance, abc.MappingView):
        return list(values)
    if _is_namedtuple(instance) or _is_attrs(instance):
        return kind(*values)
    if _is_custom(instance):
        return kind.__tf_unflatten__(instance.__tf_flatten__()[0], tuple(values))
    if isinstance(instance, range):
        return list(values)
    if _is_composite(instance) and not is_nested(instance):
        return kind(*values)
    return kind(values)


def _warn_mapping(kind) -> None:
    global _warned_mapping
    if not _warned_mapping and not getattr(kind, "__supported_by_tf_nest__", False):
        _warned_mapping = True
        from tapeflow.core.log import warn

        warn(
            f"Mapping types may not work well with tf.nest. Prefer using MutableMapping for {kind}"
        )


# -- flatten and pack ------------------------------------------------------------------------


def flatten(structure, expand_composites=False) -> list:
    """The leaves of `structure`, depth first, mapping values in sorted-key order
    (`tf.nest.flatten`). A leaf gives a one-element list."""
    nested = _nested_test(expand_composites)
    if not nested(structure):
        return [structure]
    flat = []
    stack = [structure]
    while stack:  # iterative, so deep structures do not hit the recursion limit
        value = stack.pop()
        kind = type(value)
        if kind is list or kind is tuple or kind is dict or nested(value):
            stack.extend(reversed(_children(value)))
        else:
            flat.append(value)
    return flat


def _truncate(value, length: int = 100) -> str:
    text = str(value)
    return text[:length] + ("..." if len(text) > length else "")


def _pack(structure, flat, index: int, nested) -> tuple:
    """(next index, the values of `structure` rebuilt from `flat[index:]`)."""
    values = []
    for child in _children(structure, _packing_keys):
        if nested(child):
            index, packed = _pack(child, flat, index, nested)
            values.append(_sequence_like(child, packed))
        else:
            values.append(flat[index])
            index += 1
    return index, values


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """`flat_sequence` (a flat list) rearranged into the structure of `structure`
    (`tf.nest.pack_sequence_as`)."""
    nested = _nested_test(expand_composites)
    if not nested(flat_sequence):
        raise TypeError(
            f"Attempted to pack value:\n  {_truncate(flat_sequence)}\ninto a structure, but "
            f"found incompatible type `{type(flat_sequence)}` instead."
        )
    if not nested(structure):
        if len(flat_sequence) != 1:
            raise ValueError(
                f"The target structure is of type `{type(structure)}`\n  {_truncate(structure)}"
                f"\nHowever the input is a sequence ({type(flat_sequence)}) of length "
                f"{len(flat_sequence)}.\n  {_truncate(flat_sequence)}\nnest cannot guarantee "
                "that it is safe to map one to the other."
            )
        return flat_sequence[0]
    try:
        index, packed = _pack(structure, flat_sequence, 0, nested)
        if index < len(flat_sequence):
            raise IndexError
    except IndexError:
        count = len(flatten(structure, expand_composites))
        raise ValueError(
            f"Could not pack sequence. Structure had {count} atoms, but flat_sequence had "
            f"{len(flat_sequence)} items.  Structure: {structure}, flat_sequence: "
            f"{flat_sequence}."
        ) from None
    return _sequence_like(structure, packed)


# -- comparing structures --------------------------------------------------------------------


def _described(value) -> str:
    return f"type={type(value).__name__} str={value!s}"


def _type_name(kind: type) -> str:
    """Python's C-level name of a type, which TF's messages print: `collections.OrderedDict`
    for types written in C outside builtins, the bare name for classes written in Python."""
    heap_type = kind.__flags__ & (1 << 9)
    if heap_type or kind.__module__ == "builtins":
        return kind.__name__
    return f"{kind.__module__}.{kind.__qualname__}"


def _same_namedtuples(a, b) -> bool:
    return type(a).__name__ == type(b).__name__ and a._fields == b._fields


def _mismatch(a, b, check_types: bool, nested):
    """Why two structures differ, as (message, is_type_error), or None when they match."""
    a_nested, b_nested = nested(a), nested(b)
    if a_nested != b_nested:
        seq, other = (a, b) if a_nested else (b, a)
        return (
            f'Substructure "{_described(seq)}" is a sequence, while substructure '
            f'"{_described(other)}" is not',
            False,
        )
    if not a_nested:
        return None
    if check_types:
        kind_a, kind_b = type(a), type(b)
        if _is_namedtuple(a) and _is_namedtuple(b):
            same = _same_namedtuples(a, b)
        else:
            same = (
                kind_a is kind_b
                or (isinstance(a, list) and isinstance(b, list))
                or (isinstance(a, abc.Mapping) and isinstance(b, abc.Mapping))
            )
        if not same:
            return (
                "The two namedtuples don't have the same sequence type. First structure "
                f"{_described(a)} has type {_type_name(kind_a)}, while second structure "
                f"{_described(b)} has type {_type_name(kind_b)}",
                True,
            )
        if isinstance(a, dict) and isinstance(b, dict):
            if len(a) != len(b) or any(k not in b for k in a):
                return (
                    "The two dictionaries don't have the same set of keys. First structure "
                    f"has keys {_described(list(a))}, while second structure has keys "
                    f"{_described(list(b))}",
                    False,
                )
    children_a, children_b = _children(a), _children(b)
    for child_a, child_b in zip(children_a, children_b):
        found = _mismatch(child_a, child_b, check_types, nested)
        if found is not None:
            return found
    if len(children_a) != len(children_b):
        return (
            "The two structures don't have the same number of elements. First structure: "
            f"{_described(a)}. Second structure: {_described(b)}",
            False,
        )
    return None


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False) -> None:
    """Raises ValueError (TypeError for different sequence types when `check_types`) unless
    the two structures have the same nesting (`tf.nest.assert_same_structure`)."""
    found = _mismatch(nest1, nest2, bool(check_types), _nested_test(expand_composites))
    if found is None:
        return
    detail, is_type_error = found
    dots1 = map_structure(lambda _: _DOT, nest1, expand_composites=expand_composites)
    dots2 = map_structure(lambda _: _DOT, nest2, expand_composites=expand_composites)
    error = TypeError if is_type_error else ValueError
    raise error(
        "The two structures don't have the same nested structure.\n\n"
        f"First structure: {_described(nest1)}\n\nSecond structure: {_described(nest2)}\n\n"
        f"More specifically: {detail}\n"
        f"Entire first structure:\n{dots1}\nEntire second structure:\n{dots2}"
    )


def map_structure(func, *structure, **kwargs):
    """`func` applied to corresponding leaves of the structures, packed like the first
    (`tf.nest.map_structure`); keywords: `check_types=True`, `expand_composites=False`."""
    if not callable(func):
        raise TypeError(f"func must be callable, got: {func}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    expand_composites = kwargs.pop("expand_composites", False)
    if kwargs:
        raise ValueError(
            "Only valid keyword arguments are `check_types` and `expand_composites`, not: "
            f"`{'`, `'.join(kwargs)}`"
        )
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types, expand_composites)
    flats = [flatten(s, expand_composites) for s in structure]
    return pack_sequence_as(
        structure[0], [func(*leaves) for leaves in zip(*flats)], expand_composites
    )
