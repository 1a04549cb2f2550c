"""Several processes opening a new data directory at once (``serve --workers``): none fails."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jobforge.sqlite_wal import enable_wal

_OPEN_ALL = """
import asyncio, sys, time
from pathlib import Path
from jobforge.adapters.sqlite.cache import SqliteCache
from jobforge.adapters.sqlite.repository import SqliteJobRepository
from jobforge.adapters.sqlite.store import SqliteAppStore
from jobforge.adapters.sqlite_search import SqliteSearchIndex

data_dir, start_at = Path(sys.argv[1]), float(sys.argv[2])
time.sleep(max(0.0, start_at - time.time()))  # every process opens at the same instant

async def run() -> None:
    for adapter in (
        SqliteJobRepository(data_dir / "jobs.sqlite3"),
        SqliteAppStore(data_dir / "app.sqlite3"),
        SqliteCache(str(data_dir / "cache.sqlite3")),
        SqliteSearchIndex(data_dir / "search"),
    ):
        await adapter.close()

asyncio.run(run())
"""


def test_processes_opening_a_new_data_directory_together_all_succeed(tmp_path: Path) -> None:
    for attempt in range(3):
        data_dir = tmp_path / f"data{attempt}"
        data_dir.mkdir()
        start_at = time.time() + 1.5
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", _OPEN_ALL, str(data_dir), str(start_at)],
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        errors = [process.communicate(timeout=60)[1] for process in processes]
        assert [process.returncode for process in processes] == [0, 0, 0, 0], errors


def test_a_database_locked_for_longer_than_the_timeout_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            enable_wal(sqlite3.connect(path, timeout=0), timeout=0.05)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
