"""An in-process cache: least-recently-used eviction plus per-entry expiry."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence

from jobforge.core.cache_rules import check_cache_write

__all__ = ["MemoryCache"]


class MemoryCache:
    """A :class:`~jobforge.ports.Cache` in one process's memory.

    Holds at most ``max_entries`` values; adding one more evicts the least
    recently used (read or written). An entry stored with ``ttl`` is gone
    once ``clock()`` has advanced ``ttl`` seconds.

    Args:
        max_entries: The bound on stored entries (at least 1).
        clock: Seconds on a monotonic scale; tests pass a fake one.

    Raises:
        ValueError: ``max_entries`` is less than 1.
    """

    def __init__(self, max_entries: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[bytes, float | None]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    async def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The cached values of the keys that are present and unexpired."""
        now = self._clock()
        found: dict[str, bytes] = {}
        for key in keys:
            entry = self._entries.get(key)
            if entry is None:
                continue
            value, expires_at = entry
            if expires_at is not None and now >= expires_at:
                del self._entries[key]
                continue
            self._entries.move_to_end(key)
            found[key] = value
        return found

    async def set_many(self, items: Mapping[str, bytes], ttl: float | None = None) -> None:
        """Store values, expiring after ``ttl`` seconds when given.

        Raises:
            ValueError: ``ttl`` is not positive.
            TypeError: A key is not a string or a value is not bytes (nothing is stored).
        """
        check_cache_write(items, ttl)
        expires_at = None if ttl is None else self._clock() + ttl
        for key, value in items.items():
            self._entries[key] = (bytes(value), expires_at)
            self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def delete(self, keys: Sequence[str]) -> None:
        """Drop keys; absent keys are ignored."""
        for key in keys:
            self._entries.pop(key, None)

    async def close(self) -> None:
        """Drop every entry."""
        self._entries.clear()
