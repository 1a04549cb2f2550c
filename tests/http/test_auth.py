"""Authentication, roles, public search and API key administration over HTTP."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest

from jobforge.hosts.config import settings_from_dict

SECRET = "http-test-secret-long-enough-for-hs256-tokens"
_MEMBER_ONLY = ("POST", "/api/v1/saved-searches", {"name": "x"})
_ADMIN_ONLY = ("GET", "/api/v1/plugins", None)


async def _call(client: Any, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    return await client.request(method, path, json=body, headers=headers)


async def test_protected_endpoints_need_credentials(client: Any, assert_problem: Any) -> None:
    for method, path, body in [_MEMBER_ONLY, _ADMIN_ONLY, ("GET", "/api/v1/saved-searches", None)]:
        response = await _call(client, method, path, body, {})
        problem = assert_problem(response, 401, slug="unauthenticated")
        assert "API key" in problem["detail"]
        assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "headers",
    [
        {"X-API-Key": "jf_not-a-real-key-but-long-enough-000000000"},
        {"X-API-Key": "not-even-a-jobforge-key"},
        {"Authorization": "Bearer jf_not-a-real-key-but-long-enough-000000000"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"},
    ],
)
async def test_bad_credentials_are_401_even_on_public_search(
    client: Any, assert_problem: Any, headers: dict[str, str]
) -> None:
    assert_problem(await client.get("/api/v1/search", headers=headers), 401, slug="unauthenticated")


async def test_two_credentials_at_once_are_refused(client: Any, callers: Any, assert_problem: Any) -> None:
    headers = {**callers.acme_admin.headers, **callers.acme_member.bearer}
    assert_problem(await client.get("/api/v1/plugins", headers=headers), 401)


async def test_key_works_as_header_and_as_bearer_token(client: Any, callers: Any) -> None:
    for headers in (callers.acme_admin.headers, callers.acme_admin.bearer):
        assert (await client.get("/api/v1/plugins", headers=headers)).status_code == 200


async def test_roles(client: Any, callers: Any, assert_problem: Any) -> None:
    viewer, member, admin = callers.acme_viewer, callers.acme_member, callers.acme_admin
    assert (await client.get("/api/v1/saved-searches", headers=viewer.headers)).status_code == 200
    problem = assert_problem(await _call(client, *_MEMBER_ONLY, viewer.headers), 403, slug="forbidden")
    assert "member" in problem["detail"]
    assert (await _call(client, *_MEMBER_ONLY, member.headers)).status_code == 201
    assert_problem(await _call(client, *_ADMIN_ONLY, member.headers), 403)
    assert (await _call(client, *_ADMIN_ONLY, admin.headers)).status_code == 200


async def test_admin_issues_lists_and_revokes_keys(client: Any, callers: Any, assert_problem: Any) -> None:
    admin = callers.acme_admin.headers
    created = await client.post(
        "/api/v1/admin/keys", json={"user_id": "dora", "role": "member", "name": "laptop"}, headers=admin
    )
    assert created.status_code == 201
    body = created.json()
    key, info = body["key"], body["info"]
    assert key.startswith("jf_") and info["tenant_id"] == "acme" and key.startswith(info["prefix"])
    assert "key_hash" not in info

    listed = (await client.get("/api/v1/admin/keys", headers=admin)).json()["items"]
    assert info["id"] in {k["id"] for k in listed}
    assert all("key_hash" not in k and k["tenant_id"] == "acme" for k in listed)

    me = {"X-API-Key": key}
    assert (await client.get("/api/v1/saved-searches", headers=me)).status_code == 200
    assert (await client.delete(f"/api/v1/admin/keys/{info['id']}", headers=admin)).status_code == 204
    problem = assert_problem(await client.get("/api/v1/saved-searches", headers=me), 401)
    assert "revoked" in problem["detail"]


async def test_key_creation_errors_name_the_field(client: Any, callers: Any, assert_problem: Any) -> None:
    admin = callers.acme_admin.headers
    cases = [
        ({"user_id": "dora", "role": "root", "name": "x"}, "role"),
        ({"user_id": "", "role": "member", "name": "x"}, "user_id"),
        ({"user_id": "dora", "role": "member"}, "name"),
        (
            {"user_id": "dora", "role": "member", "name": "x", "expires_at": "2001-01-01T00:00:00Z"},
            "expires_at",
        ),
        ({"user_id": "dora", "role": "member", "name": "x", "tenant_id": "globex"}, "tenant_id"),
    ]
    for body, field in cases:
        assert_problem(await client.post("/api/v1/admin/keys", json=body, headers=admin), 400, field=field)


async def test_bootstrap_admin_key_belongs_to_the_default_tenant(client: Any, admin_key: str) -> None:
    listed = await client.get("/api/v1/admin/keys", headers={"X-API-Key": admin_key})
    assert listed.status_code == 200
    assert [k["name"] for k in listed.json()["items"]] == ["bootstrap admin key"]
    assert listed.json()["items"][0]["tenant_id"] == "default"


def _token(**claims: Any) -> str:
    payload = {"sub": "jay", "tenant": "acme", "role": "member", "exp": int(time.time()) + 300, **claims}
    return jwt.encode(payload, SECRET, algorithm="HS256")


async def test_jwt_bearer_tokens_when_configured(
    tmp_path: Any, base_config: Any, assert_problem: Any
) -> None:
    from litestar.testing import AsyncTestClient

    from jobforge.hosts.http import create_app

    settings = settings_from_dict(base_config(tmp_path, auth={"jwt_secret": SECRET}))
    async with AsyncTestClient(create_app(settings)) as client:
        ok = await client.post(
            "/api/v1/saved-searches", json={"name": "jwt"}, headers={"Authorization": f"Bearer {_token()}"}
        )
        assert ok.status_code == 201 and ok.json()["tenant_id"] == "acme" and ok.json()["user_id"] == "jay"
        viewer = {"Authorization": f"Bearer {_token(role='viewer')}"}
        assert_problem(await client.post("/api/v1/saved-searches", json={"name": "x"}, headers=viewer), 403)
        expired = {"Authorization": f"Bearer {_token(exp=int(time.time()) - 3600)}"}
        assert (
            "expired"
            in assert_problem(await client.get("/api/v1/saved-searches", headers=expired), 401)["detail"]
        )
        forged = jwt.encode({"sub": "x", "tenant": "acme", "role": "admin", "exp": 9999999999}, "wrong" * 10)
        assert_problem(
            await client.get("/api/v1/plugins", headers={"Authorization": f"Bearer {forged}"}), 401
        )


async def test_search_can_be_private(tmp_path: Any, base_config: Any, assert_problem: Any) -> None:
    from litestar.testing import AsyncTestClient

    from jobforge.hosts.http import create_app

    settings = settings_from_dict(base_config(tmp_path, auth={"public_search": False}))
    async with AsyncTestClient(create_app(settings)) as client:
        assert_problem(await client.get("/api/v1/search"), 401)
        assert_problem(await client.get("/api/v1/jobs/abc"), 401)
        assert_problem(await client.post("/api/v1/search", json={}), 401)
        assert (await client.get("/health")).status_code == 200
        assert (await client.get("/")).status_code == 200
