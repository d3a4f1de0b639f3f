"""Helpers shared by the linear-algebra modules: TF's kernel checks, its shape text and its
NotFoundError for dtypes that an op's signature allows but no CPU kernel computes."""

from __future__ import annotations

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.errors import NotFoundError
from tapeflow.core.registry import KernelError


def shape_text(shape) -> str:
    """A shape as TF's C++ messages print it: `[2,3]`."""
    return "[" + ",".join(str(d) for d in shape) + "]"


def kernels(cpu: str, xla: str = "", xla_last: bool = False) -> tuple:
    """The kernel lines of TF's "Could not find device" message: one CPU line per type."""
    lines = [f"  device='CPU'; T in [DT_{t}]" for t in cpu.split()]
    if xla:
        xla_line = (
            "  device='XLA_CPU_JIT'; T in [" + ", ".join(f"DT_{t}" for t in xla.split()) + "]"
        )
        lines = lines + [xla_line] if xla_last else [xla_line] + lines
    return tuple(lines)


def no_kernel(op_name: str, node_attrs: str, kernel_lines: tuple) -> KernelError:
    """TF's NotFoundError for a dtype its attribute list allows but no CPU kernel implements
    (`det` of float16, `matmul` of uint8, ...)."""
    lines = [
        f"Could not find device for node: {{{{node {op_name}}}}} = {op_name}[{node_attrs}]",
        f"All kernels registered for op {op_name}:",
        *kernel_lines,
        "",
    ]
    return KernelError("\n".join(lines), NotFoundError)


def dtype_enum(a: np.ndarray) -> str:
    """`DT_HALF`, `DT_UINT8`, ...: how a node's attributes name an array's dtype."""
    return "DT_" + dtypes.from_numpy(a.dtype)._type_string.upper()


def check_matrix(x: np.ndarray, square: bool = True, what: str = "Input matrix") -> None:
    """The rank and squareness checks of TF's linear-algebra kernels."""
    if x.ndim < 2:
        raise KernelError(f"Input tensor 0 must have rank >= 2, got {x.ndim}")
    if square and x.shape[-1] != x.shape[-2]:
        raise KernelError(f"{what} must be square.")


_HALF_FLOATS = (np.dtype(np.float16), np.dtype(dtypes.bfloat16._np))


def compute_dtype(a: np.ndarray):
    """float16 and bfloat16 matrices are computed in float32 (as TF's kernels accumulate)."""
    return np.float32 if a.dtype in _HALF_FLOATS else None
