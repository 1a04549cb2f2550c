"""API keys and role checks, on the in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jobforge.adapters.memory.store import MemoryAppStore
from jobforge.core.auth import AccessService, AuthError, generate_api_key, hash_api_key, require
from jobforge.core.clock import FixedClock
from jobforge.core.errors import InvalidRequestError, NotFoundError
from jobforge.core.models import Principal, Tenant, User, UserRole


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 1, 1, tzinfo=UTC))


@pytest.fixture
def store() -> MemoryAppStore:
    return MemoryAppStore()


@pytest.fixture
def access(store: MemoryAppStore, clock: FixedClock) -> AccessService:
    return AccessService(store.accounts, clock)


def test_generated_keys_are_prefixed_long_and_unique() -> None:
    keys = {generate_api_key() for _ in range(100)}
    assert len(keys) == 100
    assert all(key.startswith("jf_") and len(key) == 46 for key in keys)


def test_hash_is_sha256_hex() -> None:
    assert hash_api_key("jf_abc") == "306d7155ff116a6f59d7962e903cc15232d1691fd1dbdc4d7bb6c431153535ff"


async def test_create_then_authenticate(
    access: AccessService, store: MemoryAppStore, clock: FixedClock
) -> None:
    stored, key = await access.create_api_key(
        tenant_id="acme", user_id="ann", role=UserRole.MEMBER, name="ci"
    )
    assert key.startswith("jf_")
    assert stored.key_hash == hash_api_key(key)
    assert key not in stored.key_hash
    assert stored.prefix == key[:11]
    assert stored.created_at == clock.now()
    assert await store.accounts.get_tenant("acme") == Tenant(id="acme", name="acme")
    assert await store.accounts.get_user("acme", "ann") == User(
        id="ann", tenant_id="acme", role=UserRole.MEMBER
    )
    principal = await access.authenticate_api_key(key)
    assert principal == Principal(tenant_id="acme", user_id="ann", role=UserRole.MEMBER, key_id=stored.id)


async def test_existing_tenant_and_user_are_kept(access: AccessService, store: MemoryAppStore) -> None:
    await store.accounts.upsert_tenant(Tenant(id="acme", name="Acme Inc."))
    await store.accounts.upsert_user(
        User(id="ann", tenant_id="acme", role=UserRole.ADMIN, email="ann@acme.test")
    )
    await access.create_api_key(tenant_id="acme", user_id="ann", role=UserRole.VIEWER, name="read-only")
    assert (await store.accounts.get_tenant("acme")) == Tenant(id="acme", name="Acme Inc.")
    user = await store.accounts.get_user("acme", "ann")
    assert user is not None
    assert user.email == "ann@acme.test"


@pytest.mark.parametrize("key", ["", "jf_wrong", "x" * 1000])
async def test_unknown_keys_are_401(access: AccessService, key: str) -> None:
    with pytest.raises(AuthError, match="invalid API key") as info:
        await access.authenticate_api_key(key)
    assert info.value.status == 401


async def test_revoked_key_is_rejected(access: AccessService) -> None:
    stored, key = await access.create_api_key(tenant_id="acme", user_id="ann", role=UserRole.ADMIN, name="k")
    await access.revoke_api_key("acme", stored.id)
    with pytest.raises(AuthError, match="revoked") as info:
        await access.authenticate_api_key(key)
    assert info.value.status == 401
    await access.revoke_api_key("acme", stored.id)  # twice is harmless
    (listed,) = await access.list_api_keys("acme")
    assert listed.revoked_at is not None


async def test_expired_key_is_rejected(access: AccessService, clock: FixedClock) -> None:
    _, key = await access.create_api_key(
        tenant_id="acme",
        user_id="ann",
        role=UserRole.MEMBER,
        name="k",
        expires_at=clock.now() + timedelta(days=1),
    )
    assert (await access.authenticate_api_key(key)).user_id == "ann"
    clock.advance(timedelta(days=1))
    with pytest.raises(AuthError, match="expired"):
        await access.authenticate_api_key(key)


async def test_revoking_another_tenants_key_is_not_found(access: AccessService) -> None:
    stored, key = await access.create_api_key(tenant_id="acme", user_id="ann", role=UserRole.MEMBER, name="k")
    with pytest.raises(NotFoundError, match=stored.id):
        await access.revoke_api_key("globex", stored.id)
    assert (await access.authenticate_api_key(key)).tenant_id == "acme"
    assert await access.list_api_keys("globex") == []


async def test_keys_are_listed_newest_first(access: AccessService, clock: FixedClock) -> None:
    first, _ = await access.create_api_key(tenant_id="acme", user_id="ann", role=UserRole.MEMBER, name="one")
    clock.advance(timedelta(minutes=1))
    second, _ = await access.create_api_key(tenant_id="acme", user_id="bob", role=UserRole.VIEWER, name="two")
    assert [k.id for k in await access.list_api_keys("acme")] == [second.id, first.id]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"tenant_id": " "}, "tenant_id"),
        ({"user_id": ""}, "user_id"),
        ({"name": "x" * 201}, "name"),
        ({"role": "owner"}, "role"),
        ({"expires_at": datetime(2025, 12, 31, tzinfo=UTC)}, "expires_at"),
        ({"expires_at": datetime(2027, 1, 1)}, "expires_at"),
    ],
)
async def test_invalid_key_requests_name_the_field(
    access: AccessService, store: MemoryAppStore, kwargs: dict[str, object], field: str
) -> None:
    request: dict[str, object] = {"tenant_id": "acme", "user_id": "ann", "role": UserRole.MEMBER, "name": "k"}
    request.update(kwargs)
    with pytest.raises(InvalidRequestError) as info:
        await access.create_api_key(**request)  # type: ignore[arg-type]
    assert info.value.field == field
    assert store.calls_to("accounts", "add_api_key") == []


async def test_ensure_api_key_is_idempotent(access: AccessService) -> None:
    key = "bootstrap-" + "s" * 40
    first = await access.ensure_api_key(
        key, tenant_id="default", user_id="admin", role=UserRole.ADMIN, name="boot"
    )
    again = await access.ensure_api_key(
        key, tenant_id="default", user_id="admin", role=UserRole.ADMIN, name="boot"
    )
    assert again == first
    assert len(await access.list_api_keys("default")) == 1
    assert (await access.authenticate_api_key(key)).role is UserRole.ADMIN
    with pytest.raises(InvalidRequestError, match="key"):
        await access.ensure_api_key(
            "short", tenant_id="default", user_id="admin", role=UserRole.ADMIN, name="b"
        )


def test_require_checks_the_role_order() -> None:
    viewer = Principal("acme", "v", UserRole.VIEWER)
    admin = Principal("acme", "a", UserRole.ADMIN)
    assert require(admin, UserRole.MEMBER) is admin
    assert require(viewer, UserRole.VIEWER) is viewer
    assert AccessService.require(admin, UserRole.ADMIN) is admin
    with pytest.raises(AuthError) as missing:
        require(None, UserRole.VIEWER)
    assert missing.value.status == 401
    with pytest.raises(AuthError, match="member") as low:
        require(viewer, UserRole.MEMBER)
    assert low.value.status == 403
    assert [role for role in UserRole if Principal("t", "u", UserRole.MEMBER).can(role)] == [
        UserRole.VIEWER,
        UserRole.MEMBER,
    ]
