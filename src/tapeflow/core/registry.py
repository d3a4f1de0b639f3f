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
from tapeflow.core.recording import record, state
from tapeflow.core.tensor import EagerTensor, Tensor, wrap

REGISTRY: dict[str, Op] = {}

try:  # NumPy's floating-point error state: TF never warns about inf/nan, so kernels run quiet
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj

    _NP_ERRSTATE = _extobj_contextvar
    _QUIET = _make_extobj(all="ignore")
except ImportError:  # pragma: no cover - a NumPy without the private context variable
    _NP_ERRSTATE = None
    _QUIET = None


class KernelError(Exception):
    """Raised by a kernel for input it cannot compute; the op call adds ` [Op:<name>]` and
    raises it as `error_class` (InvalidArgumentError unless said otherwise)."""

    def __init__(self, message: str, error_class=errors.InvalidArgumentError):
        super().__init__(message)
        self.error_class = error_class


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
        self.__name__ = forward.__name__
        self.__qualname__ = forward.__qualname__
        self.__doc__ = forward.__doc__
        self.__module__ = forward.__module__
        self.__wrapped__ = forward
        self.__signature__ = _public_signature(forward)

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

    # -- the hot path ---------------------------------------------------------------------
    def __call__(self, *args, name=None, **attrs):
        token = _NP_ERRSTATE.set(_QUIET)
        try:
            inputs = self.convert_inputs(args)
            if self._allowed is not None:
                dtype = inputs[0]._value.dtype
                if dtype not in self._allowed:
                    raise self.type_list.error(self.name, from_numpy(dtype))
            try:
                out = self.forward(*[t._value for t in inputs], **attrs)
            except KernelError as e:
                raise e.error_class(None, None, f"{e} [Op:{self.name}]") from None
            except (
                ValueError,
                TypeError,
                IndexError,
                ZeroDivisionError,
                OverflowError,
                np.linalg.LinAlgError,
            ) as e:
                raise self._error(e, inputs, attrs) from None
        finally:
            _NP_ERRSTATE.reset(token)
        if type(out) is tuple:
            outputs = tuple([wrap(o) for o in out])
            result = outputs
        else:
            result = wrap(out)
            outputs = (result,)
        tapes = state.tapes
        if tapes:
            record(self, inputs, outputs, attrs, tapes)
        return result

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
                    inputs[i] = convert_operand(value, from_numpy(dtype), self.name)
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

    def _error(self, exc: Exception, inputs, attrs) -> errors.InvalidArgumentError:
        """TF's error for a kernel failure, naming the op and the input shapes."""
        arrays = [t._value for t in inputs]
        if self.explain_error is not None:
            message = self.explain_error(exc, *arrays, **attrs)
        else:
            shapes = ", ".join(_shape_text(a.shape) for a in arrays)
            message = f"{exc} (input shapes: {shapes})"
        return errors.invalid_argument(message, self.name)


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
        REGISTRY[name] = new = Op(name, forward, **options)
        return new

    return declare
