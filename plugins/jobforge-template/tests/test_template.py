"""The template plugin proves itself with the jobforge kit: SourceContract and the local HTTP server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobforge.core.models import RawJob, RejectedRecord, WorkplaceType
from jobforge.core.normalizer import normalize_job
from jobforge.hosts.plugin_host import PluginHost
from jobforge.net import HttpClientSettings
from jobforge.testing.contracts import SourceContract
from jobforge.testing.contracts.source import collect
from jobforge.testing.factories import make_job
from jobforge.testing.http_server import LocalHttpServer, Reply, Request
from jobforge_template import plugin
from jobforge_template.source import ExampleBoardSource

FIXTURES = Path(__file__).parent / "fixtures"
FAST = HttpClientSettings(rate_limit=0, max_retries=1, backoff_base=0.01)


def _serve(server: LocalHttpServer, *, with_bad_posting: bool) -> None:
    pages = {"1": (FIXTURES / "page1.json").read_bytes(), "2": (FIXTURES / "page2.json").read_bytes()}
    if not with_bad_posting:
        pages["2"] = pages["2"].replace(b',\n    {"title": "A posting without an id"}', b"")

    def answer(request: Request) -> Reply:
        return Reply(
            body=pages[request.query.get("page", ["1"])[0]], headers={"Content-Type": "application/json"}
        )

    server.route("/api/jobs", answer)


class TestExampleBoard(SourceContract):
    @pytest.fixture
    def source(self, jobforge_http_server: LocalHttpServer) -> ExampleBoardSource:
        _serve(jobforge_http_server, with_bad_posting=False)
        return ExampleBoardSource(jobforge_http_server.url, http=FAST)

    @pytest.fixture
    def expected_count(self) -> int:
        return 3

    @pytest.fixture
    def malformed_source(self, jobforge_http_server: LocalHttpServer) -> ExampleBoardSource:
        _serve(jobforge_http_server, with_bad_posting=True)
        return ExampleBoardSource(jobforge_http_server.url, http=FAST)


async def test_maps_postings_and_follows_next_links(jobforge_http_server: LocalHttpServer) -> None:
    _serve(jobforge_http_server, with_bad_posting=True)
    records = await collect(ExampleBoardSource(jobforge_http_server.url, http=FAST))
    assert [r.source_id for r in records] == ["101", "102", "103", None]
    assert isinstance(records[3], RejectedRecord)
    assert records[3].reason == "posting without an id"
    first = records[0]
    assert isinstance(first, RawJob)
    job = normalize_job(first, now=datetime(2026, 10, 1, tzinfo=UTC))
    assert job.salary is not None
    assert (job.salary.min, job.salary.max, job.salary.currency) == (60000.0, 80000.0, "EUR")
    assert job.locations[0].country == "DE"
    assert "- FastAPI" in job.description
    assert len(jobforge_http_server.requests_to("/api/jobs")) == 2


def test_the_plugin_registers_its_source_and_hooks() -> None:
    host = PluginHost()
    assert host.add_plugin(plugin, name="template")
    assert "example_board" in host.registries.sources
    options = {o.name for o in host.registries.sources.get("example_board").options}
    assert {"base_url", "max_pages", "rate_limit", "user_agent"} <= options


def test_enrich_job_tags_this_boards_remote_jobs_only() -> None:
    remote = make_job(source="example_board", workplace_type=WorkplaceType.REMOTE, skills=["python"])
    tagged = plugin.enrich_job(remote)
    assert tagged is not None
    assert tagged.skills == ["python", "remote-friendly"]
    assert plugin.enrich_job(tagged) is None
    assert plugin.enrich_job(make_job(source="example_board", workplace_type=WorkplaceType.ONSITE)) is None
    assert plugin.enrich_job(make_job(source="other", workplace_type=WorkplaceType.REMOTE)) is None


async def test_ingest_through_the_engine_runs_the_hook(
    jobforge_http_server: LocalHttpServer, tmp_path: Path
) -> None:
    from jobforge import build_engine

    _serve(jobforge_http_server, with_bad_posting=True)
    overrides = {"data_dir": str(tmp_path), "embedder": {"name": "hashing"}}
    async with build_engine(overrides=overrides) as engine:
        report = await engine.ingest("example_board", {"base_url": jobforge_http_server.url, "rate_limit": 0})
        assert (report.counts.added, report.counts.quarantined) == (3, 1)
        response = await engine.search("support agent")
        support = next(hit.job for hit in response.hits if hit.job.title == "Support Agent")
    assert "remote-friendly" in support.skills
