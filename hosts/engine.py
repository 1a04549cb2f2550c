"""The engine: jobforge as a library, for platform teams and for every host.

::

    from jobforge import build_engine

    async with build_engine(overrides={"data_dir": "/tmp/jobs"}) as engine:
        report = await engine.ingest("file", {"path": "postings.csv"})
        response = await engine.search("data engineer", filters={"remote": "remote"})
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jobforge.core.errors import NotFoundError, UnknownAdapterError
from jobforge.core.ingest import IngestCounts, IngestReport
from jobforge.core.models import Job
from jobforge.core.registry import AdapterContext
from jobforge.core.search_types import SearchMode, SearchRequest, SearchResponse
from jobforge.hosts.config import Settings, load_settings
from jobforge.hosts.container import Container, close_built, create_container
from jobforge.hosts.plugin_host import PluginHost
from jobforge.ports import JobSource

__all__ = ["Engine", "build_engine"]


class Engine:
    """Adapters chosen by config plus the core services, behind a small API."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.settings: Settings = container.settings()

    @property
    def plugins(self) -> PluginHost:
        """The loaded plugins and their registries."""
        return self.container.plugins()

    def source(self, name: str, options: Mapping[str, Any] | None = None) -> JobSource:
        """Build a job source: a ``[sources.<name>]`` entry of the config, or a
        registered source type with ``options``."""
        configured = self.settings.sources.get(name)
        if configured is not None:
            merged = {**configured.options, **(options or {})}
            kind, key = configured.type, f"sources.{name}"
        else:
            merged, kind, key = dict(options or {}), name, "source"
        registry = self.plugins.registries.sources
        if kind not in registry:
            configured_names = sorted(self.settings.sources)
            raise UnknownAdapterError("source", kind, registry.names() + configured_names)
        context = AdapterContext(
            name=kind, options=merged, data_dir=str(Path(self.settings.data_dir).expanduser()), key=key
        )
        return registry.build(kind, context)

    async def ingest(
        self,
        source: str | JobSource,
        options: Mapping[str, Any] | None = None,
        *,
        progress: Callable[[IngestCounts], None] | None = None,
        run_id: str | None = None,
    ) -> IngestReport:
        """Run one source through the ingest pipeline."""
        job_source = self.source(source, options) if isinstance(source, str) else source
        service = self.container.ingest_service()
        return await service.ingest(job_source, progress=progress, run_id=run_id)

    async def search(
        self,
        query: str = "",
        *,
        filters: Mapping[str, Any] | None = None,
        limit: int | None = None,
        offset: int = 0,
        mode: SearchMode | str = SearchMode.HYBRID,
    ) -> SearchResponse:
        """Hybrid search with validated filters."""
        request = SearchRequest(
            query=query,
            filters=dict(filters or {}),
            limit=limit if limit is not None else self.settings.search.default_limit,
            offset=offset,
            mode=SearchMode(mode),
        )
        return await self.container.search_service().search(request)

    async def get_job(self, job_id: str) -> Job:
        """One job by id; :class:`NotFoundError` when unknown."""
        job: Job | None = await self.container.repository().get(job_id)
        if job is None:
            raise NotFoundError("job", job_id)
        return job

    async def aclose(self) -> None:
        """Close every adapter that was built, last built first (all of them even if
        one fails; the first failure is raised after)."""
        errors = await close_built(self.container)
        if errors:
            raise errors[0]

    async def __aenter__(self) -> Engine:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def build_engine(
    settings: Settings | None = None,
    *,
    config: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    plugins: list[tuple[str, object]] | None = None,
) -> Engine:
    """Build an engine from ``settings``, or from a TOML file, the environment
    and dotted-key ``overrides``. ``plugins`` are extra (name, plugin) pairs."""
    if settings is None:
        settings = load_settings(config, overrides=overrides)
    return Engine(create_container(settings, extra_plugins=plugins))
