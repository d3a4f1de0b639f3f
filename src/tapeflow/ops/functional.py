"""`tf.function` in eager mode, a pass-through decorator, and `tf.TensorSpec` for its
`input_signature`.

tapeflow has no graphs: a decorated function runs as Python on every call (so side effects
such as `print` happen on each call, not once per trace as in TF). What TF's eager callers see
is kept: results come back as tensors, and an `input_signature` converts and checks arguments.
"""

from __future__ import annotations

import functools
import inspect
import weakref

from tapeflow.core import dtypes, nest
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.shape import TensorShape
from tapeflow.core.tensor import Tensor


class TensorSpec:
    """The shape and dtype a tensor argument must have (`tf.TensorSpec`); `None` dimensions
    (or `shape=None`) match any size."""

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self._shape = shape if isinstance(shape, TensorShape) else TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    shape = property(lambda self: self._shape, doc="The shape (a TensorShape).")
    dtype = property(lambda self: self._dtype, doc="The dtype.")
    name = property(lambda self: self._name, doc="The name, or None.")

    @classmethod
    def from_tensor(cls, tensor, name=None) -> TensorSpec:
        """The spec of a tensor's shape and dtype."""
        tensor = convert_to_tensor(tensor)
        return cls(tensor.shape, tensor.dtype, name)

    def is_compatible_with(self, spec_or_value) -> bool:
        """True if a tensor (or spec) of that dtype and shape matches this spec."""
        if not isinstance(spec_or_value, TensorSpec):
            try:
                spec_or_value = TensorSpec.from_tensor(spec_or_value)
            except (TypeError, ValueError):
                return False
        return self._dtype == spec_or_value.dtype and self._shape.is_compatible_with(
            spec_or_value.shape
        )

    def __eq__(self, other):
        return (
            type(other) is type(self)
            and self._shape == other._shape
            and self._dtype == other._dtype
            and self._name == other._name
        )

    def __hash__(self):
        return hash((self._shape, self._dtype, self._name))

    def __repr__(self):
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r})"


def _check_signature(input_signature) -> None:
    if not isinstance(input_signature, (tuple, list)):
        raise TypeError(
            f"input_signature must be either a tuple or a list, got {type(input_signature)}."
        )
    bad = [s for s in nest.flatten(input_signature) if not isinstance(s, TensorSpec)]
    if bad:
        raise TypeError(
            "input_signature must be a possibly nested sequence of TensorSpec objects, got "
            f"invalid args {bad} with types {[type(s) for s in bad]}."
        )


class _BindingError(Exception):
    """Why arguments do not fit an input_signature (TF wraps it in its TypeError)."""


def _spec_text(spec) -> str:
    if isinstance(spec, list):
        return "List[" + ", ".join(_spec_text(s) for s in spec) + "]"
    if isinstance(spec, tuple):
        return "Tuple[" + ", ".join(_spec_text(s) for s in spec) + "]"
    return repr(spec)


def _cast(value, spec):
    """`value` as the spec says: tensors of the spec's dtype and shape, in its structure."""
    if isinstance(spec, (list, tuple)):
        kind = type(spec)
        if type(value) is not kind or len(value) != len(spec):
            raise _BindingError(f"Can not cast {value} to {kind.__name__} type.")
        return kind(_cast(v, s) for v, s in zip(value, spec))
    try:
        tensor = convert_to_tensor(value, dtype=None if isinstance(value, Tensor) else spec.dtype)
    except (TypeError, ValueError) as e:
        raise _BindingError(str(e)) from None
    if not spec.is_compatible_with(tensor):
        raise _BindingError(f"Can not cast {TensorSpec.from_tensor(tensor)!r} to {spec!r}")
    return tensor


def _to_output(value):
    """Results leave a tf.function as tensors (None and composite tensors as they are)."""
    if value is None or isinstance(value, Tensor) or hasattr(type(value), "_watch_parts"):
        return value
    return convert_to_tensor(value)


class Function:
    """What `tf.function` returns: calls the Python function (eagerly, on every call)."""

    def __init__(self, python_function, input_signature=None, instance=None):
        if input_signature is not None:
            _check_signature(input_signature)
        self._python_function = python_function
        self._input_signature = None if input_signature is None else list(input_signature)
        self._instance = instance  # for a method: a callable that gives its instance
        self._bound: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        functools.update_wrapper(self, python_function)

    python_function = property(
        lambda self: self._python_function, doc="The Python function this one calls."
    )
    input_signature = property(
        lambda self: self._input_signature, doc="The input_signature, or None."
    )

    @property
    def name(self) -> str:
        return self.__name__

    def __get__(self, instance, owner=None):
        """A method's Function, bound to `instance` (one per instance, as in TF)."""
        if instance is None:
            return self
        try:
            return self._bound[instance]
        except (KeyError, TypeError):
            pass
        try:  # the cache must not keep the instance alive: the bound Function holds a weakref
            owner = weakref.ref(instance)
            bound = Function(self._python_function, self._input_signature, owner)
            self._bound[instance] = bound
        except TypeError:  # not weakly referable or not hashable: a new one each time
            bound = Function(self._python_function, self._input_signature, lambda: instance)
        return bound

    def __call__(self, *args, **kwargs):
        function = self._python_function
        if self._instance is not None:
            instance = self._instance()
            function = function.__get__(instance, type(instance))
        if self._input_signature is not None:
            args, kwargs = self._bind(function, args, kwargs)
        return nest.map_structure(_to_output, function(*args, **kwargs))

    def _bind(self, function, args, kwargs) -> tuple:
        """The arguments converted as `input_signature` says (TF's TypeError if they do not
        fit)."""
        parameters = [
            p
            for p in inspect.signature(function).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        specs = self._input_signature
        for parameter in parameters[len(specs) :]:
            if parameter.default is parameter.empty:
                raise TypeError(f"input_signature missing type constraint for {parameter.name}")
        try:
            bound = inspect.Signature(parameters[: len(specs)]).bind(*args, **kwargs)
            bound.apply_defaults()
            values = [_cast(bound.arguments[p.name], s) for p, s in zip(parameters, specs)]
        except (TypeError, _BindingError) as e:
            text = ", ".join(f"{p.name}: {_spec_text(s)}" for p, s in zip(parameters, specs))
            raise TypeError(
                f"Binding inputs to tf.function failed due to `{e}`. Received args: {args} and "
                f"kwargs: {kwargs} for signature: ({text})."
            ) from None
        return tuple(values), {}


def function(
    func=None,
    input_signature=None,
    autograph=True,
    jit_compile=None,
    reduce_retracing=False,
    experimental_implements=None,
    experimental_autograph_options=None,
    experimental_attributes=None,
    experimental_relax_shapes=None,
    experimental_compile=None,
    experimental_follow_type_hints=None,
):
    """`tf.function`: with or without arguments, returns a `Function` that runs `func` eagerly
    on every call and returns its results as tensors.

    TF's compilation options (autograph, jit_compile, reduce_retracing, experimental_*) are
    accepted and have nothing to do; `input_signature` (TensorSpecs) converts and checks the
    arguments as TF does. Keeps `__name__`/`__doc__`; `.python_function` is `func`.
    """

    def decorate(python_function) -> Function:
        if not callable(python_function):
            raise TypeError(f"{python_function} is not a callable object")
        return Function(python_function, input_signature)

    return decorate if func is None else decorate(func)
