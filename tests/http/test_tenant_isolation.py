"""Tenant isolation: for every endpoint that takes an id, another tenant's caller
gets 404 (exactly as for an unknown id) and the owner's data stays unchanged."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from jobforge.hosts.sample_data import write_sample_file

pytestmark = pytest.mark.usefixtures("jobs")


@pytest.fixture
async def owned(client: Any, callers: Any, jobs: list[str], tmp_path: Path) -> dict[str, str]:
    """One record of each tenant-owned kind, created by acme's callers."""
    member = callers.acme_member.headers
    search = await client.post(
        "/api/v1/saved-searches",
        json={"name": "mine", "query": "nurse", "filters": {"remote": "onsite"}},
        headers=member,
    )
    application = await client.post("/api/v1/applications", json={"job_id": jobs[0]}, headers=member)
    sample = write_sample_file(tmp_path / "few.jsonl", 5)
    run = await client.post(
        "/api/v1/ingest",
        json={"source": "file", "options": {"path": str(sample)}},
        headers=callers.acme_admin.headers,
    )
    assert search.status_code == application.status_code == 201 and run.status_code == 202
    return {
        "search": search.json()["id"],
        "application": application.json()["id"],
        "run": run.json()["id"],
        "key": callers.acme_viewer.key_id,
    }


def _requests(ids: dict[str, str]) -> list[tuple[str, str, Any]]:
    return [
        ("GET", f"/api/v1/saved-searches/{ids['search']}", None),
        ("PATCH", f"/api/v1/saved-searches/{ids['search']}", {"name": "stolen"}),
        ("DELETE", f"/api/v1/saved-searches/{ids['search']}", None),
        ("GET", f"/api/v1/applications/{ids['application']}", None),
        ("PATCH", f"/api/v1/applications/{ids['application']}", {"status": "withdrawn"}),
        ("GET", f"/api/v1/ingest/{ids['run']}", None),
        ("DELETE", f"/api/v1/admin/keys/{ids['key']}", None),
    ]


async def test_another_tenant_gets_404_for_every_id(
    client: Any, callers: Any, owned: dict[str, str], assert_problem: Any
) -> None:
    for method, path, body in _requests(owned):
        # globex's admin passes every role check, so only tenant scoping can refuse it.
        response = await client.request(method, path, json=body, headers=callers.globex_admin.headers)
        assert_problem(response, 404, slug="not-found")

    member = callers.acme_member.headers
    search = (await client.get(f"/api/v1/saved-searches/{owned['search']}", headers=member)).json()
    assert search["name"] == "mine"
    application = (await client.get(f"/api/v1/applications/{owned['application']}", headers=member)).json()
    assert application["status"] == "applied"
    run = await client.get(f"/api/v1/ingest/{owned['run']}", headers=callers.acme_admin.headers)
    assert run.status_code == 200
    viewer = await client.get("/api/v1/saved-searches", headers=callers.acme_viewer.headers)
    assert viewer.status_code == 200, "the viewer's key was revoked by another tenant"


async def test_lists_never_show_another_tenants_records(
    client: Any, callers: Any, owned: dict[str, str]
) -> None:
    admin = callers.globex_admin.headers
    assert (await client.get("/api/v1/saved-searches", headers=admin)).json()["items"] == []
    assert (await client.get("/api/v1/applications", headers=admin)).json()["items"] == []
    keys = (await client.get("/api/v1/admin/keys", headers=admin)).json()["items"]
    assert {k["tenant_id"] for k in keys} == {"globex"}


async def test_members_of_one_tenant_see_only_their_own_records(
    client: Any, callers: Any, owned: dict[str, str], assert_problem: Any
) -> None:
    other = callers.acme_member2.headers
    for method, path, body in _requests(owned)[:5]:
        assert_problem(await client.request(method, path, json=body, headers=other), 404)
    # The tenant's admin sees the member's records.
    admin = callers.acme_admin.headers
    assert (await client.get(f"/api/v1/saved-searches/{owned['search']}", headers=admin)).status_code == 200
    assert (
        await client.get(f"/api/v1/applications/{owned['application']}", headers=admin)
    ).status_code == 200


async def test_owner_can_use_every_id(client: Any, callers: Any, owned: dict[str, str]) -> None:
    member, admin = callers.acme_member.headers, callers.acme_admin.headers
    patched = await client.patch(
        f"/api/v1/saved-searches/{owned['search']}", json={"name": "renamed"}, headers=member
    )
    assert patched.json()["name"] == "renamed"
    moved = await client.patch(
        f"/api/v1/applications/{owned['application']}", json={"status": "screening"}, headers=member
    )
    assert moved.json()["status"] == "screening"
    for _ in range(100):
        run = (await client.get(f"/api/v1/ingest/{owned['run']}", headers=admin)).json()
        if run["status"] in ("completed", "failed"):
            break
        await asyncio.sleep(0.02)
    assert run["status"] == "completed" and run["counts"]["added"] == 5
    assert (
        await client.delete(f"/api/v1/saved-searches/{owned['search']}", headers=member)
    ).status_code == 204
    assert (await client.delete(f"/api/v1/admin/keys/{owned['key']}", headers=admin)).status_code == 204
