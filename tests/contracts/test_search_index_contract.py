"""The SearchIndex contract, run against every built-in index."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from jobforge.adapters.memory.search_index import MemorySearchIndex
from jobforge.testing.contracts.search_index import SearchIndexContract


class TestMemorySearchIndex(SearchIndexContract):
    @pytest.fixture
    async def search_index(self) -> AsyncIterator[MemorySearchIndex]:
        index = MemorySearchIndex()
        yield index
        await index.close()
