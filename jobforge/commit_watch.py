"""Watching a SQLite file for commits made through other connections.

Shared by the SQLite-based adapters, which may not import each other.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

__all__ = ["DataVersion"]


class DataVersion:
    """``PRAGMA data_version`` on a connection of its own: the value changes whenever
    another connection -- another process, or this process's writer -- commits.

    A few microseconds a read, no I/O beyond the shared WAL index; callable
    from any thread.

    Args:
        path: The database file.
    """

    def __init__(self, path: str | Path) -> None:
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None
        )
        self._lock = threading.Lock()

    def read(self) -> int:
        """The current value (compare it with an earlier one).

        Raises:
            RuntimeError: After :meth:`close`.
        """
        with self._lock:
            if self._conn is None:
                raise RuntimeError("the data_version watch is closed")
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
