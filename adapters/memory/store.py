"""An in-memory application-data store: a state-recording fake for tests and demos.

It keeps the same rules as the SQLite store (and the contract suite pins
them down): every tenant-owned record is found only through its tenant,
ids are unique across tenants, lists are newest first (``created_at``
descending, records without one last, ties by the most recently created
first), and naive datetimes are rejected. Records are kept as encoded
JSON, so callers always get copies.
"""

from __future__ import annotations

import builtins
import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

import msgspec

from jobforge.adapters.memory.alerts import MemoryAlertStore, MemoryEventStore
from jobforge.core.clock import require_aware, require_aware_datetimes
from jobforge.core.models import ApiKey, Application, IngestRun, SavedSearch, Tenant, User

__all__ = [
    "MemoryAccountStore",
    "MemoryAppStore",
    "MemoryApplicationStore",
    "MemoryIngestRunStore",
    "MemorySavedSearchStore",
    "StoreCall",
]

R = TypeVar("R", bound=msgspec.Struct)


class StoreCall(msgspec.Struct, frozen=True):
    """One recorded call: ``("applications", "create", (application,))``."""

    store: str
    method: str
    args: tuple[Any, ...] = ()


class _Table(Generic[R]):
    """Records by id as JSON, with the order they were first stored in."""

    def __init__(self, kind: type[R], sequence: itertools.count[int]) -> None:
        self._decoder = msgspec.json.Decoder(kind)
        self._rows: dict[str, tuple[int, bytes]] = {}
        self._sequence = sequence

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._rows

    def put(self, record_id: str, record: R) -> None:
        seq = self._rows[record_id][0] if record_id in self._rows else next(self._sequence)
        self._rows[record_id] = (seq, msgspec.json.encode(record))

    def get(self, record_id: str) -> R | None:
        row = self._rows.get(record_id)
        return None if row is None else self._decoder.decode(row[1])

    def pop(self, record_id: str) -> None:
        del self._rows[record_id]

    def select(self, where: Callable[[R], bool], order: Callable[[R, int], Any]) -> list[R]:
        matching = [
            (record, seq) for seq, data in self._rows.values() if where(record := self._decoder.decode(data))
        ]
        matching.sort(key=lambda pair: order(*pair))
        return [record for record, _ in matching]


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _micros(when: datetime) -> int:
    """Microseconds since the epoch: exact, unlike a float timestamp."""
    return (when - _EPOCH) // _MICROSECOND


def _newest_first(when: datetime | None, seq: int) -> tuple[int, int, int]:
    # Records without a date last; among equal dates the later created first.
    return (1, 0, -seq) if when is None else (0, -_micros(when), -seq)


class _Recorder:
    def __init__(self, calls: list[StoreCall], store: str) -> None:
        self._calls = calls
        self._store = store

    def _record(self, method: str, *args: Any) -> None:
        self._calls.append(StoreCall(self._store, method, args))


class MemoryAccountStore(_Recorder):
    """Tenants, users and API keys in dictionaries."""

    def __init__(self, calls: list[StoreCall], sequence: itertools.count[int]) -> None:
        super().__init__(calls, "accounts")
        self.tenants: _Table[Tenant] = _Table(Tenant, sequence)
        self.users: _Table[User] = _Table(User, sequence)
        self.api_keys: _Table[ApiKey] = _Table(ApiKey, sequence)

    async def upsert_tenant(self, tenant: Tenant) -> None:
        """Create or replace a tenant."""
        self._record("upsert_tenant", tenant)
        self.tenants.put(tenant.id, tenant)

    async def get_tenant(self, tenant_id: str) -> Tenant | None:
        """A tenant by id."""
        return self.tenants.get(tenant_id)

    async def list_tenants(self) -> list[Tenant]:
        """Every tenant, by id."""
        return self.tenants.select(lambda _: True, lambda tenant, _: tenant.id)

    async def upsert_user(self, user: User) -> None:
        """Create or replace a user (unique per tenant and id)."""
        self._record("upsert_user", user)
        self.users.put(f"{user.tenant_id}\x1f{user.id}", user)

    async def get_user(self, tenant_id: str, user_id: str) -> User | None:
        """A user of a tenant."""
        return self.users.get(f"{tenant_id}\x1f{user_id}")

    async def add_api_key(self, key: ApiKey) -> None:
        """Store a new key (its hash only).

        Raises:
            ValueError: A key with this id or hash exists, or a datetime is naive.
        """
        self._record("add_api_key", key)
        require_aware_datetimes(key)
        if key.id in self.api_keys or await self.find_api_key(key.key_hash) is not None:
            raise ValueError(f"an API key with id {key.id!r} or the same hash already exists")
        self.api_keys.put(key.id, key)

    async def find_api_key(self, key_hash: str) -> ApiKey | None:
        """The key with this hash, revoked or not (callers check)."""
        found = self.api_keys.select(lambda key: key.key_hash == key_hash, lambda _, seq: seq)
        return found[0] if found else None

    async def list_api_keys(self, tenant_id: str) -> list[ApiKey]:
        """A tenant's keys, newest first."""
        return self.api_keys.select(
            lambda key: key.tenant_id == tenant_id, lambda key, seq: _newest_first(key.created_at, seq)
        )

    async def revoke_api_key(self, tenant_id: str, key_id: str, when: object) -> bool:
        """Mark a tenant's key revoked at ``when``; False if the tenant has no such key.

        Revoking a revoked key keeps its first revocation time and returns True.

        Raises:
            ValueError: ``when`` is not a timezone-aware datetime.
        """
        self._record("revoke_api_key", tenant_id, key_id, when)
        require_aware(when, "when")
        key = self.api_keys.get(key_id)
        if key is None or key.tenant_id != tenant_id:
            return False
        if key.revoked_at is None:
            self.api_keys.put(key_id, msgspec.structs.replace(key, revoked_at=when))
        return True


class MemorySavedSearchStore(_Recorder):
    """Saved searches in a dictionary, scoped by tenant."""

    def __init__(self, calls: list[StoreCall], sequence: itertools.count[int]) -> None:
        super().__init__(calls, "saved_searches")
        self.records: _Table[SavedSearch] = _Table(SavedSearch, sequence)

    async def create(self, search: SavedSearch) -> None:
        """Store a new saved search.

        Raises:
            ValueError: The id exists (in any tenant), or a datetime is naive.
        """
        self._record("create", search)
        require_aware_datetimes(search)
        if search.id in self.records:
            raise ValueError(f"saved search {search.id!r} already exists")
        self.records.put(search.id, search)

    async def get(self, tenant_id: str, search_id: str) -> SavedSearch | None:
        """One of the tenant's saved searches."""
        search = self.records.get(search_id)
        return search if search is not None and search.tenant_id == tenant_id else None

    async def list(self, tenant_id: str, *, user_id: str | None = None) -> builtins.list[SavedSearch]:
        """The tenant's saved searches (of one user when given), newest first."""
        return self.records.select(
            lambda s: s.tenant_id == tenant_id and user_id in (None, s.user_id),
            lambda s, seq: _newest_first(s.created_at, seq),
        )

    async def list_all(self, *, after: str | None = None, limit: int = 500) -> builtins.list[SavedSearch]:
        """Every tenant's saved searches by id, those above ``after``."""
        found = self.records.select(lambda s: after is None or s.id > after, lambda s, _: s.id)
        return found[:limit]

    async def update(self, search: SavedSearch) -> bool:
        """Replace a saved search of ``search.tenant_id``; False if that tenant has none with its id.

        Raises:
            ValueError: A datetime is naive.
        """
        self._record("update", search)
        require_aware_datetimes(search)
        if await self.get(search.tenant_id, search.id) is None:
            return False
        self.records.put(search.id, search)
        return True

    async def delete(self, tenant_id: str, search_id: str) -> bool:
        """Delete one of the tenant's saved searches; False if unknown."""
        self._record("delete", tenant_id, search_id)
        if await self.get(tenant_id, search_id) is None:
            return False
        self.records.pop(search_id)
        return True


class MemoryApplicationStore(_Recorder):
    """Applications in a dictionary, scoped by tenant."""

    def __init__(self, calls: list[StoreCall], sequence: itertools.count[int]) -> None:
        super().__init__(calls, "applications")
        self.records: _Table[Application] = _Table(Application, sequence)

    async def create(self, application: Application) -> None:
        """Store a new application.

        Raises:
            ValueError: The id exists (in any tenant), or a datetime is naive.
        """
        self._record("create", application)
        require_aware_datetimes(application)
        if application.id in self.records:
            raise ValueError(f"application {application.id!r} already exists")
        self.records.put(application.id, application)

    async def get(self, tenant_id: str, application_id: str) -> Application | None:
        """One of the tenant's applications."""
        application = self.records.get(application_id)
        return application if application is not None and application.tenant_id == tenant_id else None

    async def list(self, tenant_id: str, *, user_id: str | None = None) -> builtins.list[Application]:
        """The tenant's applications (of one user when given), newest first."""
        return self.records.select(
            lambda a: a.tenant_id == tenant_id and user_id in (None, a.user_id),
            lambda a, seq: _newest_first(a.created_at, seq),
        )

    async def update(self, application: Application) -> bool:
        """Replace an application of ``application.tenant_id``; False if that tenant has none with its id.

        Raises:
            ValueError: A datetime is naive.
        """
        self._record("update", application)
        require_aware_datetimes(application)
        if await self.get(application.tenant_id, application.id) is None:
            return False
        self.records.put(application.id, application)
        return True


class MemoryIngestRunStore(_Recorder):
    """Ingest runs in a dictionary; ``list`` orders like the SQLite store.

    Runs not started yet come first, then by ``started_at`` descending,
    ties by the most recently first saved.
    """

    def __init__(self, calls: list[StoreCall], sequence: itertools.count[int]) -> None:
        super().__init__(calls, "ingest_runs")
        self.records: _Table[IngestRun] = _Table(IngestRun, sequence)

    async def save(self, run: IngestRun) -> None:
        """Create or replace a run.

        Raises:
            ValueError: A datetime is naive.
        """
        self._record("save", run)
        require_aware_datetimes(run)
        self.records.put(run.id, run)

    async def get(self, run_id: str) -> IngestRun | None:
        """A run by id."""
        return self.records.get(run_id)

    async def list(self, *, limit: int = 50) -> builtins.list[IngestRun]:
        """Recent runs, newest first.

        Raises:
            ValueError: ``limit`` is negative.
        """
        if limit < 0:
            raise ValueError(f"limit must not be negative, got {limit}")

        def order(run: IngestRun, seq: int) -> tuple[int, int, int]:
            started = run.started_at
            return (0, 0, -seq) if started is None else (1, -_micros(started), -seq)

        return self.records.select(lambda _: True, order)[:limit]


class MemoryAppStore:
    """An :class:`~jobforge.ports.AppStore` in process memory, lost on exit.

    Every write (and every revoke) is recorded, so tests can assert what a
    service did, including that a failed operation stored nothing.

    Attributes:
        calls: The recorded calls, oldest first.
        closed: Whether :meth:`close` was called (the data stays readable).
    """

    def __init__(self) -> None:
        self.calls: list[StoreCall] = []
        self.closed = False
        sequence = itertools.count(1)
        self._accounts = MemoryAccountStore(self.calls, sequence)
        self._saved_searches = MemorySavedSearchStore(self.calls, sequence)
        self._applications = MemoryApplicationStore(self.calls, sequence)
        self._ingest_runs = MemoryIngestRunStore(self.calls, sequence)
        self._alerts = MemoryAlertStore()
        self._events = MemoryEventStore()

    @property
    def accounts(self) -> MemoryAccountStore:
        """Tenants, users, API keys."""
        return self._accounts

    @property
    def saved_searches(self) -> MemorySavedSearchStore:
        """Saved searches."""
        return self._saved_searches

    @property
    def applications(self) -> MemoryApplicationStore:
        """Applications."""
        return self._applications

    @property
    def ingest_runs(self) -> MemoryIngestRunStore:
        """Ingest runs."""
        return self._ingest_runs

    @property
    def alerts(self) -> MemoryAlertStore:
        """The alert journal, outbox and inbox."""
        return self._alerts

    @property
    def events(self) -> MemoryEventStore:
        """Analytics events."""
        return self._events

    def calls_to(self, store: str, method: str | None = None) -> list[StoreCall]:
        """The recorded calls to one sub-store (``"applications"``), optionally of one method."""
        return [c for c in self.calls if c.store == store and method in (None, c.method)]

    async def close(self) -> None:
        """Mark the store closed."""
        self.closed = True
