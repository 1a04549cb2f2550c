"""The query-result cache stores results in the background, and the SQLite cache writes off the event loop."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from jobforge.adapters.memory.cache import MemoryCache
from jobforge.adapters.sqlite.cache import SqliteCache
from jobforge.core.models import RawJob
from jobforge.core.search_cache import CachedSearch
from jobforge.core.search_types import SearchRequest
from jobforge.hosts.engine import Engine, build_engine
from jobforge.testing.fakes import FakeSource


class _GatedCache(MemoryCache):
    """A memory cache whose writes wait for a gate, and may fail."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.fail = False
        self.writes = 0

    async def set_many(self, items: Mapping[str, bytes], ttl: float | None = None) -> None:
        if any(key.startswith("search:") and key != "search:generation" for key in items):
            await self.gate.wait()
            self.writes += 1
            if self.fail:
                raise ConnectionError("cache down")
        await super().set_many(items, ttl)


async def _engine(tmp_path: Path) -> Engine:
    engine = build_engine(
        overrides={
            "data_dir": str(tmp_path),
            "embedder": "hashing",
            "repository": "memory",
            "search_index": "memory",
            "store": "memory",
        }
    )
    postings = [RawJob(source="b", source_id="1", title="Glassblower", company="Kiln", description="Glass.")]
    assert (await engine.ingest(FakeSource(postings, name="b"))).status == "completed"
    return engine


async def test_a_result_is_served_while_its_cache_write_is_still_running(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    async with engine:
        cache = _GatedCache()
        searches = CachedSearch(engine.container.search_service(), cache, ttl=60)
        request = SearchRequest(query="glassblower")
        first, hit = await asyncio.wait_for(searches.search(request), 5)  # does not wait for the write
        assert not hit
        assert await searches.search(request) == (first, True)  # from the write still pending
        assert cache.writes == 0
        cache.gate.set()
        await searches.flush()
        assert cache.writes == 1
        fresh = CachedSearch(engine.container.search_service(), cache, ttl=60)
        assert await fresh.search(request) == (first, True)  # now in the cache itself


async def test_results_waiting_for_a_stalled_cache_are_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jobforge.core.search_cache as search_cache

    monkeypatch.setattr(search_cache, "_MAX_PENDING", 2)
    engine = await _engine(tmp_path)
    async with engine:
        cache = _GatedCache()  # never opens: every write stalls
        searches = CachedSearch(engine.container.search_service(), cache, ttl=60)
        for query in ("glass", "glassblower", "kiln", "blower"):
            await asyncio.wait_for(searches.search(SearchRequest(query=query)), 5)
        assert searches.skipped_writes == 2
        cache.gate.set()
        await searches.flush()
        assert cache.writes == 2


async def test_a_failed_cache_write_is_logged_and_only_costs_a_recomputation(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = await _engine(tmp_path)
    async with engine:
        cache = _GatedCache()
        cache.fail = True
        cache.gate.set()
        searches = CachedSearch(engine.container.search_service(), cache, ttl=60)
        request = SearchRequest(query="glassblower")
        first, _ = await searches.search(request)
        with caplog.at_level(logging.WARNING):
            await searches.flush()
        assert "storing a search result in the cache failed" in caplog.text
        assert await searches.search(request) == (first, False)


async def test_a_sqlite_cache_write_waiting_for_a_lock_leaves_the_event_loop_free(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = SqliteCache(str(path), busy_timeout=5.0)
    other = sqlite3.connect(path, isolation_level=None)  # another process holding the write lock
    try:
        await cache.set_many({"a": b"1"})
        other.execute("BEGIN IMMEDIATE")
        write = asyncio.ensure_future(cache.set_many({"b": b"2"}))
        started = time.perf_counter()
        await asyncio.sleep(0.2)
        assert time.perf_counter() - started < 0.5  # the loop kept running
        assert await cache.get_many(["a", "b"]) == {"a": b"1"}  # reads do not wait either
        assert not write.done()
        other.execute("COMMIT")
        await asyncio.wait_for(write, 5)
        assert await cache.get_many(["b"]) == {"b": b"2"}
    finally:
        other.close()
        await cache.close()


async def test_closing_the_sqlite_cache_finishes_the_writes_already_made(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = SqliteCache(str(path))
    writes: Sequence[asyncio.Future[None]] = [
        asyncio.ensure_future(cache.set_many({f"k{n}": b"v"})) for n in range(20)
    ]
    await asyncio.sleep(0)
    await cache.close()
    await asyncio.gather(*writes)
    reopened = SqliteCache(str(path))
    try:
        assert len(await reopened.get_many([f"k{n}" for n in range(20)])) == 20
    finally:
        await reopened.close()
