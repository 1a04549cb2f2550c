"""Careers pages with schema.org JobPosting JSON-LD: recorded pages, a crawled listing, robots.txt."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobforge.core.models import (
    EmploymentType,
    RawJob,
    RejectedRecord,
    SalaryPeriod,
    Seniority,
    WorkplaceType,
)
from jobforge.core.normalizer import normalize_job
from jobforge.testing.contracts import SourceContract
from jobforge.testing.contracts.source import collect
from jobforge.testing.http_server import LocalHttpServer, Reply
from jobforge_sources.careers_page import CareersPageSource

from .conftest import FAST

NOW = datetime(2026, 10, 1, tzinfo=UTC)


def _serve_recorded(server: LocalHttpServer, shared: Path) -> None:
    server.file("/jobs/meta-software-engineer", shared / "jsonld" / "jsonld_meta_software_engineer.html")
    server.file("/jobs/neura-manager", shared / "jsonld" / "jsonld_neura_robotics_manager.html")


def _serve_site(server: LocalHttpServer, own: Path) -> None:
    site = own / "careers"
    server.file("/robots.txt", site / "robots.txt")
    server.file("/careers/", site / "index.html")
    server.file("/careers/page/2", site / "page2.html")
    server.file("/careers/jobs/data-engineer", site / "data-engineer.html")
    server.file("/careers/jobs/remote-support", site / "remote-support.html")
    server.file("/careers/jobs/broken-json", site / "broken-json.html")
    server.file("/careers/jobs/private-role", site / "data-engineer.html")


class TestCareersPageContract(SourceContract):
    @pytest.fixture
    def source(self, server: LocalHttpServer, shared: Path) -> CareersPageSource:
        _serve_recorded(server, shared)
        return CareersPageSource(
            urls=["/jobs/meta-software-engineer", "/jobs/neura-manager"], base_url=server.url, http=FAST
        )

    @pytest.fixture
    def expected_count(self) -> int:
        return 2

    @pytest.fixture
    def malformed_source(self, server: LocalHttpServer, own: Path) -> CareersPageSource:
        _serve_site(server, own)
        return CareersPageSource(listing="/careers/", base_url=server.url, http=FAST)


async def test_recorded_pages(server: LocalHttpServer, shared: Path) -> None:
    _serve_recorded(server, shared)
    source = CareersPageSource(
        urls=[f"{server.url}/jobs/meta-software-engineer", f"{server.url}/jobs/neura-manager"], http=FAST
    )
    meta_raw, neura_raw = await collect(source)
    assert isinstance(meta_raw, RawJob)
    assert isinstance(neura_raw, RawJob)
    assert source.name == "careers:" + server.url.removeprefix("http://")

    # Meta: no url or identifier, so the page is the posting; nine places whose
    # addresses all say Sunnyvale while their names are right.
    assert meta_raw.source_id == f"{server.url}/jobs/meta-software-engineer"
    assert meta_raw.location_text is not None
    assert meta_raw.location_text.split("; ")[:3] == ["Sunnyvale, CA, USA", "Bellevue, WA", "Redmond, WA"]
    meta = normalize_job(meta_raw, now=NOW)
    assert meta.company == "Meta"
    assert {loc.city for loc in meta.locations} >= {"Sunnyvale", "Bellevue", "Austin", "New York"}
    assert meta.employment_type is EmploymentType.FULL_TIME
    assert meta.posted_at == datetime(2025, 6, 10, 20, 7, 44, tzinfo=UTC)
    assert meta.valid_through == datetime(2026, 6, 8, 19, 50, 57, tzinfo=UTC)
    # responsibilities and qualifications are runs of items separated by &nbsp;: now bullets.
    assert "Responsibilities" in meta.description
    assert "- Implement custom user interfaces" in meta.description
    assert "&nbsp;" not in meta.description
    assert meta_raw.extra["direct_apply"] is True

    # Neura: identifier, url, a German address given by country code, literal "\n" in the HTML.
    assert neura_raw.source_id == "00df0928-b013-448c-b3dd-6c6fb80eadc2"
    neura = normalize_job(neura_raw, now=NOW)
    assert neura.url == (
        "https://jobs.neura-robotics.com/offer/manager-ecosystem-integration-certi/00df0928-b013-448c-b3dd-6c6fb80eadc2"
    )
    assert [(loc.city, loc.country) for loc in neura.locations] == [("Metzingen", "DE")]  # not Delaware
    assert neura.company == "Neura Robotics GmbH"
    assert neura.seniority is Seniority.MANAGER
    assert neura.valid_through == datetime(2035, 11, 5, 23, 0, tzinfo=UTC)
    assert "\\n" not in neura.description
    assert "Your mission & challenges" in neura.description
    assert "Compensation" in neura.description  # incentiveCompensation


async def test_crawls_a_listing_obeying_robots_txt(server: LocalHttpServer, own: Path) -> None:
    _serve_site(server, own)
    source = CareersPageSource(listing="/careers/", base_url=server.url, http=FAST)
    records = await collect(source)
    kinds = [(type(r).__name__, r.source_id) for r in records]
    assert kinds == [
        ("RawJob", "NW-1042"),
        ("RejectedRecord", None),
        ("RawJob", f"{server.url}/careers/jobs/remote-support"),
    ]
    # robots.txt disallows the private role: never fetched, reported as skipped.
    assert source.skipped == [f"{server.url}/careers/jobs/private-role"]
    assert server.requests_to("/careers/jobs/private-role") == []
    # Off-site links and links outside the pattern are not followed; the repeated
    # link on page 2 and page 2's link to itself are fetched once.
    assert len(server.requests_to("/careers/jobs/data-engineer")) == 1
    assert len(server.requests_to("/careers/page/2")) == 1
    assert server.requests_to("/about") == []

    data_engineer, broken, support = records
    assert isinstance(broken, RejectedRecord)
    assert broken.reason.startswith(f"careers_page: {server.url}/careers/jobs/broken-json: invalid JSON-LD")
    assert broken.position == 2

    assert isinstance(data_engineer, RawJob)
    assert data_engineer.skills == ["Python", "SQL", "Spark"]
    job = normalize_job(data_engineer, now=NOW)
    assert job.company == "Northwind Traders"
    assert [(loc.city, loc.region, loc.country) for loc in job.locations] == [("Munich", "Bavaria", "DE")]
    assert job.salary is not None
    assert (job.salary.min, job.salary.max, job.salary.currency, job.salary.period) == (
        70000.0,
        85000.0,
        "EUR",
        SalaryPeriod.YEAR,
    )
    assert job.employment_type is EmploymentType.FULL_TIME
    assert "- Fluent English" in job.description

    assert isinstance(support, RawJob)
    remote = normalize_job(support, now=NOW)
    assert remote.workplace_type is WorkplaceType.REMOTE
    assert support.location_text == "Germany; Austria"
    assert remote.employment_type is EmploymentType.PART_TIME
    assert remote.salary is not None
    assert (remote.salary.min, remote.salary.period, remote.salary.annual_min) == (
        21.5,
        SalaryPeriod.HOUR,
        44720.0,
    )


async def test_a_robots_txt_that_forbids_everything_fetches_nothing(
    server: LocalHttpServer, own: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _serve_site(server, own)
    server.text("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    source = CareersPageSource(listing="/careers/", base_url=server.url, http=FAST)
    with caplog.at_level(logging.WARNING):
        assert await collect(source) == []
    assert source.skipped == [f"{server.url}/careers/"]
    assert server.requests_to("/careers/") == []


async def test_missing_pages_and_pages_without_postings_are_quarantined(server: LocalHttpServer) -> None:
    server.route("/jobs/gone", Reply(status=404))
    server.text("/jobs/plain", "<html><body>We are hiring!</body></html>")
    source = CareersPageSource(urls=["/jobs/gone", "/jobs/plain"], base_url=server.url, http=FAST)
    gone, plain = await collect(source)
    assert isinstance(gone, RejectedRecord)
    assert isinstance(plain, RejectedRecord)
    assert "HTTP 404" in gone.reason
    assert gone.record == {"url": f"{server.url}/jobs/gone"}
    assert plain.reason == f"careers_page: {server.url}/jobs/plain: no schema.org JobPosting on the page"


def test_needs_pages_to_fetch() -> None:
    with pytest.raises(ValueError, match="give urls"):
        CareersPageSource(base_url="https://example.com")
