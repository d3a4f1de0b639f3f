"""Random ops (`tf.random.normal`, `uniform`, `truncated_normal`, `shuffle`, `categorical`)
and TF's seeds (`tf.random.set_seed`).

TF's random streams (Philox, in its C++ kernels) cannot be reproduced bit for bit (spec §11.3):
tapeflow draws from NumPy's PCG64 generator, with TF's distributions, dtypes and seed rules.
With a global seed (`set_seed(s)`) the sequence of random ops is reproducible and `set_seed`
restarts it; an op's `seed=` combines with the global seed (alone, it gives a fixed sequence
per process); repeated calls with one seed give new values, as TF's kernels do; without any
seed, draws differ from run to run. No random op has a gradient to its shape or seed; the
mean, stddev, minval and maxval arguments are applied with differentiable ops, as TF does.
"""

from __future__ import annotations

import random as _python_random

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import NotFoundError, invalid_argument
from tapeflow.core.registry import KernelError, TypeList, op
from tapeflow.core.tensor import Tensor
from tapeflow.ops.elementwise import add, multiply, subtract

_MAXINT32 = 2**31 - 1
_DEFAULT_GRAPH_SEED = 87654321  # TF's global seed for ops given only an op seed


class _SeedState:
    """TF's seed state: the global seed, the source of op seeds it implies, and how many
    times each kernel (op, dtype, seed pair) has run since (TF's kernels keep that count)."""

    def __init__(self):
        self.global_seed = None
        self.op_seeds: _python_random.Random | None = None
        self.calls: dict = {}
        self.unseeded: np.random.Generator | None = None  # made on first use (fast import)


_state = _SeedState()


def set_seed(seed) -> None:
    """Sets the global random seed (`tf.random.set_seed`); `None` unsets it.

    Random ops that follow draw a reproducible sequence, restarted by each `set_seed` call.
    The values differ from TF's (its Philox streams cannot be reproduced).
    """
    try:
        hash(seed)
    except TypeError:  # NumPy arrays and the like: TF reads them as an int
        seed = int(np.asarray(seed))
    _state.global_seed = seed
    # TF gives each op without a seed the next number of a Python RNG seeded by the global seed
    _state.op_seeds = None if seed is None else _python_random.Random(seed)
    _state.calls.clear()


def seed_pair(op_seed) -> tuple | None:
    """TF's (seed, seed2) for an op given `seed=op_seed`, or None when nothing is seeded."""
    global_seed = _state.global_seed
    if global_seed is not None:
        if op_seed is None:
            op_seed = _state.op_seeds.randint(0, _MAXINT32)
        return int(global_seed % _MAXINT32), int(op_seed % _MAXINT32)
    if op_seed is not None:
        return _DEFAULT_GRAPH_SEED, int(op_seed % _MAXINT32)
    return None


def stream(kernel: tuple, op_seed) -> tuple | None:
    """The stream one call of a kernel (op name and dtype) draws from: its seed pair and how
    many calls used that kernel and pair before; None for an unseeded draw."""
    pair = seed_pair(op_seed)
    if pair is None:
        return None
    key = kernel + pair
    count = _state.calls.get(key, 0)
    _state.calls[key] = count + 1
    return pair + (count,)


def generator(key: tuple | None) -> np.random.Generator:
    """NumPy's generator for a stream key: the one place random bits come from."""
    if key is None:
        if _state.unseeded is None:
            _state.unseeded = np.random.default_rng()
        return _state.unseeded
    return np.random.Generator(np.random.PCG64(key))


# -- kernels ----------------------------------------------------------------------------------

_SHAPE_OP = (
    "Op<name={name}; signature=shape:T -> output:dtype; attr=seed:int,default=0; "
    "attr=seed2:int,default=0; attr=dtype:type,allowed=[DT_HALF, DT_BFLOAT16, DT_FLOAT, "
    "DT_DOUBLE]; attr=T:type,allowed=[{enums}]; is_stateful=true>"
)
_UNIFORM_INT_OP = (
    "Op<name={name}; signature=shape:T, minval:Tout, maxval:Tout -> output:Tout; "
    "attr=seed:int,default=0; attr=seed2:int,default=0; attr=Tout:type,allowed=[DT_INT32, "
    "DT_INT64]; attr=T:type,allowed=[{enums}]; is_stateful=true>"
)
_FLOATS = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)
_MANTISSA_BITS = {np.dtype(np.float16): 10, dtypes.bfloat16._np: 7}


def _work_dtype(dtype: np.dtype):
    """The dtype NumPy draws in: float32 for the half types, which are cast afterwards."""
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float32)


@op("RandomStandardNormal", differentiable=False)
def standard_normal_op(*, shape, dtype, seed):
    """Samples of N(0, 1)."""
    values = generator(seed).standard_normal(shape, dtype=_work_dtype(dtype))
    return values.astype(dtype, copy=False)


@op("TruncatedNormal", differentiable=False)
def truncated_normal_op(*, shape, dtype, seed):
    """Samples of N(0, 1), redrawn while more than two standard deviations out (as TF)."""
    rng = generator(seed)
    work = _work_dtype(dtype)
    values = rng.standard_normal(shape, dtype=work)
    outside = np.abs(values) > 2
    while outside.any():
        values[outside] = rng.standard_normal(int(outside.sum()), dtype=work)
        outside = np.abs(values) > 2
    return values.astype(dtype, copy=False)


@op("RandomUniform", differentiable=False)
def _uniform(*, shape, dtype, seed):
    """Samples of U[0, 1)."""
    rng = generator(seed)
    bits = _MANTISSA_BITS.get(dtype)
    if bits is None:
        return rng.random(shape, dtype=dtype)
    # half types: TF fills the mantissa with random bits, so values are multiples of 2^-bits
    return (rng.integers(0, 2**bits, shape) * 2.0**-bits).astype(dtype)


@op("RandomUniformInt", dtypes=TypeList(dtypes.int32, dtypes.int64), differentiable=False)
def _uniform_int(minval, maxval, *, shape, seed):
    """Integers drawn uniformly from [minval, maxval)."""
    for name, bound in (("minval", minval), ("maxval", maxval)):
        if bound.ndim != 0:
            raise KernelError(f"{name} must be 0-D, got shape {_shape_text(bound.shape)}")
    if not minval < maxval:
        raise KernelError(f"Need minval < maxval, got {minval} >= {maxval}")
    return generator(seed).integers(minval, maxval, size=shape, dtype=minval.dtype)


@op("RandomShuffle", differentiable=False)
def _shuffle(value, *, seed):
    """`value` with its first axis permuted."""
    if value.ndim == 0:
        return value
    return value[generator(seed).permutation(value.shape[0])]


@op("Multinomial", dtypes=TypeList(*_FLOATS), differentiable=False)
def _multinomial(logits, *, num_samples, output_dtype, seed):
    """`num_samples` class indices per row of `logits` (unnormalised log-probabilities)."""
    if logits.ndim != 2:
        raise KernelError(f"logits should be a matrix, got shape {_shape_text(logits.shape)}")
    if num_samples < 0:
        raise KernelError(f"num_samples should be non-negative, got {num_samples}")
    batch, classes = logits.shape
    if classes == 0:
        raise KernelError("num_classes should be positive, got 0")
    # TF's CPU kernel: non-finite logits (nan, ±inf) weigh nothing; a row with no finite logit
    # gives `classes` (one past the last class). Sample k is the first class whose cumulative
    # weight exceeds u * total.
    logits = logits.astype(np.float64)
    finite = np.isfinite(logits)
    top = np.max(np.where(finite, logits, -np.inf), axis=1, keepdims=True)
    weights = np.where(finite, np.exp(logits - np.where(np.isfinite(top), top, 0.0)), 0.0)
    cdf = np.cumsum(weights, axis=1)
    targets = generator(seed).random((batch, num_samples)) * cdf[:, -1:]
    out = np.empty((batch, num_samples), dtype=output_dtype)
    for row in range(batch):
        out[row] = np.searchsorted(cdf[row], targets[row], side="right")
    return out


def _shape_text(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


# -- public functions -------------------------------------------------------------------------


def output_shape(shape, op_name: str, op_def: str = _SHAPE_OP) -> tuple:
    """The output shape of a random op: a 1-D int32/int64 value (list, TensorShape, tensor)."""
    if isinstance(shape, (list, tuple)) and not shape:
        return ()
    value = convert_to_tensor(shape)._value
    if value.dtype not in (np.int32, np.int64):
        types = TypeList(dtypes.int32, dtypes.int64, op_def=op_def)
        raise types.error(op_name, dtypes.from_numpy(value.dtype))
    if value.ndim != 1:
        raise invalid_argument(
            f"shape must be a vector of {{int32,int64}}, got shape {_shape_text(value.shape)}",
            op_name,
        )
    dims = tuple(int(d) for d in value)
    for d in dims:
        if d < 0:
            raise invalid_argument(f"Dimension {d} must be >= 0", op_name)
    return dims


def _float_dtype(dtype: dtypes.DType, op_name: str) -> np.dtype:
    if dtype not in _FLOATS:
        allowed = "half, bfloat16, float, double"
        message = (
            f"Value for attr 'dtype' of {dtype._type_string} is not in the list of allowed "
            f"values: {allowed}\n\t; NodeDef: {{{{node {op_name}}}}}; "
            + _SHAPE_OP.format(name=op_name, enums="DT_INT32, DT_INT64")
        )
        raise invalid_argument(message, op_name)
    return dtype._np


def _convert(value, dtype: dtypes.DType, name: str) -> Tensor:
    """`value` as a tensor of `dtype`; a tensor of another dtype is named in the error."""
    try:
        return convert_to_tensor(value, dtype=dtype)
    except ValueError as e:
        raise ValueError(f"{name}: {e}") from None


def _is_python(value, number) -> bool:
    return type(value) in (int, float) and value == number


def seeded_keys(op_seed):
    """The stream keys of ops given `seed=op_seed`: `keys(kernel_name, dtype)`, called once
    per kernel call (after TF's argument conversions, where TF takes its seeds)."""
    return lambda kernel_name, dtype: stream((kernel_name, dtype.name), op_seed)


def draw_normal(kernel, shape, mean, stddev, dtype, keys) -> Tensor:
    """kernel's N(0, 1) samples * stddev + mean, composed as in TF so that gradients reach
    mean and stddev; `keys` gives the stream key (see `seeded_keys`)."""
    dtype = dtypes.as_dtype(dtype)
    plain = _is_python(mean, 0) and _is_python(stddev, 1)  # then x * 1 + 0 is x
    mean = _convert(mean, dtype, "mean")  # TF converts these first (int dtypes fail here)
    stddev = _convert(stddev, dtype, "stddev")
    key = keys(kernel.name, dtype)
    dims = output_shape(shape, kernel.name)
    values = kernel(shape=dims, dtype=_float_dtype(dtype, kernel.name), seed=key)
    return values if plain else add(multiply(values, stddev), mean)


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None) -> Tensor:
    """Samples of a normal distribution (`tf.random.normal`); float32 by default.

    Reproducible with seeds (see `set_seed`), but not TF's values.
    """
    return draw_normal(standard_normal_op, shape, mean, stddev, dtype, seeded_keys(seed))


def truncated_normal(
    shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None
) -> Tensor:
    """Samples of a normal distribution, redrawn beyond two standard deviations from the mean
    (`tf.random.truncated_normal`). Reproducible with seeds, but not TF's values."""
    return draw_normal(truncated_normal_op, shape, mean, stddev, dtype, seeded_keys(seed))


UNIFORM_DTYPES = _FLOATS + (dtypes.int32, dtypes.int64)


def draw_uniform(shape, minval, maxval, dtype: dtypes.DType, keys) -> Tensor:
    """Samples of U[minval, maxval): integers for integer dtypes, else
    `u * (maxval - minval) + minval` (differentiable in both bounds)."""
    # TF skips the arithmetic for Python ints 0 and 1
    minval_is_zero = isinstance(minval, int) and minval == 0
    maxval_is_one = isinstance(maxval, int) and maxval == 1
    if not minval_is_zero or not maxval_is_one or dtype.is_integer:
        minval = _convert(minval, dtype, "min")
        maxval = _convert(maxval, dtype, "max")
    if dtype.is_integer:
        key = keys("RandomUniformInt", dtype)
        dims = output_shape(shape, "RandomUniformInt", _UNIFORM_INT_OP)
        return _uniform_int(minval, maxval, shape=dims, seed=key)
    key = keys("RandomUniform", dtype)
    result = _uniform(shape=output_shape(shape, "RandomUniform"), dtype=dtype._np, seed=key)
    if minval_is_zero:
        return result if maxval_is_one else multiply(result, maxval)
    return add(multiply(result, subtract(maxval, minval)), minval)


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None) -> Tensor:
    """Samples of a uniform distribution on [minval, maxval) (`tf.random.uniform`).

    Floats default to [0, 1); integer dtypes need `maxval`. Reproducible with seeds, but not
    TF's values. Float results are `u * (maxval - minval) + minval`, differentiable in both.
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype not in UNIFORM_DTYPES:
        accepted = ", ".join(repr(d) for d in UNIFORM_DTYPES)
        raise ValueError(
            f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are ({accepted})."
        )
    if maxval is None:
        if dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        maxval = 1
    return draw_uniform(shape, minval, maxval, dtype, seeded_keys(seed))


def shuffle(value, seed=None, name=None) -> Tensor:
    """`value` with its first dimension randomly permuted (`tf.random.shuffle`); no gradient
    flows through it, as in TF."""
    return _shuffle(value, seed=stream(("RandomShuffle",), seed))


_MULTINOMIAL_KERNELS = "\n".join(
    f"  device='CPU'; T in [DT_{t}]; output_dtype in [DT_{o}]"
    for t in ("DOUBLE", "FLOAT", "BFLOAT16", "HALF")
    for o in ("INT64", "INT32")
)


def categorical(logits, num_samples, dtype=None, seed=None, name=None) -> Tensor:
    """Class indices drawn from the rows of `logits` (`[batch, classes]` unnormalised
    log-probabilities), `num_samples` per row, int64 unless `dtype` is int32
    (`tf.random.categorical`). Reproducible with seeds, but not TF's values."""
    logits = convert_to_tensor(logits)
    dtype = dtypes.as_dtype(dtype) if dtype else dtypes.int64
    if dtype not in (dtypes.int32, dtypes.int64):
        raise ValueError(
            f"Argument `dtype` got invalid value {dtype}. Accepted dtypes are (tf.int32, tf.int64)."
        )
    key = stream(("Multinomial", dtype.name), seed)
    pair = key[:2] if key else (0, 0)
    samples = convert_to_tensor(num_samples, dtype=dtypes.int32)._value
    if samples.ndim != 0:
        raise invalid_argument("num_samples should be a scalar.", "Multinomial")
    if logits.dtype not in _FLOATS:
        raise NotFoundError(
            None,
            None,
            "Could not find device for node: {{node Multinomial}} = Multinomial["
            f"T=DT_{logits.dtype._type_string.upper()}, output_dtype=DT_{dtype.name.upper()}, "
            f"seed={pair[0]}, seed2={pair[1]}]\nAll kernels registered for op Multinomial:\n"
            f"{_MULTINOMIAL_KERNELS}\n [Op:Multinomial]",
        )
    return _multinomial(logits, num_samples=int(samples), output_dtype=dtype._np, seed=key)
