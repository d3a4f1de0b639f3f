"""Runs the benchmark workloads for several systems side by side and reports ratios to NumPy.

    python -m benchmarks.run                          # tapeflow and numpy, all workloads
    python -m benchmarks.run --systems all --output benchmarks/results/latest.md
    python -m benchmarks.run --systems tapeflow,torch --workloads w2_ops --rounds 15
    python -m benchmarks.run --smoke                  # a quick check that everything runs

Each system runs in its own worker process and environment (peers are installed on demand
into benchmarks/.envs/, see envs.py), with one thread, pinned to the same CPU. The parent
checks every system's result against a float64 reference, then interleaves timing rounds
across the workers, so drift on a shared machine hits all systems alike; it reports medians
with their spread, and each system's ratio to the NumPy baseline measured in the same run.
Memory (w7) is the peak resident memory a fresh process adds while running the workload
once; import is the wall time of `python -c "import X"`.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SYSTEMS = ["numpy", "tapeflow"]
PEERS = ["tensorflow", "torch", "jax", "autograd", "mygrad"]
# workload id -> (unit, factor from seconds per call to that unit)
UNITS = {
    "w1_grad": ("µs/call", 1e6),
    "w1_seed": ("µs/call", 1e6),
    "w2_ops": ("µs/op", 1e4),
    "w3_mlp": ("ms/step", 1e3),
    "w4_train": ("s", 1.0),
    "w5_jacobian": ("ms", 1e3),
    "w6_hessian": ("ms", 1e3),
    "w7_memory": ("MB", 1.0),
    "import": ("s", 1.0),
}
TIMED = [w for w in UNITS if w not in ("w7_memory", "import")]
TOLERANCE = {"w4_train": 1e-3, "w3_mlp": 1e-3}
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


# -- worker side --------------------------------------------------------------------------------
def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})


def _plain(value):
    """A result as nested lists of floats (JSON), whatever the system returned."""
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if hasattr(value, "numpy"):
        value = value.numpy()
    return np.asarray(value, dtype=np.float64).tolist()


def worker(system: str) -> None:
    """Answers check and timing requests, one JSON line each, on stdin/stdout."""
    _pin()
    module = importlib.import_module(f"benchmarks.systems.{system}_impl")
    prepared = {}
    for line in sys.stdin:
        request = json.loads(line)
        name = request["workload"]
        if name not in module.WORKLOADS:
            print(json.dumps({"missing": True}), flush=True)
            continue
        if name not in prepared:
            prepared[name] = module.WORKLOADS[name]()
        step, check = prepared[name]
        if request["kind"] == "check":
            print(json.dumps({"value": _plain(check())}), flush=True)
            continue
        number = request["number"]
        start = time.perf_counter()
        for _ in range(number):
            step()
        print(json.dumps({"seconds": (time.perf_counter() - start) / number}), flush=True)


def memory_worker(system: str) -> None:
    """Prints the peak resident memory (MB) that running w7 once adds to this fresh process."""
    import resource

    _pin()
    module = importlib.import_module(f"benchmarks.systems.{system}_impl")
    step, _ = module.WORKLOADS["w7_memory"]()
    with open("/proc/self/statm") as f:
        before = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    step()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"megabytes": peak - before}))


# -- parent side --------------------------------------------------------------------------------
def _environment() -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]))
    env.update({name: "1" for name in THREAD_VARIABLES})
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # imports are timed as users see them: cached
    return env


class Worker:
    def __init__(self, system: str, python: str):
        self.system = system
        self.alive = True
        self.process = subprocess.Popen(
            [python, "-m", "benchmarks.run", "--worker", system],
            cwd=ROOT,
            env=_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, **request) -> dict | None:
        """The worker's answer, or None once it has died (its system is then left out)."""
        if not self.alive:
            return None
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            self.alive = False
            print(f"the {self.system} worker died; its results are left out", file=sys.stderr)
            return None
        return json.loads(line)

    def close(self) -> None:
        if self.alive:
            self.process.stdin.close()
        self.process.wait()


def _close_enough(value, reference, rtol) -> bool:
    if isinstance(reference, tuple):
        return len(value) == len(reference) and all(
            _close_enough(v, r, rtol) for v, r in zip(value, reference)
        )
    return np.allclose(np.asarray(value, dtype=np.float64), reference, rtol=rtol, atol=1e-5)


def _number_for(worker: Worker, workload: str, budget: float) -> int:
    """How many calls make one timing sample of about `budget` seconds."""
    answer = worker.ask(kind="time", workload=workload, number=1)
    seconds = answer["seconds"] if answer else 1.0
    return max(1, int(budget / max(seconds, 1e-7)))


def measure_time(workers, workload: str, rounds: int, budget: float) -> dict:
    from benchmarks import data

    reference = data.reference(workload)
    active = []
    for w in workers:
        answer = w.ask(kind="check", workload=workload)
        if answer is None or answer.get("missing"):
            continue
        value = answer["value"]
        if not _close_enough(
            tuple(value) if isinstance(reference, tuple) else value,
            reference,
            TOLERANCE.get(workload, 1e-4),
        ):
            raise AssertionError(f"{w.system} gives a wrong result for {workload}")
        active.append(w)
    numbers = {w.system: _number_for(w, workload, budget) for w in active}
    samples: dict = {w.system: [] for w in active}
    for _ in range(rounds):  # interleaved: every system once per round
        for w in active:
            answer = w.ask(kind="time", workload=workload, number=numbers[w.system])
            if answer is not None:
                samples[w.system].append(answer["seconds"])
    return samples


def measure_memory(systems, pythons, rounds: int) -> dict:
    samples: dict = {s: [] for s in systems}
    for _ in range(rounds):
        for system in systems:
            out = subprocess.run(
                [pythons[system], "-m", "benchmarks.run", "--memory", system],
                cwd=ROOT,
                env=_environment(),
                capture_output=True,
                text=True,
            )
            if out.returncode:
                raise RuntimeError(f"{system} memory run failed:\n{out.stderr[-2000:]}")
            samples[system].append(json.loads(out.stdout.splitlines()[-1])["megabytes"])
    return samples


def measure_import(systems, pythons, rounds: int) -> dict:
    samples: dict = {s: [] for s in systems}
    for _ in range(rounds + 1):  # the first round only warms the caches (bytecode, disk)
        for system in systems:
            module = "numpy" if system == "numpy" else _import_name(system)
            start = time.perf_counter()
            subprocess.run(
                [pythons[system], "-c", f"import {module}"],
                cwd=ROOT,
                env=_environment(),
                check=True,
                capture_output=True,
            )
            samples[system].append(time.perf_counter() - start)
    return {system: values[1:] for system, values in samples.items()}


def _import_name(system: str) -> str:
    return {"tensorflow": "tensorflow", "torch": "torch", "jax": "jax"}.get(system, system)


def table(results: dict) -> str:
    lines = [
        "| workload | system | median | spread (IQR) | ratio to NumPy |",
        "|---|---|---|---|---|",
    ]
    for workload, samples in results.items():
        unit, scale = UNITS[workload]
        base = statistics.median(samples["numpy"]) if samples.get("numpy") else None
        for system, values in samples.items():
            if not values:
                continue
            median = statistics.median(values)
            q = statistics.quantiles(values, n=4) if len(values) > 1 else [median] * 3
            ratio = f"{median / base:.2f}×" if base else "–"
            lines.append(
                f"| {workload} | {system} | {median * scale:.4g} {unit} | "
                f"{q[0] * scale:.4g}–{q[2] * scale:.4g} | {ratio} |"
            )
    return "\n".join(lines)


def versions(systems, pythons) -> str:
    found = []
    for system in systems:
        module = "numpy" if system == "numpy" else _import_name(system)
        out = subprocess.run(
            [pythons[system], "-c", f"import {module} as m; print(getattr(m, '__version__', '?'))"],
            cwd=ROOT,
            env=_environment(),
            capture_output=True,
            text=True,
        )
        found.append(f"{system} {out.stdout.strip() or '?'}")
    return (
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs (workers use 1 thread, pinned); " + ", ".join(found)
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--memory", help=argparse.SUPPRESS)
    parser.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        help="comma-separated, or 'all' for tapeflow, numpy and every peer",
    )
    parser.add_argument("--workloads", default=",".join(UNITS))
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--budget", type=float, default=0.2, help="seconds per timing sample")
    parser.add_argument("--smoke", action="store_true", help="tiny run, nothing written")
    parser.add_argument("--output", help="markdown file for the results table")
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker)
    if args.memory:
        return memory_worker(args.memory)
    from benchmarks.envs import python_for

    systems = SYSTEMS + PEERS if args.systems == "all" else args.systems.split(",")
    if "numpy" not in systems:
        systems.insert(0, "numpy")
    pythons = {s: python_for(s) for s in systems}
    if args.smoke:
        args.rounds, args.budget = 2, 0.005
    workloads = args.workloads.split(",")
    results: dict = {}
    workers = [Worker(s, pythons[s]) for s in systems]
    try:
        for workload in workloads:
            if workload in TIMED:
                results[workload] = measure_time(workers, workload, args.rounds, args.budget)
    finally:
        for w in workers:
            w.close()
    if "w7_memory" in workloads:
        results["w7_memory"] = measure_memory(systems, pythons, 2 if args.smoke else 3)
    if "import" in workloads:
        results["import"] = measure_import(systems, pythons, 2 if args.smoke else 7)
    text = table(results)
    print(text)
    if args.output and not args.smoke:
        command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
        stamp = datetime.date.today().isoformat()
        Path(args.output).write_text(
            f"# Benchmark results ({stamp})\n\nCommand: `{command}`\n\n"
            f"{versions(systems, pythons)}\n\n{text}\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
