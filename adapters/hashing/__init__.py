"""A deterministic, non-semantic embedder for fast tests: signed feature hashing."""

from jobforge.adapters.hashing.embedder import HashingEmbedder

__all__ = ["HashingEmbedder"]
