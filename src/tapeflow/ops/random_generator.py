"""`tf.random.Generator`: a random-number generator whose state lives in an int64 variable, as
in TF (`from_seed`, `normal`, `uniform`, `truncated_normal`, `split`, ...), plus the global
generator.

The draws come from NumPy's PCG64, keyed by the state, so they are reproducible from a seed
but are not TF's values (spec §11.3). Each draw advances the state's counter by one.
"""

from __future__ import annotations

import enum
import secrets

import numpy as np

from tapeflow.core import dtypes
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.registry import KernelError, TypeList, op
from tapeflow.core.tensor import Tensor, wrap
from tapeflow.core.variable import Variable
from tapeflow.ops import random

_TAG = 0x6E6E  # keeps generator streams apart from the global-seed streams
_MASK = (1 << 64) - 1


class Algorithm(enum.Enum):
    """The RNG algorithms TF names (`tf.random.Algorithm`); tapeflow draws with PCG64 for all,
    keeping each algorithm's state size."""

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


_STATE_SIZES = {1: 3, 2: 2, 3: 3}


def _algorithm(alg) -> int:
    if alg is None:
        return Algorithm.PHILOX.value
    if isinstance(alg, Algorithm):
        return alg.value
    if isinstance(alg, str):
        try:
            return Algorithm[alg.upper()].value
        except KeyError:
            pass
    elif alg in _STATE_SIZES:
        return int(alg)
    raise ValueError(
        f"Argument `alg` got unsupported value {alg}. Supported values are "
        f"{Algorithm.PHILOX}, {Algorithm.THREEFRY}, {Algorithm.AUTO_SELECT}."
    )


def create_rng_state(seed, alg) -> Tensor:
    """The state a generator gets from `seed` (`tf.random.create_rng_state`): an int seed
    split into 64-bit words, or a 1-D seed left-padded with zeros, as TF lays them out."""
    return wrap(_state_words(seed, alg))


def _state_words(seed, alg) -> np.ndarray:
    size = _STATE_SIZES[_algorithm(alg)]
    if isinstance(seed, int):
        words = []
        for _ in range(size):
            words.append(seed & _MASK)
            seed >>= 64
    else:
        words = [int(w) & _MASK for w in np.asarray(seed).reshape(-1)][:size]
        words = [0] * (size - len(words)) + words
    return np.array(words, dtype=np.uint64).view(np.int64)


@op("StatefulUniformFullInt", differentiable=False)
def _uniform_full_int(*, shape, dtype, seed):
    """Integers drawn uniformly from the whole range of `dtype`."""
    info = np.iinfo(dtype)
    return random.generator(seed).integers(
        info.min, info.max, size=shape, dtype=dtype, endpoint=True
    )


@op(
    "StatefulRandomBinomial",
    dtypes=TypeList(dtypes.float16, dtypes.float32, dtypes.float64),
    differentiable=False,
)
def _binomial(counts, probs, *, shape, dtype, seed):
    """Binomial(counts, probs) samples of `shape` (counts and probs broadcast to its end)."""
    try:
        parameters = np.broadcast_shapes(counts.shape, probs.shape)
        ok = np.broadcast_shapes(parameters, shape) == tuple(shape)
    except ValueError:
        ok = False
    if not ok:
        raise KernelError("Shape passed in must end with broadcasted shape.")
    samples = random.generator(seed).binomial(np.floor(counts).astype(np.int64), probs, shape)
    return samples.astype(dtype)


class Generator:
    """A random-number generator with its state in a variable (`tf.random.Generator`).

    Make one with `Generator.from_seed(seed)` or `Generator.from_non_deterministic_state()`.
    Reproducible from a seed, but not TF's values.
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            self._alg = copy_from.algorithm
            state = copy_from.state.numpy()
        else:
            if state is None or alg is None:
                raise ValueError("A Generator needs `copy_from`, or `state` and `alg`.")
            self._alg = _algorithm(alg)
        if isinstance(state, Variable):
            self._state = state
        else:
            self._state = Variable(
                convert_to_tensor(state, dtype=dtypes.int64), trainable=False, name="StateVar"
            )
        size = _STATE_SIZES[self._alg]
        if self._state.shape.as_list() != [size]:
            raise ValueError(f"Shapes {self._state.shape} and {(size,)} are incompatible")

    @classmethod
    def from_seed(cls, seed, alg=None) -> Generator:
        """A generator whose state comes from `seed` (an int, or a 1-D array of ints)."""
        return cls(state=_state_words(seed, alg), alg=_algorithm(alg))

    @classmethod
    def from_non_deterministic_state(cls, alg=None) -> Generator:
        """A generator with a random state (from the operating system's entropy)."""
        size = _STATE_SIZES[_algorithm(alg)]
        return cls(state=_state_words(secrets.randbits(64 * size), alg), alg=_algorithm(alg))

    @classmethod
    def from_state(cls, state, alg) -> Generator:
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg) -> Generator:
        """A generator with state `counter + [key]`."""
        counter = np.asarray(convert_to_tensor(counter, dtype=dtypes.int64)).reshape(-1)
        key = np.asarray(convert_to_tensor(key, dtype=dtypes.int64)).reshape(1)
        return cls(state=np.concatenate([counter, key]), alg=alg)

    @property
    def state(self) -> Variable:
        """The int64 state variable."""
        return self._state

    @property
    def algorithm(self) -> int:
        return self._alg

    @property
    def key(self) -> Tensor:
        """The last word of the state, as an int64 scalar."""
        return wrap(self._state.numpy()[-1])

    def reset(self, state) -> None:
        self._state.assign(convert_to_tensor(state, dtype=dtypes.int64))

    def reset_from_seed(self, seed) -> None:
        self.reset(_state_words(seed, self._alg))

    def reset_from_key_counter(self, key, counter) -> None:
        self.reset(Generator.from_key_counter(key, counter, self._alg).state.numpy())

    def skip(self, delta) -> None:
        """Advances the counter by `delta` draws."""
        self._advance(int(delta))

    def _advance(self, delta: int) -> None:
        words = self._state.numpy().view(np.uint64).copy()
        words[0] += np.uint64(delta & _MASK)
        self._state.assign(words.view(np.int64))

    def _next_key(self, kernel_name=None, dtype=None) -> tuple:
        """The stream key of the next draw; the counter moves on."""
        words = self._state.numpy().view(np.uint64)
        key = (_TAG, self._alg, *(int(w) for w in words))
        self._advance(1)
        return key

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None) -> Tensor:
        """Samples of a normal distribution; gradients reach `mean` and `stddev`."""
        return random.draw_normal(
            random.standard_normal_op, shape, mean, stddev, dtype, self._next_key
        )

    def truncated_normal(
        self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None
    ) -> Tensor:
        """Samples of a normal distribution, redrawn beyond two standard deviations."""
        return random.draw_normal(
            random.truncated_normal_op, shape, mean, stddev, dtype, self._next_key
        )

    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None) -> Tensor:
        """Samples of U[minval, maxval) (floats default to [0, 1)); integers over the whole
        range of the dtype when `minval` and `maxval` are both None."""
        dtype = dtypes.as_dtype(dtype)
        if dtype.is_integer:
            if (minval is None) != (maxval is None):
                raise ValueError(
                    f"For integer dtype {dtype}, minval and maxval must be both `None` or both "
                    f"non-`None`; got minval={minval} and maxval={maxval}"
                )
            if minval is None:
                return self.uniform_full_int(shape, dtype)
        elif maxval is None:
            maxval = 1
        return random.draw_uniform(shape, minval, maxval, dtype, self._next_key)

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None) -> Tensor:
        """Integers drawn uniformly from the whole range of `dtype` (int32, int64, uint32,
        uint64)."""
        dtype = dtypes.as_dtype(dtype)
        dims = random.output_shape(shape, "StatefulUniformFullInt")
        return _uniform_full_int(shape=dims, dtype=dtype._np, seed=self._next_key())

    def binomial(self, shape, counts, probs, dtype=dtypes.int32, name=None) -> Tensor:
        """Samples of Binomial(counts, probs) (float tensors broadcast to the end of `shape`),
        of `dtype` (int32 by default)."""
        counts, probs = convert_to_tensor(counts), convert_to_tensor(probs)
        dims = random.output_shape(shape, "StatefulRandomBinomial")
        key = self._next_key()
        return _binomial(counts, probs, shape=dims, dtype=dtypes.as_dtype(dtype)._np, seed=key)

    def make_seeds(self, count=1) -> Tensor:
        """Seeds for stateless random ops: an int64 tensor of shape [2, count]."""
        keys = self.uniform_full_int([count], dtypes.int64)._value
        return wrap(np.stack([keys, np.zeros_like(keys)]))

    def split(self, count=1) -> list:
        """`count` new generators, independent of each other and of this one (whose state
        moves on)."""
        keys = self.uniform_full_int([count], dtypes.int64)._value
        size = _STATE_SIZES[self._alg]
        return [
            Generator(state=np.array([0] * (size - 1) + [k], np.int64), alg=self._alg) for k in keys
        ]


_global_generator: Generator | None = None


def get_global_generator() -> Generator:
    """The global generator (`tf.random.get_global_generator`), made from a random state on
    first use."""
    global _global_generator
    if _global_generator is None:
        _global_generator = Generator.from_non_deterministic_state()
    return _global_generator


def set_global_generator(generator: Generator) -> None:
    """Replaces the global generator (`tf.random.set_global_generator`)."""
    global _global_generator
    _global_generator = generator
