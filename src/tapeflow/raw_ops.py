"""The `tf.raw_ops` namespace: every registered op by its TF op type, called with keyword
arguments only (`tf.raw_ops.SqrtGrad(y=..., dy=...)`), as TF's raw ops are."""

import inspect

from tapeflow.core.registry import REGISTRY


def _raw(op):
    inputs = [
        p.name
        for p in inspect.signature(op.forward).parameters.values()
        if p.kind is p.POSITIONAL_OR_KEYWORD
    ]

    def raw_op(**kwargs):
        kwargs.pop("name", None)
        missing = [n for n in inputs if n not in kwargs]
        if missing:
            raise TypeError(f"{op.name} missing required arguments: {', '.join(missing)}")
        return op(*[kwargs.pop(n) for n in inputs], **kwargs)

    raw_op.__name__ = op.name
    raw_op.__doc__ = op.__doc__
    return raw_op


def __getattr__(name):
    if name in REGISTRY:
        return _raw(REGISTRY[name])
    raise AttributeError(f"module 'tapeflow.raw_ops' has no attribute '{name}'")


def __dir__():
    return sorted(REGISTRY)
