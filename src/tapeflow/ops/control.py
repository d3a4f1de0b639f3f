"""Ops that steer differentiation (`tf.stop_gradient`) and eager control flow: `tf.cond`,
`tf.while_loop`, `tf.case`, `tf.switch_case`."""

from __future__ import annotations

import collections

from tapeflow.core import dtypes, nest
from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.errors import InvalidArgumentError
from tapeflow.core.registry import op
from tapeflow.core.tensor import Tensor
from tapeflow.core.variable import Variable
from tapeflow.ops import shapes
from tapeflow.ops.functional import TensorSpec


@op("StopGradient", differentiable=False)
def stop_gradient(input):  # noqa: A002 - TF's argument name
    """The same value as a new tensor through which no gradient flows (`tf.stop_gradient`)."""
    return input


# -- eager control flow: the Python branch or iteration runs, so gradients follow it ----------


def _is_true(pred) -> bool:
    """The truth of a predicate tensor (any value `tf.constant` takes), as TF reads it."""
    return bool(convert_to_tensor(pred)._value)


def cond(pred, true_fn=None, false_fn=None, name=None):
    """`true_fn()` if `pred` is true, else `false_fn()` (`tf.cond`, run eagerly).

    Only the branch taken runs, so gradients flow through that branch alone; its result is
    returned as the branch returned it.
    """
    for label, fn in (("true_fn", true_fn), ("false_fn", false_fn)):
        if fn is None:
            raise TypeError(f"cond(): '{label}' argument required")
    for label, fn in (("true_fn", true_fn), ("false_fn", false_fn)):
        if not callable(fn):
            raise TypeError(f"'{label}' must be callable.")
    return true_fn() if _is_true(pred) else false_fn()


def _read_variable(value):
    return convert_to_tensor(value) if isinstance(value, Variable) else value


def _spec(value):
    """What TF's loop checks a loop variable against (and prints): its TensorSpec."""
    try:
        return TensorSpec.from_tensor(value)
    except (TypeError, ValueError):
        return value


def while_loop(
    cond,
    body,
    loop_vars,
    shape_invariants=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    maximum_iterations=None,
    name=None,
):
    """Repeats `loop_vars = body(*loop_vars)` while `cond(*loop_vars)` is true, at most
    `maximum_iterations` times (`tf.while_loop`, run eagerly).

    The iterations run as Python, so gradients flow through those that ran. Returns the loop
    variables as tensors, in the structure `body` returned (or `loop_vars` if none ran);
    `body` must keep the structure of `loop_vars`. Variables among `loop_vars` are read first.
    """
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    loop_vars = nest.map_structure(_read_variable, loop_vars)
    if not loop_vars:
        raise ValueError("'loop_vars' must be provided.")
    limit = None
    if maximum_iterations is not None:
        limit = convert_to_tensor(maximum_iterations)
        if limit._value.ndim != 0:
            raise ValueError(
                f"'maximum_iterations' must be a scalar. Received shape: {limit.shape}"
            )
        limit = int(limit._value)
    structure = nest.map_structure(_spec, list(loop_vars))
    count = 0
    # [tapeflow choice] with maximum_iterations, `body` returns the same structures as without
    # (TF's eager loop then insists on lists and rejects a bare single value).
    while (limit is None or count < limit) and cond(*loop_vars):
        loop_vars = body(*loop_vars)
        count += 1
        nest.assert_same_structure(structure, list(loop_vars))
    return nest.map_structure(convert_to_tensor, loop_vars, expand_composites=True)


def _unpack_singleton(result, times: int):
    """TF's non-strict cond unpacks a one-element list or tuple result, once per cond."""
    for _ in range(times):
        if not (isinstance(result, (list, tuple)) and len(result) == 1):
            break
        result = result[0]
    return result


def _assertion_error(condition, message: str, predicates, summarize: int):
    """The InvalidArgumentError TF's eager `Assert` raises, summarising the predicates."""
    values = [str(v) for v in shapes.stack(list(predicates))._value.ravel()]
    shown = values[:summarize] + (["..."] if len(values) > summarize else [])
    return InvalidArgumentError(
        None,
        None,
        f"Expected '{condition!s}' to be true. Summarized data: b'{message}'\n" + ", ".join(shown),
    )


def _case_pairs(pred_fn_pairs, exclusive: bool) -> tuple:
    if not isinstance(pred_fn_pairs, (list, tuple, dict)):
        raise TypeError(
            f"'pred_fn_pairs' must be a list, tuple, or dict. Received: {type(pred_fn_pairs)}"
        )
    if isinstance(pred_fn_pairs, collections.OrderedDict):
        pred_fn_pairs = list(pred_fn_pairs.items())
    elif isinstance(pred_fn_pairs, dict):
        if not exclusive:
            raise ValueError(
                "Unordered dictionaries are not supported for the 'pred_fn_pairs' argument "
                "when `exclusive=False` and eager mode is enabled."
            )
        pred_fn_pairs = list(pred_fn_pairs.items())
    for pair in pred_fn_pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'pred_fn_pairs' must be a 2-tuple. Received {pair}.")
        pred, fn = pair
        if not isinstance(pred, Tensor):
            raise TypeError(f"pred must be a Tensor, got: {pred!s}")
        # [tapeflow choice] TF's eager messages here fail on `pred.name` (AttributeError)
        if pred.dtype != dtypes.bool:
            raise TypeError(f"pred must be Tensor of type bool: {pred.dtype!r}")
        if not callable(fn):
            raise TypeError(f"fn for pred {pred!s} must be callable.")
    predicates, fns = zip(*pred_fn_pairs)
    return list(predicates), list(fns)


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The result of the function paired with the first true predicate, else of `default`
    (`tf.case`, run eagerly). Without `default`, the last pair is the fallback and its
    predicate must hold. `exclusive=True` checks that at most one predicate is true."""
    predicates, fns = _case_pairs(pred_fn_pairs, exclusive)
    last_pred = last_fn = None
    if default is None:  # as TF: the last pair becomes the default, guarded by its predicate
        last_pred, last_fn = predicates.pop(), fns.pop()
    if exclusive and sum(_is_true(p) for p in predicates) > 1:
        names = ", ".join("?" for _ in predicates)  # TF names them; eager tensors have none
        raise _assertion_error(
            convert_to_tensor(False),
            f"Input error: exclusive=True: more than 1 conditions ({names}) evaluated as True:",
            predicates,
            len(predicates),
        )
    # TF chains conds: cond(p1, f1, lambda: cond(p2, f2, ... default)); each unpacks a
    # one-element list or tuple result unless strict, and the innermost one checks `default`.
    for depth, (pred, fn) in enumerate(zip(predicates, fns), start=1):
        if depth == len(predicates) and default is not None and not callable(default):
            raise TypeError("'false_fn' must be callable.")
        if _is_true(pred):
            return _unpack_singleton(fn(), 0 if strict else depth)
    unpacks = 0 if strict else len(predicates)
    if default is not None:
        return _unpack_singleton(default(), unpacks)
    if not _is_true(last_pred):
        raise _assertion_error(
            last_pred,
            "Input error: None of conditions evaluated as True:",
            predicates + [last_pred],
            3,
        )
    return _unpack_singleton(last_fn(), unpacks)


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """The result of `branch_fns[branch_index]()` (`tf.switch_case`, run eagerly).

    `branch_fns` is a list of callables, or of (int, callable) pairs, or a dict from ints;
    the keys must be 0..n-1. An index out of range runs `default`, or the last branch.
    """
    if not isinstance(branch_index, Tensor):
        raise TypeError(f"'branch_index' must be a Tensor, got {type(branch_index)}")
    if not branch_index.dtype.is_integer:
        raise TypeError(f"'branch_index' must be an integer Tensor, got {branch_index.dtype}")
    if not branch_fns:
        raise ValueError("Must provide at least one item in 'branch_fns'")
    if not isinstance(branch_fns, (list, tuple, dict)):
        raise TypeError("'branch_fns' must be a list, tuple, or dict")
    pairs = list(branch_fns.items()) if isinstance(branch_fns, dict) else list(branch_fns)
    if all(callable(fn) for fn in pairs):
        pairs = list(enumerate(pairs))
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in 'branch_fns' must be a 2-tuple. Received {pair}.")
        key, fn = pair
        if not isinstance(key, int):
            raise TypeError(f"key must be a Python `int`, got {type(key)}")
        if not callable(fn):
            raise TypeError(f"fn for key {key} must be callable.")
    keys = [key for key, _ in pairs]
    if min(keys) < 0 or max(keys) >= len(keys) or len(set(keys)) != len(keys):
        raise ValueError(
            f"branch indices (keys) must form contiguous range of [0 to {len(keys)}) but "
            f"found {{{','.join(map(str, sorted(keys)))}}}"
        )
    actions = [fn for _, fn in sorted(pairs, key=lambda pair: pair[0])]
    if default is not None:
        actions.append(default)
    index = branch_index._value
    if index.ndim != 0:  # [tapeflow choice] TF fails inside a Select op here
        raise InvalidArgumentError(
            None, None, f"branch_index must be a scalar, got shape {list(index.shape)}"
        )
    index = int(index)
    return actions[index if 0 <= index < len(actions) else -1]()
