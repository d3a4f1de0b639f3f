"""What ops are built on: dtypes, errors, Tensor, Variable, the registry and tape recording.

Imports neither `tapeflow.ops` nor `tapeflow.autodiff`.
"""
