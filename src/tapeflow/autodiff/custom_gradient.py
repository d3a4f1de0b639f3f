"""`tf.custom_gradient` and `tf.recompute_grad` (spec §9.2).

A decorated call runs `f` as usual (its ops are recorded, so forward mode differentiates
them), then records one op of its own whose outputs are fresh copies of `f`'s results and
whose rule is the user's `grad_fn`: reverse mode sees only that op.
"""

from __future__ import annotations

import functools
import inspect

from tapeflow.autodiff.tape import GradientTape
from tapeflow.core import nest
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.recording import state
from tapeflow.core.registry import Op
from tapeflow.core.tensor import Tensor


class Bind:
    """A function decorated with `tf.custom_gradient` (TF calls its wrapper class Bind too)."""

    def __init__(self, f):
        self._f = f
        functools.update_wrapper(self, f)

    def __call__(self, *args, **kwargs):
        return _call_with_custom_gradient(self._f, args, kwargs)

    def __get__(self, instance, owner=None):  # decorated methods bind like functions
        if instance is None:
            return self
        return functools.partial(self.__call__, instance)


def custom_gradient(f=None):
    """Decorates `f(*args) -> (outputs, grad_fn)` so that gradients of `outputs` are computed by
    `grad_fn(*upstreams)` instead of by differentiating `f` (`tf.custom_gradient`)."""
    if f is None:
        return custom_gradient
    return Bind(f)


def _as_input(value) -> Tensor:
    """A positional argument as the op's input: variables are read, numbers converted."""
    return convert_to_tensor(value)


def _call_with_custom_gradient(f, args, kwargs):
    watched: list = []
    state.variable_watchers.append(watched)
    try:
        result = f(*args, **kwargs)
    finally:
        state.variable_watchers.remove(watched)
    if not isinstance(result, (tuple, list)) or len(result) != 2 or not callable(result[1]):
        raise TypeError(
            f"@tf.custom_gradient function {f.__name__} must return a pair "
            f"(outputs, grad_fn), got {result!r}"
        )
    outputs, grad_fn = result
    flat_args = nest.flatten(args)
    variables = [v for v in watched if all(v is not a for a in flat_args)]
    if variables and not _accepts_variables(grad_fn):
        raise TypeError(
            "@tf.custom_gradient grad_fn must accept keyword argument 'variables', "
            f"since function uses variables: {variables}"
        )
    inputs = [_as_input(a) for a in flat_args] + [v.value() for v in variables]
    flat_outputs = [convert_to_tensor(o) for o in nest.flatten(outputs)]
    op = _custom_op(f.__name__, grad_fn, len(flat_args), variables, outputs, flat_outputs)
    copies = op(*inputs, *flat_outputs)
    copies = list(copies) if isinstance(copies, tuple) else [copies]
    return nest.pack_sequence_as(outputs, copies)


def _accepts_variables(grad_fn) -> bool:
    spec = inspect.getfullargspec(grad_fn)
    return "variables" in spec.args or "variables" in spec.kwonlyargs or spec.varkw is not None


def _custom_op(name: str, grad_fn, arg_count: int, variables: list, outputs, flat_outputs):
    """An op for one call: its inputs are the arguments, the variables read and f's own
    results (so forward mode passes their tangents on); its outputs are copies of the results."""
    count = len(flat_outputs)
    input_count = arg_count + len(variables)

    def forward(*arrays):
        results = arrays[input_count:]
        return results[0] if count == 1 else tuple(results)

    forward.__name__ = name
    op = Op(name, forward, match=())

    def vjp(dy, y, *inputs):
        upstreams = list(dy) if count > 1 else [dy]
        upstreams = nest.pack_sequence_as(outputs, upstreams)
        upstreams = upstreams if isinstance(upstreams, (list, tuple)) else [upstreams]
        if variables:
            input_grads, variable_grads = grad_fn(*upstreams, variables=variables)
            if len(variable_grads) != len(variables):
                raise ValueError(
                    "Must return gradient for each variable from @custom_gradient grad_fn."
                )
        else:
            input_grads, variable_grads = grad_fn(*upstreams), []
        flat = nest.flatten(input_grads)
        if len(flat) != arg_count:
            raise ValueError(
                f"custom_gradient function expected to return {arg_count} "
                f"gradients, but returned {len(flat)} instead."
            )
        grads = [
            _checked(g, x, i) for i, (g, x) in enumerate(zip(flat + list(variable_grads), inputs))
        ]
        return grads + [None] * count

    def jvp(tangents, y, *inputs):
        results = tangents[input_count:]
        return results[0] if count == 1 else tuple(results)

    op.defvjp(vjp)
    op.defjvp(jvp)
    return op


def _checked(grad, x: Tensor, index: int):
    """A returned gradient as a tensor of its input's dtype (tapeflow choice: TF returns raw
    Python numbers); a wrong shape is an error (TF lets it through)."""
    if grad is None:
        return None
    if not isinstance(grad, Tensor) and not hasattr(grad, "_watch_parts"):
        grad = convert_to_tensor(grad, dtype=x.dtype)
    shape = getattr(grad, "shape", None)
    if isinstance(grad, Tensor) and grad._value.shape != x._value.shape:
        raise ValueError(
            f"custom_gradient: the gradient for input {index} has shape {shape}, "
            f"but the input has shape {x.shape}"
        )
    return grad


def recompute_grad(f):
    """Decorates `f` so that its intermediate results are not kept for the backward pass but
    recomputed then (`tf.recompute_grad`): less memory, more compute."""

    @custom_gradient
    def recomputing(*args, **kwargs):
        with _stopped_tapes():
            result = f(*args, **kwargs)

        def grad_fn(*upstreams, variables=None):
            inputs = [convert_to_tensor(a) for a in nest.flatten(args)]
            with GradientTape() as tape:
                tape.watch(inputs)
                if variables:
                    tape.watch(variables)
                again = f(*nest.pack_sequence_as(args, inputs), **kwargs)
            grads = tape.gradient(
                nest.flatten(again),
                inputs + list(variables or []),
                output_gradients=list(upstreams),
            )
            return grads[: len(inputs)], grads[len(inputs) :]

        return result, grad_fn

    return functools.wraps(f)(recomputing)


class _stopped_tapes:
    """Nothing is recorded inside (the recompute_grad forward keeps no intermediates)."""

    def __enter__(self):
        self.saved = state.tapes[:]
        state.tapes[:] = []

    def __exit__(self, *exc):
        state.tapes[:] = self.saved
