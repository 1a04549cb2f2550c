"""The embedded default search index: SQLite FTS5 for keywords, numpy and HNSW for vectors.

Importing this package is cheap; numpy and hnswlib load when the index is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jobforge.adapters.sqlite_search._index import SqliteSearchIndex

__all__ = ["SqliteSearchIndex"]


def __getattr__(name: str) -> Any:
    if name == "SqliteSearchIndex":
        from jobforge.adapters.sqlite_search._index import SqliteSearchIndex

        return SqliteSearchIndex
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
