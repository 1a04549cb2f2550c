"""Who is calling: credentials to a principal, role checks and rate limits.

One app-level Litestar guard, :func:`authorize`, runs before every handler:
it turns the credentials into a :class:`~jobforge.core.models.Principal`
(``X-API-Key: <key>``, or ``Authorization: Bearer <key>`` or ``Bearer <JWT>``),
applies the rate limit of that key (or of the anonymous client address),
and checks the role the handler declares in its ``opt``:

* ``opt={"role": UserRole.MEMBER}``: at least that role;
* ``opt={"role": PUBLIC_SEARCH}``: public when ``[auth] public_search`` is
  true, else at least viewer;
* no ``role``: public, and credentials are not even looked at (health,
  metrics, the page, the schema).

Handlers with ``opt={"rate_limit": False}`` (probes, metrics) are never limited.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from jobforge.core.auth import API_KEY_PREFIX, AuthError, require
from jobforge.core.models import Principal, UserRole
from jobforge.hosts.http.problems import ProblemError
from jobforge.hosts.logs import set_tenant

if TYPE_CHECKING:
    from jobforge.hosts.http.state import HttpState

__all__ = ["PUBLIC_SEARCH", "Authenticator", "authorize", "client_address"]

PUBLIC_SEARCH = "public_search"
"""Handler ``opt`` role of endpoints that ``[auth] public_search`` opens to everyone."""

_MAX_CREDENTIAL = 8192


class Authenticator:
    """Turns request headers into a principal (or ``None`` for anonymous callers)."""

    def __init__(self, access: Any, jwt_verifier: Any | None) -> None:
        self.access = access
        self.jwt_verifier = jwt_verifier

    async def authenticate(self, api_key: str | None, authorization: str | None) -> Principal | None:
        """The principal of these header values.

        Raises:
            AuthError: 401 for malformed, unknown, revoked or expired credentials,
                or for two credentials at once.
        """
        if api_key is not None and authorization is not None:
            raise AuthError("send one credential: X-API-Key or Authorization, not both")
        if api_key is not None:
            return await self._api_key(api_key.strip())
        if authorization is None:
            return None
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthError("the Authorization header must be `Bearer <API key or JWT>`")
        if token.startswith(API_KEY_PREFIX):
            return await self._api_key(token)
        if self.jwt_verifier is None:
            raise AuthError("bearer tokens must be API keys here (JWT authentication is not configured)")
        if len(token) > _MAX_CREDENTIAL:
            raise AuthError("invalid bearer token")
        return self.jwt_verifier.verify(token)  # type: ignore[no-any-return]

    async def _api_key(self, key: str) -> Principal:
        if not key.startswith(API_KEY_PREFIX) or len(key) > _MAX_CREDENTIAL:
            raise AuthError("invalid API key")
        return await self.access.authenticate_api_key(key)  # type: ignore[no-any-return]


def client_address(connection: ASGIConnection[Any, Any, Any, Any], *, trust_forwarded_for: bool) -> str:
    """The anonymous client's address.

    The peer address, or the first ``X-Forwarded-For`` hop when the host runs
    behind a trusted proxy.
    """
    if trust_forwarded_for:
        forwarded = connection.headers.get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[0].strip()[:100]
    client = connection.scope.get("client")
    return client[0] if client else "unknown"


async def authorize(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """The app-level guard: authenticate, rate-limit, check the handler's role."""
    state: HttpState = connection.app.state.jobforge
    scope_state: dict[str, Any] = connection.scope.setdefault("state", {})
    headers = connection.headers
    api_key = headers.get("x-api-key")
    authorization = headers.get("authorization")
    role = handler.opt.get("role")
    principal = None
    # Only API endpoints (which declare a role) look at credentials; the page,
    # the schema and the probes serve everyone alike.
    if role is not None and (api_key is not None or authorization is not None):
        principal = await state.authenticator().authenticate(api_key, authorization)
        scope_state["tenant_id"] = principal.tenant_id if principal else None
        set_tenant(principal.tenant_id if principal else None)
    scope_state["principal"] = principal

    if state.rate_limiter is not None and handler.opt.get("rate_limit", True):
        await _rate_limit(state, connection, principal)

    if role is None:
        return
    if role == PUBLIC_SEARCH:
        if state.settings_public_search():
            return
        role = UserRole.VIEWER
    require(principal, UserRole(role))


async def _rate_limit(
    state: HttpState, connection: ASGIConnection[Any, Any, Any, Any], principal: Principal | None
) -> None:
    limits = state.settings.http.rate_limit
    if principal is not None:
        kind = "key"
        ident = principal.key_id or f"{principal.tenant_id}/{principal.user_id}"
        key, limit = f"key:{ident}", limits.per_key
    else:
        kind = "anonymous"
        address = client_address(connection, trust_forwarded_for=state.settings.http.trust_forwarded_for)
        key, limit = f"ip:{address}", limits.anonymous
    assert state.rate_limiter is not None
    decision = await state.rate_limiter.hit(key, limit=limit, period=limits.period)
    if not decision.allowed:
        state.metrics.rate_limited.labels(kind).inc()
        retry_after = max(1, math.ceil(decision.retry_after))
        raise ProblemError(
            429,
            "rate-limited",
            f"rate limit of {limit} requests per {limits.period:g} s exceeded for this "
            f"{'API key' if kind == 'key' else 'client'}; retry in {retry_after} s",
            headers={
                "Retry-After": str(retry_after),
                "RateLimit-Limit": str(limit),
                "RateLimit-Remaining": "0",
                "RateLimit-Reset": str(retry_after),
            },
            retry_after=retry_after,
        )
