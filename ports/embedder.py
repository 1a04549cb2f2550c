"""The embedder port: text to unit-length vectors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

__all__ = ["Embedder"]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors of ``dimensions`` floats.

    ``model_id`` identifies the vector space (model plus anything that
    changes vectors); caches and indexes key on it.
    """

    @property
    def model_id(self) -> str:
        """Identifier of the vector space."""
        ...

    @property
    def dimensions(self) -> int:
        """Length of every vector."""
        ...

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order."""
        ...

    async def embed_query(self, text: str) -> list[float]:
        """The vector of a search query."""
        ...

    async def close(self) -> None:
        """Release models, sessions or connections."""
        ...
