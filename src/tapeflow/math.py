"""The `tf.math` namespace. Each op family has its own block."""

# -- ops/elementwise.py and other elementwise families ----------------------------------------
from tapeflow.ops.elementwise import (
    abs,
    add,
    conj,
    cos,
    div_no_nan,
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
    sign,
    sin,
    sqrt,
    square,
    subtract,
    tanh,
)
from tapeflow.ops.elementwise import divide as truediv
from tapeflow.ops.elementwise import floormod as mod

# -- ops/reductions.py ------------------------------------------------------------------------
from tapeflow.ops.reductions import reduce_mean, reduce_sum

# -- ops/nn.py: names TF also has in tf.math (softplus, softsign, log_sigmoid) ----------------
