"""The alert-store and event-store contracts against the memory and SQLite stores
(MongoDB: tests/contracts/test_mongo_contracts.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from jobforge.adapters.memory.store import MemoryAppStore
from jobforge.adapters.sqlite.store import SqliteAppStore
from jobforge.testing.contracts import AlertStoreContract, EventStoreContract


class TestMemoryAlertsAndEvents(AlertStoreContract, EventStoreContract):
    @pytest.fixture
    async def store(self) -> AsyncIterator[MemoryAppStore]:
        store = MemoryAppStore()
        yield store
        await store.close()


class TestSqliteAlertsAndEvents(AlertStoreContract, EventStoreContract):
    @pytest.fixture
    async def store(self, tmp_path: Path) -> AsyncIterator[SqliteAppStore]:
        store = SqliteAppStore(tmp_path / "app.sqlite3")
        yield store
        await store.close()
