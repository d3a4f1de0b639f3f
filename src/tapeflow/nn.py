"""The `tf.nn` namespace. Each op family has its own block."""

# -- ops/elementwise.py: names TF also has in tf.nn -------------------------------------------
from tapeflow.ops.elementwise import sigmoid

# -- ops/nn.py --------------------------------------------------------------------------------

# -- ops/indexing.py: tf.nn.embedding_lookup --------------------------------------------------

# -- ops/random.py: tf.nn.dropout -------------------------------------------------------------
