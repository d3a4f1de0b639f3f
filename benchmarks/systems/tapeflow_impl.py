"""tapeflow runs the TensorFlow-style workloads unchanged."""

import tapeflow as tf
from benchmarks.systems.tf_style import workloads

WORKLOADS = workloads(tf)
IMPORT = "tapeflow"
