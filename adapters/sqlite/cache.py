"""A cache in one SQLite file, shared by every process using the data directory.

For the embedded default run as several processes (``jobforge serve
--workers N`` beside ``jobforge worker``): they then share cached query
vectors and search results, and an ingest in one process invalidates the
results every process serves. One process alone is better served by the
``memory`` cache, which never serialises.

Reads run on the caller's thread (one indexed lookup; WAL readers never
wait for writers). Writes run on a writer thread of their own: they may wait
for another process's write lock or run a checkpoint, which must not stall an
event loop. Writers take turns on the file; each holds it for one short
statement, so waiting is rare and brief. Should another process hold it
longer than ``busy_timeout``, a read misses and a write is dropped (counted
in :attr:`SqliteCache.dropped_writes`) rather than failing the caller.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from jobforge.adapters.sqlite._sql import chunks, placeholders
from jobforge.core.cache_rules import check_cache_write
from jobforge.sqlite_wal import enable_wal

__all__ = ["SqliteCache"]

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cache (
    key TEXT PRIMARY KEY NOT NULL,
    value BLOB NOT NULL,
    expires_at REAL,
    stored_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS cache_stored_at ON cache (stored_at);
"""
_TRIM_EVERY = 256
"""Writes between checks of the entry bound."""


class SqliteCache:
    """A :class:`~jobforge.ports.Cache` in a SQLite file (WAL mode).

    Holds about ``max_entries`` values: past the bound, the oldest written
    go first (checked every few hundred writes). Reads run on the caller's
    thread, writes on the cache's writer thread (see the module docstring).

    Args:
        path: The database file (created when missing).
        max_entries: The bound on stored entries (at least 1).
        busy_timeout: Seconds to wait for another process's write lock.
        clock: Wall-clock seconds (expiry must agree across processes); tests pass a fake.

    Raises:
        ValueError: ``max_entries`` is less than 1 or ``busy_timeout`` is negative.
    """

    def __init__(
        self,
        path: str,
        *,
        max_entries: int = 100_000,
        busy_timeout: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        if busy_timeout < 0:
            raise ValueError(f"busy_timeout must not be negative, got {busy_timeout}")
        self.path = path
        self.max_entries = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._writes = 0
        self.dropped_writes = 0
        self._writer: ThreadPoolExecutor | None = None
        self._db: sqlite3.Connection | None = None
        self._write_db: sqlite3.Connection | None = sqlite3.connect(
            path, timeout=busy_timeout, check_same_thread=False, isolation_level=None
        )
        try:
            enable_wal(self._write_db, timeout=max(busy_timeout, 1.0))
            self._write_db.execute(
                "PRAGMA synchronous=NORMAL"
            )  # a cache may lose its last writes in a power cut
            self._write_db.executescript(_SCHEMA)
            self._db = sqlite3.connect(
                path, timeout=busy_timeout, check_same_thread=False, isolation_level=None
            )
        except BaseException:
            self._write_db.close()
            raise
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobforge-cache-write")

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError(f"the cache {self.path} is closed")
        return self._db

    async def _write(self, func: Callable[[sqlite3.Connection], T]) -> T:
        if self._writer is None:
            raise RuntimeError(f"the cache {self.path} is closed")
        return await asyncio.get_running_loop().run_in_executor(self._writer, self._write_now, func)

    def _write_now(self, func: Callable[[sqlite3.Connection], T]) -> T:
        if self._write_db is None:
            raise RuntimeError(f"the cache {self.path} is closed")
        return func(self._write_db)

    async def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The cached values of the keys that are present and unexpired."""
        if not keys:
            return {}
        now = self._clock()
        found: dict[str, bytes] = {}
        with self._lock:
            db = self._conn()
            try:
                for chunk in chunks(keys):
                    rows = db.execute(
                        f"SELECT key, value FROM cache WHERE key IN ({placeholders(len(chunk))})"
                        " AND (expires_at IS NULL OR expires_at > ?)",
                        (*chunk, now),
                    )
                    found.update(rows)
            except sqlite3.OperationalError as error:
                if not _is_busy(error):
                    raise
        return found

    async def set_many(self, items: Mapping[str, bytes], ttl: float | None = None) -> None:
        """Store values, expiring after ``ttl`` seconds when given.

        Raises:
            ValueError: ``ttl`` is not positive.
            TypeError: A key is not a string or a value is not bytes (nothing is stored).
        """
        check_cache_write(items, ttl)
        if not items:
            return
        now = self._clock()
        expires_at = None if ttl is None else now + ttl
        rows = [(key, bytes(value), expires_at, now) for key, value in items.items()]
        await self._write(lambda db: self._store(db, rows, now))

    def _store(
        self, db: sqlite3.Connection, rows: list[tuple[str, bytes, float | None, float]], now: float
    ) -> None:
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.executemany(
                    "INSERT OR REPLACE INTO cache (key, value, expires_at, stored_at) VALUES (?, ?, ?, ?)",
                    rows,
                )
                self._writes += len(rows)
                if self._writes >= _TRIM_EVERY:
                    self._writes = 0
                    self._trim(db, now)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
            self.dropped_writes += len(rows)

    def _trim(self, db: sqlite3.Connection, now: float) -> None:
        """Drop expired entries, then the oldest beyond the bound."""
        db.execute("DELETE FROM cache WHERE expires_at IS NOT NULL AND expires_at <= ?", (now,))
        excess = int(db.execute("SELECT count(*) FROM cache").fetchone()[0]) - self.max_entries
        if excess > 0:
            db.execute(
                "DELETE FROM cache WHERE key IN (SELECT key FROM cache ORDER BY stored_at LIMIT ?)", (excess,)
            )

    async def delete(self, keys: Sequence[str]) -> None:
        """Drop keys; absent keys are ignored."""
        if not keys:
            return
        await self._write(
            lambda db: db.executemany("DELETE FROM cache WHERE key = ?", [(key,) for key in keys])
        )

    async def close(self) -> None:
        """Close the file after the writes already made (its entries stay for the other processes)."""
        writer, self._writer = self._writer, None
        if writer is not None:
            await asyncio.get_running_loop().run_in_executor(writer, self._close_writer)
            writer.shutdown(wait=False)
        with self._lock:
            db, self._db = self._db, None
        if db is not None:
            db.close()

    def _close_writer(self) -> None:
        db, self._write_db = self._write_db, None
        if db is not None:
            db.close()


def _is_busy(error: sqlite3.OperationalError) -> bool:
    return "locked" in str(error) or "busy" in str(error)
