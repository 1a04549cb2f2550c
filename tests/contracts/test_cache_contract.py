"""The cache contract, run against the in-memory cache, plus its own bound."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from jobforge.adapters.memory.cache import MemoryCache
from jobforge.testing.contracts import CacheContract
from jobforge.testing.contracts.cache import Advance, advancing
from jobforge.testing.fakes import SecondsClock


class TestMemoryCache(CacheContract):
    @pytest.fixture
    async def cache(self, clock: SecondsClock) -> AsyncIterator[MemoryCache]:
        cache = MemoryCache(clock=clock)
        yield cache
        await cache.close()

    @pytest.fixture
    def advance(self, clock: SecondsClock) -> Advance:
        return advancing(clock)


class TestMemoryCacheWithRealTime(CacheContract):
    """The default (sleeping) ``advance`` against the real monotonic clock."""

    @pytest.fixture
    async def cache(self) -> AsyncIterator[MemoryCache]:
        cache = MemoryCache()
        yield cache
        await cache.close()


async def test_expiry_is_exact_at_the_deadline(clock: SecondsClock) -> None:
    cache = MemoryCache(clock=clock)
    await cache.set_many({"k": b"v"}, ttl=10)
    clock.now += 9.999
    assert await cache.get_many(["k"]) == {"k": b"v"}
    clock.now += 0.001
    assert await cache.get_many(["k"]) == {}
    assert len(cache) == 0


async def test_least_recently_used_entries_are_evicted() -> None:
    cache = MemoryCache(max_entries=3)
    await cache.set_many({"a": b"1", "b": b"2", "c": b"3"})
    assert await cache.get_many(["a"]) == {"a": b"1"}  # "a" is now the most recently used
    await cache.set_many({"d": b"4"})
    assert await cache.get_many(["a", "b", "c", "d"]) == {"a": b"1", "c": b"3", "d": b"4"}
    await cache.set_many({"c": b"3'", "e": b"5"})  # rewriting "c" refreshes it
    assert await cache.get_many(["a", "c", "d", "e"]) == {"c": b"3'", "d": b"4", "e": b"5"}
    assert len(cache) == 3


async def test_a_batch_larger_than_the_bound_keeps_its_last_entries() -> None:
    cache = MemoryCache(max_entries=2)
    await cache.set_many({str(n): b"x" for n in range(5)})
    assert set(await cache.get_many([str(n) for n in range(5)])) == {"3", "4"}


async def test_bad_arguments_are_rejected_without_storing_anything() -> None:
    with pytest.raises(ValueError, match="max_entries"):
        MemoryCache(max_entries=0)
    cache = MemoryCache()
    with pytest.raises(ValueError, match="ttl"):
        await cache.set_many({"k": b"v"}, ttl=0)
    with pytest.raises(TypeError, match="'bad' must be bytes"):
        await cache.set_many({"good": b"v", "bad": "text"})  # type: ignore[dict-item]
    assert await cache.get_many(["k", "good", "bad"]) == {}
