"""Redis adapters beyond their contracts: LRU bound, outages, lock expiry, plugin config,
and searches served through an engine while redis-server is stopped."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import redis.asyncio
from servers.redis import RedisServer

from jobforge.adapters.redis import RedisCache, RedisLocks, RedisRateLimitStore
from jobforge.adapters.redis.plugin import _build_cache
from jobforge.core.errors import ConfigError
from jobforge.core.models import RawJob
from jobforge.core.registry import AdapterContext
from jobforge.core.search_cache import CachedSearch
from jobforge.core.search_types import SearchRequest
from jobforge.hosts.config import load_settings
from jobforge.hosts.engine import build_engine
from jobforge.ports import LockLostError, LockUnavailableError
from jobforge.testing.fakes import FakeSource

# --- cache ------------------------------------------------------------------------------------


async def test_max_entries_evicts_the_least_recently_used(redis_url: str) -> None:
    cache = RedisCache(redis_url, max_entries=3, prefix="t:")
    try:
        await cache.set_many({"a": b"1", "b": b"2", "c": b"3"})
        assert await cache.get_many(["a"]) == {"a": b"1"}  # "a" is now the most recently used
        await cache.set_many({"d": b"4"})
        assert await cache.get_many(["a", "b", "c", "d"]) == {"a": b"1", "c": b"3", "d": b"4"}
        await cache.set_many({"c": b"3'", "e": b"5"})
        assert await cache.get_many(["a", "c", "d", "e"]) == {"c": b"3'", "d": b"4", "e": b"5"}
        client = redis.asyncio.Redis.from_url(redis_url)
        assert await client.zcard("t:lru") == 3
        assert sorted(await client.keys("t:[a-e]")) == [b"t:c", b"t:d", b"t:e"]
        await cache.delete(["d"])
        assert await client.zcard("t:lru") == 2
        await client.aclose()
    finally:
        await cache.close()


async def test_ttl_is_set_in_milliseconds(redis_url: str) -> None:
    cache = RedisCache(redis_url)
    client = redis.asyncio.Redis.from_url(redis_url)
    try:
        await cache.set_many({"k": b"v"}, ttl=30)
        assert 29_000 < await client.pttl("jobforge:cache:k") <= 30_000
        await cache.set_many({"k": b"v"})
        assert await client.pttl("jobforge:cache:k") == -1
    finally:
        await client.aclose()
        await cache.close()


async def test_unreachable_redis_is_a_miss_logged_once_per_outage(
    redis_server_factory: Callable[[], RedisServer], caplog: pytest.LogCaptureFixture
) -> None:
    server = redis_server_factory()
    clock = [0.0]
    cache = RedisCache(server.url, retry_interval=5, clock=lambda: clock[0])
    caplog.set_level(logging.DEBUG, "jobforge.adapters.redis")
    try:
        await cache.set_many({"k": b"v"})
        server.stop()
        assert await cache.get_many(["k"]) == {}  # fails, starts the outage
        await cache.set_many({"k": b"w"})  # skipped: within retry_interval
        await cache.delete(["k"])  # skipped
        clock[0] += 6
        assert await cache.get_many(["k"]) == {}  # tried again, fails again
        assert (cache.outage.outages, cache.outage.errors, cache.outage.skipped) == (1, 2, 2)
        warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1
        assert "unavailable" in warnings[0]
        assert server.url.split("/0")[0].replace("redis://", "") in warnings[0]
        server.start()
        clock[0] += 6
        assert await cache.get_many(["k"]) == {}  # a fresh server (no persistence): a miss, but it answers
        assert not cache.outage.down
        await cache.set_many({"k": b"x"})
        assert await cache.get_many(["k"]) == {"k": b"x"}
        assert any("is back" in r.getMessage() for r in caplog.records)
    finally:
        await cache.close()


async def test_programming_errors_are_not_swallowed(redis_url: str) -> None:
    cache = RedisCache(redis_url)
    try:
        with pytest.raises(TypeError, match="must be bytes"):
            await cache.set_many({"k": "text"})  # type: ignore[dict-item]
        with pytest.raises(ValueError, match="ttl"):
            await cache.set_many({"k": b"v"}, ttl=0)
    finally:
        await cache.close()


def test_plugin_options_and_environment(tmp_path: Path) -> None:
    settings = load_settings(
        env={"JOBFORGE_CACHE": "redis", "JOBFORGE_REDIS_URL": "redis://:pw@127.0.0.1:6390/2"},
        overrides={"data_dir": str(tmp_path)},
    )
    assert (settings.cache.name, settings.cache.options) == ("redis", {"url": "redis://:pw@127.0.0.1:6390/2"})
    cache = _build_cache(
        AdapterContext(name="redis", options={**settings.cache.options, "max_entries": "50"}, key="cache")
    )
    assert isinstance(cache, RedisCache)
    assert cache.max_entries == 50
    assert "pw" not in repr(cache)
    assert cache.url == "redis://:****@127.0.0.1:6390/2"
    for options, key in (
        ({}, "cache.url"),
        ({"url": "http://x"}, "cache.url"),
        ({"url": "redis://x", "max_entries": 0}, "cache.max_entries"),
        ({"url": "redis://x", "socket_timeout": -1}, "cache.socket_timeout"),
        ({"url": "redis://x", "colour": "red"}, "cache.colour"),
    ):
        with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
            _build_cache(AdapterContext(name="redis", options=options, key="cache"))


# --- locks and rate limits ----------------------------------------------------------------------


async def test_lock_is_renewed_while_held_and_expires_after_a_crash(redis_url: str) -> None:
    locks = RedisLocks(redis_url, ttl=0.3, poll_interval=0.02)
    other = RedisLocks(redis_url, ttl=0.3, poll_interval=0.02)
    try:
        async with locks.lock("ingest:greenhouse") as lease:
            await asyncio.sleep(0.7)  # longer than ttl: renewal keeps it
            assert lease.renewals >= 2
            with pytest.raises(LockUnavailableError):
                async with other.lock("ingest:greenhouse", wait=0):
                    pass
            lease.check()
        # A holder that dies without releasing: its key expires after ttl.
        client = redis.asyncio.Redis.from_url(redis_url)
        await client.set("jobforge:lock:ingest:lever", "dead-worker", px=300)
        await client.aclose()
        started = time.monotonic()
        async with other.lock("ingest:lever", wait=5):
            assert 0.1 < time.monotonic() - started < 2
    finally:
        await locks.close()
        await other.close()


async def test_a_lock_taken_over_is_reported_lost(redis_url: str) -> None:
    locks = RedisLocks(redis_url, ttl=0.3, poll_interval=0.02)
    client = redis.asyncio.Redis.from_url(redis_url)
    try:
        async with locks.lock("ingest:x") as lease:
            await client.set("jobforge:lock:ingest:x", "someone-else")  # the key expired and another took it
            await asyncio.sleep(0.25)
            assert lease.lost
            with pytest.raises(LockLostError, match="ingest:x"):
                lease.check()
        assert await client.get("jobforge:lock:ingest:x") == b"someone-else"  # not released by the old holder
    finally:
        await client.aclose()
        await locks.close()


async def test_locks_need_redis(redis_server_factory: Callable[[], RedisServer]) -> None:
    server = redis_server_factory()
    server.stop()
    locks = RedisLocks(server.url)
    try:
        with pytest.raises(LockUnavailableError, match="unavailable: redis at"):
            async with locks.lock("ingest:a", wait=0):
                pass
    finally:
        await locks.close()


async def test_rate_limits_are_shared_across_stores(redis_url: str) -> None:
    first, second = RedisRateLimitStore(redis_url), RedisRateLimitStore(redis_url)
    try:
        assert (await first.hit("key:1", limit=2, period=60)).allowed
        assert (await second.hit("key:1", limit=2, period=60)).allowed
        assert not (await first.hit("key:1", limit=2, period=60)).allowed
    finally:
        await first.close()
        await second.close()


async def test_rate_limit_store_fails_open_or_closed(redis_server_factory: Callable[[], RedisServer]) -> None:
    server = redis_server_factory()
    server.stop()
    open_store, closed_store = (
        RedisRateLimitStore(server.url),
        RedisRateLimitStore(server.url, fail_open=False),
    )
    try:
        assert (await open_store.hit("k", limit=1, period=1)).allowed
        assert (await open_store.hit("k", limit=1, period=1)).allowed
        assert open_store.outage.outages == 1
        refused = await closed_store.hit("k", limit=1, period=1)
        assert not refused.allowed
        assert refused.retry_after > 0
    finally:
        await open_store.close()
        await closed_store.close()


# --- the fault test: searches keep answering while Redis is down ---------------------------------

_TITLES = ["Python Developer", "Data Engineer", "Night Nurse", "Forklift Operator", "Pastry Chef", "Welder"]


async def test_searches_answer_while_redis_is_stopped(
    tmp_path: Path, redis_server_factory: Callable[[], RedisServer], caplog: pytest.LogCaptureFixture
) -> None:
    server = redis_server_factory()
    caplog.set_level(logging.WARNING, "jobforge.adapters.redis")
    engine = build_engine(
        overrides={
            "data_dir": str(tmp_path),
            "repository": "memory",
            "search_index": "memory",
            "store": "memory",
            "embedder": "hashing",
            "cache": {"name": "redis", "url": server.url, "retry_interval": 0.2},
        }
    )
    async with engine:
        records = [
            RawJob(
                source="fake",
                source_id=str(i),
                title=title,
                company=f"Company {i}",
                description=f"{title} wanted.",
            )
            for i, title in enumerate(_TITLES)
        ]
        report = await engine.ingest(FakeSource(records))
        assert report.counts.added == len(_TITLES)
        cache = engine.container.cache()
        assert isinstance(cache, RedisCache)
        query_cache = CachedSearch(engine.container.search_service(), cache, ttl=30)
        request = SearchRequest(query="python developer")
        before, cached = await query_cache.search(request)
        assert not cached
        assert (await query_cache.search(request)) == (before, True)
        direct = await engine.search("night nurse")
        assert direct.hits[0].job.title == "Night Nurse"

        server.stop()
        started = time.monotonic()
        during, cached = await query_cache.search(request)
        assert not cached
        assert [h.job.id for h in during.hits] == [h.job.id for h in before.hits]
        for _ in range(20):
            response = await engine.search("night nurse")
            assert response.hits[0].job.title == "Night Nurse"
        assert (await engine.search("forklift")).hits[0].job.title == "Forklift Operator"
        assert time.monotonic() - started < 5
        assert cache.outage.outages == 1
        assert cache.outage.errors >= 1
        outage_logs = [r for r in caplog.records if "unavailable" in r.getMessage()]
        assert len(outage_logs) == 1

        server.start()
        await asyncio.sleep(0.3)
        after = await engine.search("python developer")
        assert [h.job.id for h in after.hits] == [h.job.id for h in before.hits]
        assert not cache.outage.down


async def test_the_http_host_builds_the_redis_rate_limit_store(redis_url: str) -> None:
    from jobforge.hosts.http.rate_limit import create_rate_limit_store

    store = create_rate_limit_store("redis", {"url": redis_url})
    try:
        assert isinstance(store, RedisRateLimitStore)
        assert (await store.hit("anon:127.0.0.1", limit=1, period=60)).allowed
        assert not (await store.hit("anon:127.0.0.1", limit=1, period=60)).allowed
    finally:
        await store.close()
    with pytest.raises(ConfigError, match=r"http\.rate_limit\.options\.url"):
        create_rate_limit_store("redis", {})
