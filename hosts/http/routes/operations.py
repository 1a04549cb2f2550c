"""Probes and metrics: ``GET /health``, ``GET /ready`` and ``GET /metrics``."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec

from jobforge.hosts.http.metrics import CONTENT_TYPE
from jobforge.hosts.http.routes._common import PUBLIC_PROBE
from jobforge.hosts.http.schemas import ComponentStatus, Health, Readiness
from jobforge.hosts.http.state import HttpState

__all__ = ["health", "metrics", "ready"]

_CHECK_TIMEOUT = 5.0


@get("/health", summary="Liveness", description="200 while the process serves requests.", **PUBLIC_PROBE)
async def health() -> Health:
    """The process is alive."""
    return Health(status="ok")


async def _check(name: str, adapter: str | None, probe: Any) -> tuple[str, ComponentStatus]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(probe(), timeout=_CHECK_TIMEOUT)
    except Exception as exc:
        return name, ComponentStatus(status="error", adapter=adapter, error=f"{type(exc).__name__}: {exc}")
    return name, ComponentStatus(
        status="ok", adapter=adapter, seconds=round(time.perf_counter() - started, 4)
    )


@get(
    "/ready",
    summary="Readiness",
    description="200 when every configured adapter answers (repository, search index, cache, "
    "application store, feature flags) and the embedding model is loaded; 503 otherwise, "
    "with the state of each.",
    responses={503: ResponseSpec(data_container=Readiness, description="Some adapter is not ready.")},
    **PUBLIC_PROBE,
)
async def ready(jf: NamedDependency[HttpState]) -> Response[Readiness]:
    """Each configured adapter is reachable."""
    container, settings = jf.container, jf.settings

    async def flags() -> None:
        container.flags().get("jobforge.ready", False)

    async def cache() -> None:
        await container.cache().get_many(["jobforge:ready"])

    checks = [
        _check("repository", settings.repository.name, lambda: container.repository().count()),
        _check("search_index", settings.search_index.name, lambda: container.search_index().count()),
        _check("cache", settings.cache.name, cache),
        _check("store", settings.store.name, lambda: container.store().ingest_runs.list(limit=1)),
        _check("flags", settings.flags.name, flags),
    ]
    components = dict(await asyncio.gather(*checks))
    if not jf.embedder_ready.is_set():
        components["embedder"] = ComponentStatus(status="loading", adapter=settings.embedder.name)
    elif jf.embedder_error is not None:
        components["embedder"] = ComponentStatus(
            status="error", adapter=settings.embedder.name, error=jf.embedder_error
        )
    else:
        components["embedder"] = ComponentStatus(
            status="ok", adapter=settings.embedder.name, seconds=jf.embedder_load_seconds
        )
    ok = all(c.status == "ok" for c in components.values())
    return Response(
        Readiness(status="ready" if ok else "not ready", components=components),
        status_code=200 if ok else 503,
    )


@get(
    "/metrics",
    summary="Prometheus metrics",
    description="Request counts and latency histograms by route and status, search counts, search "
    "latency, zero-result searches, cache hits, rate-limited requests and ingest runs, in the "
    "Prometheus text format.",
    media_type=CONTENT_TYPE,
    include_in_schema=True,
    **PUBLIC_PROBE,
)
async def metrics(jf: NamedDependency[HttpState]) -> Response[str]:
    """Every metric in the Prometheus text exposition format."""
    return Response(jf.metrics.render().decode(), media_type=CONTENT_TYPE)
