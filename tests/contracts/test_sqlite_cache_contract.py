"""The cache contract against the SQLite cache, plus what sharing one file between processes means."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from jobforge.adapters.sqlite import plugin
from jobforge.adapters.sqlite.cache import SqliteCache
from jobforge.core.errors import ConfigError
from jobforge.core.registry import AdapterContext, Registry
from jobforge.testing.contracts import CacheContract
from jobforge.testing.contracts.cache import Advance, advancing
from jobforge.testing.fakes import SecondsClock


class TestSqliteCache(CacheContract):
    @pytest.fixture
    async def cache(self, tmp_path: Path, clock: SecondsClock) -> AsyncIterator[SqliteCache]:
        cache = SqliteCache(str(tmp_path / "cache.sqlite3"), clock=clock)
        yield cache
        await cache.close()

    @pytest.fixture
    def advance(self, clock: SecondsClock) -> Advance:
        return advancing(clock)


class TestSqliteCacheWithRealTime(CacheContract):
    @pytest.fixture
    async def cache(self, tmp_path: Path) -> AsyncIterator[SqliteCache]:
        cache = SqliteCache(str(tmp_path / "cache.sqlite3"))
        yield cache
        await cache.close()


async def test_processes_share_entries_and_deletions(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    here = SqliteCache(str(path))
    try:
        await here.set_many({"search:generation": b"1"})
        code = (
            "import asyncio\n"
            "from jobforge.adapters.sqlite.cache import SqliteCache\n"
            "async def main():\n"
            f"    there = SqliteCache({str(path)!r})\n"
            "    assert await there.get_many(['search:generation']) == {'search:generation': b'1'}\n"
            "    await there.set_many({'search:generation': b'2', 'other': b'x'}, ttl=60)\n"
            "    await there.delete(['other'])\n"
            "    await there.close()\n"
            "asyncio.run(main())\n"
        )
        child = await asyncio.create_subprocess_exec(sys.executable, "-c", code)
        assert await asyncio.wait_for(child.wait(), timeout=60) == 0
        assert await here.get_many(["search:generation", "other"]) == {"search:generation": b"2"}
    finally:
        await here.close()


async def test_the_oldest_entries_go_past_the_bound(tmp_path: Path, clock: SecondsClock) -> None:
    cache = SqliteCache(str(tmp_path / "cache.sqlite3"), max_entries=100, clock=clock)
    try:
        for n in range(300):
            clock.now += 1
            await cache.set_many({f"k{n}": b"v"})
        with sqlite3.connect(tmp_path / "cache.sqlite3") as db:
            count = db.execute("SELECT count(*) FROM cache").fetchone()[0]
        assert 100 <= count < 100 + 256  # trimmed every 256 writes
        assert await cache.get_many(["k299"]) == {"k299": b"v"}
        assert await cache.get_many(["k0"]) == {}
    finally:
        await cache.close()


async def test_a_locked_file_makes_reads_miss_and_writes_drop_never_fail(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = SqliteCache(str(path), busy_timeout=0.01)
    try:
        await cache.set_many({"kept": b"1"})
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another process holding the file
        try:
            await cache.set_many({"lost": b"2"})
            assert cache.dropped_writes == 1
            assert await cache.get_many(["kept"]) in ({}, {"kept": b"1"})  # WAL readers may still read
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert await cache.get_many(["kept", "lost"]) == {"kept": b"1"}
    finally:
        await cache.close()


async def test_a_closed_cache_refuses_calls(tmp_path: Path) -> None:
    cache = SqliteCache(str(tmp_path / "cache.sqlite3"))
    await cache.close()
    with pytest.raises(RuntimeError, match="closed"):
        await cache.get_many(["x"])


async def test_the_plugin_builds_it_in_the_data_dir_and_names_bad_options(tmp_path: Path) -> None:
    registry: Registry[object] = Registry("cache")
    plugin.register_caches(registry)
    cache = registry.build("sqlite", AdapterContext(name="sqlite", data_dir=str(tmp_path), key="cache"))
    assert isinstance(cache, SqliteCache)
    assert Path(cache.path) == tmp_path / "cache.sqlite3"
    await cache.close()
    with pytest.raises(ConfigError) as error:
        registry.build(
            "sqlite",
            AdapterContext(name="sqlite", options={"max_entries": 0}, data_dir=str(tmp_path), key="cache"),
        )
    assert error.value.key == "cache.max_entries"
    with pytest.raises(ValueError, match="busy_timeout"):
        SqliteCache(str(tmp_path / "x.sqlite3"), busy_timeout=-1)
