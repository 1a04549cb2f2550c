"""Port contracts on the Redis adapters (a real redis-server) and their in-process twins."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from jobforge.adapters.memory.lock import MemoryLocks
from jobforge.adapters.memory.queue import MemoryDispatchQueue
from jobforge.adapters.redis import RedisCache, RedisDispatchQueue, RedisLocks, RedisRateLimitStore
from jobforge.hosts.http.rate_limit import MemoryRateLimitStore
from jobforge.testing.contracts import CacheContract
from jobforge.testing.contracts.cache import Advance
from jobforge.testing.contracts.lock import LockContract
from jobforge.testing.contracts.queue import DispatchQueueContract
from jobforge.testing.contracts.rate_limit import RateLimitStoreContract


class TestRedisCache(CacheContract):
    @pytest.fixture
    async def cache(self, redis_url: str) -> AsyncIterator[RedisCache]:
        cache = RedisCache(redis_url)
        yield cache
        await cache.close()
        assert cache.outage.errors == 0


class TestRedisCacheWithLruIndex(CacheContract):
    @pytest.fixture
    async def cache(self, redis_url: str) -> AsyncIterator[RedisCache]:
        cache = RedisCache(redis_url, max_entries=1000)
        yield cache
        await cache.close()
        assert cache.outage.errors == 0


class TestMemoryLocks(LockContract):
    @pytest.fixture
    async def locks(self) -> MemoryLocks:
        return MemoryLocks()


class TestRedisLocks(LockContract):
    @pytest.fixture
    async def locks(self, redis_url: str) -> AsyncIterator[RedisLocks]:
        locks = RedisLocks(redis_url, poll_interval=0.01)
        yield locks
        await locks.close()

    @pytest.fixture
    async def other_locks(self, redis_url: str) -> AsyncIterator[RedisLocks]:
        locks = RedisLocks(redis_url, poll_interval=0.01)
        yield locks
        await locks.close()


class _FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class TestMemoryDispatchQueue(DispatchQueueContract):
    @pytest.fixture
    def clock(self) -> _FakeClock:
        return _FakeClock()

    @pytest.fixture
    async def queue(self, clock: _FakeClock) -> MemoryDispatchQueue:
        return MemoryDispatchQueue(lease=self.lease, clock=clock)

    @pytest.fixture
    def advance(self, clock: _FakeClock) -> Advance:
        async def move(seconds: float) -> None:
            clock.now += seconds

        return move


class TestRedisDispatchQueue(DispatchQueueContract):
    lease = 0.2

    @pytest.fixture
    async def queue(self, redis_url: str) -> AsyncIterator[RedisDispatchQueue]:
        queue = RedisDispatchQueue(redis_url, stream=f"alerts-{uuid.uuid4().hex}", lease=self.lease)
        yield queue
        await queue.close()


class TestMemoryRateLimitStore(RateLimitStoreContract):
    @pytest.fixture
    async def store(self) -> MemoryRateLimitStore:
        return MemoryRateLimitStore()


class TestRedisRateLimitStore(RateLimitStoreContract):
    @pytest.fixture
    async def store(self, redis_url: str) -> AsyncIterator[RedisRateLimitStore]:
        store = RedisRateLimitStore(redis_url)
        yield store
        await store.close()
        assert store.outage.errors == 0
