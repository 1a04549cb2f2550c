"""Recruitee offers source: string salaries, offer flags, experience codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobforge.core.models import EmploymentType, RawJob, SalaryPeriod, Seniority, WorkplaceType
from jobforge.core.normalizer import normalize_job
from jobforge.testing.contracts import SourceContract
from jobforge.testing.contracts.source import collect
from jobforge.testing.http_server import LocalHttpServer
from jobforge_sources.recruitee import RecruiteeSource

from .conftest import FAST

NOW = datetime(2026, 10, 1, tzinfo=UTC)


def _source(server: LocalHttpServer) -> RecruiteeSource:
    return RecruiteeSource("channable", base_url=server.url, http=FAST)


class TestRecruiteeContract(SourceContract):
    @pytest.fixture
    def source(self, server: LocalHttpServer, shared: Path) -> RecruiteeSource:
        server.file("/api/offers/", shared / "recruitee.json")
        return _source(server)

    @pytest.fixture
    def expected_count(self) -> int:
        return 2

    @pytest.fixture
    def malformed_source(self, server: LocalHttpServer, shared: Path) -> RecruiteeSource:
        data = json.loads((shared / "recruitee.json").read_text())
        data["offers"].append({"id": 1, "title": "Bad salary", "salary": "lots"})
        server.json("/api/offers/", data)
        return _source(server)


async def test_maps_every_field(server: LocalHttpServer, shared: Path) -> None:
    server.file("/api/offers/", shared / "recruitee.json")
    first, second = await collect(_source(server))
    assert isinstance(first, RawJob)
    assert isinstance(second, RawJob)
    assert first.source == "recruitee:channable"
    assert first.source_id == "2751915"
    assert first.url == "https://jobs.channable.com/o/customer-success-manager-benelux-dutch-speaking-3"
    assert first.apply_url == first.url + "/c/new"
    assert first.extra["slug"] == "customer-success-manager-benelux-dutch-speaking-3"
    assert first.extra["min_hours_per_week"] == "32"
    assert any("😎" in q for q in first.extra["open_questions"])
    job = normalize_job(first, now=NOW)
    assert job.company == "Channable"
    assert job.department == "Customer Success"
    assert [(loc.city, loc.country) for loc in job.locations] == [("Utrecht", "NL")]
    assert job.workplace_type is WorkplaceType.HYBRID
    assert job.employment_type is EmploymentType.FULL_TIME  # "fulltime_permanent"
    assert job.seniority is Seniority.MID  # experience_code mid_level
    assert job.salary is not None
    assert (job.salary.min, job.salary.max, job.salary.currency, job.salary.period) == (
        3750.0,
        5250.0,
        "EUR",
        SalaryPeriod.MONTH,
    )
    assert job.salary.annual_max == 63000.0
    assert job.posted_at == datetime(2026, 9, 18, 13, 27, 28, tzinfo=UTC)  # published_at
    assert "Your role" in job.description  # the requirements are part of it
    head = normalize_job(second, now=NOW)
    assert head.seniority is Seniority.MANAGER
    assert head.salary is not None
    assert head.salary.period is SalaryPeriod.YEAR


async def test_unpublished_offers_are_skipped_and_close_at_is_kept(
    server: LocalHttpServer, shared: Path
) -> None:
    data = json.loads((shared / "recruitee.json").read_text())
    data["offers"][0]["status"] = "draft"
    data["offers"][1]["close_at"] = "2026-11-30 23:59:00 UTC"
    data["offers"][1]["tags"] = ["HR", "Leadership"]
    server.json("/api/offers/", data)
    (raw,) = await collect(_source(server))
    assert isinstance(raw, RawJob)
    assert raw.skills == ["HR", "Leadership"]
    assert normalize_job(raw, now=NOW).valid_through == datetime(2026, 11, 30, 23, 59, tzinfo=UTC)
