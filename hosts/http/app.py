"""The app factory of the HTTP host."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from litestar import Litestar

from jobforge.hosts.config import Settings
from jobforge.hosts.container import Container, create_container
from jobforge.hosts.http.metrics import HttpMetrics
from jobforge.hosts.http.plugin import JobforgeHttpPlugin, openapi_config
from jobforge.hosts.http.rate_limit import create_rate_limit_store
from jobforge.hosts.http.state import HttpState
from jobforge.hosts.telemetry import create_tracer_provider, instrument_container

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

__all__ = ["create_app", "jobforge_plugin"]


def _version() -> str:
    try:
        return version("jobforge")
    except PackageNotFoundError:
        return "0"


def jobforge_plugin(
    settings: Settings,
    *,
    container: Container | None = None,
    tracer_provider: TracerProvider | None = None,
) -> JobforgeHttpPlugin:
    """The plugin that adds jobforge's API, page, auth and observability to any Litestar app.

    Use it to serve jobforge next to routes of your own::

        app = Litestar(route_handlers=[my_routes], plugins=[jobforge_plugin(settings)])

    Arguments as for :func:`create_app`.
    """
    container = container or create_container(settings)
    provider = tracer_provider or create_tracer_provider(settings)
    if provider is not None:
        instrument_container(container, provider)
    limits = settings.http.rate_limit
    state = HttpState(
        settings=settings,
        container=container,
        metrics=HttpMetrics(),
        rate_limiter=create_rate_limit_store(limits.store, dict(limits.options)) if limits.enabled else None,
        tracer=provider.get_tracer("jobforge.http") if provider is not None else None,
    )
    return JobforgeHttpPlugin(state)


def create_app(
    settings: Settings,
    *,
    container: Container | None = None,
    tracer_provider: TracerProvider | None = None,
) -> Litestar:
    """The Litestar app serving the JSON API, the OpenAPI docs and the search page.

    Args:
        settings: The effective configuration.
        container: The composition root; by default one is built from ``settings``.
            Tests pass one with overridden providers.
        tracer_provider: Where request and port-call spans go; by default an
            OTLP exporter when ``[telemetry] otlp_endpoint`` is set, else no tracing.
    """
    return Litestar(
        plugins=[jobforge_plugin(settings, container=container, tracer_provider=tracer_provider)],
        openapi_config=openapi_config(_version()),
        request_max_body_size=settings.http.request_max_body_size,
        logging_config=None,  # the host configures logging (jobforge.hosts.logs); never the app factory
        debug=False,
    )
