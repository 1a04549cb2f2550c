"""The job repository contract, run against every built-in repository."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from jobforge.adapters.memory.repository import MemoryJobRepository
from jobforge.adapters.sqlite.repository import SqliteJobRepository
from jobforge.testing.contracts import JobRepositoryContract


class TestMemoryJobRepository(JobRepositoryContract):
    @pytest.fixture
    async def repository(self) -> AsyncIterator[MemoryJobRepository]:
        repo = MemoryJobRepository()
        yield repo
        await repo.close()


class TestSqliteJobRepository(JobRepositoryContract):
    @pytest.fixture
    async def repository(self, tmp_path: Path) -> AsyncIterator[SqliteJobRepository]:
        repo = SqliteJobRepository(tmp_path / "jobs.sqlite3")
        yield repo
        await repo.close()
