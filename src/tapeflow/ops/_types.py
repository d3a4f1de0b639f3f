"""The dtype lists TF's kernels accept, in TF's order (they appear in its error messages)."""

from tapeflow.core.dtypes import (
    bfloat16,
    bool,
    complex64,
    complex128,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
)
from tapeflow.core.registry import TypeList

# TF's `numbertype` and `realnumbertype` lists, in its order (the quantized types tapeflow
# lacks are only named, for the error messages)
NUMBERS = (
    float32,
    float64,
    int32,
    uint8,
    int16,
    int8,
    complex64,
    int64,
    "qint8",
    "quint8",
    "qint32",
    bfloat16,
    "qint16",
    "quint16",
    uint16,
    complex128,
    float16,
    uint32,
    uint64,
)
REAL_NUMBERS = (
    float32,
    float64,
    int32,
    uint8,
    int16,
    int8,
    int64,
    bfloat16,
    uint16,
    float16,
    uint32,
    uint64,
)

UNARY = "x:T -> y:T"
BINARY = "x:T, y:T -> z:T"
COMPARISON = "x:T, y:T -> z:bool"

FLOATS = (bfloat16, float16, float32, float64)
FLOAT_COMPLEX = TypeList(*FLOATS, complex64, complex128)
SIGNED = TypeList(*FLOATS, int8, int16, int32, int64, complex64, complex128)
REAL_SIGNED = TypeList(*FLOATS, int8, int16, int32, int64)
SQUARE = TypeList(
    *FLOATS, int8, int16, int32, int64, uint8, uint16, uint32, uint64, complex64, complex128
)
ADD = TypeList(
    *FLOATS,
    uint8,
    uint16,
    uint32,
    uint64,
    int8,
    int16,
    int32,
    int64,
    complex64,
    complex128,
    signature=BINARY,
    traits="; is_commutative=true; is_aggregate=true",
)
SUB = TypeList(
    *FLOATS,
    uint8,
    int8,
    uint16,
    int16,
    int32,
    int64,
    complex64,
    complex128,
    uint32,
    uint64,
    signature=BINARY,
)
_MUL_DIV = (
    *FLOATS,
    uint8,
    int8,
    uint16,
    int16,
    int32,
    uint32,
    uint64,
    int64,
    complex64,
    complex128,
)
MUL = TypeList(*_MUL_DIV, signature=BINARY, traits="; is_commutative=true")
DIV = TypeList(*_MUL_DIV, signature=BINARY)
FLOOR_MOD = TypeList(
    int8, int16, int32, int64, uint8, uint16, uint32, uint64, *FLOATS, signature=BINARY
)
POW = TypeList(
    bfloat16,
    float32,
    float16,
    float64,
    int8,
    int16,
    int32,
    int64,
    complex64,
    complex128,
    signature=BINARY,
)
MAX_MIN = TypeList(
    *FLOATS, int8, uint8, int16, uint16, int32, uint32, int64, uint64, signature=BINARY
)
ORDERED = TypeList(
    *REAL_NUMBERS,
    signature=COMPARISON,
)
INTEGERS = (int8, int16, int32, int64, uint8, uint16, uint32, uint64)
BITWISE_UNARY = TypeList(*INTEGERS)
BITWISE = TypeList(*INTEGERS, signature=BINARY, traits="; is_commutative=true")
REDUCTION = TypeList(
    *NUMBERS,
    op_def=(
        "Op<name={name}; signature=input:T, reduction_indices:Tidx -> output:T; "
        "attr=keep_dims:bool,default=false; attr=T:type,allowed=[{enums}]; "
        "attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]>"
    ),
)
MATMUL = TypeList(
    *FLOATS,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
    complex64,
    complex128,
    op_def=(
        "Op<name=MatMul; signature=a:T, b:T -> product:T; attr=transpose_a:bool,"
        "default=false; attr=transpose_b:bool,default=false; attr=T:type,allowed=[{enums}]; "
        "attr=grad_a:bool,default=false; attr=grad_b:bool,default=false>"
    ),
)
BATCH_MATMUL = TypeList(
    *FLOATS,
    int16,
    int32,
    int64,
    uint8,
    uint16,
    uint32,
    uint64,
    complex64,
    complex128,
    op_def=(
        "Op<name=BatchMatMulV2; signature=x:T, y:T -> output:T; attr=T:type,allowed=[{enums}]; "
        "attr=adj_x:bool,default=false; attr=adj_y:bool,default=false; attr=grad_x:bool,"
        "default=false; attr=grad_y:bool,default=false>"
    ),
)
BOOL = (bool,)
