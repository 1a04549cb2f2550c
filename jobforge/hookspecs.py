"""Hook specifications: the contract between jobforge and its plugins.

Every hook is documented in ``docs/plugins.md``. Hooks only ever gain
arguments (pluggy passes implementations just the arguments they name),
so a plugin written today keeps working.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from jobforge.core.models import Job, RawJob
    from jobforge.core.registry import Registry
    from jobforge.core.search_types import SearchHit, SearchRequest

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec"]

PROJECT_NAME = "jobforge"
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def register_sources(register: Registry[Any]) -> None:
    """Register job source factories: ``register(name, factory, description=, options=)``.

    ``factory(context: AdapterContext) -> JobSource``.
    """


@hookspec
def register_search_indexes(register: Registry[Any]) -> None:
    """Register search index factories (``factory(context) -> SearchIndex``)."""


@hookspec
def register_embedders(register: Registry[Any]) -> None:
    """Register embedder factories (``factory(context) -> Embedder``)."""


@hookspec
def register_repositories(register: Registry[Any]) -> None:
    """Register job repository factories (``factory(context) -> JobRepository``)."""


@hookspec
def register_ats(register: Registry[Any]) -> None:
    """Register applicant tracking system factories (``factory(context) -> ATS``)."""


@hookspec
def register_notifiers(register: Registry[Any]) -> None:
    """Register notifier factories (``factory(context) -> Notifier``)."""


@hookspec
def register_caches(register: Registry[Any]) -> None:
    """Register cache factories (``factory(context) -> Cache``)."""


@hookspec
def register_feature_flags(register: Registry[Any]) -> None:
    """Register feature flag factories (``factory(context) -> FeatureFlags``)."""


@hookspec
def register_stores(register: Registry[Any]) -> None:
    """Register application-data stores (``factory(context) -> AppStore``):
    tenants, users, API keys, saved searches, applications and ingest runs."""


@hookspec
def enrich_job(job: Job, raw: RawJob) -> Job | None:
    """Adjust a normalised job before dedup and indexing.

    Called in a chain: each implementation receives the job the previous one
    returned. Return a new job (``msgspec.structs.replace``) or ``None`` to
    leave it unchanged. Raising quarantines the record with the error.
    """


@hookspec
def rerank(request: SearchRequest, hits: list[SearchHit]) -> list[SearchHit] | None:
    """Reorder (or trim) a page of hits after retrieval.

    Called in a chain like :func:`enrich_job`; return ``None`` to keep the order.
    """


__all_hooks__ = (
    "register_sources",
    "register_search_indexes",
    "register_embedders",
    "register_repositories",
    "register_ats",
    "register_notifiers",
    "register_caches",
    "register_feature_flags",
    "register_stores",
    "enrich_job",
    "rerank",
)
"""Every hook name, in documentation order (``docs/plugins.md`` covers each)."""
