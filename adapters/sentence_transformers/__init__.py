"""The embedded default embedder: sentence-transformers models run locally on CPU.

Importing this package is cheap; torch, sentence-transformers and ONNX
Runtime are imported when an embedder loads its model.
"""

from jobforge.adapters.sentence_transformers.embedder import BACKENDS, SentenceTransformerEmbedder

__all__ = ["BACKENDS", "SentenceTransformerEmbedder"]
