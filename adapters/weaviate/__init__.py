"""The Weaviate search index (weaviate-client v4, async API).

Importing this package is cheap; ``weaviate`` is imported when the index connects.
"""

from jobforge.adapters.weaviate.index import WeaviateSearchIndex, WeaviateUnavailableError

__all__ = ["WeaviateSearchIndex", "WeaviateUnavailableError"]
