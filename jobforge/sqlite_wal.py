"""Switching a SQLite database to WAL when several processes open it at once.

Shared by the SQLite-based adapters, which may not import each other.
"""

from __future__ import annotations

import sqlite3
import time

__all__ = ["enable_wal"]


def enable_wal(conn: sqlite3.Connection, *, timeout: float = 5.0) -> None:
    """``PRAGMA journal_mode=WAL`` on ``conn``, waiting while another connection holds the file.

    Processes opening a new data directory together (``jobforge serve
    --workers N``) race to set the mode, and SQLite answers "database is
    locked" at once to the losers instead of waiting in its busy handler (a
    worker died at start-up this way). So this retries, for up to
    ``timeout`` seconds.

    Raises:
        sqlite3.OperationalError: Still locked after ``timeout``, or another error.
    """
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() + delay > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)
