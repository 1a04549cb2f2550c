"""The ``mongo`` application-data store: tenants, users, API keys, saved
searches, applications and ingest runs in MongoDB through Beanie.

Each record is kept whole in ``data``; the indexed fields next to it serve
the queries, which are all tenant-scoped for tenant-owned records
(compound indexes lead with ``tenant_id``). Record ids are unique across
tenants (they are the ``_id``); creating one whose id exists is a
``ValueError``. Lists are newest first: ``created_at`` descending (records
without one last), ties by the most recently created first. Datetimes must
be timezone-aware; a naive one is a ``ValueError``.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec
from pymongo import ASCENDING, DESCENDING
from pymongo.errors import DuplicateKeyError

from jobforge.adapters.mongo._connection import MongoConnection
from jobforge.adapters.mongo.alerts import MongoAlertStore, MongoEventStore
from jobforge.adapters.mongo.documents import AppDocuments, app_documents
from jobforge.core.clock import optional_utc_text, require_aware, require_aware_datetimes
from jobforge.core.models import ApiKey, Application, IngestRun, SavedSearch, Tenant, User

if TYPE_CHECKING:
    from jobforge.adapters.mongo._options import MongoOptions

__all__ = [
    "MongoAccountStore",
    "MongoAppStore",
    "MongoApplicationStore",
    "MongoIngestRunStore",
    "MongoSavedSearchStore",
]

R = TypeVar("R", bound=msgspec.Struct)

_NEWEST_FIRST = [("created_at", DESCENDING), ("seq", DESCENDING)]


def _decode(data: dict[str, Any], kind: type[R]) -> R:
    return msgspec.convert(data, kind)


def _owner(tenant_id: str, user_id: str | None) -> dict[str, str]:
    return {"tenant_id": tenant_id} if user_id is None else {"tenant_id": tenant_id, "user_id": user_id}


class _Part:
    """One part of the store: the shared connection and its document classes."""

    def __init__(self, connection: MongoConnection, documents: AppDocuments) -> None:
        self._connection = connection
        self._documents = documents

    async def _model(self, name: str) -> Any:
        """The document class ``name`` of :class:`AppDocuments`, once connected."""
        await self._connection.open()
        return getattr(self._documents, name)


class MongoAccountStore(_Part):
    """Tenants, users and API keys (an :class:`~jobforge.ports.AccountStore`)."""

    async def upsert_tenant(self, tenant: Tenant) -> None:
        """Create or replace a tenant."""
        model = await self._model("tenants")
        await model(id=tenant.id, data=msgspec.to_builtins(tenant)).save()

    async def get_tenant(self, tenant_id: str) -> Tenant | None:
        """A tenant by id."""
        model = await self._model("tenants")
        document = await model.get(tenant_id)
        return None if document is None else _decode(document.data, Tenant)

    async def list_tenants(self) -> list[Tenant]:
        """Every tenant, by id."""
        model = await self._model("tenants")
        documents = await model.find_all().sort([("_id", ASCENDING)]).to_list()
        return [_decode(d.data, Tenant) for d in documents]

    async def upsert_user(self, user: User) -> None:
        """Create or replace a user (unique per tenant and id)."""
        collection = (await self._model("users")).get_pymongo_collection()
        key = {"tenant_id": user.tenant_id, "user_id": user.id}
        document = {**key, "data": msgspec.to_builtins(user)}
        try:
            await collection.replace_one(key, document, upsert=True)
        except DuplicateKeyError:
            # Two first upserts of one user raced; the other inserted it, so replace it now.
            await collection.replace_one(key, document, upsert=True)

    async def get_user(self, tenant_id: str, user_id: str) -> User | None:
        """A user of a tenant."""
        model = await self._model("users")
        document = await model.find_one({"tenant_id": tenant_id, "user_id": user_id})
        return None if document is None else _decode(document.data, User)

    async def add_api_key(self, key: ApiKey) -> None:
        """Store a new key (its hash only).

        Raises:
            ValueError: A key with this id or hash exists, or a datetime is naive.
        """
        require_aware_datetimes(key)
        model = await self._model("api_keys")
        document = model(
            id=key.id,
            tenant_id=key.tenant_id,
            key_hash=key.key_hash,
            created_at=optional_utc_text(key.created_at),
            seq=await self._connection.next_sequence("api_keys"),
            data=msgspec.to_builtins(key),
        )
        try:
            await document.insert()
        except DuplicateKeyError as exc:
            if "key_hash" in ((exc.details or {}).get("keyPattern") or {}):
                raise ValueError(f"an API key with the same hash as {key.id!r} already exists") from None
            raise ValueError(f"an API key with id {key.id!r} already exists") from None

    async def find_api_key(self, key_hash: str) -> ApiKey | None:
        """The key with this hash, revoked or not (callers check)."""
        model = await self._model("api_keys")
        document = await model.find_one({"key_hash": key_hash})
        return None if document is None else _decode(document.data, ApiKey)

    async def list_api_keys(self, tenant_id: str) -> list[ApiKey]:
        """A tenant's keys, newest first."""
        model = await self._model("api_keys")
        documents = await model.find({"tenant_id": tenant_id}).sort(_NEWEST_FIRST).to_list()
        return [_decode(d.data, ApiKey) for d in documents]

    async def revoke_api_key(self, tenant_id: str, key_id: str, when: object) -> bool:
        """Mark a tenant's key revoked at ``when``; False if the tenant has no such key.

        Revoking a revoked key keeps its first revocation time and returns True.

        Raises:
            ValueError: ``when`` is not a timezone-aware datetime.
        """
        require_aware(when, "when")
        collection = (await self._model("api_keys")).get_pymongo_collection()
        owned = {"_id": key_id, "tenant_id": tenant_id}
        result = await collection.update_one(
            {**owned, "data.revoked_at": None}, {"$set": {"data.revoked_at": msgspec.to_builtins(when)}}
        )
        return bool(result.matched_count > 0 or await collection.count_documents(owned, limit=1) > 0)


class MongoSavedSearchStore(_Part):
    """Saved searches, scoped by tenant (a :class:`~jobforge.ports.SavedSearchStore`)."""

    @staticmethod
    def _fields(search: SavedSearch) -> dict[str, Any]:
        return {
            "user_id": search.user_id,
            "created_at": optional_utc_text(search.created_at),
            "data": msgspec.to_builtins(search),
        }

    async def create(self, search: SavedSearch) -> None:
        """Store a new saved search.

        Raises:
            ValueError: The id exists (in any tenant), or a datetime is naive.
        """
        require_aware_datetimes(search)
        model = await self._model("saved_searches")
        seq = await self._connection.next_sequence("saved_searches")
        document = model(id=search.id, tenant_id=search.tenant_id, seq=seq, **self._fields(search))
        try:
            await document.insert()
        except DuplicateKeyError:
            raise ValueError(f"saved search {search.id!r} already exists") from None

    async def get(self, tenant_id: str, search_id: str) -> SavedSearch | None:
        """One of the tenant's saved searches."""
        model = await self._model("saved_searches")
        document = await model.find_one({"_id": search_id, "tenant_id": tenant_id})
        return None if document is None else _decode(document.data, SavedSearch)

    async def list(self, tenant_id: str, *, user_id: str | None = None) -> builtins.list[SavedSearch]:
        """The tenant's saved searches (of one user when given), newest first."""
        model = await self._model("saved_searches")
        documents = await model.find(_owner(tenant_id, user_id)).sort(_NEWEST_FIRST).to_list()
        return [_decode(d.data, SavedSearch) for d in documents]

    async def list_all(self, *, after: str | None = None, limit: int = 500) -> builtins.list[SavedSearch]:
        """Every tenant's saved searches by id, those above ``after``."""
        if limit <= 0:
            return []
        model = await self._model("saved_searches")
        query = {} if after is None else {"_id": {"$gt": after}}
        documents = await model.find(query).sort([("_id", ASCENDING)]).limit(limit).to_list()
        return [_decode(d.data, SavedSearch) for d in documents]

    async def update(self, search: SavedSearch) -> bool:
        """Replace a saved search of ``search.tenant_id``; False if that tenant has none with its id.

        Raises:
            ValueError: A datetime is naive.
        """
        require_aware_datetimes(search)
        collection = (await self._model("saved_searches")).get_pymongo_collection()
        result = await collection.update_one(
            {"_id": search.id, "tenant_id": search.tenant_id}, {"$set": self._fields(search)}
        )
        return bool(result.matched_count > 0)

    async def delete(self, tenant_id: str, search_id: str) -> bool:
        """Delete one of the tenant's saved searches; False if unknown."""
        collection = (await self._model("saved_searches")).get_pymongo_collection()
        result = await collection.delete_one({"_id": search_id, "tenant_id": tenant_id})
        return bool(result.deleted_count > 0)


class MongoApplicationStore(_Part):
    """Job applications, scoped by tenant (an :class:`~jobforge.ports.ApplicationStore`)."""

    @staticmethod
    def _fields(application: Application) -> dict[str, Any]:
        return {
            "user_id": application.user_id,
            "job_id": application.job_id,
            "status": application.status.value,
            "created_at": optional_utc_text(application.created_at),
            "data": msgspec.to_builtins(application),
        }

    async def create(self, application: Application) -> None:
        """Store a new application.

        Raises:
            ValueError: The id exists (in any tenant), or a datetime is naive.
        """
        require_aware_datetimes(application)
        model = await self._model("applications")
        seq = await self._connection.next_sequence("applications")
        document = model(
            id=application.id, tenant_id=application.tenant_id, seq=seq, **self._fields(application)
        )
        try:
            await document.insert()
        except DuplicateKeyError:
            raise ValueError(f"application {application.id!r} already exists") from None

    async def get(self, tenant_id: str, application_id: str) -> Application | None:
        """One of the tenant's applications."""
        model = await self._model("applications")
        document = await model.find_one({"_id": application_id, "tenant_id": tenant_id})
        return None if document is None else _decode(document.data, Application)

    async def list(self, tenant_id: str, *, user_id: str | None = None) -> builtins.list[Application]:
        """The tenant's applications (of one user when given), newest first."""
        model = await self._model("applications")
        documents = await model.find(_owner(tenant_id, user_id)).sort(_NEWEST_FIRST).to_list()
        return [_decode(d.data, Application) for d in documents]

    async def update(self, application: Application) -> bool:
        """Replace an application of ``application.tenant_id``; False if that tenant has none with its id.

        Raises:
            ValueError: A datetime is naive.
        """
        require_aware_datetimes(application)
        collection = (await self._model("applications")).get_pymongo_collection()
        result = await collection.update_one(
            {"_id": application.id, "tenant_id": application.tenant_id}, {"$set": self._fields(application)}
        )
        return bool(result.matched_count > 0)


class MongoIngestRunStore(_Part):
    """Ingest runs started through the hosts (an :class:`~jobforge.ports.IngestRunStore`).

    ``list`` is newest first: runs not started yet first, then by
    ``started_at`` descending, ties by the most recently first saved.
    """

    async def save(self, run: IngestRun) -> None:
        """Create or replace a run.

        Raises:
            ValueError: A datetime is naive.
        """
        require_aware_datetimes(run)
        collection = (await self._model("ingest_runs")).get_pymongo_collection()
        fields = {
            "tenant_id": run.tenant_id,
            "source": run.source,
            "status": run.status,
            "started_at": optional_utc_text(run.started_at),
            "pending": run.started_at is None,
            "data": msgspec.to_builtins(run),
        }
        result = await collection.update_one({"_id": run.id}, {"$set": fields})
        if result.matched_count == 0:
            # First save: only now is a sequence number (the tie-breaker) worth reserving.
            seq = await self._connection.next_sequence("ingest_runs")
            await collection.update_one(
                {"_id": run.id}, {"$set": fields, "$setOnInsert": {"seq": seq}}, upsert=True
            )

    async def get(self, run_id: str) -> IngestRun | None:
        """A run by id."""
        model = await self._model("ingest_runs")
        document = await model.get(run_id)
        return None if document is None else _decode(document.data, IngestRun)

    async def list(self, *, limit: int = 50) -> builtins.list[IngestRun]:
        """Recent runs, newest first.

        Raises:
            ValueError: ``limit`` is negative.
        """
        if limit < 0:
            raise ValueError(f"limit must not be negative, got {limit}")
        if limit == 0:  # MongoDB reads a limit of 0 as "no limit"
            return []
        model = await self._model("ingest_runs")
        order = [("pending", DESCENDING), ("started_at", DESCENDING), ("seq", DESCENDING)]
        documents = await model.find_all().sort(order).limit(limit).to_list()
        return [_decode(d.data, IngestRun) for d in documents]


class MongoAppStore:
    """An :class:`~jobforge.ports.AppStore` in a MongoDB database.

    Args:
        options: Connection settings; nothing connects before the first call
            (or :meth:`open`), which must run in the event loop that uses it.
    """

    def __init__(self, options: MongoOptions) -> None:
        self.options = options
        documents = app_documents()
        self._connection = MongoConnection(options, documents, documents.sequences)
        self._accounts = MongoAccountStore(self._connection, documents)
        self._saved_searches = MongoSavedSearchStore(self._connection, documents)
        self._applications = MongoApplicationStore(self._connection, documents)
        self._ingest_runs = MongoIngestRunStore(self._connection, documents)
        self._alerts = MongoAlertStore(self._connection, documents)
        self._events = MongoEventStore(self._connection, documents)

    def __repr__(self) -> str:
        return f"MongoAppStore(database={self.options.database!r})"

    @property
    def accounts(self) -> MongoAccountStore:
        """Tenants, users, API keys."""
        return self._accounts

    @property
    def saved_searches(self) -> MongoSavedSearchStore:
        """Saved searches."""
        return self._saved_searches

    @property
    def applications(self) -> MongoApplicationStore:
        """Applications."""
        return self._applications

    @property
    def ingest_runs(self) -> MongoIngestRunStore:
        """Ingest runs."""
        return self._ingest_runs

    @property
    def alerts(self) -> MongoAlertStore:
        """The alert journal, outbox and inbox."""
        return self._alerts

    @property
    def events(self) -> MongoEventStore:
        """Analytics events."""
        return self._events

    async def open(self) -> None:
        """Connect and create the indexes now instead of on the first call."""
        await self._connection.open()

    async def close(self) -> None:
        """Close the client; later calls raise :class:`RuntimeError`. Closing twice is harmless."""
        await self._connection.close()
