"""`tf.autodiff.ForwardAccumulator`: forward-mode differentiation (spec §10.2–§10.4).

The accumulator joins the active tapes; as each op runs on inputs that carry tangents, it
computes the outputs' tangents at once, with the op's JVP rule where one is declared and
otherwise by transposing its VJP rule (the VJP is linear in the cotangent, so differentiating
<vjp(u), t> with respect to u gives J t). Tangents are computed with ordinary ops, so tapes and
outer accumulators see them: that gives Hessian-vector products and higher orders.
"""

from __future__ import annotations

import numpy as np

from tapeflow.autodiff._arguments import UnconnectedGradients, unconnected_mode
from tapeflow.autodiff.tape import GradientTape
from tapeflow.core import nest
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.dtypes import DIFFERENTIABLE_NP
from tapeflow.core.log import warn_per_call_site
from tapeflow.core.recording import Tape, pop_tape, push_tape
from tapeflow.core.tensor import Tensor, wrap
from tapeflow.core.variable import Variable
from tapeflow.ops.indexed_slices import to_dense


class _ForwardTape(Tape):
    """The accumulator's place among the active tapes: tangents by tensor id."""

    __slots__ = ("tangents", "busy")
    forward = True

    def __init__(self):
        super().__init__(persistent=False, watch_accessed_variables=False)
        self.tangents: dict = {}
        self.busy = False  # computing tangents: its own ops are not traced again

    def propagate(self, op, inputs: tuple, outputs: tuple, attrs: dict) -> None:
        if self.busy:
            return
        tangents = tuple(self.tangents.get(t._id) for t in inputs)
        self.busy = True
        try:
            results = _output_tangents(op, tangents, inputs, outputs, attrs)
        finally:
            self.busy = False
        for out, tangent in zip(outputs, results):
            if tangent is not None and out._value.dtype in DIFFERENTIABLE_NP:
                self.tangents[out._id] = tangent
                self.tracked.add(out._id)


def _output_tangents(op, tangents: tuple, inputs: tuple, outputs: tuple, attrs: dict) -> list:
    if not op.differentiable or op.vjp is None:
        return [None] * len(outputs)
    y = outputs[0] if len(outputs) == 1 else outputs
    if op.jvp is not None:
        result = op.jvp(tangents, y, *inputs, **attrs)
    else:
        result = _jvp_by_transposing(op, tangents, y, inputs, outputs, attrs)
    return list(result) if isinstance(result, (tuple, list)) else [result]


def _jvp_by_transposing(op, tangents, y, inputs, outputs, attrs):
    """J t as the gradient, with respect to the cotangent u, of <vjp(u), t>.

    u is ones (TF's choice too): a rule that is linear in u only where u is non-zero, such as
    EuclideanNorm's x / (y / u), then still gives the right derivative."""
    cotangents = [wrap(np.ones_like(o._value)) for o in outputs]
    with GradientTape() as tape:
        tape.watch([u for u in cotangents if u._value.dtype in DIFFERENTIABLE_NP])
        dy = cotangents[0] if len(outputs) == 1 else tuple(cotangents)
        if op.vjp_takes_needs:
            grads = op.vjp(dy, y, *inputs, needs=[t is not None for t in tangents], **attrs)
        else:
            grads = op.vjp(dy, y, *inputs, **attrs)
    grads = list(grads) if isinstance(grads, (tuple, list)) else [grads]
    pairs = [(to_dense(g), t) for g, t in zip(grads, tangents) if g is not None and t is not None]
    if not pairs:
        return [None] * len(outputs)
    result = tape.gradient(
        [g for g, _ in pairs], cotangents, output_gradients=[t for _, t in pairs]
    )
    return result if len(outputs) > 1 else result[0]


class ForwardAccumulator:
    """Computes Jacobian-vector products of everything computed from `primals` while the
    accumulator is active, along `tangents` (`tf.autodiff.ForwardAccumulator`)."""

    def __init__(self, primals, tangents):
        nest.assert_same_structure(primals, tangents)
        self._tape = _ForwardTape()
        self._recording = False
        seen: set = set()
        for primal, tangent in zip(nest.flatten(primals), nest.flatten(tangents)):
            if primal._id in seen:
                raise ValueError(
                    "Tensor {} was specified as a primal multiple times. This may "
                    "indicate an error. If it was intended, please sum the "
                    "corresponding tangents."
                )
            seen.add(primal._id)
            self._watch(primal, tangent)

    def _watch(self, primal, tangent) -> None:
        tangent = convert_to_tensor(tangent, dtype=primal.dtype)
        if tangent._value.shape != primal._value.shape:
            raise ValueError(
                f"ForwardAccumulator: a tangent has shape {tangent.shape}, but its "
                f"primal has shape {primal.shape}; they must be equal."
            )
        if primal._value.dtype not in DIFFERENTIABLE_NP:
            warn_per_call_site(
                "primal",
                5,
                "The dtype of the watched primal must be floating "
                f"(e.g. tf.float32), got {primal.dtype!r}",
                depth=4,
            )
            return
        self._tape.tangents[primal._id] = tangent
        self._tape.tracked.add(primal._id)

    def __enter__(self):
        if self._recording:
            raise ValueError("Accumulator is already recording.")
        push_tape(self._tape)
        self._recording = True
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if self._recording:
            pop_tape(self._tape)
            self._recording = False

    def jvp(self, primals, unconnected_gradients=UnconnectedGradients.NONE):
        """The tangent of each tensor in `primals` (a nest): None, or zeros in 'zero' mode, for
        tensors not computed from the watched primals while the accumulator was active."""
        zero = unconnected_mode(unconnected_gradients) is UnconnectedGradients.ZERO
        results = []
        for value in nest.flatten(primals):
            tangent = self._tape.tangents.get(value._id)
            if tangent is None and zero:
                tangent = wrap(np.zeros_like(_array(value)))
            results.append(tangent)
        return nest.pack_sequence_as(primals, results)


def _array(value) -> np.ndarray:
    return value._value if isinstance(value, (Tensor, Variable)) else np.asarray(value)
