"""Registers the MongoDB adapters: the ``mongo`` job repository and store.

Both read the shared ``[mongo]`` config section (``JOBFORGE_MONGO_URL``);
see ``docs/deployment.md``. Beanie and pymongo are imported only when an
adapter is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jobforge.core.registry import OptionSpec
from jobforge.hookspecs import hookimpl

if TYPE_CHECKING:
    from jobforge.core.registry import AdapterContext, Registry
    from jobforge.ports import AppStore, JobRepository

__all__ = ["OPTIONS", "register_repositories", "register_stores"]

OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec(
        name="url",
        description="Connection string, e.g. mongodb://db1,db2,db3/?replicaSet=rs0 (env JOBFORGE_MONGO_URL).",
        required=True,
        secret=True,
    ),
    OptionSpec(
        name="database", description="Database name (env JOBFORGE_MONGO_DATABASE).", default="jobforge"
    ),
    OptionSpec(
        name="pool_size", description="Most open connections of this adapter (maxPoolSize).", default=100
    ),
    OptionSpec(name="min_pool_size", description="Connections kept open when idle.", default=0),
    OptionSpec(name="connect_timeout", description="Seconds to establish a connection.", default=10.0),
    OptionSpec(
        name="server_selection_timeout",
        description="Seconds an operation waits for a usable server before it fails.",
        default=10.0,
    ),
    OptionSpec(
        name="socket_timeout", description="Seconds to wait for a reply; 0 waits indefinitely.", default=0.0
    ),
    OptionSpec(
        name="transactions",
        description="auto (when the server is a replica set or sharded), always or never.",
        default="auto",
    ),
)
"""The options both adapters accept (shown by ``jobforge plugins``)."""


def _build_repository(ctx: AdapterContext) -> JobRepository:
    from jobforge.adapters.mongo._options import options_from_context  # lazy: no work at import time
    from jobforge.adapters.mongo.repository import MongoJobRepository

    return MongoJobRepository(options_from_context(ctx))


def _build_store(ctx: AdapterContext) -> AppStore:
    from jobforge.adapters.mongo._options import options_from_context  # lazy: no work at import time
    from jobforge.adapters.mongo.store import MongoAppStore

    return MongoAppStore(options_from_context(ctx))


@hookimpl
def register_repositories(register: Registry[Any]) -> None:
    """Register the ``mongo`` job repository."""
    register(
        "mongo",
        _build_repository,
        description="Jobs in MongoDB (Beanie), indexed by source key, URL and fingerprint.",
        options=OPTIONS,
    )


@hookimpl
def register_stores(register: Registry[Any]) -> None:
    """Register the ``mongo`` application-data store."""
    register(
        "mongo",
        _build_store,
        description="Tenants, users, API keys, saved searches, applications and ingest runs in MongoDB (Beanie).",
        options=OPTIONS,
    )
