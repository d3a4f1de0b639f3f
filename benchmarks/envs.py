"""Peers' environments, made on demand: each system gets its own virtual environment under
benchmarks/.envs/ (never a dependency of tapeflow or its tests).

    python -m benchmarks.envs torch jax        # make (or reuse) these environments
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENVS = HERE / ".envs"

# What each peer's environment installs (NumPy for the shared benchmark data). PyTorch's CPU
# build: the default wheel drags in several GB of CUDA libraries.
REQUIREMENTS = {
    "tensorflow": ["tensorflow-cpu==2.21.0", "numpy"],
    "torch": ["torch==2.13.0", "numpy"],
    "jax": ["jax", "jaxlib", "numpy"],
    "autograd": ["autograd", "numpy", "scipy"],
    "mygrad": ["mygrad", "numpy"],
}
PEERS = list(REQUIREMENTS)


SHARED_TF = HERE.parent.parent / "shared" / "tools" / "tfref.sh"  # the project's TF reference


def python_for(system: str) -> str:
    """The interpreter that runs `system` (the current one for tapeflow and numpy)."""
    if system not in REQUIREMENTS:
        return sys.executable
    if system == "tensorflow" and SHARED_TF.exists():  # reuse the reference environment
        return subprocess.run(
            [str(SHARED_TF)], capture_output=True, text=True, check=True
        ).stdout.strip()
    python = ENVS / system / "bin" / "python"
    if not python.exists() or not _imports(python, system):
        make(system)
    return str(python)


def _imports(python: Path, system: str) -> bool:
    module = {"tensorflow": "tensorflow", "torch": "torch", "jax": "jax"}.get(system, system)
    return (
        subprocess.run([str(python), "-c", f"import {module}"], capture_output=True).returncode == 0
    )


def make(system: str) -> None:
    target = ENVS / system
    print(f"making the {system} environment in {target} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(target)], check=True)
    subprocess.run(
        [str(target / "bin" / "pip"), "install", "-q", *REQUIREMENTS[system]], check=True
    )


if __name__ == "__main__":
    for name in sys.argv[1:] or PEERS:
        print(name, python_for(name))
