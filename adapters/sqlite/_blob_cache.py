"""Recently read job rows, kept only while the database is unchanged.

Search hydrates the same popular jobs query after query; reading them from
SQLite each time costs more than the search around it once many requests are
in flight. Cached are the stored JSON bytes, not decoded jobs, so no caller
can change a cached job by mutating what it got (decoding costs about 2 µs
a job).

Validity comes from ``PRAGMA data_version`` on a connection of the cache's
own: its value changes whenever any other connection -- this repository's
writer or another process -- commits. Any change clears the cache, so a
read never returns a row older than the last commit before it started.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping

from jobforge.commit_watch import DataVersion

__all__ = ["BlobCache"]


class BlobCache:
    """An LRU of ``job id -> stored bytes`` valid for one database version.

    Args:
        path: The database file (not ``":memory:"``: a private database has one connection).
        capacity: The most rows kept.
    """

    def __init__(self, path: str, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be positive, got {capacity}")
        self.capacity = capacity
        self._commits = DataVersion(path)
        self._lock = threading.Lock()
        self._rows: OrderedDict[str, bytes] = OrderedDict()
        self._version: int | None = None
        self.hits = 0
        self.misses = 0

    def _current_version(self) -> int:
        # Called with the lock held.
        version = self._commits.read()
        if version != self._version:
            self._rows.clear()
            self._version = version
        return version

    def lookup(self, job_ids: Iterable[str]) -> tuple[dict[str, bytes], int]:
        """The cached rows of these ids, and the database version they belong to."""
        with self._lock:
            version = self._current_version()
            rows = self._rows
            found: dict[str, bytes] = {}
            for job_id in job_ids:
                data = rows.get(job_id)
                if data is not None:
                    rows.move_to_end(job_id)
                    found[job_id] = data
            self.hits += len(found)
            return found, version

    def store(self, rows: Mapping[str, bytes], version: int, *, wanted: int) -> None:
        """Keep rows read at ``version`` unless the database changed since.

        ``wanted`` is how many ids were looked for but not cached (misses).
        """
        with self._lock:
            self.misses += wanted
            if self._current_version() != version:
                return  # written meanwhile: the rows may already be stale
            cache = self._rows
            cache.update(rows)
            while len(cache) > self.capacity:
                cache.popitem(last=False)

    def __len__(self) -> int:
        return len(self._rows)

    def close(self) -> None:
        """Close the probe connection and drop the rows."""
        with self._lock:
            self._rows.clear()
        self._commits.close()
