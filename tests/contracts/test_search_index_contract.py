"""The SearchIndex contract, run against every built-in index."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from jobforge.adapters.memory.search_index import MemorySearchIndex
from jobforge.adapters.sqlite_search import SqliteSearchIndex
from jobforge.testing.contracts.search_index import SearchIndexContract


class TestMemorySearchIndex(SearchIndexContract):
    @pytest.fixture
    async def search_index(self) -> AsyncIterator[MemorySearchIndex]:
        index = MemorySearchIndex()
        yield index
        await index.close()


class TestSqliteSearchIndex(SearchIndexContract):
    """The embedded default on its exact vector path."""

    @pytest.fixture
    async def search_index(self, tmp_path: Path) -> AsyncIterator[SqliteSearchIndex]:
        index = SqliteSearchIndex(tmp_path / "index")
        yield index
        await index.close()


class TestSqliteSearchIndexAnn(SearchIndexContract):
    """The embedded default with every vector search going through the HNSW graph."""

    @pytest.fixture
    async def search_index(self, tmp_path: Path) -> AsyncIterator[SqliteSearchIndex]:
        index = SqliteSearchIndex(tmp_path / "index", ann_threshold=0, subset_scan_limit=0)
        yield index
        await index.close()


class TestSqliteSearchIndexQuantizedScan(SearchIndexContract):
    """The embedded default above its HNSW threshold, scanning filtered subsets (int8 + exact rescoring)."""

    @pytest.fixture
    async def search_index(self, tmp_path: Path) -> AsyncIterator[SqliteSearchIndex]:
        index = SqliteSearchIndex(tmp_path / "index", ann_threshold=0, subset_scan_limit=10**9)
        yield index
        await index.close()
