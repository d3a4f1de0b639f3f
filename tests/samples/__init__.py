"""Sample inputs for every registered op, one module per op family.

Each module here defines `SAMPLES = {"TFOpType": [sample(...), ...]}`; this package merges
them (modules are discovered, so adding a family needs no edit here).
"""

import importlib
import pkgutil
from typing import NamedTuple


class Sample(NamedTuple):
    """Positional inputs (arrays, numbers) and attributes for one call of an op, and the
    highest order its gradient is checked at."""

    args: tuple
    attrs: dict
    order: int = 2


def sample(*args, **attrs) -> Sample:
    return Sample(args, attrs)


def first_order_only(*args, **attrs) -> Sample:
    """A sample whose second derivative TF does not define either (its gradient op has no
    gradient: LookupError, as in TF), so it is checked at order 1 only."""
    return Sample(args, attrs, order=1)


def _collect() -> dict:
    merged: dict = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, entries in module.SAMPLES.items():
            if name in merged:
                raise ValueError(f"op {name} has samples in two modules")
            merged[name] = entries
    return merged


SAMPLES = _collect()
