"""Analytics, interaction events and the alert inbox over HTTP."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

pytestmark = pytest.mark.usefixtures("jobs")


async def test_searches_and_clicks_feed_the_admin_report(
    client: Any, callers: Any, jobs: list[str], assert_problem: Any
) -> None:
    member, admin = callers.acme_member.headers, callers.acme_admin.headers
    found = await client.get("/api/v1/search", params={"q": "Data  Engineer"}, headers=member)
    search_id = found.headers["x-search-id"]
    job_id = found.json()["hits"][0]["job"]["id"]
    await client.get("/api/v1/search", params={"q": "data engineer"}, headers=member)
    await client.get("/api/v1/search", params={"q": "zzzqx"}, headers=member)
    viewed = await client.post(
        "/api/v1/events",
        json={"kind": "job_viewed", "job_id": job_id, "search_id": search_id},
        headers=member,
    )
    assert viewed.status_code == 202
    clicked = await client.post(
        "/api/v1/events",
        json={"kind": "apply_clicked", "job_id": job_id, "search_id": search_id},
        headers=member,
    )
    assert clicked.status_code == 202
    created = await client.post("/api/v1/applications", json={"job_id": job_id}, headers=member)
    assert created.status_code == 201

    report = (await client.get("/api/v1/analytics", params={"days": 7}, headers=admin)).json()
    assert report["tenant_id"] == "acme"
    assert (report["searches"], report["users"], report["zero_result_searches"]) == (3, 1, 1)
    top = report["top_queries"][0]
    assert (top["query"], top["searches"], top["clicked"], top["applied"], top["ctr"]) == (
        "data engineer",
        2,
        1,
        1,
        0.5,
    )
    assert [q["query"] for q in report["zero_result_queries"]] == ["zzzqx"]
    assert report["sources"] == [
        {"source": "test", "views": 1, "apply_clicks": 1, "applications": 1, "apply_rate": 2.0}
    ]
    assert report["interactions"] == {"application_created": 1, "apply_clicked": 1, "job_viewed": 1}
    assert report["daily"][0]["searches"] == 3
    assert report["p95_latency_ms"] >= report["mean_latency_ms"] > 0
    # Other tenants see their own numbers; members none.
    assert (await client.get("/api/v1/analytics", headers=callers.globex_admin.headers)).json()[
        "searches"
    ] == 0
    assert_problem(await client.get("/api/v1/analytics", headers=member), 403)


async def test_anonymous_activity_counts_under_the_anonymous_tenant(client: Any, admin_key: str) -> None:
    found = await client.get("/api/v1/search", params={"q": "nurse"})
    job_id = found.json()["hits"][0]["job"]["id"]
    event = await client.post(
        "/api/v1/events",
        json={"kind": "job_viewed", "job_id": job_id, "search_id": found.headers["x-search-id"]},
    )
    assert event.status_code == 202
    report = (await client.get("/api/v1/analytics", headers={"X-API-Key": admin_key})).json()
    assert report["tenant_id"] == "default"
    # The browse of the `jobs` fixture was anonymous too.
    assert (report["searches"], report["users"]) == (2, 0)
    assert [(q["query"], q["ctr"]) for q in report["top_queries"]] == [("nurse", 1.0)]


async def test_bad_events_are_refused(client: Any, callers: Any, assert_problem: Any) -> None:
    member = callers.acme_member.headers
    assert_problem(
        await client.post("/api/v1/events", json={"kind": "job_viewed"}, headers=member), 400, field="job_id"
    )
    assert_problem(
        await client.post("/api/v1/events", json={"kind": "job_viewed", "job_id": "nope"}, headers=member),
        404,
    )
    assert_problem(
        await client.post("/api/v1/events", json={"kind": "search", "job_id": "x"}, headers=member), 400
    )
    assert (
        await client.post("/api/v1/events", json={"kind": "alert_opened"}, headers=member)
    ).status_code == 202


async def test_inbox_lists_alerts_and_reading_counts_as_opening(
    client: Any, callers: Any, container: Any, postings: Any
) -> None:
    from jobforge.hosts.http.ingest_runs import RecordsSource

    member = callers.acme_member.headers
    saved = await client.post(
        "/api/v1/saved-searches", json={"name": "nurses", "query": "registered nurse"}, headers=member
    )
    assert saved.status_code == 201
    fresh = [
        msgspec.structs.replace(
            p,
            source_id=f"new-{p.source_id}",
            url=f"{p.url}/new",
            company="Mercy Health",
            description="A brand new opening on our wards.",
        )
        for p in postings(container.clock().now())[:4]
    ]
    await container.ingest_service().ingest(RecordsSource("test", fresh))
    match, delivery = await container.alert_service().run_once()
    assert (match.recorded, delivery.delivered) == (1, 1)
    inbox = (await client.get("/api/v1/inbox", headers=member)).json()
    assert inbox["unread"] == 1
    (item,) = inbox["items"]
    assert item["subject"] == "New job for 'nurses': Registered Nurse at Mercy Health"
    read = await client.post("/api/v1/inbox/read", json={"ids": [item["id"], item["id"]]}, headers=member)
    assert read.json() == {"marked": 1}
    assert (await client.get("/api/v1/inbox", params={"unread": "true"}, headers=member)).json() == {
        "items": [],
        "unread": 0,
    }
    assert (await client.post("/api/v1/inbox/read", json={"ids": [item["id"]]}, headers=member)).json() == {
        "marked": 0
    }
    # Another user of the tenant sees nothing and marks nothing.
    other = callers.acme_member2.headers
    assert (await client.get("/api/v1/inbox", headers=other)).json()["items"] == []
    report = (await client.get("/api/v1/analytics", headers=callers.acme_admin.headers)).json()
    assert report["interactions"] == {"alert_opened": 1}
    assert report["alerts"] == [
        {"notifier": "inbox", "pending": 0, "delivered": 1, "failed": 0, "cancelled": 0}
    ]


async def test_unknown_notifiers_are_refused_when_saving(
    client: Any, callers: Any, assert_problem: Any
) -> None:
    body = {"name": "x", "query": "nurse", "notifier": "pager"}
    problem = assert_problem(
        await client.post("/api/v1/saved-searches", json=body, headers=callers.acme_member.headers),
        400,
        field="notifier",
    )
    assert "available: inbox" in problem["detail"]
