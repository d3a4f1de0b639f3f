"""`tf.GradientTape`: records operations inside its context and differentiates them."""

from __future__ import annotations

import contextlib

import numpy as np

from tapeflow.autodiff import backprop
from tapeflow.autodiff._arguments import (
    CONSUMED,
    UnconnectedGradients,
    check_leaf,
    unconnected_mode,
    zeros_like,
)
from tapeflow.core import nest
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.dtypes import DIFFERENTIABLE_NP
from tapeflow.core.errors import invalid_argument
from tapeflow.core.log import warn_per_call_site
from tapeflow.core.recording import Tape, pop_tape, push_tape, replace_tape
from tapeflow.core.tensor import Tensor, wrap
from tapeflow.core.variable import Variable
from tapeflow.ops.shapes import broadcast_to_op

_IN_CONTEXT = (
    "Calling GradientTape.gradient on a persistent tape inside its context is significantly "
    "less efficient than calling it outside the context (it causes the gradient ops to be "
    "recorded on the tape, leading to increased CPU and memory usage). Only call "
    "GradientTape.gradient inside the context if you actually want to trace the gradient in "
    "order to compute higher order derivatives."
)


class GradientTape:
    """Records operations for automatic differentiation (`tf.GradientTape`).

    Operations run inside the `with` block on watched tensors (and, by default, on trainable
    variables) are recorded; `gradient()` differentiates them. A non-persistent tape gives
    one set of gradients and is then released.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._recording = False
        self._tape: Tape | None = None  # what is being recorded; None before use or once used
        self._released_variables: tuple = ()

    # -- context --------------------------------------------------------------------------
    def __enter__(self):
        if self._recording:
            raise ValueError(
                "Tape is still recording, This can happen if you try to re-enter "
                "an already-active tape."
            )
        if self._tape is None:
            self._tape = Tape(bool(self._persistent), bool(self._watch_accessed_variables))
        push_tape(self._tape)
        self._recording = True
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if self._recording:
            pop_tape(self._tape)
            self._recording = False

    @contextlib.contextmanager
    def stop_recording(self):
        """A context in which this tape records nothing (other tapes are unaffected)."""
        if self._tape is None:
            raise RuntimeError("Trying to stop recording a tape which is not recording.")
        if not self._recording:
            raise ValueError("Tape is not recording.")
        self.__exit__(None, None, None)
        try:
            yield
        finally:
            if self._tape is not None:  # a non-persistent gradient() inside releases the tape
                self.__enter__()

    def reset(self):
        """Forgets everything recorded and watched so far and goes on recording."""
        if not self._recording:
            raise ValueError("Tape is not recording.")
        fresh = Tape(self._tape.persistent, self._tape.watch_accessed_variables)
        replace_tape(self._tape, fresh)
        self._tape = fresh

    # -- watching -------------------------------------------------------------------------
    def watch(self, tensor):
        """Ensures `tensor` (a tensor, variable, or nest of them) is tracked by this tape."""
        if self._tape is None:
            raise RuntimeError(
                "GradientTape.watch() needs a tape in use: enter it with "
                "`with tape:` before watching (a non-persistent tape must be "
                "entered again after its gradient was taken)."
            )
        leaves = nest.flatten(tensor)
        for leaf in leaves:  # validate everything before watching anything
            if not isinstance(leaf, (Tensor, Variable)) and not hasattr(leaf, "_watch_parts"):
                raise ValueError(
                    f"Passed in object {leaf} of type '{type(leaf).__name__}', not "
                    "tf.Tensor or tf.Variable or ExtensionType."
                )
        for leaf in leaves:
            if isinstance(leaf, Variable):
                self._tape.watch_variable(leaf)
                continue
            for part in leaf._watch_parts() if hasattr(leaf, "_watch_parts") else (leaf,):
                if part._value.dtype not in DIFFERENTIABLE_NP:
                    warn_per_call_site(
                        "watch",
                        5,
                        "The dtype of the watched tensor must be "
                        f"floating (e.g. tf.float32), got {part.dtype!r}",
                    )
                self._tape.watch(part)

    def watched_variables(self) -> tuple:
        """The variables this tape watches, in creation order."""
        if self._tape is None:
            return self._released_variables
        return tuple(sorted(self._tape.variables.values(), key=lambda v: v._id))

    # -- differentiation ------------------------------------------------------------------
    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=UnconnectedGradients.NONE,
    ):
        """The gradient of `target` (summed over its elements and over all its leaves) with
        respect to each of `sources`, in the structure of `sources`."""
        if self._tape is None:
            raise RuntimeError(CONSUMED)
        zero_unconnected = unconnected_mode(unconnected_gradients) is UnconnectedGradients.ZERO
        if target is None:
            raise TypeError(
                "Argument `target` should be a list or nested structure of Tensors, "
                "Variables or CompositeTensors to be differentiated, but received "
                "None."
            )
        flat_targets = [check_leaf(t, "target", i) for i, t in enumerate(nest.flatten(target))]
        flat_sources = [check_leaf(s, "source", i) for i, s in enumerate(nest.flatten(sources))]
        seeds = _seeds(target, flat_targets, output_gradients)

        tape = self._take_tape()
        grads = backprop.compute_gradients(tape, flat_targets, flat_sources, seeds)
        if zero_unconnected:
            grads = [zeros_like(s) if g is None else g for g, s in zip(grads, flat_sources)]
        return nest.pack_sequence_as(sources, grads)

    def _take_tape(self, depth: int = 3) -> Tape:
        """The recording to differentiate. A non-persistent tape stops recording and is
        released now, even if the backward pass then fails (spec §4.7, tapeflow choice)."""
        tape = self._tape
        if self._persistent:
            if self._recording:
                warn_per_call_site("persistent-gradient", 1, _IN_CONTEXT, depth=depth)
        else:
            self.__exit__(None, None, None)
            self._released_variables = self.watched_variables()
            self._tape = None
        return tape

    def jacobian(
        self,
        target,
        sources,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """The Jacobian of `target` with respect to each of `sources`."""
        from tapeflow.autodiff.jacobians import jacobian

        return jacobian(
            self, target, sources, unconnected_gradients, parallel_iterations, experimental_use_pfor
        )

    def batch_jacobian(
        self,
        target,
        source,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """The Jacobian of each row of `target` with respect to the same row of `source`."""
        from tapeflow.autodiff.jacobians import batch_jacobian

        return batch_jacobian(
            self, target, source, unconnected_gradients, parallel_iterations, experimental_use_pfor
        )


def _seeds(target, flat_targets: list, output_gradients) -> list:
    """The gradient flowing into each flattened target (spec §4.6, tapeflow choices)."""
    if output_gradients is None:
        given = []
    elif (
        isinstance(output_gradients, list)
        and not nest.is_nested(target)
        and flat_targets[0]._value.ndim > 0
    ):
        given = [output_gradients]  # one seed for one non-scalar target, not a structure
    else:
        given = nest.flatten(output_gradients)
    seeds = []
    for i, target_leaf in enumerate(flat_targets):
        value = target_leaf._value
        if value.dtype.kind == "O":
            seeds.append(None)  # strings carry no gradient
        elif i < len(given) and given[i] is not None:
            seeds.append(_seed(given[i], target_leaf, i))
        else:
            seeds.append(wrap(np.ones(value.shape, dtype=value.dtype)))
    return seeds


def _seed(given, target, index: int):
    dtype = target.dtype
    if isinstance(given, (Tensor, Variable)) or hasattr(type(given), "__tf_tensor__"):
        seed = convert_to_tensor(given)
        if seed._value.dtype != target._value.dtype:
            raise invalid_argument(
                f"output_gradients[{index}] has dtype {seed.dtype.name}, but "
                f"target {index} has dtype {dtype.name}"
            )
    else:
        seed = convert_to_tensor(given, dtype=dtype)
    shape, target_shape = seed._value.shape, target._value.shape
    if shape != target_shape:
        try:
            broadcast = np.broadcast_shapes(shape, target_shape)
        except ValueError:
            broadcast = None
        if broadcast != target_shape:
            raise ValueError(
                f"output_gradients[{index}] has shape {shape}, but target {index} "
                f"has shape {target_shape}: a seed must have its target's shape "
                "(or broadcast to it without changing it)."
            )
        seed = broadcast_to_op(seed, shape=target_shape)
    return seed
