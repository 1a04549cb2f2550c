"""Greenhouse job board source against recorded responses served locally."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobforge.core.models import RawJob, RejectedRecord, SalaryPeriod, WorkplaceType
from jobforge.core.normalizer import normalize_job
from jobforge.testing.contracts import SourceContract
from jobforge.testing.contracts.source import collect
from jobforge.testing.http_server import LocalHttpServer, Reply
from jobforge_sources.greenhouse import GreenhouseSource

from .conftest import FAST

NOW = datetime(2026, 10, 1, tzinfo=UTC)
PATH = "/v1/boards/acme/jobs"


def _source(server: LocalHttpServer) -> GreenhouseSource:
    return GreenhouseSource("acme", base_url=server.url, http=FAST)


class TestGreenhouseContract(SourceContract):
    @pytest.fixture
    def source(self, server: LocalHttpServer, shared: Path) -> GreenhouseSource:
        server.file(PATH, shared / "greenhouse-2.json")
        return _source(server)

    @pytest.fixture
    def expected_count(self) -> int:
        return 2

    @pytest.fixture
    def malformed_source(self, server: LocalHttpServer, shared: Path) -> GreenhouseSource:
        data = json.loads((shared / "greenhouse.json").read_text())
        data["jobs"] += ["not a posting", {"title": "No id"}, {"id": 7, "title": ["a", "list"]}]
        server.json(PATH, data)
        return _source(server)


async def test_maps_every_field(server: LocalHttpServer, shared: Path) -> None:
    server.file(PATH, shared / "greenhouse.json")
    records = await collect(_source(server))
    assert [r.source_id for r in records if isinstance(r, RawJob)] == ["6136160004", "5999792004"]
    raw = records[0]
    assert isinstance(raw, RawJob)
    assert raw.source == "greenhouse:acme"
    assert raw.url == "https://job-boards.greenhouse.io/vercel/jobs/6136160004"
    assert raw.title == "Account Executive, Commercial"
    assert raw.company == "Vercel"
    assert raw.location_text == "Hybrid - London"
    assert raw.department == "Account Executive"
    assert raw.posted_at == "2026-08-06T12:50:10-04:00"
    assert raw.extra["requisition_id"] == "1311"
    assert raw.extra["offices"] == [
        {"name": "Office - London", "location": "London, England, United Kingdom"}
    ]
    assert raw.extra["metadata"] == {"Career Site Categories": "Sales"}

    job = normalize_job(raw, now=NOW)
    assert job.workplace_type is WorkplaceType.HYBRID
    assert job.locations[0].city == "London"
    assert job.posted_at == datetime(2026, 8, 6, 16, 50, 10, tzinfo=UTC)
    # The content is entity-escaped HTML; the job has readable text, not tags or entities.
    assert job.description.startswith("About Vercel:")
    assert "&lt;" not in job.description
    assert "<div" not in job.description
    assert "what's next" in job.description


async def test_full_escaped_content_with_double_escaping(server: LocalHttpServer, shared: Path) -> None:
    server.file(PATH, shared / "greenhouse-2.json")
    jobs = [normalize_job(r, now=NOW) for r in await collect(_source(server)) if isinstance(r, RawJob)]
    assert jobs[0].company == "SmarterDx"
    assert jobs[0].workplace_type is WorkplaceType.REMOTE
    assert jobs[0].locations[0].country == "US"
    assert jobs[1].department == "Clinical Operations"  # trailing space trimmed
    assert jobs[1].title == "Clinical Coding Specialist"
    for job in jobs:
        assert "&nbsp;" not in job.description
        assert "&amp;" not in job.description
        assert len(job.description) > 1000


async def test_requests_content_and_pay_ranges(server: LocalHttpServer, shared: Path) -> None:
    server.file(PATH, shared / "greenhouse.json")
    await collect(_source(server))
    (request,) = server.requests_to(PATH)
    assert request.query == {"content": ["true"], "pay_transparency": ["true"]}


async def test_pay_ranges_metadata_and_deadline(server: LocalHttpServer, shared: Path) -> None:
    data = json.loads((shared / "greenhouse.json").read_text())
    job = data["jobs"][0]
    job["pay_input_ranges"] = [
        {"min_cents": 15000000, "max_cents": 18500000, "currency_type": "USD", "title": "US base salary"}
    ]
    job["metadata"] = [
        {"id": 1, "name": "Employment Type", "value": "Full-time", "value_type": "single_select"},
        {"id": 2, "name": "Workplace Type", "value": "Remote", "value_type": "single_select"},
    ]
    job["application_deadline"] = "2026-12-01T00:00:00Z"
    job.pop("company_name")
    server.json(PATH, {"jobs": [job]})
    (raw,) = await collect(GreenhouseSource("acme", company="Vercel Inc.", base_url=server.url, http=FAST))
    assert isinstance(raw, RawJob)
    assert raw.company == "Vercel Inc."
    normal = normalize_job(raw, now=NOW)
    assert normal.salary is not None
    assert (normal.salary.min, normal.salary.max, normal.salary.currency) == (150000.0, 185000.0, "USD")
    assert normal.salary.period is SalaryPeriod.YEAR
    assert normal.employment_type.value == "full_time"
    assert normal.workplace_type is WorkplaceType.REMOTE
    assert normal.valid_through == datetime(2026, 12, 1, tzinfo=UTC)


async def test_malformed_postings_are_quarantined_with_reasons(server: LocalHttpServer, shared: Path) -> None:
    data = json.loads((shared / "greenhouse.json").read_text())
    data["jobs"] += ["not a posting", {"title": "No id"}, {"id": 7, "title": ["a", "list"]}]
    server.json(PATH, data)
    records = await collect(_source(server))
    rejected = [r for r in records if isinstance(r, RejectedRecord)]
    assert [r.reason for r in rejected] == [
        "greenhouse: posting is not an object but a string",
        "greenhouse: field 'id' is missing",
        "greenhouse: field 'title' should be text, got an array",
    ]
    assert [r.position for r in rejected] == [3, 4, 5]
    assert rejected[2].source_id == "7"
    assert sum(isinstance(r, RawJob) for r in records) == 2


async def test_a_failing_board_raises_after_retries(server: LocalHttpServer) -> None:
    from jobforge.net import HttpError

    server.route(PATH, Reply(status=503))
    with pytest.raises(HttpError, match="HTTP 503"):
        await collect(_source(server))
    assert len(server.requests_to(PATH)) == 1 + FAST.max_retries


async def test_a_listing_without_jobs_is_an_error(server: LocalHttpServer) -> None:
    server.json(PATH, {"error": "board not found"})
    with pytest.raises(ValueError, match="no 'jobs' array"):
        await collect(_source(server))
