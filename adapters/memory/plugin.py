"""Registers the in-process adapters: repository, cache, search index and store ``memory``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jobforge.core.errors import ConfigError
from jobforge.core.registry import OptionSpec
from jobforge.hookspecs import hookimpl

if TYPE_CHECKING:
    from jobforge.core.registry import AdapterContext, Registry
    from jobforge.ports import AppStore, Cache, JobRepository, SearchIndex

__all__ = ["register_caches", "register_repositories", "register_search_indexes", "register_stores"]


def _build_repository(ctx: AdapterContext) -> JobRepository:
    from jobforge.adapters.memory.repository import MemoryJobRepository

    return MemoryJobRepository()


def _build_cache(ctx: AdapterContext) -> Cache:
    from jobforge.adapters.memory.cache import MemoryCache

    max_entries = ctx.get_int("max_entries", 100_000)
    if max_entries < 1:
        raise ConfigError(ctx.option_key("max_entries"), "must be at least 1")
    return MemoryCache(max_entries=max_entries)


def _build_search_index(ctx: AdapterContext) -> SearchIndex:
    from jobforge.adapters.memory.search_index import MemorySearchIndex

    return MemorySearchIndex()


@hookimpl
def register_repositories(register: Registry[Any]) -> None:
    """Register the ``memory`` job repository (lost on exit; for tests and demos)."""
    register("memory", _build_repository, description="Jobs in process memory; lost on exit.")


@hookimpl
def register_caches(register: Registry[Any]) -> None:
    """Register the ``memory`` cache."""
    register(
        "memory",
        _build_cache,
        description="In-process LRU cache with per-entry expiry.",
        options=[OptionSpec(name="max_entries", description="Most entries kept.", default=100_000)],
    )


@hookimpl
def register_search_indexes(register: Registry[Any]) -> None:
    """Register the ``memory`` search index (exact brute-force search; for tests and small sets)."""
    register(
        "memory",
        _build_search_index,
        description="Search index in process memory (exact keyword and vector search).",
    )


def _build_store(ctx: AdapterContext) -> AppStore:
    from jobforge.adapters.memory.store import MemoryAppStore

    return MemoryAppStore()


@hookimpl
def register_stores(register: Registry[Any]) -> None:
    """Register the ``memory`` application-data store (lost on exit; for tests and demos)."""
    register(
        "memory",
        _build_store,
        description="Accounts, saved searches and applications in memory; lost on exit.",
    )
