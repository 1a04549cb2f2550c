"""SQLite store behaviour beyond the contract: files, schema version, registration."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobforge.adapters.memory import plugin as memory_plugin
from jobforge.adapters.memory.store import MemoryAppStore
from jobforge.adapters.sqlite import plugin as sqlite_plugin
from jobforge.adapters.sqlite._schema import SchemaVersionError
from jobforge.adapters.sqlite._store_schema import STORE_SCHEMA_VERSION
from jobforge.adapters.sqlite.store import SqliteAppStore
from jobforge.core.models import Application, SavedSearch, Tenant
from jobforge.core.registry import AdapterContext, Registry
from jobforge.ports import AppStore

T0 = datetime(2026, 1, 1, tzinfo=UTC)


async def test_data_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "app.sqlite3"
    store = SqliteAppStore(path)
    search = SavedSearch(id="s1", tenant_id="t", user_id="u", name="n", created_at=T0)
    application = Application(id="a1", tenant_id="t", user_id="u", job_id="j", created_at=T0)
    await store.accounts.upsert_tenant(Tenant(id="t", name="T"))
    await store.saved_searches.create(search)
    await store.applications.create(application)
    await store.close()
    await store.close()  # twice is harmless
    with pytest.raises(RuntimeError, match="closed"):
        await store.saved_searches.get("t", "s1")

    reopened = SqliteAppStore(path)
    try:
        assert await reopened.accounts.list_tenants() == [Tenant(id="t", name="T")]
        assert await reopened.saved_searches.get("t", "s1") == search
        assert await reopened.applications.list("t") == [application]
    finally:
        await reopened.close()


async def test_wal_mode_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "app.sqlite3"
    await SqliteAppStore(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(STORE_SCHEMA_VERSION,)]
        conn.execute("UPDATE schema_version SET version = ?", (STORE_SCHEMA_VERSION + 1,))
    with pytest.raises(SchemaVersionError, match=r"app\.sqlite3.*newer"):
        SqliteAppStore(path)


async def test_plugins_register_the_stores(tmp_path: Path) -> None:
    registry: Registry[AppStore] = Registry("store")
    sqlite_plugin.register_stores(registry)
    memory_plugin.register_stores(registry)
    assert registry.names() == ["memory", "sqlite"]
    built = registry.build("sqlite", AdapterContext(name="sqlite", data_dir=str(tmp_path / "data")))
    try:
        assert isinstance(built, SqliteAppStore)
        assert Path(built.path) == tmp_path / "data" / "app.sqlite3"
    finally:
        await built.close()
    custom = registry.build(
        "sqlite",
        AdapterContext(name="sqlite", options={"path": str(tmp_path / "x" / "own.db")}, data_dir="."),
    )
    await custom.close()
    assert (tmp_path / "x" / "own.db").exists()
    assert isinstance(registry.build("memory", AdapterContext(name="memory")), MemoryAppStore)
