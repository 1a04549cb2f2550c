"""The SQLite schema of the job repository and its version check."""

from __future__ import annotations

import sqlite3

from jobforge.core.errors import JobforgeError

__all__ = ["SCHEMA_VERSION", "SchemaVersionError", "apply_schema", "ensure_schema"]

SCHEMA_VERSION = 1
"""The schema version this code reads and writes."""

_TABLES = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY NOT NULL,
    content_hash TEXT NOT NULL,
    fingerprint TEXT,
    url TEXT,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_fingerprint ON jobs (fingerprint);
CREATE INDEX IF NOT EXISTS jobs_url ON jobs (url);
CREATE INDEX IF NOT EXISTS jobs_content_hash ON jobs (content_hash);
CREATE TABLE IF NOT EXISTS job_sources (
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    PRIMARY KEY (source, source_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS job_sources_job_id ON job_sources (job_id);
CREATE TABLE IF NOT EXISTS quarantine (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    source TEXT NOT NULL,
    source_id TEXT,
    position INTEGER,
    reason TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quarantine_run ON quarantine (run_id, seq);
"""


class SchemaVersionError(JobforgeError):
    """The database was written by a newer jobforge with an unknown schema."""


def ensure_schema(conn: sqlite3.Connection, path: str) -> int:
    """Create the job repository's missing tables and record the version.

    Raises:
        SchemaVersionError: The database has a newer schema version.
    """
    return apply_schema(conn, path, _TABLES, SCHEMA_VERSION, what="schema")


def apply_schema(conn: sqlite3.Connection, path: str, tables: str, version: int, *, what: str) -> int:
    """Create missing tables and record ``version``; refuse newer schemas.

    Args:
        conn: An open connection in autocommit mode.
        path: The database path, for error messages.
        tables: ``CREATE ... IF NOT EXISTS`` statements separated by ``;``.
        version: The schema version this code reads and writes.
        what: Which schema, for error messages (``schema``, ``store schema``).

    Returns:
        The schema version of the database.

    Raises:
        SchemaVersionError: The database has a newer schema version.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        # One statement at a time: executescript() would COMMIT our transaction.
        for statement in tables.split(";"):
            if statement.strip():
                conn.execute(statement)
        found = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]
        if found is None:
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
            found = version
        elif found > version:
            raise SchemaVersionError(
                f"{path}: {what} version {found} is newer than this jobforge supports "
                f"({version}); upgrade jobforge or use another database file"
            )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return int(found)
