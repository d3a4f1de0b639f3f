"""The op registry: `@op("TFOpType")` declares an op's forward kernel; `defvjp`/`defjvp` its rules.

An op call converts its inputs to tensors (TF's dtype rules), runs the NumPy kernel on their
arrays, wraps the results, and records itself on the active tapes. It is the only way an
operation reaches a tape, and the hot path of the library.
"""

from __future__ import annotations

import inspect

import numpy as np

from tapeflow.core import errors
from tapeflow.core.convert import convert_operand, convert_to_tensor
from tapeflow.core.dtypes import DType, from_numpy
from tapeflow.core.numpy_errors import QUIET, quietly
from tapeflow.core.numpy_errors import current as current_errstate
from tapeflow.core.recording import record, state
from tapeflow.core.tensor import EagerTensor, Tensor, next_id, wrap

REGISTRY: dict[str, Op] = {}

_NO_ATTRS: dict = {}  # shared by ops called without attributes; never modified
_new = object.__new__
_ndarray = np.ndarray
_asarray = np.asarray


class KernelError(Exception):
    """Raised by a kernel for input it cannot compute; the op call adds ` [Op:<name>]` and
    raises it as `error_class` (InvalidArgumentError unless said otherwise)."""

    def __init__(self, message: str, error_class=errors.InvalidArgumentError):
        super().__init__(message)
        self.error_class = error_class


# What a kernel may raise for bad input; each becomes a TF error naming the op.
_KERNEL_FAILURES = (
    KernelError,
    ValueError,
    TypeError,
    IndexError,
    ZeroDivisionError,
    OverflowError,
    np.linalg.LinAlgError,
)


class TypeList:
    """The dtypes an op accepts for its type attribute `T`, in TF's order, with the text TF
    prints when another dtype is given (`Value for attr 'T' of bool is not in the list ...`)."""

    def __init__(
        self,
        *dtype_list: DType | str,
        signature: str = "x:T -> y:T",
        traits: str = "",
        op_def: str | None = None,
    ):
        # Strings name TF types tapeflow lacks (qint8, ...): only the message lists them.
        self.names = [d if isinstance(d, str) else d._type_string for d in dtype_list]
        self.np_dtypes = frozenset(d._np for d in dtype_list if isinstance(d, DType))
        self.signature = signature
        self.traits = traits
        self.op_def = op_def  # the whole `Op<...>` text, for ops with other attributes

    def error(self, op_name: str, dtype: DType) -> errors.InvalidArgumentError:
        names = ", ".join(self.names)
        enums = ", ".join("DT_" + name.upper() for name in self.names)
        op_def = self.op_def or (
            "Op<name={name}; signature="
            + self.signature
            + "; attr=T:type,allowed=[{enums}]"
            + self.traits
            + ">"
        )
        return errors.invalid_argument(
            f"Value for attr 'T' of {dtype._type_string} is not in the list of allowed values: "
            f"{names}\n\t; NodeDef: {{{{node {op_name}}}}}; "
            f"{op_def.format(name=op_name, enums=enums)}",
            op_name,
        )


class Op:
    """A registered op: a NumPy forward kernel plus its differentiation rules.

    Positional arguments of the kernel are tensor inputs; keyword-only arguments are
    attributes (axes, flags, dtypes), passed unchanged to the kernel and to the rules.
    """

    def __init__(
        self,
        name: str,
        forward,
        *,
        differentiable: bool = True,
        dtypes: TypeList | None = None,
        match=None,
        input_dtype: DType | None = None,
        explain_error=None,
        passes_indexed_slices: bool = False,
    ):
        self.name = name
        self.forward = forward
        self.vjp = None
        self.jvp = None
        self.vjp_takes_needs = False
        self.differentiable = differentiable
        self.type_list = dtypes
        self._allowed = dtypes.np_dtypes if dtypes is not None else None
        # Which inputs share the dtype attribute T (TF's "matching" inputs): all by default;
        # `input_dtype` fixes that dtype (LogicalAnd takes bools only).
        self.match = match
        self.input_dtype = input_dtype
        self.explain_error = explain_error
        # The rule hands `dy` on unchanged, so an IndexedSlices gradient may pass through it
        # (TF keeps IndexedSlices only through identities and variable reads, spec §10.5).
        self.passes_indexed_slices = passes_indexed_slices
        self.__name__ = forward.__name__
        self.__qualname__ = forward.__qualname__
        self.__doc__ = forward.__doc__
        self.__module__ = forward.__module__
        self.__wrapped__ = forward
        self.__signature__ = _public_signature(forward)
        self._attr_defaults = {
            p.name: p.default
            for p in inspect.signature(forward).parameters.values()
            if p.kind is p.KEYWORD_ONLY and p.default is not p.empty
        }

    def defvjp(self, rule):
        """Declares the reverse-mode rule `rule(dy, y, *inputs, **attrs)`.

        It returns one gradient per input (a single one for a single input), `None` where no
        gradient flows. A rule with a keyword parameter `needs` is also told which inputs
        need a gradient, so it can skip work for the others.
        """
        self.vjp = rule
        self.vjp_takes_needs = "needs" in inspect.signature(rule).parameters
        return rule

    def defjvp(self, rule):
        """Declares the forward-mode rule `rule(tangents, y, *inputs, **attrs)`."""
        self.jvp = rule
        return rule

    def __repr__(self):
        return f"<tapeflow op {self.name}>"

    # -- the call path ----------------------------------------------------------------------
    def __call__(self, *args, name=None, **attrs):
        if self._attr_defaults:  # rules always see every attribute
            attrs = {**self._attr_defaults, **attrs}
        inputs = self.convert_inputs(args)
        allowed = self._allowed
        if allowed is not None and inputs[0]._value.dtype not in allowed:
            raise self.type_list.error(self.name, from_numpy(inputs[0]._value.dtype))
        out = self._kernel([t._value for t in inputs], attrs, inputs)
        if type(out) is tuple:
            result = outputs = tuple([wrap(o) for o in out])
        else:
            result = wrap(out)
            outputs = (result,)
        tapes = state.tapes
        if tapes:
            record(self, inputs, outputs, attrs, tapes)
        return result

    def _kernel(self, arrays, attrs, inputs):
        """Runs the forward kernel with NumPy quiet, turning its failures into TF errors."""
        try:
            if current_errstate() is QUIET:
                return self.forward(*arrays, **attrs)
            return quietly(self.forward, *arrays, **attrs)
        except _KERNEL_FAILURES as e:
            raise self._failure(e, inputs, attrs) from None

    def _failure(self, exc: Exception, inputs, attrs) -> errors.OpError:
        """TF's error for a kernel failure, naming the op and the input shapes."""
        if isinstance(exc, KernelError):
            return exc.error_class(None, None, f"{exc} [Op:{self.name}]")
        arrays = [t._value for t in inputs]
        if self.explain_error is not None:
            message = self.explain_error(exc, *arrays, **attrs)
        else:
            shapes = ", ".join(_shape_text(a.shape) for a in arrays)
            message = f"{exc} (input shapes: {shapes})"
        return errors.invalid_argument(message, self.name)

    def convert_inputs(self, args) -> tuple:
        """Input tensors for `args`: tensors as they are, variables read, other values
        converted to the dtype of the tensors they must match (spec §11.2)."""
        if len(args) == 1 and self.input_dtype is None:
            x = args[0]
            return (x,) if type(x) is EagerTensor else (_to_tensor(x),)
        match = self.match
        inputs = list(args)
        for i, arg in enumerate(args):  # variables and tensor-like objects first
            if type(arg) is not EagerTensor and not isinstance(arg, Tensor):
                if hasattr(type(arg), "__tf_tensor__"):
                    inputs[i] = convert_to_tensor(arg)
                elif match is not None and i not in match:
                    inputs[i] = _to_tensor(arg)
        matched = range(len(args)) if match is None else match
        dtype = first = None
        if self.input_dtype is not None:
            first, dtype = -1, self.input_dtype._np
        else:
            for i in matched:
                if isinstance(inputs[i], Tensor):
                    first, dtype = i, inputs[i]._value.dtype
                    break
        for i in matched:
            value = inputs[i]
            if not isinstance(value, Tensor):
                if dtype is None:  # no tensor among them: the first value sets the dtype
                    value = inputs[i] = _to_tensor(value)
                    first, dtype = i, value._value.dtype
                else:
                    value = inputs[i] = convert_operand(value, from_numpy(dtype), self.name)
                    if value._value.dtype != dtype:  # a complex number for a real tensor
                        raise self._mismatch(i, first, dtype, value._value.dtype)
            elif value._value.dtype != dtype:
                raise self._mismatch(i, first, dtype, value._value.dtype)
        return tuple(inputs)

    def _mismatch(self, index, first, expected, got) -> errors.InvalidArgumentError:
        if index < first:
            index, expected, got = first, got, expected
        return errors.invalid_argument(
            f"cannot compute {self.name} as input #{index}(zero-based) was expected to be a "
            f"{from_numpy(expected)._type_string} tensor but is a "
            f"{from_numpy(got)._type_string} tensor",
            self.name,
        )


class UnaryOp(Op):
    """An op with one tensor input and no attributes: the call path, inlined for speed."""

    def __call__(self, x, name=None):
        if type(x) is not EagerTensor:
            x = self.convert_inputs((x,))[0]
        value = x._value
        allowed = self._allowed
        if allowed is not None and value.dtype not in allowed:
            raise self.type_list.error(self.name, from_numpy(value.dtype))
        if current_errstate() is QUIET:
            try:
                out = self.forward(value)
            except _KERNEL_FAILURES as e:
                raise self._failure(e, (x,), _NO_ATTRS) from None
        else:
            out = self._kernel((value,), _NO_ATTRS, (x,))
        if type(out) is not _ndarray:
            if type(out) is tuple:
                return self._finish_many(out, (x,))
            out = _asarray(out)
        t = _new(EagerTensor)
        t._value = out
        t._id = next_id()
        tapes = state.tapes
        if tapes:
            record(self, (x,), (t,), _NO_ATTRS, tapes)
        return t

    def _finish_many(self, out: tuple, inputs: tuple) -> tuple:
        outputs = tuple([wrap(o) for o in out])
        tapes = state.tapes
        if tapes:
            record(self, inputs, outputs, _NO_ATTRS, tapes)
        return outputs


class BinaryOp(Op):
    """An op with two tensor inputs of one dtype and no attributes, inlined for speed."""

    def __call__(self, x, y, name=None):
        if type(x) is EagerTensor and type(y) is EagerTensor:
            xv = x._value
            yv = y._value
            dtype = xv.dtype
            if dtype is not yv.dtype and dtype != yv.dtype:
                raise self._mismatch(1, 0, dtype, yv.dtype)
        else:
            if type(x) is EagerTensor and type(y) in _NUMBERS:  # x * 2.0
                y = scalar_operand(y, x._value.dtype, self.name)
            elif type(y) is EagerTensor and type(x) in _NUMBERS:  # 2.0 * y
                x = scalar_operand(x, y._value.dtype, self.name)
            else:
                x, y = self.convert_inputs((x, y))
            xv = x._value
            yv = y._value
            dtype = xv.dtype
        allowed = self._allowed
        if allowed is not None and dtype not in allowed:
            raise self.type_list.error(self.name, from_numpy(dtype))
        if current_errstate() is QUIET:
            try:
                out = self.forward(xv, yv)
            except _KERNEL_FAILURES as e:
                raise self._failure(e, (x, y), _NO_ATTRS) from None
        else:
            out = self._kernel((xv, yv), _NO_ATTRS, (x, y))
        if type(out) is not _ndarray:
            out = _asarray(out)
        t = _new(EagerTensor)
        t._value = out
        t._id = next_id()
        tapes = state.tapes
        if tapes:
            record(self, (x, y), (t,), _NO_ATTRS, tapes)
        return t


_NUMBERS = (float, int)
_SCALARS: dict = {}  # (type, number, NumPy dtype) -> constant tensor, for numbers in ops


def scalar_operand(value, dtype, op_name: str) -> Tensor:
    """A Python number as a tensor of `dtype` (weakly typed, spec §11.2). The constants are
    cached: `x * 2.0` in a loop makes one tensor, not one per call. Zero is not cached (0.0
    and -0.0 are equal keys with different signs)."""
    key = (type(value), value, dtype)  # 1 and 1.0 are equal keys, but 1.0 is no int32
    cached = _SCALARS.get(key)
    if cached is None:
        cached = convert_operand(value, from_numpy(dtype), op_name)
        if cached._value.dtype != dtype:  # a complex number for a real tensor: no cache
            return cached
        if value and len(_SCALARS) < 4096:
            _SCALARS[key] = cached
    return cached


def _to_tensor(value) -> Tensor:
    return value if isinstance(value, Tensor) else convert_to_tensor(value)


def _shape_text(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def incompatible_shapes(exc, *arrays, **attrs) -> str:
    """The message of a broadcasting failure in an elementwise op, as TF words it."""
    return "Incompatible shapes: " + " vs. ".join(_shape_text(a.shape) for a in arrays)


def _public_signature(forward) -> inspect.Signature:
    """The kernel's signature plus TF's `name=None`, which every op accepts and ignores."""
    signature = inspect.signature(forward)
    params = [p for p in signature.parameters.values() if p.kind is not p.VAR_KEYWORD]
    params.append(inspect.Parameter("name", inspect.Parameter.KEYWORD_ONLY, default=None))
    params += [p for p in signature.parameters.values() if p.kind is p.VAR_KEYWORD]
    return signature.replace(parameters=params)


def op(name: str, **options):
    """Declares a forward kernel as the op `name` (a TF op type) and registers it."""

    def declare(forward) -> Op:
        if name in REGISTRY:
            raise ValueError(f"op {name!r} is already registered")
        REGISTRY[name] = new = _op_class(forward, options)(name, forward, **options)
        return new

    return declare


def _op_class(forward, options: dict) -> type:
    """The call path that fits the kernel: inlined ones for one or two plain tensor inputs."""
    params = inspect.signature(forward).parameters.values()
    kinds = [p.kind for p in params]
    plain = all(k is inspect.Parameter.POSITIONAL_OR_KEYWORD for k in kinds)
    if plain and options.get("match") is None and options.get("input_dtype") is None:
        if len(kinds) == 1:
            return UnaryOp
        if len(kinds) == 2:
            return BinaryOp
    return Op
