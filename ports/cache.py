"""The cache port: bytes by key with optional expiry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

__all__ = ["Cache"]


@runtime_checkable
class Cache(Protocol):
    """A bounded key-value cache. Losing entries is always allowed."""

    async def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The cached values of the keys that are present."""
        ...

    async def set_many(self, items: Mapping[str, bytes], ttl: float | None = None) -> None:
        """Store values, expiring after ``ttl`` seconds when given."""
        ...

    async def delete(self, keys: Sequence[str]) -> None:
        """Drop keys; absent keys are ignored."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
