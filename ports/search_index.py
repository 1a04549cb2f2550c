"""The search index port: hybrid keyword + vector retrieval with exact filters."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from jobforge.core.search_types import IndexDocument, IndexQuery, IndexResult

__all__ = ["SearchIndex"]


@runtime_checkable
class SearchIndex(Protocol):
    """Indexes jobs with their vectors and answers :class:`IndexQuery`.

    The semantics of a query (candidates, fusion, totals, facets) are
    documented on :class:`~jobforge.core.search_types.IndexQuery`; every
    filter in :class:`~jobforge.core.search_types.SearchFilters` is applied
    exactly.
    """

    async def upsert(self, documents: Sequence[IndexDocument]) -> None:
        """Insert or replace these documents (by job id)."""
        ...

    async def delete(self, job_ids: Sequence[str]) -> None:
        """Remove these jobs; unknown ids are ignored."""
        ...

    async def search(self, query: IndexQuery) -> IndexResult:
        """Run a query."""
        ...

    async def count(self) -> int:
        """How many documents are indexed."""
        ...

    async def close(self) -> None:
        """Release connections and files."""
        ...
