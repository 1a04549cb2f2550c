"""The embedded default application-data store: one SQLite file.

Tenants, users, API keys, saved searches, applications and ingest runs are
stored as msgspec JSON next to the indexed columns that queries filter and
order by. Every query of a tenant-owned record is filtered by ``tenant_id``,
so a caller that knows another tenant's id still finds nothing.

Record ids are unique across tenants (services use random uuid4 hex);
creating a record with an id that exists anywhere is a ``ValueError``.
Lists are newest first: ``created_at`` descending (records without one
last), ties broken by the most recently created first. Datetimes must be
timezone-aware; a naive one is a ``ValueError``.
"""

from __future__ import annotations

import asyncio
import builtins
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from jobforge.adapters.sqlite._store_schema import ensure_store_schema
from jobforge.adapters.sqlite.alerts import SqliteAlertStore, SqliteEventStore
from jobforge.core.clock import optional_utc_text, require_aware, require_aware_datetimes
from jobforge.core.models import ApiKey, Application, IngestRun, SavedSearch, Tenant, User
from jobforge.sqlite_wal import enable_wal

__all__ = [
    "SqliteAccountStore",
    "SqliteAppStore",
    "SqliteApplicationStore",
    "SqliteIngestRunStore",
    "SqliteSavedSearchStore",
]

T = TypeVar("T")

_ENCODER = msgspec.json.Encoder()
_NEWEST_FIRST = "ORDER BY created_at IS NULL, created_at DESC, seq DESC"


class _Database:
    """One connection used by one worker thread, so concurrent asyncio calls are serialised."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._closed = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jobforge-store")
        # Autocommit mode: write() opens the transactions.
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None
        )
        try:
            self._conn.execute("PRAGMA busy_timeout=5000")
            enable_wal(self._conn)
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self.schema_version = ensure_store_schema(self._conn, path)
        except BaseException:
            self._conn.close()
            self._executor.shutdown(wait=False)
            raise

    async def read(self, func: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``func`` on the worker thread."""
        if self._closed:
            raise RuntimeError(f"store {self.path!r} is closed")
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._locked, func)

    async def write(self, func: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``func`` on the worker thread inside one transaction."""

        def transaction(conn: sqlite3.Connection) -> T:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = func(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return result

        return await self.read(transaction)

    def _locked(self, func: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            if self._conn is None:
                raise RuntimeError(f"store {self.path!r} is closed")
            return func(self._conn)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await asyncio.get_running_loop().run_in_executor(self._executor, self._close_now)
        self._executor.shutdown(wait=False)

    def _close_now(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()


class SqliteAccountStore:
    """Tenants, users and API keys (an :class:`~jobforge.ports.AccountStore`)."""

    _TENANT = msgspec.json.Decoder(Tenant)
    _USER = msgspec.json.Decoder(User)
    _KEY = msgspec.json.Decoder(ApiKey)

    def __init__(self, db: _Database) -> None:
        self._db = db

    async def upsert_tenant(self, tenant: Tenant) -> None:
        """Create or replace a tenant."""
        data = _ENCODER.encode(tenant)
        await self._db.write(
            lambda conn: conn.execute(
                "INSERT INTO tenants (id, data) VALUES (?, ?) "
                "ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                (tenant.id, data),
            )
        )

    async def get_tenant(self, tenant_id: str) -> Tenant | None:
        """A tenant by id."""
        row = await self._db.read(
            lambda conn: conn.execute("SELECT data FROM tenants WHERE id = ?", (tenant_id,)).fetchone()
        )
        return None if row is None else self._TENANT.decode(row[0])

    async def list_tenants(self) -> list[Tenant]:
        """Every tenant, by id."""
        rows = await self._db.read(
            lambda conn: conn.execute("SELECT data FROM tenants ORDER BY id").fetchall()
        )
        return [self._TENANT.decode(row[0]) for row in rows]

    async def upsert_user(self, user: User) -> None:
        """Create or replace a user (unique per tenant and id)."""
        data = _ENCODER.encode(user)
        await self._db.write(
            lambda conn: conn.execute(
                "INSERT INTO users (tenant_id, id, data) VALUES (?, ?, ?) "
                "ON CONFLICT (tenant_id, id) DO UPDATE SET data = excluded.data",
                (user.tenant_id, user.id, data),
            )
        )

    async def get_user(self, tenant_id: str, user_id: str) -> User | None:
        """A user of a tenant."""
        row = await self._db.read(
            lambda conn: conn.execute(
                "SELECT data FROM users WHERE tenant_id = ? AND id = ?", (tenant_id, user_id)
            ).fetchone()
        )
        return None if row is None else self._USER.decode(row[0])

    async def add_api_key(self, key: ApiKey) -> None:
        """Store a new key (its hash only).

        Raises:
            ValueError: A key with this id or hash exists, or a datetime is naive.
        """
        require_aware_datetimes(key)
        row = (key.id, key.tenant_id, key.key_hash, optional_utc_text(key.created_at), _ENCODER.encode(key))

        def run(conn: sqlite3.Connection) -> None:
            try:
                conn.execute(
                    "INSERT INTO api_keys (id, tenant_id, key_hash, created_at, data) VALUES (?, ?, ?, ?, ?)",
                    row,
                )
            except sqlite3.IntegrityError:
                raise ValueError(f"an API key with id {key.id!r} or the same hash already exists") from None

        await self._db.write(run)

    async def find_api_key(self, key_hash: str) -> ApiKey | None:
        """The key with this hash, revoked or not (callers check)."""
        row = await self._db.read(
            lambda conn: conn.execute("SELECT data FROM api_keys WHERE key_hash = ?", (key_hash,)).fetchone()
        )
        return None if row is None else self._KEY.decode(row[0])

    async def list_api_keys(self, tenant_id: str) -> list[ApiKey]:
        """A tenant's keys, newest first."""
        rows = await self._db.read(
            lambda conn: conn.execute(
                f"SELECT data FROM api_keys WHERE tenant_id = ? {_NEWEST_FIRST}", (tenant_id,)
            ).fetchall()
        )
        return [self._KEY.decode(row[0]) for row in rows]

    async def revoke_api_key(self, tenant_id: str, key_id: str, when: object) -> bool:
        """Mark a tenant's key revoked at ``when``; False if the tenant has no such key.

        Revoking a revoked key keeps its first revocation time and returns True.

        Raises:
            ValueError: ``when`` is not a timezone-aware datetime.
        """
        require_aware(when, "when")

        def run(conn: sqlite3.Connection) -> bool:
            row = conn.execute(
                "SELECT data FROM api_keys WHERE tenant_id = ? AND id = ?", (tenant_id, key_id)
            ).fetchone()
            if row is None:
                return False
            key = self._KEY.decode(row[0])
            if key.revoked_at is None:
                revoked = msgspec.structs.replace(key, revoked_at=when)
                conn.execute(
                    "UPDATE api_keys SET data = ? WHERE tenant_id = ? AND id = ?",
                    (_ENCODER.encode(revoked), tenant_id, key_id),
                )
            return True

        return await self._db.write(run)


class SqliteSavedSearchStore:
    """Saved searches, scoped by tenant (a :class:`~jobforge.ports.SavedSearchStore`)."""

    _DECODER = msgspec.json.Decoder(SavedSearch)

    def __init__(self, db: _Database) -> None:
        self._db = db

    async def create(self, search: SavedSearch) -> None:
        """Store a new saved search.

        Raises:
            ValueError: The id exists (in any tenant), or a datetime is naive.
        """
        require_aware_datetimes(search)
        row = (
            search.id,
            search.tenant_id,
            search.user_id,
            optional_utc_text(search.created_at),
            _ENCODER.encode(search),
        )

        def run(conn: sqlite3.Connection) -> None:
            try:
                conn.execute(
                    "INSERT INTO saved_searches (id, tenant_id, user_id, created_at, data) "
                    "VALUES (?, ?, ?, ?, ?)",
                    row,
                )
            except sqlite3.IntegrityError:
                raise ValueError(f"saved search {search.id!r} already exists") from None

        await self._db.write(run)

    async def get(self, tenant_id: str, search_id: str) -> SavedSearch | None:
        """One of the tenant's saved searches."""
        row = await self._db.read(
            lambda conn: conn.execute(
                "SELECT data FROM saved_searches WHERE tenant_id = ? AND id = ?", (tenant_id, search_id)
            ).fetchone()
        )
        return None if row is None else self._DECODER.decode(row[0])

    async def list(self, tenant_id: str, *, user_id: str | None = None) -> builtins.list[SavedSearch]:
        """The tenant's saved searches (of one user when given), newest first."""
        where, params = _owner_clause(tenant_id, user_id)
        rows = await self._db.read(
            lambda conn: conn.execute(
                f"SELECT data FROM saved_searches {where} {_NEWEST_FIRST}", params
            ).fetchall()
        )
        return [self._DECODER.decode(row[0]) for row in rows]

    async def list_all(self, *, after: str | None = None, limit: int = 500) -> builtins.list[SavedSearch]:
        """Every tenant's saved searches by id, those above ``after``."""
        rows = await self._db.read(
            lambda conn: conn.execute(
                "SELECT data FROM saved_searches WHERE id > ? ORDER BY id LIMIT ?", (after or "", limit)
            ).fetchall()
        )
        return [self._DECODER.decode(row[0]) for row in rows]

    async def update(self, search: SavedSearch) -> bool:
        """Replace a saved search of ``search.tenant_id``; False if that tenant has none with its id.

        Raises:
            ValueError: A datetime is naive.
        """
        require_aware_datetimes(search)
        params = (
            search.user_id,
            optional_utc_text(search.created_at),
            _ENCODER.encode(search),
            search.tenant_id,
            search.id,
        )
        return await self._db.write(
            lambda conn: (
                conn.execute(
                    "UPDATE saved_searches SET user_id = ?, created_at = ?, data = ? "
                    "WHERE tenant_id = ? AND id = ?",
                    params,
                ).rowcount
                > 0
            )
        )

    async def delete(self, tenant_id: str, search_id: str) -> bool:
        """Delete one of the tenant's saved searches; False if unknown."""
        return await self._db.write(
            lambda conn: (
                conn.execute(
                    "DELETE FROM saved_searches WHERE tenant_id = ? AND id = ?", (tenant_id, search_id)
                ).rowcount
                > 0
            )
        )


class SqliteApplicationStore:
    """Job applications, scoped by tenant (an :class:`~jobforge.ports.ApplicationStore`)."""

    _DECODER = msgspec.json.Decoder(Application)

    def __init__(self, db: _Database) -> None:
        self._db = db

    @staticmethod
    def _columns(application: Application) -> tuple[Any, ...]:
        return (
            application.user_id,
            application.job_id,
            application.status.value,
            optional_utc_text(application.created_at),
            _ENCODER.encode(application),
        )

    async def create(self, application: Application) -> None:
        """Store a new application.

        Raises:
            ValueError: The id exists (in any tenant), or a datetime is naive.
        """
        require_aware_datetimes(application)
        row = (application.id, application.tenant_id, *self._columns(application))

        def run(conn: sqlite3.Connection) -> None:
            try:
                conn.execute(
                    "INSERT INTO applications (id, tenant_id, user_id, job_id, status, created_at, data) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
            except sqlite3.IntegrityError:
                raise ValueError(f"application {application.id!r} already exists") from None

        await self._db.write(run)

    async def get(self, tenant_id: str, application_id: str) -> Application | None:
        """One of the tenant's applications."""
        row = await self._db.read(
            lambda conn: conn.execute(
                "SELECT data FROM applications WHERE tenant_id = ? AND id = ?", (tenant_id, application_id)
            ).fetchone()
        )
        return None if row is None else self._DECODER.decode(row[0])

    async def list(self, tenant_id: str, *, user_id: str | None = None) -> builtins.list[Application]:
        """The tenant's applications (of one user when given), newest first."""
        where, params = _owner_clause(tenant_id, user_id)
        rows = await self._db.read(
            lambda conn: conn.execute(
                f"SELECT data FROM applications {where} {_NEWEST_FIRST}", params
            ).fetchall()
        )
        return [self._DECODER.decode(row[0]) for row in rows]

    async def update(self, application: Application) -> bool:
        """Replace an application of ``application.tenant_id``; False if that tenant has none with its id.

        Raises:
            ValueError: A datetime is naive.
        """
        require_aware_datetimes(application)
        params = (*self._columns(application), application.tenant_id, application.id)
        return await self._db.write(
            lambda conn: (
                conn.execute(
                    "UPDATE applications SET user_id = ?, job_id = ?, status = ?, created_at = ?, data = ? "
                    "WHERE tenant_id = ? AND id = ?",
                    params,
                ).rowcount
                > 0
            )
        )


class SqliteIngestRunStore:
    """Ingest runs started through the hosts (an :class:`~jobforge.ports.IngestRunStore`).

    ``list`` is newest first: runs not started yet first, then by
    ``started_at`` descending, ties by the most recently first saved.
    """

    _DECODER = msgspec.json.Decoder(IngestRun)

    def __init__(self, db: _Database) -> None:
        self._db = db

    async def save(self, run: IngestRun) -> None:
        """Create or replace a run.

        Raises:
            ValueError: A datetime is naive.
        """
        require_aware_datetimes(run)
        row = (
            run.id,
            run.tenant_id,
            run.source,
            run.status,
            optional_utc_text(run.started_at),
            _ENCODER.encode(run),
        )
        await self._db.write(
            lambda conn: conn.execute(
                "INSERT INTO ingest_runs (id, tenant_id, source, status, started_at, data) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, source = excluded.source, "
                "status = excluded.status, started_at = excluded.started_at, data = excluded.data",
                row,
            )
        )

    async def get(self, run_id: str) -> IngestRun | None:
        """A run by id."""
        row = await self._db.read(
            lambda conn: conn.execute("SELECT data FROM ingest_runs WHERE id = ?", (run_id,)).fetchone()
        )
        return None if row is None else self._DECODER.decode(row[0])

    async def list(self, *, limit: int = 50) -> builtins.list[IngestRun]:
        """Recent runs, newest first.

        Raises:
            ValueError: ``limit`` is negative.
        """
        if limit < 0:
            raise ValueError(f"limit must not be negative, got {limit}")
        rows = await self._db.read(
            lambda conn: conn.execute(
                "SELECT data FROM ingest_runs "
                "ORDER BY started_at IS NOT NULL, started_at DESC, seq DESC LIMIT ?",
                (limit,),
            ).fetchall()
        )
        return [self._DECODER.decode(row[0]) for row in rows]


def _owner_clause(tenant_id: str, user_id: str | None) -> tuple[str, tuple[str, ...]]:
    if user_id is None:
        return "WHERE tenant_id = ?", (tenant_id,)
    return "WHERE tenant_id = ? AND user_id = ?", (tenant_id, user_id)


class SqliteAppStore:
    """An :class:`~jobforge.ports.AppStore` in one SQLite file (WAL mode).

    Calls run on one worker thread, one at a time, so the store is safe to
    use from concurrent asyncio tasks; each write is one transaction.

    Args:
        path: The database file (created with its tables when missing), or
            ``":memory:"`` for a private in-memory database.

    Raises:
        SchemaVersionError: The file was written by a newer jobforge.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._db = _Database(self.path)
        self.schema_version = self._db.schema_version
        self._accounts = SqliteAccountStore(self._db)
        self._saved_searches = SqliteSavedSearchStore(self._db)
        self._applications = SqliteApplicationStore(self._db)
        self._ingest_runs = SqliteIngestRunStore(self._db)
        self._alerts = SqliteAlertStore(self._db)
        self._events = SqliteEventStore(self._db)

    def __repr__(self) -> str:
        return f"SqliteAppStore({self.path!r})"

    @property
    def accounts(self) -> SqliteAccountStore:
        """Tenants, users, API keys."""
        return self._accounts

    @property
    def saved_searches(self) -> SqliteSavedSearchStore:
        """Saved searches."""
        return self._saved_searches

    @property
    def applications(self) -> SqliteApplicationStore:
        """Applications."""
        return self._applications

    @property
    def ingest_runs(self) -> SqliteIngestRunStore:
        """Ingest runs."""
        return self._ingest_runs

    @property
    def alerts(self) -> SqliteAlertStore:
        """The alert journal, outbox and inbox."""
        return self._alerts

    @property
    def events(self) -> SqliteEventStore:
        """Analytics events."""
        return self._events

    async def close(self) -> None:
        """Close the database after calls already made; later calls raise ``RuntimeError``.

        Closing twice is harmless.
        """
        await self._db.close()
