"""API keys and role checks: who is calling, and may they do this.

API keys are ``jf_`` plus 32 random bytes (URL-safe base64). Only a SHA-256
digest of a key is stored. A slow password hash (bcrypt, argon2) exists to
make guessing *low-entropy* secrets expensive; a 256-bit random key cannot
be guessed however fast the hash is, so a fast hash is the right choice and
lets every request be authenticated with one indexed lookup.

Hosts verify other credentials (JWTs, in :mod:`jobforge.hosts.jwt_auth`)
and turn them into the same :class:`~jobforge.core.models.Principal`.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime

from jobforge.core.errors import InvalidRequestError, JobforgeError, NotFoundError
from jobforge.core.models import ApiKey, Principal, Tenant, User, UserRole
from jobforge.ports import AccountStore, Clock

__all__ = [
    "API_KEY_PREFIX",
    "AccessService",
    "AuthError",
    "generate_api_key",
    "hash_api_key",
    "require",
]

API_KEY_PREFIX = "jf_"
"""Every generated key starts with this, so leaked keys are easy to spot and scan for."""

_KEY_BYTES = 32
_SHOWN_CHARS = len(API_KEY_PREFIX) + 8
"""How much of a key listings show to tell keys apart (``jf_`` + 8 characters)."""
_MIN_KEY_LENGTH = 32
_MAX_KEY_LENGTH = 256
_MAX_NAME = 200


class AuthError(JobforgeError):
    """Authentication failed (``status`` 401) or the role is too low (403).

    Args:
        message: What was wrong, safe to show the caller.
        status: 401 (who are you?) or 403 (not allowed).
    """

    def __init__(self, message: str, *, status: int = 401) -> None:
        if status not in (401, 403):
            raise ValueError(f"AuthError status must be 401 or 403, got {status}")
        super().__init__(message)
        self.message = message
        self.status = status


def generate_api_key() -> str:
    """A new random API key: ``jf_`` + 32 random bytes, URL-safe base64 (43 characters)."""
    return API_KEY_PREFIX + secrets.token_urlsafe(_KEY_BYTES)


def hash_api_key(key: str) -> str:
    """The SHA-256 hex digest stored for ``key``.

    A fast hash is deliberate: keys are 256-bit random values, so brute
    force is hopeless without a slow hash, and authentication stays one
    cheap lookup per request.
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def require(principal: Principal | None, role: UserRole) -> Principal:
    """The principal, if it has at least ``role``.

    Raises:
        AuthError: 401 when there is no principal, 403 when its role is too low.
    """
    if principal is None:
        raise AuthError("authentication required: send an API key or a bearer token", status=401)
    if not principal.can(role):
        raise AuthError(f"this needs the {role.value} role; you have {principal.role.value}", status=403)
    return principal


class AccessService:
    """Issues, authenticates, lists and revokes API keys.

    Args:
        accounts: Where tenants, users and key hashes are kept.
        clock: Decides creation, expiry and revocation times.
    """

    require = staticmethod(require)

    def __init__(self, accounts: AccountStore, clock: Clock) -> None:
        self.accounts = accounts
        self.clock = clock

    async def create_api_key(
        self,
        *,
        tenant_id: str,
        user_id: str,
        role: UserRole,
        name: str,
        expires_at: datetime | None = None,
    ) -> tuple[ApiKey, str]:
        """Issue a key for a user of a tenant, creating the tenant and user when missing.

        Returns:
            The stored key (hash only) and the plaintext key, which exists
            nowhere else: show it once.

        Raises:
            InvalidRequestError: A blank or too long id or name, an unknown
                role, or an ``expires_at`` that is naive or not in the future.
        """
        key = generate_api_key()
        stored = await self._store_key(
            key, tenant_id=tenant_id, user_id=user_id, role=role, name=name, expires_at=expires_at
        )
        return stored, key

    async def ensure_api_key(
        self,
        key: str,
        *,
        tenant_id: str,
        user_id: str,
        role: UserRole,
        name: str,
    ) -> ApiKey:
        """Register a key chosen by the operator, such as a bootstrap admin key.

        A key already registered is returned unchanged, so hosts may call this
        at every start with the key from the environment.

        Raises:
            InvalidRequestError: The key is shorter than 32 characters (too
                guessable for a fast hash) or the other values are invalid.
        """
        if not _MIN_KEY_LENGTH <= len(key) <= _MAX_KEY_LENGTH:
            raise InvalidRequestError(
                "key", f"must be {_MIN_KEY_LENGTH} to {_MAX_KEY_LENGTH} characters (use a random value)"
            )
        existing = await self.accounts.find_api_key(hash_api_key(key))
        if existing is not None:
            return existing
        try:
            return await self._store_key(
                key, tenant_id=tenant_id, user_id=user_id, role=role, name=name, expires_at=None
            )
        except Exception:
            # Server processes starting together race to register it: the loser finds the winner's.
            existing = await self.accounts.find_api_key(hash_api_key(key))
            if existing is None:
                raise
            return existing

    async def _store_key(
        self,
        key: str,
        *,
        tenant_id: str,
        user_id: str,
        role: UserRole,
        name: str,
        expires_at: datetime | None,
    ) -> ApiKey:
        tenant_id = _identifier("tenant_id", tenant_id)
        user_id = _identifier("user_id", user_id)
        name = _identifier("name", name)
        try:
            role = UserRole(role)
        except ValueError:
            choices = ", ".join(r.value for r in UserRole)
            raise InvalidRequestError("role", f"expected one of {choices}, got {role!r}") from None
        now = self.clock.now()
        if expires_at is not None:
            if expires_at.utcoffset() is None:
                raise InvalidRequestError("expires_at", "must be timezone-aware")
            if expires_at <= now:
                raise InvalidRequestError("expires_at", "must be in the future")
        if await self.accounts.get_tenant(tenant_id) is None:
            await self.accounts.upsert_tenant(Tenant(id=tenant_id, name=tenant_id))
        if await self.accounts.get_user(tenant_id, user_id) is None:
            await self.accounts.upsert_user(User(id=user_id, tenant_id=tenant_id, role=role))
        api_key = ApiKey(
            id=uuid.uuid4().hex,
            tenant_id=tenant_id,
            user_id=user_id,
            role=role,
            name=name,
            prefix=key[:_SHOWN_CHARS],
            key_hash=hash_api_key(key),
            created_at=now,
            expires_at=expires_at,
        )
        await self.accounts.add_api_key(api_key)
        return api_key

    async def authenticate_api_key(self, key: str) -> Principal:
        """The principal a key stands for.

        The key is found by its hash, so no secret is ever compared
        character by character and a constant-time comparison is not needed.

        Raises:
            AuthError: 401 for a malformed, unknown, revoked or expired key.
        """
        if not key or len(key) > _MAX_KEY_LENGTH:
            raise AuthError("invalid API key")
        stored = await self.accounts.find_api_key(hash_api_key(key))
        if stored is None:
            raise AuthError("invalid API key")
        if stored.revoked_at is not None:
            raise AuthError("API key revoked")
        if stored.expires_at is not None and stored.expires_at <= self.clock.now():
            raise AuthError("API key expired")
        return Principal(
            tenant_id=stored.tenant_id, user_id=stored.user_id, role=stored.role, key_id=stored.id
        )

    async def revoke_api_key(self, tenant_id: str, key_id: str) -> None:
        """Revoke one of the tenant's keys (revoking twice is harmless).

        Raises:
            NotFoundError: The tenant has no key with this id.
        """
        if not await self.accounts.revoke_api_key(tenant_id, key_id, self.clock.now()):
            raise NotFoundError("API key", key_id)

    async def list_api_keys(self, tenant_id: str) -> list[ApiKey]:
        """The tenant's keys, newest first (hashes and prefixes only, never the keys)."""
        return await self.accounts.list_api_keys(tenant_id)


def _identifier(field: str, value: str) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidRequestError(field, "must not be blank")
    if len(text) > _MAX_NAME:
        raise InvalidRequestError(field, f"longer than {_MAX_NAME} characters")
    return text
