"""Error shapes for every error path, rate limits, request ids and feature flags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from jobforge.hosts.config import settings_from_dict
from jobforge.hosts.http import create_app


async def test_unknown_route_and_method(client: Any, assert_problem: Any) -> None:
    assert_problem(await client.get("/api/v1/nothing-here"), 404, slug="not-found")
    response = await client.put("/api/v1/search", json={})
    assert_problem(response, 405, slug="method-not-allowed")
    assert "GET" in response.headers["allow"]


async def test_request_id_is_propagated_or_generated(client: Any) -> None:
    given = await client.get("/health", headers={"X-Request-ID": "gateway-42.a"})
    assert given.headers["x-request-id"] == "gateway-42.a"
    unsafe = await client.get("/health", headers={"X-Request-ID": "no spaces <script>"})
    assert (
        unsafe.headers["x-request-id"] != "no spaces <script>" and len(unsafe.headers["x-request-id"]) == 32
    )
    missing = await client.get("/api/v1/none", headers={"X-Request-ID": "r-404"})
    assert missing.headers["x-request-id"] == "r-404" and missing.json()["request_id"] == "r-404"


NASTY = [
    ("GET", "/api/v1/search?q=%00%01%ff", None, None),
    ("GET", "/api/v1/search?limit=99999999999999999999999999", None, None),
    ("GET", "/api/v1/search?offset=1e9", None, None),
    ("GET", "/api/v1/search?salary_min=1e400", None, None),
    ("GET", "/api/v1/search?salary_min=%E2%82%AC-5", None, None),
    ("GET", "/api/v1/search?remote=&remote=", None, None),
    ("GET", "/api/v1/search?company=" + "x" * 5000, None, None),
    ("GET", "/api/v1/jobs/%2e%2e%2f%2e%2e", None, None),
    ("GET", "/api/v1/jobs/" + "9" * 600, None, None),
    ("POST", "/api/v1/search", b'{"q": "\xff\xfe"}', "application/json"),
    ("POST", "/api/v1/search", b'{"q": 1e999}', "application/json"),
    ("POST", "/api/v1/search", b'{"q": "a", "q": 5}', "application/json"),
    ("POST", "/api/v1/search", b'{"filters": {"salary_min": NaN}}', "application/json"),
    ("POST", "/api/v1/search", b'{"filters": {"salary_min": 1e308}}', "application/json"),
    ("POST", "/api/v1/search", b"\x00" * 100, "application/json"),
    ("POST", "/api/v1/search", b"q=data", "application/x-www-form-urlencoded"),
    ("POST", "/api/v1/search", b"--x\r\n", "multipart/form-data; boundary=x"),
    (
        "POST",
        "/api/v1/search",
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "application/json",
    ),
    ("POST", "/api/v1/search", b'{"limit": true}', "application/json"),
    ("POST", "/api/v1/search", b'{"offset": -0.5}', "application/json"),
]


@pytest.mark.parametrize(("method", "path", "body", "content_type"), NASTY)
async def test_no_input_makes_a_server_error(
    client: Any, method: str, path: str, body: bytes | None, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await client.request(method, path, content=body, headers=headers)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")


@pytest.fixture
async def limited(tmp_path: Path, base_config: Any) -> Any:
    config = base_config(tmp_path, http={"rate_limit": {"per_key": 3, "anonymous": 2, "period": 60}})
    async with AsyncTestClient(create_app(settings_from_dict(config))) as client:
        yield client


async def test_anonymous_clients_are_rate_limited_with_retry_after(limited: Any, assert_problem: Any) -> None:
    assert [(await limited.get("/api/v1/search")).status_code for _ in range(2)] == [200, 200]
    refused = await limited.get("/api/v1/search")
    problem = assert_problem(refused, 429, slug="rate-limited")
    assert int(refused.headers["retry-after"]) >= 1 and problem["retry_after"] == int(
        refused.headers["retry-after"]
    )
    assert refused.headers["ratelimit-limit"] == "2"
    # Probes and metrics are never limited.
    assert {(await limited.get("/health")).status_code for _ in range(5)} == {200}
    metrics = (await limited.get("/metrics")).text
    assert 'jobforge_rate_limited_requests_total{client="anonymous"} 1.0' in metrics


async def test_each_key_has_its_own_limit(limited: Any, admin_key: str, assert_problem: Any) -> None:
    headers = {"X-API-Key": admin_key}
    for _ in range(2):
        await limited.get("/api/v1/search")
    assert_problem(await limited.get("/api/v1/search"), 429)
    statuses = [(await limited.get("/api/v1/search", headers=headers)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.fixture
def config(tmp_path: Path, base_config: Any) -> dict[str, Any]:
    return base_config(
        tmp_path / "data",
        flags={
            "name": "static",
            "tenants": {"globex": {"search.mode": "keyword"}},
            "users": {"carol": {"search.mode": "no-such-mode"}},
        },
    )


@pytest.mark.usefixtures("jobs")
async def test_ranking_mode_flag_per_tenant(client: Any, callers: Any) -> None:
    acme = (
        await client.get("/api/v1/search", params={"q": "nurse"}, headers=callers.acme_member.headers)
    ).json()
    globex = (
        await client.get("/api/v1/search", params={"q": "nurse"}, headers=callers.globex_member.headers)
    ).json()
    anonymous = (await client.get("/api/v1/search", params={"q": "nurse"})).json()
    assert (acme["mode"], globex["mode"], anonymous["mode"]) == ("hybrid", "keyword", "hybrid")
    assert all(h["explanation"]["semantic_score"] is None for h in globex["hits"])
    assert any(h["explanation"]["semantic_score"] is not None for h in acme["hits"])
    # An explicit mode wins; an invalid flag value falls back to the configured default.
    explicit = await client.get(
        "/api/v1/search", params={"q": "nurse", "mode": "vector"}, headers=callers.globex_member.headers
    )
    assert explicit.json()["mode"] == "vector"
    carol = await client.get("/api/v1/search", params={"q": "nurse"}, headers=callers.acme_member2.headers)
    assert carol.json()["mode"] == "hybrid"
