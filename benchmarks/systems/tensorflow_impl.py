"""TensorFlow eager (CPU build) runs the same TensorFlow-style workloads."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

from benchmarks.systems.tf_style import workloads  # noqa: E402

WORKLOADS = workloads(tf)
IMPORT = "tensorflow"
