"""Ashby posting source: structured addresses, compensation, unlisted postings."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobforge.core.models import EmploymentType, RawJob, SalaryPeriod, WorkplaceType
from jobforge.core.normalizer import normalize_job
from jobforge.testing.contracts import SourceContract
from jobforge.testing.contracts.source import collect
from jobforge.testing.http_server import LocalHttpServer
from jobforge_sources.ashby import AshbySource

from .conftest import FAST

NOW = datetime(2026, 10, 1, tzinfo=UTC)

COMPENSATION = {
    "compensationTierSummary": "$180K – $240K • Offers Equity",  # noqa: RUF001  (Ashby writes an en dash)
    "scrapeableCompensationSalarySummary": "$180K - $240K",
    "compensationTiers": [],
    "summaryComponents": [
        {
            "compensationType": "Salary",
            "interval": "1 YEAR",
            "currencyCode": "USD",
            "minValue": 180000,
            "maxValue": 240000,
            "summary": "$180K – $240K",  # noqa: RUF001  (Ashby writes an en dash)
        },
        {"compensationType": "EquityPercentage", "interval": "NONE", "minValue": 0.1, "maxValue": 0.2},
    ],
}


def _source(server: LocalHttpServer, board: str = "linear") -> AshbySource:
    return AshbySource(board, company=board.title(), base_url=server.url, http=FAST)


class TestAshbyContract(SourceContract):
    @pytest.fixture
    def source(self, server: LocalHttpServer, shared: Path) -> AshbySource:
        server.file("/posting-api/job-board/linear", shared / "ashby.json")
        return _source(server)

    @pytest.fixture
    def expected_count(self) -> int:
        return 2

    @pytest.fixture
    def malformed_source(self, server: LocalHttpServer, shared: Path) -> AshbySource:
        data = json.loads((shared / "ashby.json").read_text())
        data["jobs"].append({"id": "bad", "title": "Bad", "secondaryLocations": {"location": "Paris"}})
        server.json("/posting-api/job-board/linear", data)
        return _source(server)


async def test_remote_postings_keep_their_region_text(server: LocalHttpServer, shared: Path) -> None:
    server.file("/posting-api/job-board/linear", shared / "ashby.json")
    first, second = await collect(_source(server))
    assert isinstance(first, RawJob)
    assert isinstance(second, RawJob)
    assert server.requests_to("/posting-api/job-board/linear")[0].query == {"includeCompensation": ["true"]}
    assert first.location_text == "Europe"
    assert first.locations is None  # "European Union" is no country: the text says more
    assert first.department == "Product"
    assert first.extra["team"] == "Engineering"
    job = normalize_job(first, now=NOW)
    assert job.workplace_type is WorkplaceType.REMOTE
    assert job.employment_type is EmploymentType.FULL_TIME  # "FullTime"
    assert job.salary is None  # compensation present but empty
    assert job.posted_at == datetime(2021, 4, 27, 20, 13, 45, 158000, tzinfo=UTC)
    assert normalize_job(second, now=NOW).locations[0].country == "US"


async def test_structured_primary_and_secondary_addresses(server: LocalHttpServer, shared: Path) -> None:
    server.file("/posting-api/job-board/openevidence", shared / "ashby-2.json")
    records = await collect(_source(server, "openevidence"))
    job = normalize_job(records[0], now=NOW)  # type: ignore[arg-type]
    assert [(loc.city, loc.region, loc.country) for loc in job.locations] == [
        ("San Francisco", "CA", "US"),
        ("Miami", "FL", "US"),
    ]
    assert job.workplace_type is WorkplaceType.ONSITE
    assert job.company == "Openevidence"


async def test_salary_from_the_compensation_components(server: LocalHttpServer, shared: Path) -> None:
    data = json.loads((shared / "ashby-2.json").read_text())
    data["jobs"][0]["compensation"] = COMPENSATION
    data["jobs"][1]["compensation"] = {
        "compensationTierSummary": "€60K – €75K",  # noqa: RUF001  (Ashby writes an en dash)
        "scrapeableCompensationSalarySummary": "€60K - €75K",
        "compensationTiers": [],
        "summaryComponents": [],
    }
    server.json("/posting-api/job-board/openevidence", data)
    first, second = [normalize_job(r, now=NOW) for r in await collect(_source(server, "openevidence"))]  # type: ignore[arg-type]
    assert first.salary is not None
    assert second.salary is not None
    assert (first.salary.min, first.salary.max, first.salary.currency, first.salary.period) == (
        180000.0,
        240000.0,
        "USD",
        SalaryPeriod.YEAR,
    )
    assert (second.salary.min, second.salary.max, second.salary.currency) == (60000.0, 75000.0, "EUR")


async def test_unlisted_postings_are_skipped(server: LocalHttpServer, shared: Path) -> None:
    data = json.loads((shared / "ashby.json").read_text())
    data["jobs"][0]["isListed"] = False
    server.json("/posting-api/job-board/linear", data)
    records = await collect(_source(server))
    assert [r.source_id for r in records] == ["cd5ae036-0223-427a-b038-ba16ef9dcb32"]
