"""Thread-local active tapes and what one op call leaves on them.

A `Tape` is the recording state behind a `GradientTape`: the records of the ops it saw, in
execution order, and the ids of the tensors it tracks. Only `Op.__call__` (core/registry.py)
appends records; `GradientTape` adds watches and reads the records back. A forward-mode
accumulator sits in the same list of active tapes: instead of keeping records it computes
tangents as each op runs (autodiff/forwardprop.py).
"""

from __future__ import annotations

import threading

from tapeflow.core.dtypes import DIFFERENTIABLE_NP
from tapeflow.core.numpy_errors import quiet_this_thread


class _ThreadState(threading.local):
    """Per-thread recording state: TF keeps its tape stack per thread, and so do we."""

    def __init__(self):
        self.tapes: list[Tape] = []  # the recording tapes and accumulators, innermost last
        self.variable_watchers: list[list] = []  # variables read inside custom_gradient calls
        self.batch_rank = 0  # leading axes of stacked cotangents in a batched (Jacobian) sweep
        quiet_this_thread()  # first tapeflow use in this thread (core/numpy_errors.py)


state = _ThreadState()


# A record is a plain tuple (op, inputs, outputs, attrs): one op call, with its input and
# output tensors and its attributes. (A tuple is the cheapest object to build per op call.)
OP, INPUTS, OUTPUTS, ATTRS = range(4)


class Tape:
    """What one recording saw: records in execution order, tracked tensor ids, variables."""

    __slots__ = (
        "records",
        "producer",
        "tracked",
        "used",
        "shared",
        "variables",
        "persistent",
        "watch_accessed_variables",
    )
    forward = False  # a forward-mode accumulator computes tangents instead of keeping records

    def __init__(self, persistent: bool, watch_accessed_variables: bool):
        self.records: list[tuple] = []
        self.producer: dict[int, int] = {}  # tensor id -> index of the record that made it
        self.used: set[int] = set()  # tracked tensors some record takes as input
        self.shared = False  # whether a tracked tensor is an input of more than one record
        self.tracked: set[int] = set()  # ids of watched or recorded float/complex tensors
        self.variables: dict = {}  # variable id -> watched variable
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables

    def watch(self, tensor) -> None:
        """Tracks a tensor (or a variable's handle) of a differentiable dtype."""
        if tensor._value.dtype in DIFFERENTIABLE_NP:
            self.tracked.add(tensor._id)

    def watch_variable(self, variable) -> None:
        self.variables[variable._id] = variable
        self.watch(variable)


def record(op, inputs: tuple, outputs: tuple, attrs: dict, tapes: list[Tape]) -> None:
    """Appends one op call to every active tape that tracks one of its inputs (spec §0.3)."""
    rec = None
    for tape in tapes:
        tracked = tape.tracked
        for t in inputs:
            if t._id in tracked:
                break
        else:
            continue
        if tape.forward:
            tape.propagate(op, inputs, outputs, attrs)
            continue
        if rec is None:
            rec = (op, inputs, outputs, attrs)
        if not tape.shared:  # (once shared, it stays so: no need to look further)
            used = tape.used
            for t in inputs:
                if t._id in tracked:
                    if t._id in used:
                        tape.shared = True
                    used.add(t._id)
        producer = tape.producer
        index = len(tape.records)
        tape.records.append(rec)
        for out in outputs:
            producer[out._id] = index
            if out._value.dtype in DIFFERENTIABLE_NP:
                tracked.add(out._id)


def watch_accessed_variable(variable) -> None:
    """A trainable variable was read or written: every recording tape that watches accessed
    variables starts watching it (spec §0.4), and custom_gradient calls note it (§9.2)."""
    if variable.trainable:
        for tape in state.tapes:
            if tape.watch_accessed_variables:
                tape.watch_variable(variable)
        for watcher in state.variable_watchers:
            if all(v is not variable for v in watcher):
                watcher.append(variable)


def push_tape(tape: Tape) -> None:
    state.tapes.append(tape)


def pop_tape(tape: Tape) -> None:
    """Removes a tape from the active set by identity (tapes may exit in any order)."""
    tapes = state.tapes
    for i in range(len(tapes) - 1, -1, -1):
        if tapes[i] is tape:
            del tapes[i]
            return


def replace_tape(old: Tape, new: Tape) -> None:
    """Puts `new` where `old` was in the active set (what `GradientTape.reset` needs)."""
    tapes = state.tapes
    for i, tape in enumerate(tapes):
        if tape is old:
            tapes[i] = new
            return
