"""`tf.IndexedSlices`: a sparse set of rows of a dense tensor, as `gather` gradients are.

`values[i]` is row `indices[i]` of a tensor of shape `dense_shape`; repeated indices add up.
"""

from __future__ import annotations

from tapeflow.core.convert import convert_to_tensor
from tapeflow.core.shape import TensorShape
from tapeflow.core.tensor import DEVICE, Tensor
from tapeflow.ops import gather
from tapeflow.ops.elementwise import negative


class IndexedSlices:
    """Rows `indices` of a tensor of shape `dense_shape`, with values `values` (TF's class)."""

    def __init__(self, values, indices, dense_shape=None):
        self._values = convert_to_tensor(values)
        self._indices = convert_to_tensor(indices)
        self._dense_shape = None if dense_shape is None else convert_to_tensor(dense_shape)

    values = property(lambda self: self._values, doc="The rows, one per index.")
    indices = property(lambda self: self._indices, doc="Which row each value is.")
    dense_shape = property(lambda self: self._dense_shape, doc="The dense tensor's shape.")

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        if self._dense_shape is None:
            return TensorShape(None)
        return TensorShape(self._dense_shape._value.tolist())

    @property
    def device(self) -> str:
        return DEVICE

    name = property(lambda self: None)
    op = property(lambda self: None)
    graph = property(lambda self: None)

    def consumers(self) -> list:
        return []

    def _watch_parts(self) -> tuple:
        """The tensors `GradientTape.watch` watches for this value (TF watches all three)."""
        parts = (self._values, self._indices)
        return parts if self._dense_shape is None else parts + (self._dense_shape,)

    def __tf_tensor__(self, dtype=None, name=None) -> Tensor:
        if self._dense_shape is None:
            raise ValueError(
                "Tensor conversion requested for IndexedSlices for argument "
                f"`value` without dense_shape: {self}"
            )
        rows = int(self._dense_shape._value[0])  # TF densifies with UnsortedSegmentSum
        dense = gather.unsorted_segment_sum_op(self._values, self._indices, num_segments=rows)
        return convert_to_tensor(dense, dtype=dtype)

    def __neg__(self):
        return IndexedSlices(negative(self._values), self._indices, self._dense_shape)

    def __str__(self):
        text = f"IndexedSlices(indices={self._indices!s}, values={self._values!s}"
        if self._dense_shape is not None:
            text += f", dense_shape={self._dense_shape!s}"
        return text + ")"


def to_dense(value):
    """A dense tensor for a gradient that may be IndexedSlices."""
    return value.__tf_tensor__() if isinstance(value, IndexedSlices) else value
