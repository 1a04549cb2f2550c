"""Registers the SQLite job repository, the embedded default."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jobforge.core.errors import ConfigError
from jobforge.core.registry import OptionSpec
from jobforge.hookspecs import hookimpl

if TYPE_CHECKING:
    from jobforge.core.registry import AdapterContext, Registry
    from jobforge.ports import AppStore, Cache, JobRepository

__all__ = ["register_caches", "register_repositories", "register_stores"]


def _build_repository(ctx: AdapterContext) -> JobRepository:
    from jobforge.adapters.sqlite.repository import SqliteJobRepository

    raw = ctx.get("path")
    path = Path(raw).expanduser() if raw else Path(ctx.data_dir) / "jobs.sqlite3"
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    cache_size = ctx.get_int("cache_size", 20_000)
    if cache_size < 0:
        raise ConfigError(ctx.option_key("cache_size"), f"must not be negative, got {cache_size}")
    return SqliteJobRepository(path, cache_size=cache_size)


@hookimpl
def register_repositories(register: Registry[Any]) -> None:
    """Register the ``sqlite`` job repository."""
    register(
        "sqlite",
        _build_repository,
        description="Jobs in one SQLite file (WAL mode); the embedded default.",
        options=[
            OptionSpec(
                name="path",
                description="Database file; its directory is created. Default: <data_dir>/jobs.sqlite3.",
                default=None,
            ),
            OptionSpec(
                name="cache_size",
                description="Job rows kept in memory for search hydration (any commit clears them); 0: off.",
                default=20_000,
            ),
        ],
    )


def _build_store(ctx: AdapterContext) -> AppStore:
    from jobforge.adapters.sqlite.store import SqliteAppStore

    raw = ctx.get("path")
    path = Path(raw).expanduser() if raw else Path(ctx.data_dir) / "app.sqlite3"
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteAppStore(path)


@hookimpl
def register_stores(register: Registry[Any]) -> None:
    """Register the ``sqlite`` application-data store (accounts, saved searches, applications, runs)."""
    register(
        "sqlite",
        _build_store,
        description="Accounts, API keys, saved searches, applications and ingest runs in one SQLite file.",
        options=[
            OptionSpec(
                name="path",
                description="Database file; its directory is created. Default: <data_dir>/app.sqlite3.",
                default=None,
            )
        ],
    )


def _build_cache(ctx: AdapterContext) -> Cache:
    from jobforge.adapters.sqlite.cache import SqliteCache

    raw = ctx.get("path")
    path = Path(raw).expanduser() if raw else Path(ctx.data_dir) / "cache.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    max_entries = ctx.get_int("max_entries", 100_000)
    if max_entries < 1:
        raise ConfigError(ctx.option_key("max_entries"), f"must be at least 1, got {max_entries}")
    return SqliteCache(str(path), max_entries=max_entries)


@hookimpl
def register_caches(register: Registry[Any]) -> None:
    """Register the ``sqlite`` cache, shared by the processes of one data directory."""
    register(
        "sqlite",
        _build_cache,
        description="Cache in one SQLite file, shared by every process on the data directory.",
        options=[
            OptionSpec(
                name="path",
                description="Database file; its directory is created. Default: <data_dir>/cache.sqlite3.",
                default=None,
            ),
            OptionSpec(name="max_entries", description="About this many entries are kept.", default=100_000),
        ],
    )
