"""The pytest plugin of the jobforge testing kit (entry point ``pytest11``).

Fixtures for plugin authors; the contract suites themselves are classes in
:mod:`jobforge.testing.contracts` that a test module subclasses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from jobforge.core.clock import FixedClock
from jobforge.core.models import Job
from jobforge.testing.factories import make_job
from jobforge.testing.http_server import LocalHttpServer

__all__ = [
    "jobforge_clock",
    "jobforge_embedder",
    "jobforge_http_server",
    "jobforge_job",
    "jobforge_memory_cache",
    "jobforge_memory_repository",
    "jobforge_memory_search_index",
]


@pytest.fixture
def jobforge_job() -> Callable[..., Job]:
    """The :func:`make_job` factory: ``jobforge_job(title="...")``."""
    return make_job


@pytest.fixture
def jobforge_clock() -> FixedClock:
    """A clock fixed at 2026-01-01T00:00Z; ``advance()`` moves it."""
    return FixedClock(datetime(2026, 1, 1, tzinfo=UTC))


@pytest.fixture
def jobforge_embedder() -> Any:
    """The fast deterministic hashing embedder (64 dimensions, not semantic)."""
    from jobforge.adapters.hashing.embedder import HashingEmbedder

    return HashingEmbedder(dimensions=64)


@pytest.fixture
async def jobforge_memory_repository() -> AsyncIterator[Any]:
    """An empty in-memory job repository."""
    from jobforge.adapters.memory.repository import MemoryJobRepository

    repo = MemoryJobRepository()
    yield repo
    await repo.close()


@pytest.fixture
async def jobforge_memory_search_index() -> AsyncIterator[Any]:
    """An empty in-memory search index."""
    from jobforge.adapters.memory.search_index import MemorySearchIndex

    index = MemorySearchIndex()
    yield index
    await index.close()


@pytest.fixture
async def jobforge_memory_cache() -> AsyncIterator[Any]:
    """An empty in-memory cache."""
    from jobforge.adapters.memory.cache import MemoryCache

    cache = MemoryCache()
    yield cache
    await cache.close()


@pytest.fixture
def jobforge_http_server() -> Iterator[LocalHttpServer]:
    """A started :class:`~jobforge.testing.http_server.LocalHttpServer` on 127.0.0.1; stopped afterwards."""
    with LocalHttpServer() as server:
        yield server
