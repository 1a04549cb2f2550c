"""Ports for what the hosts persist besides jobs: accounts, saved searches,
applications and ingest runs. Every tenant-owned record is read and written
through its ``tenant_id``: a store never returns another tenant's data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from jobforge.core.models import ApiKey, Application, IngestRun, SavedSearch, Tenant, User
from jobforge.ports.alerts import AlertStore
from jobforge.ports.events import EventStore

__all__ = ["AccountStore", "AppStore", "ApplicationStore", "IngestRunStore", "SavedSearchStore"]


@runtime_checkable
class AccountStore(Protocol):
    """Tenants, users and API keys."""

    async def upsert_tenant(self, tenant: Tenant) -> None:
        """Create or replace a tenant."""
        ...

    async def get_tenant(self, tenant_id: str) -> Tenant | None:
        """A tenant by id."""
        ...

    async def list_tenants(self) -> list[Tenant]:
        """Every tenant, by id."""
        ...

    async def upsert_user(self, user: User) -> None:
        """Create or replace a user (unique per tenant and id)."""
        ...

    async def get_user(self, tenant_id: str, user_id: str) -> User | None:
        """A user of a tenant."""
        ...

    async def add_api_key(self, key: ApiKey) -> None:
        """Store a new key (its hash only)."""
        ...

    async def find_api_key(self, key_hash: str) -> ApiKey | None:
        """The key with this hash, revoked or not (callers check)."""
        ...

    async def list_api_keys(self, tenant_id: str) -> list[ApiKey]:
        """A tenant's keys, newest first."""
        ...

    async def revoke_api_key(self, tenant_id: str, key_id: str, when: object) -> bool:
        """Mark a tenant's key revoked at ``when`` (a datetime); False if unknown."""
        ...


@runtime_checkable
class SavedSearchStore(Protocol):
    """Saved searches, scoped by tenant."""

    async def create(self, search: SavedSearch) -> None:
        """Store a new saved search; an existing id is a ``ValueError``."""
        ...

    async def get(self, tenant_id: str, search_id: str) -> SavedSearch | None:
        """One of the tenant's saved searches."""
        ...

    async def list(self, tenant_id: str, *, user_id: str | None = None) -> Sequence[SavedSearch]:
        """The tenant's saved searches (of one user when given), newest first."""
        ...

    async def list_all(self, *, after: str | None = None, limit: int = 500) -> Sequence[SavedSearch]:
        """Every tenant's saved searches by id, those with an id above ``after`` (for alert passes)."""
        ...

    async def update(self, search: SavedSearch) -> bool:
        """Replace a saved search of ``search.tenant_id``; False if unknown."""
        ...

    async def delete(self, tenant_id: str, search_id: str) -> bool:
        """Delete; False if unknown."""
        ...


@runtime_checkable
class ApplicationStore(Protocol):
    """Job applications, scoped by tenant."""

    async def create(self, application: Application) -> None:
        """Store a new application; an existing id is a ``ValueError``."""
        ...

    async def get(self, tenant_id: str, application_id: str) -> Application | None:
        """One of the tenant's applications."""
        ...

    async def list(self, tenant_id: str, *, user_id: str | None = None) -> Sequence[Application]:
        """The tenant's applications (of one user when given), newest first."""
        ...

    async def update(self, application: Application) -> bool:
        """Replace an application of ``application.tenant_id``; False if unknown."""
        ...


@runtime_checkable
class IngestRunStore(Protocol):
    """Ingest runs started through the hosts."""

    async def save(self, run: IngestRun) -> None:
        """Create or replace a run."""
        ...

    async def get(self, run_id: str) -> IngestRun | None:
        """A run by id."""
        ...

    async def list(self, *, limit: int = 50) -> Sequence[IngestRun]:
        """Recent runs, newest first."""
        ...


@runtime_checkable
class AppStore(Protocol):
    """One adapter serving all of the above (registered with ``register_stores``)."""

    @property
    def accounts(self) -> AccountStore:
        """Tenants, users, API keys."""
        ...

    @property
    def saved_searches(self) -> SavedSearchStore:
        """Saved searches."""
        ...

    @property
    def applications(self) -> ApplicationStore:
        """Applications."""
        ...

    @property
    def ingest_runs(self) -> IngestRunStore:
        """Ingest runs."""
        ...

    @property
    def alerts(self) -> AlertStore:
        """The alert journal, outbox and inbox."""
        ...

    @property
    def events(self) -> EventStore:
        """Analytics events."""
        ...

    async def close(self) -> None:
        """Release connections and files."""
        ...
