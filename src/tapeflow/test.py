"""The `tf.test` namespace: `check_gradients`, a finite-difference check of any function's
gradients at any order."""

from __future__ import annotations

import numpy as np

from tapeflow.autodiff.tape import GradientTape
from tapeflow.core import nest
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.tensor import Tensor, wrap


def _is_float(t) -> bool:
    return t._value.dtype.kind in "fc"


def _as_inputs(args) -> list:
    """Float inputs become float64 (complex128) tensors; other inputs stay as given."""
    inputs = []
    for a in args:
        t = convert_to_tensor(a) if not isinstance(a, Tensor) else a
        if t._value.dtype.kind == "f":
            t = wrap(t._value.astype(np.float64))
        elif t._value.dtype.kind == "c":
            t = wrap(t._value.astype(np.complex128))
        inputs.append(t if _is_float(t) else a)
    return inputs


def _outputs(value) -> list:
    return [convert_to_tensor(v) for v in nest.flatten(value) if v is not None]


class _Scalarized:
    """s(x) = Σ <u_k, f(x)_k>: a real scalar whose gradient is the VJP of f with cotangents u."""

    def __init__(self, f, inputs, rng):
        self.f = f
        outputs = _outputs(f(*inputs))
        self.cotangents = [wrap(_random_like(o._value, rng)) for o in outputs if _is_float(o)]

    def value(self, inputs) -> float:
        outputs = [o for o in _outputs(self.f(*inputs)) if _is_float(o)]
        return float(
            sum(
                np.real(np.sum(np.conj(u._value) * o._value))
                for u, o in zip(self.cotangents, outputs)
            )
        )

    def gradient(self, inputs) -> list:
        """The tape's gradient of s at `inputs`, one array per float input (zeros for None)."""
        floats = [x for x in inputs if isinstance(x, Tensor)]
        with GradientTape() as tape:
            tape.watch(floats)
            outputs = [o for o in _outputs(self.f(*inputs)) if _is_float(o)]
        grads = tape.gradient(outputs, floats, output_gradients=self.cotangents)
        return [
            np.zeros_like(x._value) if g is None else np.asarray(convert_to_tensor(g))
            for g, x in zip(grads, floats)
        ]


def _random_like(value: np.ndarray, rng) -> np.ndarray:
    real = rng.standard_normal(value.shape)
    if value.dtype.kind == "c":
        return (real + 1j * rng.standard_normal(value.shape)).astype(value.dtype)
    return real.astype(value.dtype)


def _numeric_gradient(scalar: _Scalarized, inputs: list, eps: float) -> list:
    """Central differences of the scalar along every element (and imaginary direction)."""
    result = []
    for k, x in enumerate(inputs):
        if not isinstance(x, Tensor):
            continue
        base = x._value
        grad = np.zeros_like(base)
        directions = (1.0, 1j) if base.dtype.kind == "c" else (1.0,)
        for index in np.ndindex(base.shape):
            for d in directions:
                values = []
                for sign in (1.0, -1.0):
                    moved = base.copy()
                    moved[index] += sign * eps * d
                    trial = list(inputs)
                    trial[k] = wrap(moved)
                    values.append(scalar.value(trial))
                grad[index] += d * (values[0] - values[1]) / (2 * eps)
        result.append(grad)
    return result


def _report(order: int, name: str, analytic: list, numeric: list, rtol, atol) -> str | None:
    lines = []
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        a, n = np.asarray(a), np.asarray(n)
        if a.shape != n.shape:
            lines.append(f"  input {i}: gradient has shape {a.shape}, expected {n.shape}")
            continue
        error = np.abs(a - n)
        bad = ~(error <= atol + rtol * np.abs(n))
        if np.any(bad):
            worst = np.argsort(-np.where(np.isnan(error), np.inf, error), axis=None)[:3]
            for flat in worst:
                index = np.unravel_index(flat, a.shape)
                if bad[index]:
                    lines.append(
                        f"  input {i} at {tuple(int(j) for j in index)}: tape "
                        f"{a[index]!r}, finite differences {n[index]!r}"
                    )
    if not lines:
        return None
    return f"{name}: order-{order} gradient differs from finite differences\n" + "\n".join(lines)


def check_gradients(
    f,
    args,
    order: int = 2,
    *,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    seed: int = 0,
) -> None:
    """Checks the gradients of `f` at `args` against finite differences, in float64.

    For each order up to `order`, the vector-Jacobian product computed by a tape (with a
    random cotangent) is compared, element by element, with central differences; order k + 1
    differentiates the order-k gradient function with nested tapes. Raises AssertionError with
    the worst entries when they differ. Non-float arguments are passed through unchanged.
    """
    rng = np.random.default_rng(seed)
    name = getattr(f, "name", getattr(f, "__name__", repr(f)))
    inputs = _as_inputs(args)
    function = f
    for current in range(1, order + 1):
        scalar = _Scalarized(function, inputs, rng)
        analytic = scalar.gradient(inputs)
        numeric = _numeric_gradient(scalar, inputs, eps)
        problem = _report(current, name, analytic, numeric, rtol, atol)
        if problem:
            raise AssertionError(problem)
        function = _gradient_function(scalar)


def _gradient_function(scalar: _Scalarized):
    """x ↦ ∇s(x) computed by a tape, as a function that outer tapes can differentiate."""

    def gradient(*inputs):
        floats = [x for x in inputs if isinstance(x, Tensor)]
        with GradientTape() as tape:
            tape.watch(floats)
            outputs = [o for o in _outputs(scalar.f(*inputs)) if _is_float(o)]
        grads = tape.gradient(
            outputs, floats, output_gradients=scalar.cotangents, unconnected_gradients="zero"
        )
        return [convert_to_tensor(g) for g in grads]

    return gradient
