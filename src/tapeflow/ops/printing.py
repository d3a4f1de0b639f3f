"""`tf.print`: TF's text for tensors (as its C++ `SummarizeValue` writes them) and for nested
structures holding them, written to stderr by default."""

from __future__ import annotations

import collections
import logging
import os
import pprint
import random
import sys

import numpy as np

from tapeflow.core import nest
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.log import logger
from tapeflow.core.tensor import Tensor

# -- one tensor -------------------------------------------------------------------------------


def _float32_text(x) -> str:
    """TF's FloatToBuffer: 6 significant digits unless they do not read back, then 9."""
    text = f"{x:.6g}"
    return text if np.float32(text) == x else f"{x:.9g}"


def _float64_text(x) -> str:
    """TF's DoubleToBuffer: 15 significant digits unless they do not read back, then 17."""
    text = f"{x:.15g}"
    return text if float(text) == x else f"{x:.17g}"


_ESCAPES = {ord(c): b"\\" + e for c, e in zip("\n\r\t\"'\\", (b"n", b"r", b"t", b'"', b"'", b"\\"))}


def _string_text(value: bytes) -> str:
    """A string element, quoted and C-escaped as TF does; bytes >= 0x80 pass unescaped."""
    out = bytearray(b'"')
    for byte in value:
        escape = _ESCAPES.get(byte)
        if escape is not None:
            out += escape
        elif byte < 0x20 or byte == 0x7F:
            out += f"\\{byte:03o}".encode()
        else:
            out.append(byte)
    out += b'"'
    return out.decode("utf-8", errors="replace")


def _element_formatter(dtype: np.dtype):
    if dtype == np.float64:
        return lambda x: _float64_text(float(x))
    if dtype.kind == "f" or dtype.name == "bfloat16":
        return lambda x: _float32_text(np.float32(x))
    if dtype == np.bool_:
        return lambda x: "1" if x else "0"
    if dtype.kind in "iu":
        return lambda x: str(int(x))
    return lambda x: _string_text(x if isinstance(x, bytes) else str(x).encode())


def _nested_text(value: np.ndarray, depth: int, edge: int, element) -> str:
    """One dimension of TF's print_v2 layout: `edge` items at each end, "..." between."""
    count = value.shape[0]
    if value.ndim == 1:
        spacing = " "
        text = lambda i: element(value[i])  # noqa: E731
    else:
        spacing = "\n" * (value.ndim - 1) + " " * (depth + 1)
        text = lambda i: _nested_text(value[i], depth + 1, edge, element)  # noqa: E731
    items = [text(i) for i in range(min(edge, count))]
    if count > 2 * edge:
        items.append("...")
    items += [text(i) for i in range(max(edge, count - edge), count)]
    if edge == 0 and items:  # TF puts the spacing before a leading "..." too
        return "[" + spacing + spacing.join(items) + "]"
    return "[" + spacing.join(items) + "]"


def summarize(value: np.ndarray, summarize: int = 3) -> str:
    """TF's text for a tensor's value in `tf.print`: `summarize` entries at each end of every
    dimension (all of them if negative); complex values print as "?", as in TF."""
    count = value.size
    max_entries = count if summarize < 0 else summarize
    limit = min(max_entries, count)
    if value.dtype.kind == "c":  # TF has no text for complex values
        text = " ".join(["?"] * limit) + ("..." if max_entries < count else "")
        return f"[{text}]" if value.ndim else text
    element = _element_formatter(value.dtype)
    if value.ndim == 0:
        return (element(value[()]) if limit else "") + ("..." if count > limit else "")
    return _nested_text(value, 0, limit, element)


# -- tf.print ---------------------------------------------------------------------------------


def _is_tensor(value) -> bool:
    return isinstance(value, Tensor) or hasattr(type(value), "__tf_tensor__")


def _placeholder(template: str) -> str:
    """TF's placeholder: "{}", lengthened with seeded random digits until `template` lacks it."""
    placeholder = "{}"
    digits = random.Random(5)
    while placeholder in template:
        placeholder += str(digits.randint(0, 9))
    return placeholder


def _formatted(inputs, sep: str, summarize_count: int) -> str:
    """TF's text for print_v2's inputs: Python structures laid out by pprint, with each
    tensor in them replaced by its summary."""
    if (
        len(inputs) == 1
        and isinstance(inputs[0], Tensor)
        and inputs[0]._value.ndim == 0
        and inputs[0]._value.dtype == object
    ):  # a lone scalar string prints as it is
        value = inputs[0]._value[()]
        return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value
    # OrderedDicts are laid out in sorted-key order, as nest.flatten lists their values
    ordered = [
        collections.OrderedDict(sorted(x.items())) if isinstance(x, collections.OrderedDict) else x
        for x in inputs
    ]
    tensor_free = nest.map_structure(lambda x: "" if _is_tensor(x) else x, ordered)
    placeholder = _placeholder(" ".join(pprint.pformat(x) for x in tensor_free))
    templates, tensors = [], []
    for value in inputs:
        leaves = []
        for leaf in nest.flatten(value):
            if _is_tensor(leaf):
                tensors.append(leaf)
                leaves.append(placeholder)
            else:
                leaves.append(leaf)
        if isinstance(value, str):
            templates.append(value)
        else:
            templates.append(pprint.pformat(nest.pack_sequence_as(value, leaves)))
    template = sep.join(templates).replace(f"'{placeholder}'", placeholder)
    pieces = template.split(placeholder)
    texts = [summarize(convert_to_tensor(t)._value, summarize_count) for t in tensors]
    return pieces[0] + "".join(text + piece for text, piece in zip(texts, pieces[1:]))


_LOG_LEVELS = {
    logging.INFO: logging.INFO,
    logging.info: logging.INFO,
    logging.WARNING: logging.WARNING,
    logging.warning: logging.WARNING,
    logging.warn: logging.WARNING,
    logging.ERROR: logging.ERROR,
    logging.error: logging.ERROR,
}


def _write(text: str, output_stream) -> None:
    if isinstance(output_stream, str) and output_stream.startswith("file://"):
        with open(output_stream[len("file://") :], "a", encoding="utf-8") as f:
            f.write(text)
        return
    try:
        level = _LOG_LEVELS.get(output_stream)
    except TypeError:  # unhashable: not a logging level
        level = None
    if level is not None:
        logger().log(level, text.rstrip(os.linesep))
        return
    if not hasattr(output_stream, "write"):
        raise ValueError(
            f"Unsupported output stream, logging level, or file.{output_stream}. Supported "
            "streams are sys.stdout, sys.stderr, tf.logging.info, tf.logging.warning, "
            "tf.logging.error. File needs to be in the form of 'file://<filepath>'."
        )
    output_stream.write(text)
    if hasattr(output_stream, "flush"):
        output_stream.flush()


def print_v2(*inputs, **kwargs) -> None:
    """Prints tensors and Python values (nested structures too) as TF does (`tf.print`).

    Keywords: `output_stream` (sys.stderr by default; sys.stdout, a `logging` level or
    function, or "file://<path>" to append to a file), `summarize` (entries shown at each end
    of every dimension, 3 by default; -1 for all), `sep` (" ") and `end` (os.linesep).
    [tapeflow choice] any object with a `write` method is accepted as `output_stream` too.
    """
    output_stream = kwargs.pop("output_stream", sys.stderr)
    kwargs.pop("name", None)
    summarize_count = kwargs.pop("summarize", 3)
    sep = kwargs.pop("sep", " ")
    end = kwargs.pop("end", os.linesep)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments for tf.print: {kwargs}")
    _write(_formatted(inputs, sep, summarize_count) + end, output_stream)
