"""Registers the ``sqlite`` search index (the embedded default)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobforge.core.errors import ConfigError
from jobforge.core.registry import OptionSpec
from jobforge.hookspecs import hookimpl

if TYPE_CHECKING:
    from jobforge.core.registry import AdapterContext, Registry
    from jobforge.ports import SearchIndex

__all__ = ["register_search_indexes"]

_OPTIONS = [
    OptionSpec(name="path", description="Directory of the index files.", default="<data_dir>/search"),
    OptionSpec(
        name="ann_threshold",
        description="Above this many jobs, vector search uses an HNSW graph instead of an exact scan.",
        default=200_000,
    ),
    OptionSpec(
        name="subset_scan_limit",
        description="With HNSW in use, filters leaving at most this many jobs are scanned instead "
        "(empty: decide by estimated cost).",
        default=None,
    ),
    OptionSpec(
        name="ann_ef_search", description="HNSW search breadth (higher: better recall).", default=4000
    ),
    OptionSpec(name="ann_connectivity", description="HNSW graph degree M.", default=16),
]


def _build(ctx: AdapterContext) -> SearchIndex:
    from jobforge.adapters.sqlite_search._index import SqliteSearchIndex

    path = ctx.get("path") or str(Path(ctx.data_dir) / "search")
    if not isinstance(path, str | Path):
        raise ConfigError(ctx.option_key("path"), f"expected a directory path, got {path!r}")
    limit = None if ctx.get("subset_scan_limit") in (None, "") else ctx.get_int("subset_scan_limit", 0)
    threshold = ctx.get_int("ann_threshold", 200_000)
    ef_search = ctx.get_int("ann_ef_search", 4000)
    connectivity = ctx.get_int("ann_connectivity", 16)
    for name, value, lowest in (
        ("ann_threshold", threshold, 0),
        ("subset_scan_limit", limit, 0),
        ("ann_ef_search", ef_search, 1),
        ("ann_connectivity", connectivity, 2),
    ):
        if value is not None and value < lowest:
            raise ConfigError(ctx.option_key(name), f"must be at least {lowest}, got {value}")
    return SqliteSearchIndex(
        Path(path),
        ann_threshold=threshold,
        subset_scan_limit=limit,
        ann_ef_search=ef_search,
        ann_connectivity=connectivity,
    )


@hookimpl
def register_search_indexes(register: Registry[Any]) -> None:
    """Register the ``sqlite`` search index."""
    register(
        "sqlite",
        _build,
        description="Embedded hybrid search: SQLite FTS5 BM25 + in-process vectors (exact, HNSW when large).",
        options=_OPTIONS,
    )
