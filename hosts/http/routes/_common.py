"""What every API endpoint declares: its role, its error responses and its security."""

from __future__ import annotations

from typing import Any

from jobforge.core.errors import InvalidFilterError, InvalidRequestError
from jobforge.core.models import UserRole
from jobforge.hosts.http.auth import PUBLIC_SEARCH
from jobforge.hosts.http.problems import error_responses

__all__ = ["PUBLIC_PROBE", "access", "prefixed"]

_AUTHENTICATED: list[dict[str, list[str]]] = [{"ApiKey": []}, {"Bearer": []}]

PUBLIC_PROBE: dict[str, Any] = {"opt": {"rate_limit": False}, "security": [{}], "tags": ["operations"]}
"""Options of probes and metrics: public and never rate-limited."""


def access(role: UserRole | str, *errors: int) -> dict[str, Any]:
    """Handler options for an endpoint needing ``role`` (or :data:`PUBLIC_SEARCH`).

    ``errors`` are the statuses it may answer besides 400, 401, 403 and 429.
    """
    statuses = {400, 401, 403, *errors}
    security = [{}, *_AUTHENTICATED] if role == PUBLIC_SEARCH else _AUTHENTICATED
    return {"opt": {"role": role}, "responses": error_responses(*statuses), "security": security}


def prefixed(
    exc: InvalidRequestError, prefix: str, renames: dict[str, str] | None = None
) -> InvalidRequestError:
    """The same error naming ``<prefix>.<field>`` (the field's place in a JSON body)."""
    field = (renames or {}).get(exc.field, exc.field)
    if prefix and isinstance(exc, InvalidFilterError):
        field = f"{prefix}.{field}"
    return type(exc)(field, exc.message)
