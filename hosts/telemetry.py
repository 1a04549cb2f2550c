"""OpenTelemetry tracing, applied by the composition root.

Core services never see OpenTelemetry: :func:`instrument_container` wraps
the adapters the container builds in :class:`TracedPort` proxies, which
open one span per port call (``repository.get_many``, ``embedder.embed_query``,
``store.accounts.find_api_key``...). Spans nest under the request span the
HTTP host opens, because OpenTelemetry keeps the current span in a context
variable.

Nothing here is imported unless tracing is on: without ``[telemetry]
otlp_endpoint`` (``JOBFORGE_OTEL_ENDPOINT``) and without a tracer provider
passed in by a test, the adapters are used unwrapped.
"""

from __future__ import annotations

import functools
import inspect
from typing import TYPE_CHECKING, Any

from dependency_injector import providers

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.trace import Tracer

    from jobforge.hosts.config import Settings
    from jobforge.hosts.container import Container

__all__ = ["TRACED_PROVIDERS", "TracedPort", "create_tracer_provider", "instrument_container"]

TRACED_PROVIDERS: dict[str, str] = {
    "repository": "repository",
    "search_index": "search_index",
    "embedder": "embedder",
    "cache": "cache",
    "flags": "feature_flags",
    "store": "store",
}
"""Container provider to the port name its spans are called by."""

# AppStore's sub-stores are ports of their own; their calls get spans too.
_NESTED_PORTS = frozenset({"accounts", "saved_searches", "applications", "ingest_runs"})


class TracedPort:
    """A transparent proxy opening a span ``<port>.<method>`` around every method call.

    Async methods are included; exceptions are recorded on the span.
    Attributes that are not methods pass through unchanged.
    """

    __slots__ = ("_jf_cache", "_jf_port", "_jf_target", "_jf_tracer")

    def __init__(self, target: Any, port: str, tracer: Tracer) -> None:
        self._jf_target = target
        self._jf_port = port
        self._jf_tracer = tracer
        self._jf_cache: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        cached = self._jf_cache.get(name)
        if cached is not None:
            return cached
        value = getattr(self._jf_target, name)
        if name in _NESTED_PORTS and not callable(value):
            wrapped: Any = TracedPort(value, f"{self._jf_port}.{name}", self._jf_tracer)
        elif callable(value) and not name.startswith("_"):
            wrapped = _traced_callable(value, f"{self._jf_port}.{name}", self._jf_port, self._jf_tracer)
        else:
            return value
        self._jf_cache[name] = wrapped
        return wrapped

    def __repr__(self) -> str:
        return f"TracedPort({self._jf_target!r}, port={self._jf_port!r})"

    @property
    def traced_target(self) -> Any:
        """The adapter behind the proxy."""
        return self._jf_target


def _traced_callable(func: Any, span_name: str, port: str, tracer: Tracer) -> Any:
    attributes = {"jobforge.port": port, "code.function": span_name}
    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def traced_async(*args: Any, **kwargs: Any) -> Any:
            with tracer.start_as_current_span(span_name, attributes=attributes):
                return await func(*args, **kwargs)

        return traced_async
    if inspect.isasyncgenfunction(func):

        @functools.wraps(func)
        async def traced_iter(*args: Any, **kwargs: Any) -> Any:
            with tracer.start_as_current_span(span_name, attributes=attributes):
                async for item in func(*args, **kwargs):
                    yield item

        return traced_iter

    @functools.wraps(func)
    def traced_sync(*args: Any, **kwargs: Any) -> Any:
        with tracer.start_as_current_span(span_name, attributes=attributes):
            return func(*args, **kwargs)

    return traced_sync


def instrument_container(container: Container, tracer_provider: TracerProvider) -> None:
    """Route every adapter the container builds through a :class:`TracedPort`.

    Call before anything is resolved from the container; services built
    afterwards receive the traced adapters.
    """
    tracer = tracer_provider.get_tracer("jobforge")
    for name, port in TRACED_PROVIDERS.items():
        provider = getattr(container, name)
        if provider.overridden:
            original = provider.last_overriding
        else:
            original = providers.Singleton(provider.provides, *provider.args, **provider.kwargs)
        provider.override(providers.Singleton(TracedPort, original, port, tracer))


def create_tracer_provider(settings: Settings) -> TracerProvider | None:
    """A tracer provider exporting over OTLP/HTTP to ``[telemetry] otlp_endpoint``.

    ``None`` when no endpoint is configured (tracing off).
    """
    endpoint = settings.telemetry.otlp_endpoint
    if not endpoint:
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": settings.telemetry.service_name}))
    traces_url = endpoint.rstrip("/")
    if not traces_url.endswith("/v1/traces"):
        traces_url += "/v1/traces"
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=traces_url)))
    return provider
