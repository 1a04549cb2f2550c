"""The SQLite schema of the application-data store and its version check.

Each record is kept whole as msgspec JSON in ``data``; the other columns
exist only to filter and order (and to enforce uniqueness). Instants are
stored in those columns as fixed-width UTC text (``2026-01-01T00:00:00.000000Z``),
which sorts in time order.
"""

from __future__ import annotations

import sqlite3

from jobforge.adapters.sqlite._schema import apply_schema

__all__ = ["STORE_SCHEMA_VERSION", "ensure_store_schema"]

STORE_SCHEMA_VERSION = 1
"""The store schema version this code reads and writes."""

_TABLES = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tenants (
    id TEXT PRIMARY KEY NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS users (
    tenant_id TEXT NOT NULL,
    id TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (tenant_id, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS api_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS api_keys_tenant ON api_keys (tenant_id, created_at);
CREATE TABLE IF NOT EXISTS saved_searches (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    created_at TEXT,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS saved_searches_owner ON saved_searches (tenant_id, user_id, created_at);
CREATE TABLE IF NOT EXISTS applications (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS applications_owner ON applications (tenant_id, user_id, created_at);
CREATE TABLE IF NOT EXISTS ingest_runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant_id TEXT,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS ingest_runs_started ON ingest_runs (started_at);
CREATE TABLE IF NOT EXISTS alert_journal (
    job_id TEXT PRIMARY KEY NOT NULL,
    at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS alert_journal_at ON alert_journal (at, job_id);
CREATE TABLE IF NOT EXISTS alerts (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    digest_key TEXT NOT NULL,
    notifier TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    next_attempt_at TEXT,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_due ON alerts (status, due_at, id);
CREATE INDEX IF NOT EXISTS alerts_digest ON alerts (digest_key, status);
CREATE INDEX IF NOT EXISTS alerts_tenant ON alerts (tenant_id, created_at);
CREATE TABLE IF NOT EXISTS inbox (
    id TEXT PRIMARY KEY NOT NULL,
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS inbox_owner ON inbox (tenant_id, user_id, created_at);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS events_tenant ON events (tenant_id, at, id);
"""


def ensure_store_schema(conn: sqlite3.Connection, path: str) -> int:
    """Create the store's missing tables and record the version.

    Raises:
        SchemaVersionError: The database has a newer store schema version.
    """
    return apply_schema(conn, path, _TABLES, STORE_SCHEMA_VERSION, what="store schema")
