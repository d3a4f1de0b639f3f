"""The `tf.math` namespace. Each op family has its own block."""

# -- ops/elementwise.py and other elementwise families ----------------------------------------
from tapeflow import _special as special
from tapeflow.ops.comparison import is_finite, is_inf, is_nan, maximum, minimum
from tapeflow.ops.elementwise import (
    abs,
    conj,
    cos,
    divide,
    equal,
    exp,
    floordiv,
    floormod,
    greater,
    greater_equal,
    imag,
    less,
    less_equal,
    log,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    multiply,
    negative,
    not_equal,
    pow,
    real,
    reciprocal,
    sigmoid,
    sin,
    sqrt,
    square,
    subtract,
    tanh,
)
from tapeflow.ops.elementwise import divide as truediv
from tapeflow.ops.elementwise import floormod as mod
from tapeflow.ops.math_functions import (
    add,
    angle,
    ceil,
    divide_no_nan,
    expm1,
    floor,
    log1p,
    polyval,
    rint,
    round,
    rsqrt,
    sign,
    squared_difference,
    xdivy,
    xlogy,
)
from tapeflow.ops.special_functions import (
    bessel_i0,
    bessel_i1,
    digamma,
    erf,
    erfc,
    lgamma,
    polygamma,
)
from tapeflow.ops.trigonometry import acos, acosh, asin, asinh, atan, atan2, atanh, cosh, sinh, tan

# -- ops/reductions.py ------------------------------------------------------------------------
from tapeflow.ops.ranking import argmax, argmin, top_k
from tapeflow.ops.reductions import (
    reduce_all,
    reduce_any,
    reduce_euclidean_norm,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
)
from tapeflow.ops.reductions_composite import (
    add_n,
    count_nonzero,
    reduce_logsumexp,
    reduce_std,
    reduce_variance,
)
from tapeflow.ops.scans import cumprod, cumsum

# -- ops/nn.py: names TF also has in tf.math (softplus, softsign, log_sigmoid) ----------------
from tapeflow.ops.activations import log_sigmoid, softplus, softsign
from tapeflow.ops.nn import l2_normalize
from tapeflow.ops.softmax import log_softmax, softmax

# -- ops/gather.py and ops/scatter.py: segment sums -------------------------------------------
from tapeflow.ops.gather import unsorted_segment_sum
from tapeflow.ops.scatter import segment_sum

# -- ops/counting.py ----------------------------------------------------------------------------
from tapeflow.ops.counting import bincount
