"""Runs the benchmark workloads for several systems side by side and reports ratios to NumPy.

    python -m benchmarks.run                          # tapeflow and numpy, all workloads
    python -m benchmarks.run --systems tapeflow,numpy --workloads w2_ops --rounds 15
    python -m benchmarks.run --smoke                  # a quick check that everything runs

Each system runs in its own worker process (one thread, pinned to the same CPU). The parent
checks every system's result against a float64 reference, then interleaves timing rounds
across the workers, so drift on a shared machine hits all systems alike; it reports medians
with their spread, and each system's ratio to the NumPy baseline measured in the same run.
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
# workload id -> (unit, how many of that unit one call is)
UNITS = {"w1_grad": ("µs/call", 1), "w1_seed": ("µs/call", 1), "w2_ops": ("µs/op", 100)}
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


# -- worker side --------------------------------------------------------------------------------
def worker(system: str) -> None:
    """Answers timing requests, one JSON line each, on stdin/stdout."""
    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1]})
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
            value = check()
            value = (
                [np.asarray(v).tolist() for v in value]
                if isinstance(value, tuple)
                else np.asarray(value).tolist()
            )
            print(json.dumps({"value": value}), flush=True)
            continue
        number = request["number"]
        start = time.perf_counter()
        for _ in range(number):
            step()
        print(json.dumps({"seconds": (time.perf_counter() - start) / number}), flush=True)


# -- parent side --------------------------------------------------------------------------------
class Worker:
    def __init__(self, system: str, python: str):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]))
        env.update({name: "1" for name in THREAD_VARIABLES})
        self.system = system
        self.process = subprocess.Popen(
            [python, "-m", "benchmarks.run", "--worker", system],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, **request) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.system} worker died")
        return json.loads(line)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def _close_enough(value, reference) -> bool:
    if isinstance(reference, tuple):
        return all(_close_enough(v, r) for v, r in zip(value, reference))
    return np.allclose(np.asarray(value, dtype=np.float64), reference, rtol=1e-4, atol=1e-5)


def _number_for(worker: Worker, workload: str, budget: float) -> int:
    """How many calls make one timing sample of about `budget` seconds."""
    seconds = worker.ask(kind="time", workload=workload, number=1)["seconds"]
    return max(1, int(budget / max(seconds, 1e-7)))


def measure(systems, workloads, rounds: int, budget: float, python: str) -> dict:
    from benchmarks import data

    workers = [Worker(s, python) for s in systems]
    results: dict = {}
    try:
        for workload in workloads:
            reference = data.reference(workload)
            active = []
            for w in workers:
                answer = w.ask(kind="check", workload=workload)
                if answer.get("missing"):
                    continue
                value = answer["value"]
                value = tuple(value) if isinstance(reference, tuple) else value
                if not _close_enough(value, reference):
                    raise AssertionError(f"{w.system} gives a wrong result for {workload}")
                active.append(w)
            numbers = {w.system: _number_for(w, workload, budget) for w in active}
            samples: dict = {w.system: [] for w in active}
            for _ in range(rounds):  # interleaved: every system once per round
                for w in active:
                    samples[w.system].append(
                        w.ask(kind="time", workload=workload, number=numbers[w.system])["seconds"]
                    )
            results[workload] = samples
    finally:
        for w in workers:
            w.close()
    return results


def table(results: dict) -> str:
    lines = [
        "| workload | system | median | spread (IQR) | ratio to NumPy |",
        "|---|---|---|---|---|",
    ]
    for workload, samples in results.items():
        unit, per_call = UNITS[workload]
        base = statistics.median(samples["numpy"]) if "numpy" in samples else None
        for system, times in samples.items():
            median = statistics.median(times)
            q = statistics.quantiles(times, n=4) if len(times) > 1 else [median, median, median]
            scale = 1e6 / per_call
            ratio = f"{median / base:.2f}×" if base else "–"
            lines.append(
                f"| {workload} | {system} | {median * scale:.2f} {unit} | "
                f"{q[0] * scale:.2f}–{q[2] * scale:.2f} | {ratio} |"
            )
    return "\n".join(lines)


def versions(systems) -> str:
    import tapeflow

    parts = [
        f"Python {platform.python_version()}",
        f"NumPy {np.__version__}",
        f"tapeflow {tapeflow.__version__}",
    ]
    return (
        ", ".join(parts)
        + f"; {platform.machine()}, {os.cpu_count()} CPUs; systems: "
        + ", ".join(systems)
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--workloads", default=",".join(UNITS))
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--budget", type=float, default=0.2, help="seconds per timing sample")
    parser.add_argument("--smoke", action="store_true", help="tiny run, nothing written")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--output", help="markdown file for the results table")
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args.worker)
    systems = args.systems.split(",")
    if "numpy" not in systems:
        systems.insert(0, "numpy")
    if args.smoke:
        args.rounds, args.budget = 2, 0.005
    results = measure(systems, args.workloads.split(","), args.rounds, args.budget, args.python)
    text = table(results)
    print(text)
    if args.output and not args.smoke:
        command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
        stamp = datetime.date.today().isoformat()
        Path(args.output).write_text(
            f"# Benchmark results ({stamp})\n\nCommand: `{command}`\n\n{versions(systems)}\n\n"
            f"{text}\n",
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
