"""Request observability: request id, log context, access log, metrics and the request span.

One ASGI middleware does all of it, so a request pays for one layer. The
request id is taken from ``X-Request-ID`` when it is a sane token (so a
gateway's id follows the request) or generated, and returned in the
response's ``X-Request-ID``. Requests that match no route never reach route
middleware; :func:`exception_handler` observes those.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import TYPE_CHECKING, Any

from litestar import Request, Response
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware

from jobforge.hosts.http.problems import Problem, problem_response
from jobforge.hosts.logs import bind_request, set_tenant

if TYPE_CHECKING:
    from litestar.types import ASGIApp, Message, Receive, Scope, Send

    from jobforge.hosts.http.state import HttpState

__all__ = ["ObservabilityMiddleware", "exception_handler", "request_id_of"]

access_log = logging.getLogger("jobforge.http.access")

_SANE_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_UNMATCHED = "unmatched"


def request_id_of(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's ``X-Request-ID`` when it is 1-128 safe characters, else a new id."""
    for name, value in headers:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _SANE_ID.fullmatch(text):
                return text
            break
    return uuid.uuid4().hex


class ObservabilityMiddleware(ASGIMiddleware):
    """Binds the request id and tenant to the logs and traces, counts and times requests.

    Per request: the request span (when tracing is on), the request metrics
    and one access log line.
    """

    scopes = (ScopeType.HTTP,)

    def __init__(self, state: HttpState) -> None:
        self.state = state

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        """Serve one request inside its observability context."""
        started = time.perf_counter()
        http: dict[str, Any] = scope  # type: ignore[assignment]  # an HTTP scope (see ``scopes``)
        request_id = request_id_of(http["headers"])
        scope_state = http.setdefault("state", {})
        scope_state["request_id"] = request_id
        bind_request(request_id)
        route = http.get("path_template") or _UNMATCHED
        method: str = http["method"]
        status = 500
        header = (b"x-request-id", request_id.encode())

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            tracer = self.state.tracer
            if tracer is None:
                await next_app(scope, receive, send_with_id)
            else:
                await _traced(
                    tracer,
                    next_app,
                    scope,
                    receive,
                    send_with_id,
                    request_id=request_id,
                    status=lambda: status,
                )
        finally:
            elapsed = time.perf_counter() - started
            self.state.metrics.observe_request(method, route, status, elapsed)
            _log_access(
                method,
                scope["path"],
                route,
                status=status,
                seconds=elapsed,
                tenant_id=scope_state.get("tenant_id"),
            )
            bind_request(None)


async def _traced(
    tracer: Any,
    next_app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    *,
    request_id: str,
    status: Any,
) -> None:
    from opentelemetry import propagate
    from opentelemetry.trace import SpanKind, Status, StatusCode

    http: dict[str, Any] = scope  # type: ignore[assignment]
    method = http["method"]
    route = http.get("path_template") or _UNMATCHED
    carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in http["headers"]}
    with tracer.start_as_current_span(
        f"{method} {route}",
        context=propagate.extract(carrier),
        kind=SpanKind.SERVER,
        attributes={
            "http.request.method": method,
            "http.route": route,
            "url.path": http["path"],
            "jobforge.request_id": request_id,
        },
    ) as span:
        try:
            await next_app(scope, receive, send)
        finally:
            code = status()
            span.set_attribute("http.response.status_code", code)
            tenant = http.get("state", {}).get("tenant_id")
            if tenant:
                span.set_attribute("jobforge.tenant_id", tenant)
            if code >= 500:
                span.set_status(Status(StatusCode.ERROR))


def _log_access(
    method: str, path: str, route: str, *, status: int, seconds: float, tenant_id: str | None
) -> None:
    if tenant_id is not None:
        set_tenant(tenant_id)
    access_log.info(
        "%s %s %d",
        method,
        path,
        status,
        extra={
            "method": method,
            "path": path,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 3),
        },
    )


def exception_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    """Every error to problem+json; requests that matched no route are observed here."""
    scope: dict[str, Any] = request.scope  # type: ignore[assignment]
    scope_state = scope.setdefault("state", {})
    if "request_id" in scope_state:
        return problem_response(request, exc)
    # No route matched (404, 405): the route middleware never ran.
    started = time.perf_counter()
    request_id = request_id_of(scope["headers"])
    scope_state["request_id"] = request_id
    bind_request(request_id)
    try:
        response = problem_response(request, exc)
        response.headers["X-Request-ID"] = request_id
        status = response.status_code or 500
        state: HttpState = request.app.state.jobforge
        state.metrics.observe_request(scope["method"], _UNMATCHED, status, time.perf_counter() - started)
        _log_access(
            scope["method"],
            scope["path"],
            _UNMATCHED,
            status=status,
            seconds=time.perf_counter() - started,
            tenant_id=None,
        )
        return response
    finally:
        bind_request(None)
