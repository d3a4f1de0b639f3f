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
from tapeflow import autodiff, dtypes, errors, image, linalg, math, nest, nn, ops, raw_ops, test

# -- autodiff ---------------------------------------------------------------------------------
from tapeflow.autodiff import GradientTape
from tapeflow.autodiff._arguments import UnconnectedGradients
from tapeflow.autodiff.custom_gradient import custom_gradient, recompute_grad
from tapeflow.ops.control import stop_gradient
from tapeflow.ops.indexed_slices import IndexedSlices

# -- ops/elementwise.py and other elementwise families ----------------------------------------
from tapeflow.ops.comparison import maximum, minimum, where
from tapeflow.ops.elementwise import (
    abs,
    cast,
    cos,
    divide,
    equal,
    exp,
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
    sin,
    sqrt,
    square,
    subtract,
    tanh,
)
from tapeflow.ops.elementwise import divide as truediv
from tapeflow.ops.math_functions import add, floor, round, sign
from tapeflow.ops.trigonometry import acos, acosh, asin, asinh, atan, atan2, atanh, cosh, sinh, tan

# -- ops/reductions.py ------------------------------------------------------------------------
from tapeflow.ops.ranking import argmax, argmin
from tapeflow.ops.reductions import (
    reduce_all,
    reduce_any,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
)
from tapeflow.ops.reductions_composite import add_n, reduce_logsumexp
from tapeflow.ops.scans import cumsum

# -- ops/creation.py and ops/shapes.py --------------------------------------------------------
from tapeflow.ops.arrays import pad, repeat, reverse, slice, tile, transpose
from tapeflow.ops.clipping import clip_by_global_norm, clip_by_norm, clip_by_value
from tapeflow.ops.creation import fill, ones, ones_like, range, zeros, zeros_like
from tapeflow.ops.metadata import rank, shape, size
from tapeflow.ops.sequences import linspace, meshgrid, one_hot, sequence_mask
from tapeflow.ops.shapes import (
    broadcast_to,
    concat,
    expand_dims,
    identity,
    reshape,
    split,
    squeeze,
    stack,
    unstack,
)

# -- ops/indexing.py --------------------------------------------------------------------------
from tapeflow.ops.gather import gather, gather_nd, scatter_nd
from tapeflow.ops.indexing import strided_slice
from tapeflow.ops.lookup import boolean_mask
from tapeflow.ops.scatter import (
    tensor_scatter_nd_add,
    tensor_scatter_nd_sub,
    tensor_scatter_nd_update,
)
from tapeflow.ops.sorting import argsort, sort, unique

# -- ops/linalg.py ----------------------------------------------------------------------------
from tapeflow.ops.diagonals import eye
from tapeflow.ops.einsum import einsum
from tapeflow.ops.linalg import matmul, tensordot
from tapeflow.ops.norms import norm

# -- ops/random.py ----------------------------------------------------------------------------
from tapeflow import random

# -- ops/control.py and utilities -------------------------------------------------------------
from tapeflow.ops.control import case, cond, switch_case, while_loop
from tapeflow.ops.functional import TensorSpec, function
from tapeflow.ops.printing import print_v2 as print

__version__ = "0.1.0"

newaxis = None


def is_tensor(x) -> bool:
    """True for tensors, variables and composite tensors (`tf.is_tensor`)."""
    return isinstance(x, (Tensor, Variable)) or hasattr(x, "_watch_parts")
