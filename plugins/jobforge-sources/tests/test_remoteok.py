"""Remote OK source: the legal notice, epoch dates, zero salaries, mojibake."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobforge.core.models import RawJob, SalaryPeriod, WorkplaceType
from jobforge.core.normalizer import normalize_job
from jobforge.testing.contracts import SourceContract
from jobforge.testing.contracts.source import collect
from jobforge.testing.http_server import LocalHttpServer
from jobforge_sources.remoteok import RemoteOkSource

from .conftest import FAST

NOW = datetime(2026, 10, 1, tzinfo=UTC)


class TestRemoteOkContract(SourceContract):
    @pytest.fixture
    def source(self, server: LocalHttpServer, shared: Path) -> RemoteOkSource:
        server.file("/api", shared / "remoteok.json")
        return RemoteOkSource(base_url=server.url, http=FAST)

    @pytest.fixture
    def expected_count(self) -> int:
        return 2  # the legal notice is not a posting

    @pytest.fixture
    def malformed_source(self, server: LocalHttpServer, shared: Path) -> RemoteOkSource:
        data = json.loads((shared / "remoteok.json").read_text())
        data.append({"id": "9", "position": "Bad", "company": "X", "salary_min": {"usd": 1}})
        server.json("/api", data)
        return RemoteOkSource(base_url=server.url, http=FAST)


async def test_skips_the_notice_and_maps_postings(server: LocalHttpServer, shared: Path) -> None:
    server.file("/api", shared / "remoteok.json")
    first, second = await collect(RemoteOkSource(base_url=server.url, http=FAST))
    assert isinstance(first, RawJob)
    assert isinstance(second, RawJob)
    assert first.source_id == "1137431"
    assert first.skills is not None
    assert "customer support" in first.skills
    assert first.salary is None  # 0 and 0 mean not stated
    job = normalize_job(first, now=NOW)
    assert job.workplace_type is WorkplaceType.REMOTE
    assert job.posted_at == datetime(2026, 9, 24, 16, 0, 6, tzinfo=UTC)
    assert (
        job.url
        == "https://remoteok.com/remote-jobs/remote-danish-speaking-solutions-consultant-work-sofia-bulgaria-mercier-consultancy-group-1137431"
    )
    # The double-encoded UTF-8 is repaired by the core normaliser.
    mecanico = normalize_job(second, now=NOW)
    assert mecanico.title == "Mecánico Automotriz Diagnóstico y Presupuestos"
    assert "diagnóstico técnico" in mecanico.description


async def test_salary_and_tag_filter(server: LocalHttpServer, shared: Path) -> None:
    data = json.loads((shared / "remoteok.json").read_text())
    data[1]["salary_min"], data[1]["salary_max"] = 60000, 90000
    server.json("/api", data)
    source = RemoteOkSource(tag="consulting", base_url=server.url, http=FAST)
    first = (await collect(source))[0]
    assert server.requests_to("/api")[0].query == {"tag": ["consulting"]}
    salary = normalize_job(first, now=NOW).salary  # type: ignore[arg-type]
    assert salary is not None
    assert (salary.min, salary.max, salary.currency, salary.period) == (
        60000.0,
        90000.0,
        "USD",
        SalaryPeriod.YEAR,
    )
