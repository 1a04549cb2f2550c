"""The OpenAI embeddings adapter (and any OpenAI-compatible embeddings server).

Importing this package is cheap; the ``openai`` SDK is imported when the
embedder makes its first request.
"""

from jobforge.adapters.openai.embedder import EmbeddingDimensionError, EmbeddingServiceError, OpenAIEmbedder

__all__ = ["EmbeddingDimensionError", "EmbeddingServiceError", "OpenAIEmbedder"]
