"""The composition root: one dependency-injector container built from config.

Adapters are chosen by name from the plugin registries, so switching from
the embedded default to another adapter is configuration only. Tests
override providers here (``container.repository.override(...)``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dependency_injector import containers, providers

from jobforge.core.alerts import AlertService
from jobforge.core.analytics import AnalyticsService
from jobforge.core.applications import ApplicationService
from jobforge.core.auth import AccessService
from jobforge.core.clock import SystemClock
from jobforge.core.embedding_cache import CachingEmbedder
from jobforge.core.ingest import IngestService
from jobforge.core.ranking import RankingWeights
from jobforge.core.recommend import RecommendationService
from jobforge.core.registry import AdapterContext
from jobforge.core.saved_searches import SavedSearchService
from jobforge.core.search import SearchPolicy, SearchService
from jobforge.hosts.alerting import NotifierDirectory, alert_policy, crash_checkpoint, numpy_cosine
from jobforge.hosts.config import AdapterSettings, Settings, adapter_options
from jobforge.hosts.plugin_host import PluginHost, load_plugins
from jobforge.hosts.ranking import PLUGIN_NAME, BuiltinRanking

__all__ = ["Container", "build_adapter", "close_built", "create_container"]


def build_adapter(
    host: PluginHost, registry: str, section: str, settings: Settings, built: list[Any] | None = None
) -> Any:
    """Build the adapter that config section ``section`` names from ``registry``;
    append it to ``built`` so its owner can close it."""
    adapter: AdapterSettings = getattr(settings, section)
    data_dir = Path(settings.data_dir).expanduser()
    data_dir.mkdir(parents=True, exist_ok=True)
    context = AdapterContext(
        name=adapter.name,
        options=adapter_options(settings, section),
        data_dir=str(data_dir),
        key=section,
        processes=settings.http.processes,
    )
    instance = getattr(host.registries, registry).build(adapter.name, context)
    if built is not None:
        built.append(instance)
    return instance


def _plugins(settings: Settings, extra: list[tuple[str, object]], ranking: object) -> PluginHost:
    # The built-in reranker goes first so rerank hooks of other plugins refine its order.
    builtin = [] if PLUGIN_NAME in settings.plugins.block else [(PLUGIN_NAME, ranking)]
    return load_plugins(
        allow=settings.plugins.allow,
        block=settings.plugins.block,
        strict=settings.plugins.strict,
        extra=extra,
        builtin=builtin,
    )


def _ranking(settings: Settings, container: Any, clock: Any) -> BuiltinRanking:
    return BuiltinRanking(
        RankingWeights().merged(settings.ranking.weights),
        enabled=settings.ranking.enabled,
        flags=container.flags,
        clock=clock,
        half_life_days=settings.ranking.half_life_days,
        default_currency=settings.search.default_currency,
    )


def _policy(settings: Settings) -> SearchPolicy:
    s = settings.search
    return SearchPolicy(
        default_limit=s.default_limit,
        max_limit=s.max_limit,
        max_offset=s.max_offset,
        min_similarity=s.min_similarity,
        vector_candidates=s.vector_candidates,
        rrf_k=s.rrf_k,
        default_currency=s.default_currency,
        max_query_length=s.max_query_length,
        rerank_window=settings.ranking.window,
    )


def _ats_for_source(host: PluginHost, settings: Settings) -> Callable[[str, str | None], Any]:
    """A lookup of the ATS adapter serving a job source for a tenant, for
    :class:`ApplicationService`.

    The ATS is the one registered under the source's name, or under its part
    before ``:`` (``greenhouse`` serves ``greenhouse:acme``); it is built once
    per tenant with ``[ats.<name>]`` options overlaid by that tenant's
    ``[ats.<name>.tenants.<tenant_id>]`` options (keys are secrets: never logged).
    """
    registry = host.registries.ats
    built: dict[tuple[str, str | None], Any] = {}
    data_dir = str(Path(settings.data_dir).expanduser())

    def lookup(source: str, tenant_id: str | None = None) -> Any:
        for name in dict.fromkeys([source, source.split(":", 1)[0]]):
            if name in registry:
                if (name, tenant_id) not in built:
                    configured = settings.ats.get(name)
                    options = configured.options_for(tenant_id) if configured else {}
                    context = AdapterContext(name=name, options=options, data_dir=data_dir, key=f"ats.{name}")
                    built[(name, tenant_id)] = registry.build(name, context)
                return built[(name, tenant_id)]
        return None

    return lookup


def _journal(settings: Settings, store: Any, clock: Any) -> Callable[..., Any] | None:
    """The ingest hook journaling new and changed jobs for alerts (when alerts are on)."""
    alerts = getattr(store, "alerts", None)
    if not settings.alerts.enabled or alerts is None:
        return None

    async def journal(jobs: Any) -> None:
        await alerts.add_changed([job.id for job in jobs], clock.now())

    return journal


def _locks(settings: Settings, built: list[Any]) -> Any:
    from jobforge.hosts.worker import build_locks

    locks = build_locks(settings)
    built.append(locks)
    return locks


def _notifiers(
    settings: Settings, host: PluginHost, store: Any, clock: Any, built: list[Any]
) -> NotifierDirectory:
    directory = NotifierDirectory(settings, host, store.alerts, clock)
    built.append(directory)
    return directory


def _analytics(settings: Settings, store: Any, clock: Any, built: list[Any]) -> AnalyticsService:
    service = AnalyticsService(
        events=store.events,
        runs=store.ingest_runs,
        alerts=getattr(store, "alerts", None),
        clock=clock,
        window_days=settings.analytics.window_days,
    )
    built.append(service)
    return service


class Container(containers.DeclarativeContainer):
    """Providers for every port and service; all singletons, built lazily."""

    settings = providers.Dependency(instance_of=Settings)
    __self__ = providers.Self()
    extra_plugins: providers.Object[list[tuple[str, object]]] = providers.Object([])
    clock = providers.Singleton(SystemClock)
    ranking = providers.Singleton(_ranking, settings, __self__, clock)
    plugins = providers.Singleton(_plugins, settings, extra_plugins, ranking)
    built: providers.Singleton[list[Any]] = providers.Singleton(list)
    repository = providers.Singleton(build_adapter, plugins, "repositories", "repository", settings, built)
    search_index = providers.Singleton(
        build_adapter, plugins, "search_indexes", "search_index", settings, built
    )
    cache = providers.Singleton(build_adapter, plugins, "caches", "cache", settings, built)
    flags = providers.Singleton(build_adapter, plugins, "feature_flags", "flags", settings, built)
    store = providers.Singleton(build_adapter, plugins, "stores", "store", settings, built)
    base_embedder = providers.Singleton(build_adapter, plugins, "embedders", "embedder", settings, built)
    embedder = providers.Singleton(CachingEmbedder, base_embedder, cache)
    ingest_service = providers.Singleton(
        IngestService,
        repository=repository,
        index=search_index,
        embedder=embedder,
        clock=clock,
        enrich=providers.Callable(lambda host: host.enricher(), plugins),
        batch_size=providers.Callable(lambda s: s.ingest.batch_size, settings),
        fuzzy_dedup=providers.Callable(lambda s: s.ingest.fuzzy_dedup, settings),
        on_changed=providers.Callable(_journal, settings, store, clock),
    )
    search_service = providers.Singleton(
        SearchService,
        repository=repository,
        index=search_index,
        embedder=embedder.provider,
        clock=clock,
        policy=providers.Callable(_policy, settings),
        rerank=providers.Callable(lambda host: host.reranker(), plugins),
    )
    access_service = providers.Singleton(
        AccessService, accounts=providers.Callable(lambda s: s.accounts, store), clock=clock
    )
    locks = providers.Singleton(_locks, settings, built)
    notifiers = providers.Singleton(_notifiers, settings, plugins, store, clock, built)
    saved_search_service = providers.Singleton(
        SavedSearchService,
        store=providers.Callable(lambda s: s.saved_searches, store),
        clock=clock,
        max_query_length=providers.Callable(lambda s: s.search.max_query_length, settings),
        notifiers=providers.Callable(lambda d: d.names(), notifiers),
    )
    alert_service = providers.Singleton(
        AlertService,
        saved_searches=providers.Callable(lambda s: s.saved_searches, store),
        alerts=providers.Callable(lambda s: s.alerts, store),
        accounts=providers.Callable(lambda s: s.accounts, store),
        repository=repository,
        embedder=embedder.provider,
        notifiers=providers.Callable(lambda d: d.get, notifiers),
        clock=clock,
        policy=providers.Callable(alert_policy, settings),
        similarity=providers.Object(numpy_cosine),
        checkpoint=providers.Object(crash_checkpoint),
    )
    analytics_service = providers.Singleton(_analytics, settings, store, clock, built)
    application_service = providers.Singleton(
        ApplicationService,
        store=providers.Callable(lambda s: s.applications, store),
        repository=repository,
        clock=clock,
        ats_for_source=providers.Callable(_ats_for_source, plugins, settings),
    )
    recommendation_service = providers.Singleton(
        RecommendationService, search=search_service, applications=application_service
    )


async def close_built(container: Container) -> list[BaseException]:
    """Close every adapter the container built, last built first.

    Every adapter gets closed even when one fails; failures are logged and
    returned so the caller decides whether they matter.
    """
    errors: list[BaseException] = []
    built: list[Any] = container.built()
    while built:
        closer = getattr(built.pop(), "close", None)
        if closer is None:
            continue
        try:
            result = closer()
            if hasattr(result, "__await__"):
                await result
        except Exception as exc:
            logging.getLogger(__name__).exception("closing an adapter failed")
            errors.append(exc)
    return errors


def create_container(
    settings: Settings, *, extra_plugins: list[tuple[str, object]] | None = None
) -> Container:
    """A container for ``settings``; ``extra_plugins`` are (name, plugin) pairs
    registered beside the entry-point plugins (for embedding and tests)."""
    container = Container(settings=settings)
    container.extra_plugins.override(providers.Object(list(extra_plugins or [])))
    return container
