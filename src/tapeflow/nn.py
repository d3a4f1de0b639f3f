"""The `tf.nn` namespace. Each op family has its own block."""

# -- ops/elementwise.py: names TF also has in tf.nn -------------------------------------------
from tapeflow.ops.elementwise import sigmoid, tanh

# -- ops/nn.py --------------------------------------------------------------------------------
from tapeflow.ops.activations import (
    elu,
    gelu,
    leaky_relu,
    relu,
    relu6,
    selu,
    silu,
    softplus,
    softsign,
    swish,
)
from tapeflow.ops.losses import (
    compute_average_loss,
    l2_loss,
    log_poisson_loss,
    scale_regularization_loss,
    sigmoid_cross_entropy_with_logits,
    weighted_cross_entropy_with_logits,
)
from tapeflow.ops.nn import batch_normalization, bias_add, l2_normalize, moments
from tapeflow.ops.softmax import (
    log_softmax,
    softmax,
    softmax_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits,
)

# -- ops/ranking.py: tf.nn.top_k (the same object as tf.math.top_k) ----------------------------
from tapeflow.ops.ranking import top_k

# -- ops/indexing.py: tf.nn.embedding_lookup --------------------------------------------------
from tapeflow.ops.lookup import embedding_lookup

# -- ops/random.py: tf.nn.dropout -------------------------------------------------------------
from tapeflow.ops.dropout import dropout
