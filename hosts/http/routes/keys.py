"""API key administration (admin): issue, list and revoke the tenant's keys."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import delete, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter

from jobforge.core.models import Principal, UserRole
from jobforge.hosts.http.routes._common import access
from jobforge.hosts.http.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyInfo, ApiKeyList

__all__ = ["create_key", "list_keys", "revoke_key"]

_TAGS = ["api keys"]


@post(
    "/api/v1/admin/keys",
    tags=_TAGS,
    summary="Issue an API key (admin)",
    description="Issues a key for a user of the caller's tenant. The key is in this response only; "
    "the server keeps its SHA-256 hash.",
    **access(UserRole.ADMIN, 400, 413),
)
async def create_key(
    data: JSONBody[ApiKeyCreate],
    access_service: NamedDependency[Any],
    principal: NamedDependency[Principal | None],
) -> ApiKeyCreated:
    """Issue a key in the caller's tenant."""
    assert principal is not None  # the guard let only admins through
    stored, key = await access_service.create_api_key(
        tenant_id=principal.tenant_id,
        user_id=data.user_id,
        role=data.role,
        name=data.name,
        expires_at=data.expires_at,
    )
    return ApiKeyCreated(key=key, info=ApiKeyInfo.of(stored))


@get("/api/v1/admin/keys", tags=_TAGS, summary="List API keys (admin)", **access(UserRole.ADMIN))
async def list_keys(
    access_service: NamedDependency[Any], principal: NamedDependency[Principal | None]
) -> ApiKeyList:
    """The tenant's keys: prefixes and metadata, never keys or hashes."""
    assert principal is not None
    return ApiKeyList(
        items=[ApiKeyInfo.of(k) for k in await access_service.list_api_keys(principal.tenant_id)]
    )


@delete(
    "/api/v1/admin/keys/{key_id:str}",
    tags=_TAGS,
    summary="Revoke an API key (admin)",
    description="The key stops working at once. A key of another tenant answers 404.",
    **access(UserRole.ADMIN, 404),
)
async def revoke_key(
    access_service: NamedDependency[Any],
    principal: NamedDependency[Principal | None],
    key_id: Annotated[str, Parameter(max_length=200, description="The key's id (not the key).")],
) -> None:
    """Revoke one of the tenant's keys."""
    assert principal is not None
    await access_service.revoke_api_key(principal.tenant_id, key_id)
