"""At most once per key: a small SQLite log of the notifications each notifier has sent.

A key (``saved_search_id:job_id``) is claimed before the message goes out
and released if delivery fails, so two workers (or a retry after a crash
once delivery succeeded) never send the same notification twice.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

__all__ = ["SentLog"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sent (
    notifier TEXT NOT NULL,
    key TEXT NOT NULL,
    claimed_at REAL NOT NULL,
    delivered_at REAL,
    PRIMARY KEY (notifier, key)
)
"""


class SentLog:
    """Claims of notification keys, per notifier name, in one SQLite file.

    Args:
        path: The database file (created with its folder).
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(_SCHEMA)
        return connection

    def _run(self, sql: str, params: tuple[object, ...]) -> int:
        connection = self._connect()
        try:
            return connection.execute(sql, params).rowcount
        finally:
            connection.close()

    async def claim(self, notifier: str, key: str) -> bool:
        """Claim ``key``; ``False`` when it was claimed (sent or being sent) before."""
        changed = await asyncio.to_thread(
            self._run,
            "INSERT OR IGNORE INTO sent (notifier, key, claimed_at) VALUES (?, ?, ?)",
            (notifier, key, time.time()),
        )
        return changed == 1

    async def delivered(self, notifier: str, key: str) -> None:
        """Mark a claimed key as delivered."""
        await asyncio.to_thread(
            self._run,
            "UPDATE sent SET delivered_at = ? WHERE notifier = ? AND key = ?",
            (time.time(), notifier, key),
        )

    async def release(self, notifier: str, key: str) -> None:
        """Give a claim back after a failed delivery, so a later attempt may send it."""
        await asyncio.to_thread(
            self._run,
            "DELETE FROM sent WHERE notifier = ? AND key = ? AND delivered_at IS NULL",
            (notifier, key),
        )

    async def was_delivered(self, notifier: str, key: str) -> bool:
        """Whether ``key`` was delivered by ``notifier``."""

        def query() -> bool:
            connection = self._connect()
            try:
                row = connection.execute(
                    "SELECT delivered_at FROM sent WHERE notifier = ? AND key = ?", (notifier, key)
                ).fetchone()
            finally:
                connection.close()
            return bool(row and row[0] is not None)

        return await asyncio.to_thread(query)
