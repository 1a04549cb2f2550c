"""Prometheus metrics of the HTTP host, served on ``GET /metrics``.

Each app has its own registry, so several apps (tests) never share counters.
Route labels are path templates (``/api/v1/jobs/{job_id}``), never raw
paths, so the number of series stays bounded.

Under ``jobforge serve --workers N`` the processes share their counts
through ``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's multiprocess
mode, set up by the command), and ``/metrics`` of any of them sums all.
"""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector

__all__ = ["CONTENT_TYPE", "HttpMetrics"]

CONTENT_TYPE = CONTENT_TYPE_LATEST.replace("; charset=utf-8", "")
"""The Prometheus text exposition format's media type (Litestar appends the charset)."""

# ``*_created`` series double the output and no dashboard needs them.
disable_created_metrics()  # type: ignore[no-untyped-call]

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class HttpMetrics:
    """Request, search, rate-limit and ingest metrics in one registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "jobforge_http_requests",
            "HTTP requests by method, route template and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.request_seconds = Histogram(
            "jobforge_http_request_duration_seconds",
            "HTTP request latency by method, route template and status code.",
            ["method", "route", "status"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.searches = Counter(
            "jobforge_searches", "Searches run, by ranking mode.", ["mode"], registry=self.registry
        )
        self.search_seconds = Histogram(
            "jobforge_search_duration_seconds",
            "Search latency (embedding, retrieval and hydration), by ranking mode.",
            ["mode"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.zero_result_searches = Counter(
            "jobforge_search_zero_results",
            "Searches that matched no job, by ranking mode.",
            ["mode"],
            registry=self.registry,
        )
        self.search_cache = Counter(
            "jobforge_search_cache",
            "Query-result cache lookups by result (hit, miss).",
            ["result"],
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "jobforge_rate_limited_requests",
            "Requests refused with 429, by client kind (key, anonymous).",
            ["client"],
            registry=self.registry,
        )
        self.ingest_runs = Counter(
            "jobforge_ingest_runs",
            "Ingest runs started through the API, by final status.",
            ["status"],
            registry=self.registry,
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one finished request."""
        code = str(status)
        self.requests.labels(method, route, code).inc()
        self.request_seconds.labels(method, route, code).observe(seconds)

    def observe_search(self, mode: str, seconds: float, total: int, *, cached: bool | None = None) -> None:
        """Count one search and whether it found anything."""
        self.searches.labels(mode).inc()
        self.search_seconds.labels(mode).observe(seconds)
        if total == 0:
            self.zero_result_searches.labels(mode).inc()
        if cached is not None:
            self.search_cache.labels("hit" if cached else "miss").inc()

    def render(self) -> bytes:
        """The metrics in the Prometheus text format (every process's, in multiprocess mode)."""
        directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if directory:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(self.registry)
