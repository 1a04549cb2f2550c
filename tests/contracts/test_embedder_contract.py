"""The embedder contract, run against every built-in embedder."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from jobforge.adapters.hashing.embedder import HashingEmbedder
from jobforge.adapters.memory.cache import MemoryCache
from jobforge.core.embedding_cache import CachingEmbedder
from jobforge.testing.contracts import EmbedderContract


class TestHashingEmbedder(EmbedderContract):
    semantic = False

    @pytest.fixture
    async def embedder(self) -> AsyncIterator[HashingEmbedder]:
        embedder = HashingEmbedder(dimensions=64)
        yield embedder
        await embedder.close()


class TestCachingHashingEmbedder(EmbedderContract):
    semantic = False

    @pytest.fixture
    async def embedder(self) -> AsyncIterator[CachingEmbedder]:
        embedder = CachingEmbedder(HashingEmbedder(dimensions=64), MemoryCache(max_entries=1000))
        yield embedder
        await embedder.close()
