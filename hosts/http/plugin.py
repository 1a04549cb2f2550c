"""The Litestar ``InitPlugin`` that wires jobforge into an app.

``on_app_init`` only *appends* to the app config's lists and mappings (route
handlers, dependencies, guards, middleware, exception handlers, lifespan),
so an app that embeds jobforge next to its own routes and plugins keeps them.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from litestar.config.app import AppConfig
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme, Tag
from litestar.plugins import InitPlugin

from jobforge.hosts.http.auth import authorize
from jobforge.hosts.http.dependencies import DEPENDENCIES
from jobforge.hosts.http.middleware import ObservabilityMiddleware, exception_handler
from jobforge.hosts.http.routes import ROUTE_HANDLERS

if TYPE_CHECKING:
    from litestar import Litestar

    from jobforge.hosts.http.state import HttpState

__all__ = ["JobforgeHttpPlugin", "openapi_config"]

log = logging.getLogger(__name__)

_TAGS = [
    Tag(name="search", description="Hybrid semantic and keyword search with filters."),
    Tag(name="jobs", description="Job details and batch upsert."),
    Tag(name="ingest", description="Background ingest runs of registered sources."),
    Tag(name="recommendations", description="Jobs for a candidate profile."),
    Tag(name="saved searches", description="The caller's saved searches."),
    Tag(name="applications", description="The caller's applications."),
    Tag(name="api keys", description="API key administration."),
    Tag(name="analytics", description="Search and interaction analytics."),
    Tag(name="alerts", description="The caller's saved-search alert inbox."),
    Tag(name="operations", description="Probes, metrics and plugins."),
    Tag(name="page", description="The search page."),
]


def openapi_config(version: str) -> OpenAPIConfig:
    """The OpenAPI document (``/schema/openapi.json``) and its docs UI (``/schema``)."""
    return OpenAPIConfig(
        title="jobforge",
        version=version,
        description="Job search API: hybrid search over normalised, de-duplicated postings, "
        "recommendations, saved searches and applications. Errors are RFC 9457 "
        "`application/problem+json`.",
        path="/schema",
        render_plugins=[SwaggerRenderPlugin(path="/"), ScalarRenderPlugin(path="/scalar")],
        tags=_TAGS,
        components=Components(
            security_schemes={
                "ApiKey": SecurityScheme(
                    type="apiKey",
                    name="X-API-Key",
                    security_scheme_in="header",
                    description="An API key (`jf_...`).",
                ),
                "Bearer": SecurityScheme(
                    type="http",
                    scheme="bearer",
                    bearer_format="API key or JWT",
                    description="`Authorization: Bearer <API key or JWT>`.",
                ),
            }
        ),
        use_handler_docstrings=False,
    )


class JobforgeHttpPlugin(InitPlugin):
    """Adds jobforge's routes, dependencies, auth guard, observability and lifespan to an app."""

    def __init__(self, state: HttpState) -> None:
        self.state = state

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        """Append jobforge's parts to the app config."""
        app_config.route_handlers.extend(ROUTE_HANDLERS)
        app_config.dependencies.update(
            {k: v for k, v in DEPENDENCIES.items() if k not in app_config.dependencies}
        )
        app_config.guards.append(authorize)
        app_config.middleware.append(ObservabilityMiddleware(self.state))
        app_config.exception_handlers.setdefault(Exception, exception_handler)
        app_config.lifespan.append(self._lifespan)
        app_config.state["jobforge"] = self.state
        return app_config

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Litestar) -> AsyncIterator[None]:
        state = self.state
        state.open_adapters()
        await state.bootstrap()
        # The index and adapters built at start-up live as long as the server: exempt
        # them from the cyclic collector, whose full passes over them (tens of ms at
        # 100k postings) would otherwise stall every request in flight.
        gc.freeze()
        warm_up = None
        if state.settings.http.preload_embedder:
            warm_up = asyncio.get_running_loop().create_task(
                state.warm_up_embedder(), name="embedder-warm-up"
            )
        else:
            state.embedder_ready.set()
        try:
            yield
        finally:
            if warm_up is not None and not warm_up.done():
                warm_up.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await warm_up
            await state.close()
