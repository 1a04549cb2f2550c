"""SmartRecruiters source: offset/limit pagination, job ad details."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest

from jobforge.core.models import EmploymentType, RawJob, SalaryPeriod, Seniority, WorkplaceType
from jobforge.core.normalizer import normalize_job
from jobforge.testing.contracts import SourceContract
from jobforge.testing.contracts.source import collect
from jobforge.testing.http_server import LocalHttpServer, Reply, Request
from jobforge_sources.smartrecruiters import SmartRecruitersSource

from .conftest import FAST

NOW = datetime(2026, 10, 1, tzinfo=UTC)
API = "/v1/companies/Ubisoft2/postings"


def _source(server: LocalHttpServer, **kwargs: Any) -> SmartRecruitersSource:
    return SmartRecruitersSource("Ubisoft2", base_url=server.url, http=FAST, **kwargs)


def _serve(server: LocalHttpServer, shared: Path, own: Path) -> None:
    server.file(API, shared / "smartrecruiters.json")
    for posting in json.loads((shared / "smartrecruiters.json").read_text())["content"]:
        server.file(f"{API}/{posting['id']}", own / f"smartrecruiters_detail_{posting['id']}.json")


class TestSmartRecruitersContract(SourceContract):
    @pytest.fixture
    def source(self, server: LocalHttpServer, shared: Path, own: Path) -> SmartRecruitersSource:
        _serve(server, shared, own)
        return _source(server)

    @pytest.fixture
    def expected_count(self) -> int:
        return 2

    @pytest.fixture
    def malformed_source(self, server: LocalHttpServer, shared: Path) -> SmartRecruitersSource:
        data = json.loads((shared / "smartrecruiters.json").read_text())
        data["content"].append({"id": {"nested": 1}, "name": "Bad id"})
        server.json(API, data)
        return _source(server, details=False)


async def test_listing_fields(server: LocalHttpServer, shared: Path) -> None:
    server.file(API, shared / "smartrecruiters.json")
    first, second = await collect(_source(server, details=False))
    assert isinstance(first, RawJob)
    assert isinstance(second, RawJob)
    assert first.source == "smartrecruiters:Ubisoft2"
    assert first.company == "Ubisoft"
    assert first.url == "https://jobs.smartrecruiters.com/Ubisoft2/744000151912444"
    assert first.department == "Engineering"  # the function; the department is "Ubisoft"
    assert first.extra["custom_fields"]["Work flexibility"] == "Office-based"
    assert first.extra["ref_number"] == "REF31910A"
    assert first.extra["language"] == "fr-CA"
    job = normalize_job(first, now=NOW)
    assert [(loc.city, loc.region, loc.country) for loc in job.locations] == [("Montreal", "QC", "CA")]
    assert job.workplace_type is WorkplaceType.ONSITE
    assert job.employment_type is EmploymentType.FULL_TIME
    assert job.posted_at == datetime(2026, 9, 25, 18, 18, 52, 891000, tzinfo=UTC)
    intern = normalize_job(second, now=NOW)
    assert intern.employment_type is EmploymentType.INTERNSHIP
    assert intern.locations[0].country == "FR"


async def test_details_add_the_job_ad(server: LocalHttpServer, shared: Path, own: Path) -> None:
    _serve(server, shared, own)
    first, second = [normalize_job(r, now=NOW) for r in await collect(_source(server))]  # type: ignore[arg-type]
    assert first.url == (
        "https://jobs.smartrecruiters.com/Ubisoft2/744000151912444-specialiste-fiabilite-outils-et-infrastructures-tgqf"
    )
    assert first.apply_url is not None
    assert first.apply_url.endswith("?oga=true")
    assert "Job Description" in first.description
    assert "fiabilité" in first.description
    assert "5 ans d'expérience" in first.description
    assert second.salary is not None
    assert (second.salary.min, second.salary.period, second.salary.annual_max) == (
        1200.0,
        SalaryPeriod.MONTH,
        16800.0,
    )
    assert second.seniority in (Seniority.UNKNOWN, Seniority.INTERN)


async def test_follows_offset_pagination_to_the_total(server: LocalHttpServer, shared: Path) -> None:
    template = json.loads((shared / "smartrecruiters.json").read_text())["content"][0]
    postings = [{**template, "id": str(1000 + n), "name": f"Role {n}"} for n in range(5)]

    def answer(request: Request) -> Reply:
        offset, limit = int(request.query["offset"][0]), int(request.query["limit"][0])
        page = postings[offset : offset + limit]
        return Reply(
            body=msgspec.json.encode({"offset": offset, "limit": limit, "totalFound": 5, "content": page})
        )

    server.route(API, answer)
    records = await collect(_source(server, details=False, page_size=2))
    assert [r.source_id for r in records] == [str(1000 + n) for n in range(5)]
    assert [r.query["offset"] for r in server.requests_to(API)] == [["0"], ["2"], ["4"]]


async def test_remote_and_hybrid_flags(server: LocalHttpServer, shared: Path) -> None:
    data = json.loads((shared / "smartrecruiters.json").read_text())
    data["content"][0]["location"]["remote"] = True
    data["content"][1]["location"]["hybrid"] = True
    server.json(API, data)
    first, second = [normalize_job(r, now=NOW) for r in await collect(_source(server, details=False))]  # type: ignore[arg-type]
    assert first.workplace_type is WorkplaceType.REMOTE
    assert second.workplace_type is WorkplaceType.HYBRID
