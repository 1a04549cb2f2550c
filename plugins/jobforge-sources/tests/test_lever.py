"""Lever postings source: mapping, skip/limit pagination, salary ranges."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest

from jobforge.core.models import EmploymentType, RawJob, RejectedRecord, SalaryPeriod, WorkplaceType
from jobforge.core.normalizer import normalize_job
from jobforge.testing.contracts import SourceContract
from jobforge.testing.contracts.source import collect
from jobforge.testing.http_server import LocalHttpServer, Reply, Request
from jobforge_sources.lever import LeverSource

from .conftest import FAST

NOW = datetime(2026, 10, 1, tzinfo=UTC)
PATH = "/v0/postings/spotify"


def _source(server: LocalHttpServer, **kwargs: Any) -> LeverSource:
    return LeverSource("spotify", company="Spotify", base_url=server.url, http=FAST, **kwargs)


def _paged(postings: list[Any]):
    def answer(request: Request) -> Reply:
        skip = int(request.query["skip"][0])
        limit = int(request.query["limit"][0])
        return Reply(body=msgspec.json.encode(postings[skip : skip + limit]))

    return answer


class TestLeverContract(SourceContract):
    @pytest.fixture
    def source(self, server: LocalHttpServer, shared: Path) -> LeverSource:
        server.file("/v0/postings/palantir", shared / "lever-2.json")
        return LeverSource("palantir", base_url=server.url, http=FAST)

    @pytest.fixture
    def expected_count(self) -> int:
        return 2

    @pytest.fixture
    def malformed_source(self, server: LocalHttpServer, shared: Path) -> LeverSource:
        postings = json.loads((shared / "lever.json").read_text())
        postings.append({"id": "x-1", "text": "Broken", "categories": "Engineering"})
        server.json(PATH, postings)
        return _source(server)


async def test_maps_every_field(server: LocalHttpServer, shared: Path) -> None:
    server.file(PATH, shared / "lever.json")
    first, second = await collect(_source(server))
    assert isinstance(first, RawJob)
    assert isinstance(second, RawJob)
    assert first.source == "lever:spotify"
    assert first.source_id == "2193db3f-77c5-43b8-b030-8f92c9882bf1"
    assert first.url == "https://jobs.lever.co/spotify/2193db3f-77c5-43b8-b030-8f92c9882bf1"
    assert first.apply_url == first.url + "/apply"
    assert first.company == "Spotify"
    assert first.location_text == "London; Stockholm"
    assert first.department == "Engineering"
    assert first.extra["team"] == "Experience"
    assert first.posted_at == 1782214185805  # epoch milliseconds, read by the core

    job = normalize_job(first, now=NOW)
    assert job.posted_at == datetime.fromtimestamp(1782214185.805, tz=UTC)
    assert job.workplace_type is WorkplaceType.HYBRID
    assert job.employment_type is EmploymentType.FULL_TIME  # "Permanent"
    assert [loc.city for loc in job.locations] == ["London", "Stockholm"]
    # The lists sections and the closing text are part of the description.
    assert "What You'll Do" in job.description
    assert "Who You Are" in job.description
    assert "equal opportunity employer" in job.description

    other = normalize_job(second, now=NOW)
    assert other.employment_type is EmploymentType.TEMPORARY  # "Short Term"
    assert other.locations[0].country == "VN"  # the posting's country fills in its only place


async def test_salary_range_and_default_company(server: LocalHttpServer, shared: Path) -> None:
    postings = json.loads((shared / "lever-2.json").read_text())
    postings[1]["salaryRange"] = {
        "currency": "USD",
        "interval": "per-year-salary",
        "min": 60000,
        "max": 97000,
    }
    postings[1]["salaryDescriptionPlain"] = "$60,000 - $97,000/year"
    postings[0]["salaryRange"] = {"currency": "GBP", "interval": "per-hour-wage", "min": 25, "max": 30}
    server.json("/v0/postings/palantir", postings)
    first, second = await collect(LeverSource("palantir", base_url=server.url, http=FAST))
    assert isinstance(first, RawJob)
    assert isinstance(second, RawJob)
    assert first.company == "palantir"
    assert first.department == "Administrative"  # no department: the team
    hourly, yearly = normalize_job(first, now=NOW).salary, normalize_job(second, now=NOW).salary
    assert hourly is not None
    assert yearly is not None
    assert (hourly.period, hourly.currency, hourly.annual_min) == (SalaryPeriod.HOUR, "GBP", 52000.0)
    assert (yearly.min, yearly.max, yearly.period, yearly.text) == (
        60000.0,
        97000.0,
        SalaryPeriod.YEAR,
        "$60,000 - $97,000/year",
    )


async def test_follows_skip_limit_pagination_to_the_end(server: LocalHttpServer, shared: Path) -> None:
    template = json.loads((shared / "lever.json").read_text())[0]
    postings = [{**template, "id": f"posting-{n}", "text": f"Engineer {n}"} for n in range(7)]
    server.route(PATH, _paged(postings))
    records = await collect(_source(server, page_size=3))
    assert [r.source_id for r in records] == [f"posting-{n}" for n in range(7)]
    assert [r.query["skip"] for r in server.requests_to(PATH)] == [["0"], ["3"], ["6"]]
    assert all(r.query["mode"] == ["json"] for r in server.requests_to(PATH))


async def test_an_exactly_full_last_page_ends_with_an_empty_one(
    server: LocalHttpServer, shared: Path
) -> None:
    template = json.loads((shared / "lever.json").read_text())[0]
    postings = [{**template, "id": f"p{n}"} for n in range(4)]
    server.route(PATH, _paged(postings))
    assert len(await collect(_source(server, page_size=2))) == 4
    assert len(server.requests_to(PATH)) == 3


async def test_a_posting_with_wrong_categories_is_quarantined(server: LocalHttpServer, shared: Path) -> None:
    postings = json.loads((shared / "lever.json").read_text())
    postings.insert(1, {"id": "x-1", "text": "Broken", "categories": "Engineering"})
    server.json(PATH, postings)
    records = await collect(_source(server))
    assert [type(r).__name__ for r in records] == ["RawJob", "RejectedRecord", "RawJob"]
    rejected = records[1]
    assert isinstance(rejected, RejectedRecord)
    assert rejected.reason == "lever: field 'categories' should be an object, got a string"
    assert rejected.source_id == "x-1"
