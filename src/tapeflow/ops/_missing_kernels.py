"""TF's NotFoundError for a dtype an op's signature accepts but no CPU kernel computes
(`tf.math.reciprocal` of int32, `tf.math.floordiv` of complex, `tf.math.lgamma` of bfloat16)."""

from __future__ import annotations

import numpy as np

from tapeflow.core.dtypes import from_numpy
from tapeflow.core.errors import NotFoundError
from tapeflow.core.registry import KernelError

# The kernels TF lists in the message, device by device and in its order ("DT_" left out).
_KERNELS = {
    "Round": "XLA_CPU_JIT: FLOAT DOUBLE INT32 INT16 INT8 COMPLEX64 INT64 BFLOAT16 COMPLEX128 HALF;"
    " CPU: INT64; CPU: INT32; CPU: BFLOAT16; CPU: DOUBLE; CPU: FLOAT; CPU: HALF",
    "Rint": "XLA_CPU_JIT: FLOAT DOUBLE BFLOAT16 HALF; CPU: DOUBLE; CPU: FLOAT",
    "Lgamma": "XLA_CPU_JIT: FLOAT DOUBLE BFLOAT16 HALF; CPU: DOUBLE; CPU: HALF; CPU: FLOAT",
    "Digamma": "XLA_CPU_JIT: FLOAT DOUBLE BFLOAT16 HALF; CPU: DOUBLE; CPU: HALF; CPU: FLOAT",
    "BesselI0": "CPU: DOUBLE; CPU: FLOAT; CPU: HALF",
    "BesselI1": "CPU: DOUBLE; CPU: FLOAT; CPU: HALF",
    "Reciprocal": "XLA_CPU_JIT: FLOAT DOUBLE INT32 INT16 INT8 COMPLEX64 INT64 BFLOAT16 COMPLEX128"
    " HALF; CPU: COMPLEX128; CPU: COMPLEX64; CPU: DOUBLE; CPU: BFLOAT16; CPU: HALF; CPU: FLOAT",
    "FloorDiv": "XLA_CPU_JIT: FLOAT DOUBLE INT32 UINT8 INT16 INT8 COMPLEX64 INT64 BFLOAT16 UINT16"
    " COMPLEX128 HALF UINT32 UINT64; DEFAULT: INT32; CPU: DOUBLE; CPU: BFLOAT16; CPU: HALF;"
    " CPU: FLOAT; CPU: INT64; CPU: INT32; CPU: INT16; CPU: INT8; CPU: UINT64; CPU: UINT32;"
    " CPU: UINT16; CPU: UINT8",
}


def no_kernel(op_name: str, dtype: np.dtype) -> KernelError:
    """The error TF raises when `op_name` has no kernel for `dtype` (raise it in the kernel)."""
    lines = [
        f"Could not find device for node: {{{{node {op_name}}}}} = "
        f"{op_name}[T=DT_{from_numpy(dtype)._type_string.upper()}]",
        f"All kernels registered for op {op_name}:",
    ]
    for entry in _KERNELS[op_name].split("; "):
        device, names = entry.split(": ")
        types = ", ".join("DT_" + name for name in names.split())
        lines.append(f"  device='{device}'; T in [{types}]")
    return KernelError("\n".join(lines) + "\n", NotFoundError)
