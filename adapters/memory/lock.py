"""In-process named locks: one holder per name within this process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from jobforge.ports.lock import LockLostError, LockUnavailableError

__all__ = ["MemoryLease", "MemoryLocks"]


class MemoryLease:
    """A held in-process lock; it is never lost."""

    def __init__(self, name: str) -> None:
        self._name = name

    @property
    def name(self) -> str:
        """The lock's name."""
        return self._name

    @property
    def lost(self) -> bool:
        """Always False: an in-process lock does not expire."""
        return False

    def check(self) -> None:
        """Never raises (kept for the :class:`~jobforge.ports.Lease` protocol)."""
        if self.lost:  # pragma: no cover
            raise LockLostError(self._name)


class MemoryLocks:
    """:class:`~jobforge.ports.Locks` for one process (a single worker); use Redis across processes."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @contextlib.asynccontextmanager
    async def lock(self, name: str, *, wait: float | None = None) -> AsyncIterator[MemoryLease]:
        """Hold the lock ``name`` for the block (see :meth:`jobforge.ports.Locks.lock`).

        Raises:
            LockUnavailableError: Another task held it for ``wait`` seconds.
        """
        lock = self._locks.setdefault(name, asyncio.Lock())
        self._users[name] = self._users.get(name, 0) + 1
        try:
            if wait is not None and wait <= 0:
                if lock.locked():
                    raise LockUnavailableError(name, "held by another task")
                await lock.acquire()
            else:
                try:
                    async with asyncio.timeout(wait):
                        await lock.acquire()
                except TimeoutError:
                    raise LockUnavailableError(name, f"held by another task (waited {wait:g} s)") from None
            try:
                yield MemoryLease(name)
            finally:
                lock.release()
        finally:
            self._users[name] -= 1
            if not self._users[name]:  # forget idle names so the dict stays small
                del self._users[name]
                del self._locks[name]

    async def close(self) -> None:
        """Nothing to release."""
