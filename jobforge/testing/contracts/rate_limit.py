"""The contract every :class:`~jobforge.ports.RateLimitStore` adapter passes.

Subclass :class:`RateLimitStoreContract` and override the ``store`` fixture.
The tests use real time with short periods.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from jobforge.ports import RateLimitStore

__all__ = ["RateLimitStoreContract"]


class RateLimitStoreContract:
    """GCRA behaviour shared by every rate-limit store."""

    pytestmark = [pytest.mark.asyncio]

    @pytest.fixture
    async def store(self) -> AsyncIterator[RateLimitStore]:
        """Yield an empty store (override this)."""
        raise NotImplementedError("override the `store` fixture to yield a RateLimitStore")
        yield  # pragma: no cover  # noqa: PT022

    async def test_implements_the_port(self, store: RateLimitStore) -> None:
        """The adapter satisfies the runtime-checkable protocol."""
        assert isinstance(store, RateLimitStore)

    async def test_a_burst_up_to_the_limit_then_refusal(self, store: RateLimitStore) -> None:
        """``limit`` requests pass at once, counting ``remaining`` down; the next is refused."""
        decisions = [await store.hit("k", limit=3, period=60) for _ in range(4)]
        assert [d.allowed for d in decisions] == [True, True, True, False]
        assert [d.remaining for d in decisions] == [2, 1, 0, 0]
        assert all(d.limit == 3 for d in decisions)
        assert decisions[0].retry_after == 0.0
        refused = decisions[3]
        assert 19.0 < refused.retry_after <= 20.0  # one slot frees every period / limit seconds
        assert 59.0 < refused.reset_after <= 60.0

    async def test_keys_are_independent(self, store: RateLimitStore) -> None:
        """One key's requests do not count against another's."""
        assert (await store.hit("a", limit=1, period=60)).allowed
        assert not (await store.hit("a", limit=1, period=60)).allowed
        assert (await store.hit("b", limit=1, period=60)).allowed

    async def test_slots_free_up_over_time(self, store: RateLimitStore) -> None:
        """After ``retry_after`` seconds a refused client may try again."""
        assert (await store.hit("k", limit=2, period=0.4)).allowed
        assert (await store.hit("k", limit=2, period=0.4)).allowed
        refused = await store.hit("k", limit=2, period=0.4)
        assert not refused.allowed
        await asyncio.sleep(refused.retry_after + 0.05)
        assert (await store.hit("k", limit=2, period=0.4)).allowed

    async def test_concurrent_hits_never_exceed_the_limit(self, store: RateLimitStore) -> None:
        """Many requests at once: exactly ``limit`` pass."""
        decisions = await asyncio.gather(*(store.hit("k", limit=5, period=60) for _ in range(20)))
        assert sum(d.allowed for d in decisions) == 5
