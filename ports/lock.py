"""The lock port: named mutual exclusion, across processes when the adapter is shared.

The ingest of one source holds the lock named after it, so two workers
never ingest the same source at once::

    async with locks.lock(f"ingest:{source.name}") as lease:
        for batch in batches:
            lease.check()  # raises LockLostError if the lock expired meanwhile
            ...
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol, runtime_checkable

__all__ = ["Lease", "LockLostError", "LockUnavailableError", "Locks"]


class LockUnavailableError(Exception):
    """The lock could not be taken within the wait (held elsewhere, or its store is unreachable)."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"lock {name!r} unavailable: {reason}")
        self.name = name
        self.reason = reason


class LockLostError(Exception):
    """A held lock expired before its holder released it (renewal failed)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"lock {name!r} was lost: it expired before it was released")
        self.name = name


@runtime_checkable
class Lease(Protocol):
    """A held lock, as the ``async with`` block sees it."""

    @property
    def name(self) -> str:
        """The lock's name."""
        ...

    @property
    def lost(self) -> bool:
        """Whether the lock expired while held (another holder may have it now)."""
        ...

    def check(self) -> None:
        """Raise :class:`LockLostError` if the lock was lost; call it between units of work."""
        ...


@runtime_checkable
class Locks(Protocol):
    """Hands out named locks."""

    def lock(self, name: str, *, wait: float | None = None) -> AbstractAsyncContextManager[Lease]:
        """Hold the lock ``name`` for the ``async with`` block.

        ``wait`` is how long to wait for a lock someone else holds: ``None``
        waits as long as it takes, ``0`` tries once. Not getting it raises
        :class:`LockUnavailableError`.
        """
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
