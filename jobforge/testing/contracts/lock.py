"""The contract every :class:`~jobforge.ports.Locks` adapter passes.

Subclass :class:`LockContract` and override the ``locks`` fixture; a shared
(cross-process) adapter also overrides ``other_locks`` to yield a second
instance talking to the same store, as another worker would.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from jobforge.ports import Lease, Locks, LockUnavailableError

__all__ = ["LockContract"]


class LockContract:
    """Mutual exclusion shared by every lock adapter."""

    pytestmark = [pytest.mark.asyncio]

    @pytest.fixture
    async def locks(self) -> AsyncIterator[Locks]:
        """Yield a lock adapter (override this)."""
        raise NotImplementedError("override the `locks` fixture to yield Locks")
        yield  # pragma: no cover  # noqa: PT022

    @pytest.fixture
    async def other_locks(self, locks: Locks) -> Locks:
        """Another worker's view of the same locks (by default the same object)."""
        return locks

    async def test_implements_the_port(self, locks: Locks) -> None:
        """The adapter satisfies the runtime-checkable protocol and leases are Leases."""
        assert isinstance(locks, Locks)
        async with locks.lock("ingest:a") as lease:
            assert isinstance(lease, Lease)
            assert lease.name == "ingest:a"
            assert not lease.lost
            lease.check()

    async def test_a_held_lock_is_unavailable_to_others(self, locks: Locks, other_locks: Locks) -> None:
        """While one worker holds a name, another cannot take it; other names are free."""
        async with locks.lock("ingest:a"):
            with pytest.raises(LockUnavailableError, match="ingest:a"):
                async with other_locks.lock("ingest:a", wait=0):
                    pytest.fail("two holders at once")  # pragma: no cover
            with pytest.raises(LockUnavailableError):
                async with other_locks.lock("ingest:a", wait=0.2):
                    pytest.fail("two holders at once")  # pragma: no cover
            async with other_locks.lock("ingest:b", wait=0):
                pass

    async def test_released_on_exit_even_after_an_error(self, locks: Locks, other_locks: Locks) -> None:
        """Leaving the block, normally or by an exception, frees the name."""
        async with locks.lock("ingest:a"):
            pass
        with pytest.raises(RuntimeError, match="boom"):
            async with locks.lock("ingest:a"):
                raise RuntimeError("boom")
        async with other_locks.lock("ingest:a", wait=0):
            pass

    async def test_waiters_take_turns(self, locks: Locks, other_locks: Locks) -> None:
        """Concurrent holders of one name never overlap, and all of them get it."""
        inside = 0
        most = 0
        done = 0

        async def work(adapter: Locks) -> None:
            nonlocal inside, most, done
            async with adapter.lock("ingest:shared", wait=10):
                inside += 1
                most = max(most, inside)
                await asyncio.sleep(0.02)
                inside -= 1
                done += 1

        await asyncio.gather(*(work(adapter) for adapter in (locks, other_locks) * 3))
        assert (most, done) == (1, 6)
