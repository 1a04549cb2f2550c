"""What the HTTP host keeps for the lifetime of an app.

The container, settings, metrics, the rate-limit store, the tracer and the
background ingest runs.

Stored as ``app.state.jobforge``; handlers reach it through the ``Provide``
callables in :mod:`jobforge.hosts.http.dependencies`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from jobforge.core.search_cache import CachedSearch
from jobforge.hosts.container import close_built
from jobforge.hosts.http.metrics import HttpMetrics

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer

    from jobforge.hosts.config import Settings
    from jobforge.hosts.container import Container
    from jobforge.hosts.http.auth import Authenticator
    from jobforge.hosts.http.ingest_runs import IngestRunner
    from jobforge.hosts.http.rate_limit import RateLimitStore

__all__ = ["BOOTSTRAP_TENANT", "HttpState"]

BOOTSTRAP_TENANT = "default"
"""The tenant of the bootstrap admin key."""

log = logging.getLogger(__name__)


class HttpState:
    """Per-app state of the HTTP host."""

    def __init__(
        self,
        *,
        settings: Settings,
        container: Container,
        metrics: HttpMetrics,
        rate_limiter: RateLimitStore | None,
        tracer: Tracer | None,
    ) -> None:
        self.settings = settings
        self.container = container
        self.metrics = metrics
        self.rate_limiter = rate_limiter
        self.tracer = tracer
        self.started_at = time.monotonic()
        self.embedder_ready = asyncio.Event()
        self.embedder_error: str | None = None
        self.embedder_load_seconds: float | None = None
        self._authenticator: Authenticator | None = None
        self._cached_search: CachedSearch | None = None
        self._ingest_runner: IngestRunner | None = None

    def settings_public_search(self) -> bool:
        """Whether search and job detail are open to anonymous callers."""
        return bool(self.settings.auth.public_search)

    def authenticator(self) -> Authenticator:
        """The credential checker (built on first use)."""
        if self._authenticator is None:
            from jobforge.hosts.http.auth import Authenticator
            from jobforge.hosts.jwt_auth import JwtVerifier

            access = self.container.access_service()
            self._authenticator = Authenticator(access, JwtVerifier.from_settings(self.settings.auth))
        return self._authenticator

    def cached_search(self) -> CachedSearch:
        """The search service behind the query-result cache."""
        if self._cached_search is None:
            self._cached_search = CachedSearch(
                self.container.search_service(), self.container.cache(), ttl=self.settings.search.cache_ttl
            )
        return self._cached_search

    def ingest_runner(self) -> IngestRunner:
        """The background ingest runner."""
        if self._ingest_runner is None:
            from jobforge.hosts.http.ingest_runs import IngestRunner

            self._ingest_runner = IngestRunner(self)
        return self._ingest_runner

    def open_adapters(self) -> None:
        """Build every configured adapter now, in the app's event loop.

        Clients bound to a loop (Redis, MongoDB) are then created in the
        server's loop, and the first request does not pay for opening files.
        """
        for name in ("repository", "search_index", "cache", "flags", "store", "embedder"):
            getattr(self.container, name)()

    async def bootstrap(self) -> None:
        """Register ``[auth] bootstrap_admin_key`` (``JOBFORGE_ADMIN_KEY``).

        It becomes an admin key of tenant ``default``, so a fresh deployment
        can issue its first keys.
        """
        key = self.settings.auth.bootstrap_admin_key
        if key:
            from jobforge.core.models import UserRole

            await self.container.access_service().ensure_api_key(
                key,
                tenant_id=BOOTSTRAP_TENANT,
                user_id="admin",
                role=UserRole.ADMIN,
                name="bootstrap admin key",
            )

    async def warm_up_embedder(self) -> None:
        """Load the embedding model so the first search is fast; ``/ready`` reports it.

        Runs in the background at start-up.
        """
        started = time.perf_counter()
        try:
            embedder: Any = self.container.embedder()
            await embedder.embed_query("warm up")
        except Exception as exc:
            self.embedder_error = f"{type(exc).__name__}: {exc}"
            log.exception("loading the embedder failed")
        else:
            self.embedder_load_seconds = time.perf_counter() - started
            log.info("embedder ready", extra={"seconds": round(self.embedder_load_seconds, 3)})
        finally:
            self.embedder_ready.set()

    async def close(self) -> None:
        """Stop ingest runs, then close the rate-limit store and every adapter built."""
        if self._ingest_runner is not None:
            await self._ingest_runner.shutdown()
        if self._cached_search is not None:
            await self._cached_search.flush()
        if self.rate_limiter is not None:
            await self.rate_limiter.close()
        await close_built(self.container)
