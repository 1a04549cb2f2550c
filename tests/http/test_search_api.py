"""Search and job detail through the HTTP API: results, filters, paging, errors."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.usefixtures("jobs")


async def test_get_search_returns_ranked_hits_with_explanations(client: Any) -> None:
    response = await client.get("/api/v1/search", params={"q": "data engineer python"})
    assert response.status_code == 200
    page = response.json()
    assert page["total"] > 0 and page["mode"] == "hybrid" and page["query"] == "data engineer python"
    assert page["hits"][0]["job"]["title"] == "Senior Data Engineer"
    assert page["hits"][0]["explanation"]["summary"]
    assert set(page["facets"]) == {"workplace_type", "employment_type", "company"}


async def test_query_and_two_filters_agree_between_get_and_post(client: Any) -> None:
    got = await client.get(
        "/api/v1/search", params={"q": "engineer", "remote": "remote", "salary_min": "100000"}
    )
    posted = await client.post(
        "/api/v1/search", json={"q": "engineer", "filters": {"remote": ["remote"], "salary_min": 100000}}
    )
    assert got.status_code == posted.status_code == 200
    assert got.json()["hits"] == posted.json()["hits"]
    hits = got.json()["hits"]
    assert hits, "expected remote jobs paying at least 100k"
    for hit in hits:
        job = hit["job"]
        assert job["workplace_type"] == "remote"
        assert (job["salary"]["annual_max"] or job["salary"]["annual_min"]) >= 100000


async def test_filters_without_query_browse_newest_first(client: Any, jobs: list[str]) -> None:
    response = await client.get("/api/v1/search", params={"employment_type": "contract", "limit": 100})
    hits = response.json()["hits"]
    assert len(hits) == 6 and all(h["job"]["employment_type"] == "contract" for h in hits)
    dates = [h["job"]["posted_at"] for h in hits]
    assert dates == sorted(dates, reverse=True)


async def test_posted_within_days_and_repeated_multi_valued_filters(client: Any) -> None:
    recent = (await client.get("/api/v1/search", params={"posted_within_days": 7, "limit": 100})).json()
    assert recent["total"] == 4  # posted 0, 2, 4 and 6 days ago
    both = await client.get("/api/v1/search?remote=remote&remote=hybrid&limit=100")
    assert {h["job"]["workplace_type"] for h in both.json()["hits"]} == {"remote", "hybrid"}
    comma = await client.get("/api/v1/search", params={"remote": "remote,hybrid", "limit": 100})
    assert comma.json()["total"] == both.json()["total"] == 16


async def test_pages_do_not_overlap_and_cover_the_total(client: Any) -> None:
    seen: list[str] = []
    for offset in (0, 10, 20):
        page = (await client.get("/api/v1/search", params={"limit": 10, "offset": offset})).json()
        assert page["offset"] == offset and page["total"] == 24
        seen += [h["job"]["id"] for h in page["hits"]]
    assert len(seen) == len(set(seen)) == 24


async def test_job_detail_and_unknown_job(client: Any, jobs: list[str], assert_problem: Any) -> None:
    response = await client.get(f"/api/v1/jobs/{jobs[0]}")
    assert response.status_code == 200
    job = response.json()
    assert job["id"] == jobs[0] and job["apply_url"].startswith("https://") and job["sources"]
    assert_problem(await client.get("/api/v1/jobs/0000000000000000"), 404, slug="not-found")


async def test_repeated_search_is_served_from_the_cache(client: Any) -> None:
    first = await client.get("/api/v1/search", params={"q": "nurse", "remote": "onsite"})
    second = await client.get("/api/v1/search", params={"q": "  nurse ", "remote": "onsite"})
    assert first.headers["x-search-cache"] == "miss"
    assert second.headers["x-search-cache"] == "hit"
    assert first.json() == second.json()
    metrics = (await client.get("/metrics")).text
    assert 'jobforge_search_cache_total{result="hit"} 1.0' in metrics


@pytest.mark.parametrize(
    ("params", "field", "slug"),
    [
        ({"colour": "blue"}, "colour", "unknown-filter"),
        ({"limit": "0"}, "limit", "invalid-request"),
        ({"limit": "101"}, "limit", "invalid-request"),
        ({"limit": "ten"}, "limit", "invalid-request"),
        ({"offset": "-1"}, "offset", "invalid-request"),
        ({"offset": "10001"}, "offset", "invalid-request"),
        ({"mode": "psychic"}, "mode", "invalid-request"),
        ({"remote": "moon"}, "remote", "unknown-filter"),
        ({"salary_min": "lots"}, "salary_min", "unknown-filter"),
        ({"posted_within_days": "0"}, "posted_within_days", "invalid-request"),
        ({"posted_within_days": "soon"}, "posted_within_days", "invalid-request"),
        ({"country": "Atlantis"}, "country", "unknown-filter"),
        ({"location": "x" * 201}, "location", "invalid-request"),
        ({"q": "word " * 120}, "q", "invalid-request"),
    ],
)
async def test_invalid_query_parameters_are_named(
    client: Any, assert_problem: Any, params: dict[str, str], field: str, slug: str
) -> None:
    assert_problem(await client.get("/api/v1/search", params=params), 400, field=field, slug=slug)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"q": 42}, "q"),
        ({"limit": "ten"}, "limit"),
        ({"limit": 0}, "limit"),
        ({"filters": {"colour": "blue"}}, "filters.colour"),
        ({"filters": {"remote": "moon"}}, "filters.remote"),
        ({"filters": {"salary_min": -5}}, "filters.salary_min"),
        ({"filters": {"posted_within_days": 99999}}, "filters.posted_within_days"),
        ({"filters": {"remote": [1, 2]}}, "filters.remote.0"),
        ({"filters": "remote"}, "filters"),
        ({"query": "data"}, "query"),
        ({"mode": "fast"}, "mode"),
    ],
)
async def test_invalid_json_fields_are_named(
    client: Any, assert_problem: Any, body: dict[str, Any], field: str
) -> None:
    assert_problem(await client.post("/api/v1/search", json=body), 400, field=field)


async def test_malformed_and_non_object_bodies(client: Any, assert_problem: Any) -> None:
    headers = {"content-type": "application/json"}
    assert_problem(
        await client.post("/api/v1/search", content=b'{"q": "data"', headers=headers),
        400,
        field="body",
        slug="malformed-json",
    )
    assert_problem(await client.post("/api/v1/search", content=b"[1, 2]", headers=headers), 400, field="body")


async def test_oversized_body_is_413(client: Any, assert_problem: Any, settings: Any) -> None:
    big = b'{"q": "' + b"a" * settings.http.request_max_body_size + b'"}'
    response = await client.post("/api/v1/search", content=big, headers={"content-type": "application/json"})
    assert_problem(response, 413, field="body", slug="payload-too-large")
