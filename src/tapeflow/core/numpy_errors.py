"""NumPy's floating-point error state, kept quiet for tapeflow's kernels.

TF computes IEEE results (inf, nan) without a word; NumPy warns. Entering and leaving
`np.errstate` around every kernel would cost more than many kernels themselves, so each
thread that runs tapeflow ops has NumPy's error handling set to "ignore" once (what
`np.seterr(all="ignore")` does). A thread whose setting was changed afterwards still gets
quiet kernels, through the slower `quietly` path.
"""

from __future__ import annotations

import numpy as np

try:  # the context variable behind np.errstate (NumPy >= 2)
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    _QUIET = _make_extobj(all="ignore")
    current = _extobj_contextvar.get

    def quiet_this_thread() -> None:
        _extobj_contextvar.set(_QUIET)

    def quietly(kernel, *args, **kwargs):
        token = _extobj_contextvar.set(_QUIET)
        try:
            return kernel(*args, **kwargs)
        finally:
            _extobj_contextvar.reset(token)

except ImportError:  # pragma: no cover - a NumPy without it: always the slow path
    _QUIET = object()

    def current():
        return None

    def quiet_this_thread() -> None:
        np.seterr(all="ignore")

    def quietly(kernel, *args, **kwargs):
        with np.errstate(all="ignore"):
            return kernel(*args, **kwargs)


QUIET = _QUIET
