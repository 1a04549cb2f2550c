"""Workday CXS source: 20 per page, the 2000 cap, details per posting."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest

from jobforge.core.models import EmploymentType, RawJob, RejectedRecord, WorkplaceType
from jobforge.core.normalizer import normalize_job
from jobforge.testing.contracts import SourceContract
from jobforge.testing.contracts.source import collect
from jobforge.testing.http_server import LocalHttpServer, Reply, Request
from jobforge_sources.workday import MAX_POSTINGS, WorkdaySource

from .conftest import FAST

NOW = datetime(2026, 10, 1, tzinfo=UTC)
API = "/wday/cxs/acme/External"


def _source(server: LocalHttpServer, **kwargs: Any) -> WorkdaySource:
    return WorkdaySource("acme", "External", base_url=server.url, http=FAST, **kwargs)


def _listing(total: int, *, reported_total: int | None = None, first_page_only_total: bool = True):
    """Postings 0..total-1, served by offset/limit like Workday (total only on the first page)."""

    def answer(request: Request) -> Reply:
        body = request.json()
        offset, limit = body["offset"], body["limit"]
        assert limit <= 20, "Workday rejects pages over 20"
        postings = [
            {
                "title": f"Engineer {n}",
                "externalPath": f"/job/US-CA-Santa-Clara/Engineer-{n}_JR{n:05d}",
                "locationsText": "US, CA, Santa Clara",
                "postedOn": "Posted Today",
                "bulletFields": [f"JR{n:05d}"],
            }
            for n in range(offset, min(offset + limit, total, MAX_POSTINGS))
        ]
        shown = reported_total if reported_total is not None else min(total, MAX_POSTINGS)
        page_total = shown if offset == 0 or not first_page_only_total else 0
        return Reply(body=msgspec.json.encode({"total": page_total, "jobPostings": postings}))

    return answer


def _serve_fixture_with_details(server: LocalHttpServer, shared: Path, own: Path) -> None:
    def first_page_only(request: Request) -> Reply:
        if request.json()["offset"] == 0:
            return Reply(body=(shared / "workday.json").read_bytes())
        return Reply(body=b'{"total": 0, "jobPostings": []}')

    server.route(f"{API}/jobs", first_page_only, method="POST")
    listing = json.loads((shared / "workday.json").read_text())
    for posting in listing["jobPostings"]:
        req_id = posting["bulletFields"][0]
        server.file(API + posting["externalPath"], own / f"workday_detail_{req_id}.json")


class TestWorkdayContract(SourceContract):
    @pytest.fixture
    def source(self, server: LocalHttpServer, shared: Path, own: Path) -> WorkdaySource:
        _serve_fixture_with_details(server, shared, own)
        return _source(server)

    @pytest.fixture
    def expected_count(self) -> int:
        return 2

    @pytest.fixture
    def malformed_source(self, server: LocalHttpServer, shared: Path) -> WorkdaySource:
        data = json.loads((shared / "workday.json").read_text())
        data["jobPostings"].append({"title": "No path"})
        data["total"] = 3
        server.json(f"{API}/jobs", data, method="POST")
        return _source(server, details=False)


async def test_listing_only_maps_what_the_listing_has(server: LocalHttpServer, shared: Path) -> None:
    data = json.loads((shared / "workday.json").read_text())
    server.json(f"{API}/jobs", data, method="POST")
    first, second = await collect(_source(server, details=False))
    assert isinstance(first, RawJob)
    assert isinstance(second, RawJob)
    assert first.source == "workday:acme/External"
    assert first.source_id == "JR2021061"  # the requisition id ending the externalPath
    assert (
        first.url
        == f"{server.url}/External/job/Vietnam-Hanoi/Director--Engineering---Software-Engineering_JR2021061"
    )
    assert first.location_text is None  # "2 Locations" names no place
    assert first.extra["bullet_fields"] == ["JR2021061"]
    assert first.posted_at == "Posted 30+ Days Ago"
    job = normalize_job(first, now=NOW)
    assert job.posted_at == NOW - timedelta(days=30)
    assert normalize_job(second, now=NOW).posted_at == NOW - timedelta(days=4)
    request = server.requests_to(f"{API}/jobs")[0]
    assert request.json() == {"appliedFacets": {}, "limit": 20, "offset": 0, "searchText": ""}


async def test_details_add_description_places_and_dates(
    server: LocalHttpServer, shared: Path, own: Path
) -> None:
    _serve_fixture_with_details(server, shared, own)
    first, second = [normalize_job(r, now=NOW) for r in await collect(_source(server))]  # type: ignore[arg-type]
    assert first.company == "Acme Semiconductors"
    assert first.employment_type is EmploymentType.FULL_TIME
    assert [(loc.city, loc.country) for loc in first.locations] == [
        ("Hanoi", "VN"),
        ("Ho Chi Minh City", "VN"),
    ]
    assert first.posted_at == datetime(2026, 8, 20, tzinfo=UTC)  # startDate, not "30+ days ago"
    assert "Lead 40 engineers" in first.description
    assert first.url == (
        "https://acme.wd5.myworkdayjobs.com/External/job/Vietnam-Hanoi/"
        "Director--Engineering---Software-Engineering_JR2021061"
    )
    assert second.workplace_type is WorkplaceType.REMOTE
    assert [(loc.city, loc.country) for loc in second.locations] == [(None, "PL")]


async def test_follows_pages_of_20_to_the_end(server: LocalHttpServer) -> None:
    server.route(f"{API}/jobs", _listing(45), method="POST")
    source = _source(server, details=False)
    records = await collect(source)
    assert len(records) == 45
    assert len({r.source_id for r in records}) == 45
    assert [r.json()["offset"] for r in server.requests_to(f"{API}/jobs")] == [0, 20, 40]
    assert not source.capped


async def test_stops_at_the_2000_cap_and_says_so(
    server: LocalHttpServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.route(f"{API}/jobs", _listing(2600), method="POST")
    source = _source(server, details=False)
    with caplog.at_level(logging.WARNING):
        records = await collect(source)
    assert len(records) == MAX_POSTINGS
    assert len(server.requests_to(f"{API}/jobs")) == MAX_POSTINGS // 20
    assert source.capped
    assert "at most 2000" in caplog.text


async def test_facets_and_search_text_are_sent(server: LocalHttpServer) -> None:
    server.route(f"{API}/jobs", _listing(3), method="POST")
    source = _source(server, details=False, facets={"locations": ["abc"]}, search_text="firmware")
    assert len(await collect(source)) == 3
    body = server.requests_to(f"{API}/jobs")[0].json()
    assert body["appliedFacets"] == {"locations": ["abc"]}
    assert body["searchText"] == "firmware"


async def test_a_server_repeating_a_page_does_not_loop(server: LocalHttpServer, shared: Path) -> None:
    server.file(f"{API}/jobs", shared / "workday.json", method="POST")  # same page for every offset
    records = await collect(_source(server, details=False))
    assert len(records) == 2
    assert len(server.requests_to(f"{API}/jobs")) == 2


async def test_a_closed_posting_is_quarantined_and_the_rest_continue(
    server: LocalHttpServer, shared: Path, own: Path
) -> None:
    _serve_fixture_with_details(server, shared, own)
    listing = json.loads((shared / "workday.json").read_text())
    server.route(API + listing["jobPostings"][0]["externalPath"], Reply(status=404))
    first, second = await collect(_source(server))
    assert isinstance(first, RejectedRecord)
    assert first.reason.startswith("workday: details: GET ")
    assert "HTTP 404" in first.reason
    assert isinstance(second, RawJob)
