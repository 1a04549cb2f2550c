"""Saved searches, applications, recommendations, batch upsert and ingest runs over HTTP."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from jobforge.hosts.sample_data import write_sample_file

pytestmark = pytest.mark.usefixtures("jobs")


async def test_saved_search_lifecycle(client: Any, callers: Any, assert_problem: Any) -> None:
    member = callers.acme_member.headers
    created = await client.post(
        "/api/v1/saved-searches",
        json={
            "name": "Remote data",
            "query": "data engineer",
            "filters": {"remote": "remote", "salary_min": "120k"},
            "frequency": "daily",
        },
        headers=member,
    )
    assert created.status_code == 201
    search = created.json()
    assert search["filters"] == {"remote": "remote", "salary_min": "120k"} and search["user_id"] == "bob"
    listed = (await client.get("/api/v1/saved-searches", headers=member)).json()["items"]
    assert [s["id"] for s in listed] == [search["id"]]
    patched = await client.patch(
        f"/api/v1/saved-searches/{search['id']}", json={"query": "nurse"}, headers=member
    )
    assert patched.json()["query"] == "nurse" and patched.json()["name"] == "Remote data"
    assert patched.json()["timezone"] is None  # the deployment's [alerts] timezone
    zoned = await client.patch(
        f"/api/v1/saved-searches/{search['id']}", json={"timezone": "Europe/Berlin"}, headers=member
    )
    assert zoned.json()["timezone"] == "Europe/Berlin"
    cleared = await client.patch(
        f"/api/v1/saved-searches/{search['id']}", json={"timezone": ""}, headers=member
    )
    assert cleared.json()["timezone"] is None
    assert (await client.delete(f"/api/v1/saved-searches/{search['id']}", headers=member)).status_code == 204
    assert_problem(await client.get(f"/api/v1/saved-searches/{search['id']}", headers=member), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x", "filters": {"remote": "moon"}}, "filters.remote"),
        ({"name": "x", "filters": {"wage": 5}}, "filters.wage"),
        ({"name": "x", "frequency": "hourly"}, "frequency"),
        ({"name": "x", "frequency": "daily", "timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"name": "x", "query": 7}, "query"),
        ({"query": "x"}, "name"),
    ],
)
async def test_saved_search_errors_name_the_field(
    client: Any, callers: Any, assert_problem: Any, body: dict[str, Any], field: str
) -> None:
    response = await client.post("/api/v1/saved-searches", json=body, headers=callers.acme_member.headers)
    assert_problem(response, 400, field=field)


async def test_application_records_apply_url_and_moves_through_statuses(
    client: Any, callers: Any, jobs: list[str], assert_problem: Any
) -> None:
    member = callers.acme_member.headers
    created = await client.post(
        "/api/v1/applications", json={"job_id": jobs[3], "notes": "referral"}, headers=member
    )
    assert created.status_code == 201
    application = created.json()
    assert application["status"] == "applied" and application["apply_url"].startswith(
        "https://jobs.example.com/"
    )
    path = f"/api/v1/applications/{application['id']}"
    assert (await client.patch(path, json={"status": "interviewing"}, headers=member)).json()["status"] == (
        "interviewing"
    )
    problem = assert_problem(
        await client.patch(path, json={"status": "saved"}, headers=member), 400, field="status"
    )
    assert "cannot change" in problem["detail"]
    assert_problem(await client.patch(path, json={"status": "maybe"}, headers=member), 400, field="status")
    only = await client.get("/api/v1/applications", params={"status": "interviewing"}, headers=member)
    assert [a["id"] for a in only.json()["items"]] == [application["id"]]
    assert_problem(await client.post("/api/v1/applications", json={"job_id": "nope"}, headers=member), 404)


async def test_applying_with_applicant_details_and_no_ats_names_the_field(
    client: Any, callers: Any, jobs: list[str], assert_problem: Any
) -> None:
    body = {"job_id": jobs[0], "applicant": {"first_name": "Bo", "last_name": "B", "email": "bo@example.com"}}
    response = await client.post("/api/v1/applications", json=body, headers=callers.acme_member.headers)
    assert_problem(response, 400, field="submission")


async def test_recommendations_rank_with_reasons_and_leave_out_applied_jobs(
    client: Any, callers: Any
) -> None:
    member = callers.acme_member.headers
    body = {"profile": {"titles": ["Data Engineer"], "skills": ["python", "sql"]}, "limit": 5}
    first = await client.post("/api/v1/recommendations", json=body, headers=member)
    assert first.status_code == 200
    items = first.json()["items"]
    assert items and all(item["reasons"] for item in items)
    top = items[0]["job"]["id"]
    await client.post("/api/v1/applications", json={"job_id": top, "status": "dismissed"}, headers=member)
    again = (await client.post("/api/v1/recommendations", json=body, headers=member)).json()["items"]
    assert top not in {item["job"]["id"] for item in again}


async def test_recommendation_errors(client: Any, callers: Any, assert_problem: Any) -> None:
    headers = callers.acme_viewer.headers
    bad = [
        ({"profile": {"skills": "python"}}, "profile.skills"),
        ({"profile": {}, "limit": 0}, "limit"),
        ({"limit": 3}, "profile"),
    ]
    for body, field in bad:
        assert_problem(
            await client.post("/api/v1/recommendations", json=body, headers=headers), 400, field=field
        )
    assert_problem(await client.post("/api/v1/recommendations", json={"profile": {}}), 401)


async def test_batch_upsert_runs_the_pipeline_and_invalidates_the_cache(client: Any, callers: Any) -> None:
    admin = callers.acme_admin.headers
    query = {"q": "glassblower"}
    before = await client.get("/api/v1/search", params=query)
    assert before.json()["total"] == 0 and before.headers["x-search-cache"] == "miss"
    body = {
        "source": "partner:acme",
        "jobs": [
            {
                "source_id": "g1",
                "title": "Glassblower",
                "company": "Fragile Inc",
                "description": "Blow glass.",
                "location_text": "Remote",
                "salary_text": "$60,000 a year",
            },
            {"source_id": "bad", "company": "No Title Ltd"},
        ],
    }
    report = await client.post("/api/v1/jobs", json=body, headers=admin)
    assert report.status_code == 200
    assert report.json()["counts"]["added"] == 1 and report.json()["counts"]["quarantined"] == 1
    after = await client.get("/api/v1/search", params=query)
    assert after.headers["x-search-cache"] == "miss"
    assert after.json()["hits"][0]["job"]["title"] == "Glassblower"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"source": "x", "jobs": []}, "jobs"),
        ({"source": "bad source!", "jobs": [{"title": "a"}]}, "source"),
        ({"source": "x", "jobs": [{"title": "a", "colour": "red"}]}, "jobs.0.colour"),
        ({"source": "x", "jobs": [{"title": 5}]}, "jobs.0.title"),
    ],
)
async def test_batch_upsert_errors(
    client: Any, callers: Any, assert_problem: Any, body: dict[str, Any], field: str
) -> None:
    assert_problem(
        await client.post("/api/v1/jobs", json=body, headers=callers.acme_admin.headers), 400, field=field
    )


async def _finished(client: Any, run_id: str, headers: dict[str, str]) -> dict[str, Any]:
    for _ in range(200):
        run = (await client.get(f"/api/v1/ingest/{run_id}", headers=headers)).json()
        if run["status"] in ("completed", "failed"):
            return run  # type: ignore[no-any-return]
        await asyncio.sleep(0.02)
    raise AssertionError(f"ingest run {run_id} did not finish: {run}")


async def test_ingest_run_reports_progress_and_counts(client: Any, callers: Any, tmp_path: Path) -> None:
    admin = callers.acme_admin.headers
    sample = write_sample_file(tmp_path / "postings.jsonl", 300)
    started = await client.post(
        "/api/v1/ingest",
        json={"source": "file", "options": {"path": str(sample), "name": "sample"}},
        headers=admin,
    )
    assert started.status_code == 202
    run = started.json()
    assert run["status"] in ("queued", "running") and run["source"] == "sample" and run["tenant_id"] == "acme"
    done = await _finished(client, run["id"], admin)
    assert done["status"] == "completed" and done["error"] is None and done["finished_at"]
    counts = done["counts"]
    assert counts["seen"] == 300 and counts["added"] + counts["duplicates"] + counts["quarantined"] == 300
    total = (await client.get("/api/v1/search", params={"source": "sample", "limit": 1})).json()["total"]
    assert total == counts["added"]


async def test_ingest_errors(client: Any, callers: Any, assert_problem: Any, tmp_path: Path) -> None:
    admin = callers.acme_admin.headers
    unknown = await client.post("/api/v1/ingest", json={"source": "nosuchsource"}, headers=admin)
    assert "nosuchsource" in assert_problem(unknown, 400, field="source")["detail"]
    missing = await client.post("/api/v1/ingest", json={"source": "file", "options": {}}, headers=admin)
    assert_problem(missing, 400, field="options.path")
    assert_problem(await client.get("/api/v1/ingest/nope", headers=admin), 404)
    gone = await client.post(
        "/api/v1/ingest", json={"source": "file", "options": {"path": str(tmp_path / "x.csv")}}, headers=admin
    )
    # The file source notices a missing file when it runs: the run fails with the reason.
    assert gone.status_code == 202
    run = await _finished(client, gone.json()["id"], admin)
    assert run["status"] == "failed" and "x.csv" in run["error"]


async def test_plugins_report_matches_the_cli(client: Any, callers: Any, container: Any) -> None:
    report = (await client.get("/api/v1/plugins", headers=callers.acme_admin.headers)).json()
    expected = container.plugins().report()
    assert [p["name"] for p in report["plugins"]] == [p["name"] for p in expected["plugins"]]
    assert "hashing" in {a["name"] for a in report["adapters"]["embedder"]}
