"""One test over the whole op registry: every gradient rule against finite differences in
float64, at orders 1 and 2; ops without gradients give None (or LookupError) as in TF."""

import functools

import numpy as np
import pytest

import tapeflow as tf
from samples import SAMPLES
from tapeflow.core.registry import REGISTRY


def test_every_registered_op_has_samples():
    missing = sorted(set(REGISTRY) - set(SAMPLES))
    assert not missing, f"ops without samples in tests/samples: {missing}"


def test_samples_name_registered_ops():
    unknown = sorted(set(SAMPLES) - set(REGISTRY))
    assert not unknown, f"samples for ops that are not registered: {unknown}"


def _float_tensors(args):
    return [tf.constant(a) for a in args if np.asarray(a).dtype.kind in "fc"]


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_gradient_matches_finite_differences(name):
    op = REGISTRY[name]
    for args, attrs, order in SAMPLES[name]:
        call = functools.partial(op, **attrs)
        if op.differentiable and op.vjp is not None:
            tf.test.check_gradients(call, args, order=order)
            continue
        inputs = [tf.constant(a) for a in args]
        floats = [t for t in inputs if t.dtype.is_floating or t.dtype.is_complex]
        with tf.GradientTape() as tape:
            tape.watch(floats)
            outputs = tf.nest.flatten(call(*inputs))
        if op.differentiable:  # declared differentiable but no rule: TF's LookupError
            with pytest.raises(LookupError, match=f"gradient registry has no entry for: {name}"):
                tape.gradient(outputs, floats)
        else:
            assert tape.gradient(outputs, floats) == [None] * len(floats)
