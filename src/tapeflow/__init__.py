"""tapeflow: TensorFlow's GradientTape and eager ops on NumPy. Use it as `import tapeflow as tf`.

This module is the public `tf` namespace; it only re-exports. Each op family has its own
block below.
"""

# -- core: tensors, variables, dtypes ---------------------------------------------------------
from tapeflow.core.convert import constant, convert_to_tensor
from tapeflow.core.dtypes import (
    DType,
    as_dtype,
    bfloat16,
    bool,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
)
from tapeflow.core.shape import TensorShape
from tapeflow.core.tensor import Tensor
from tapeflow.core.variable import Variable

# -- sub-namespaces ---------------------------------------------------------------------------
from tapeflow import autodiff, dtypes, errors, linalg, math, nest, nn, ops, test

# -- autodiff ---------------------------------------------------------------------------------
from tapeflow.autodiff import GradientTape
from tapeflow.autodiff._arguments import UnconnectedGradients
from tapeflow.autodiff.custom_gradient import custom_gradient, recompute_grad
from tapeflow.ops.control import stop_gradient
from tapeflow.ops.indexed_slices import IndexedSlices

# -- ops/elementwise.py and other elementwise families ----------------------------------------
from tapeflow.ops.elementwise import (
    abs,
    add,
    cast,
    cos,
    divide,
    equal,
    exp,
    floordiv,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    multiply,
    negative,
    not_equal,
    pow,
    sigmoid,
    sign,
    sin,
    sqrt,
    square,
    subtract,
    tanh,
)
from tapeflow.ops.elementwise import divide as truediv

# -- ops/reductions.py ------------------------------------------------------------------------
from tapeflow.ops.reductions import reduce_mean, reduce_sum

# -- ops/creation.py and ops/shapes.py --------------------------------------------------------
from tapeflow.ops.creation import fill, ones, ones_like, range, zeros, zeros_like
from tapeflow.ops.shapes import (
    broadcast_to,
    identity,
    rank,
    reshape,
    shape,
    size,
    stack,
    unstack,
)

# -- ops/indexing.py --------------------------------------------------------------------------

# -- ops/linalg.py ----------------------------------------------------------------------------
from tapeflow.ops.linalg import matmul

# -- ops/random.py ----------------------------------------------------------------------------

# -- ops/control.py and utilities -------------------------------------------------------------

__version__ = "0.1.0"

newaxis = None


def is_tensor(x) -> bool:
    """True for tensors, variables and composite tensors (`tf.is_tensor`)."""
    return isinstance(x, (Tensor, Variable)) or hasattr(x, "_watch_parts")
