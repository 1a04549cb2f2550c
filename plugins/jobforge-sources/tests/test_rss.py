"""RSS and Atom feed source: We Work Remotely items, Atom paging, bad items."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobforge.core.models import RawJob, RejectedRecord, WorkplaceType
from jobforge.core.normalizer import normalize_job
from jobforge.testing.contracts import SourceContract
from jobforge.testing.contracts.source import collect
from jobforge.testing.http_server import LocalHttpServer, Reply, Request
from jobforge_sources.rss import RssSource

from .conftest import FAST

NOW = datetime(2026, 10, 1, tzinfo=UTC)
FEED = "/categories/remote-programming-jobs.rss"


class TestRssContract(SourceContract):
    @pytest.fixture
    def source(self, server: LocalHttpServer, shared: Path) -> RssSource:
        server.file(FEED, shared / "weworkremotely.rss")
        return RssSource(FEED, base_url=server.url, http=FAST)

    @pytest.fixture
    def expected_count(self) -> int:
        return 2

    @pytest.fixture
    def malformed_source(self, server: LocalHttpServer, shared: Path) -> RssSource:
        feed = (shared / "weworkremotely.rss").read_text()
        untitled = "<item><description>No title, no link</description><guid>urn:x</guid></item>"
        server.text(
            FEED, feed.replace("</channel>", untitled + "</channel>"), content_type="application/rss+xml"
        )
        return RssSource(FEED, base_url=server.url, http=FAST)


class TestAtomContract(SourceContract):
    @pytest.fixture
    def source(self, server: LocalHttpServer, own: Path) -> RssSource:
        server.file("/jobs.atom", own / "atom_page1.xml")
        return RssSource(
            "/jobs.atom", company="Northwind Traders", base_url=server.url, http=FAST, max_pages=1
        )

    @pytest.fixture
    def malformed_source(self, server: LocalHttpServer, own: Path) -> RssSource:
        return _paged_atom(server, own)


def _paged_atom(server: LocalHttpServer, own: Path) -> RssSource:
    """The two hand-written Atom pages; the second holds an entry without a title."""
    page1, page2 = (own / "atom_page1.xml").read_bytes(), (own / "atom_page2.xml").read_bytes()

    def answer(request: Request) -> Reply:
        body = page2 if request.query.get("page") == ["2"] else page1
        return Reply(body=body, headers={"Content-Type": "application/atom+xml"})

    server.route("/jobs.atom", answer)
    return RssSource("/jobs.atom", company="Northwind Traders", base_url=server.url, http=FAST)


async def test_we_work_remotely_items(server: LocalHttpServer, shared: Path) -> None:
    server.file(FEED, shared / "weworkremotely.rss")
    source = RssSource(FEED, base_url=server.url, http=FAST, workplace=WorkplaceType.REMOTE)
    first, second = await collect(source)
    assert isinstance(first, RawJob)
    assert isinstance(second, RawJob)
    assert source.name == "rss:" + server.url.removeprefix("http://") + "/categories/remote-programming-jobs"
    assert (first.company, first.title) == ("Fin", "Solutions Architect -Spanish Speaking")
    assert (
        first.source_id == "https://weworkremotely.com/remote-jobs/fin-solutions-architect-spanish-speaking"
    )
    assert first.location_text == "Anywhere in the World"
    assert first.extra == {"categories": ["Full-Stack Programming"]}
    job = normalize_job(first, now=NOW)
    assert job.posted_at == datetime(2026, 9, 11, 7, 30, 48, tzinfo=UTC)  # RFC 822
    assert job.workplace_type is WorkplaceType.REMOTE
    # Entity-escaped HTML with double escaping becomes clean text.
    assert "R&D" in job.description
    assert "&amp;" not in job.description
    assert "&nbsp;" not in job.description
    assert "<p>" not in job.description
    assert normalize_job(second, now=NOW).workplace_type is WorkplaceType.REMOTE


async def test_atom_paging_is_followed_and_a_bad_entry_quarantined(
    server: LocalHttpServer, own: Path
) -> None:
    records = await collect(_paged_atom(server, own))
    assert [type(r).__name__ for r in records] == ["RawJob", "RawJob", "RejectedRecord"]
    first, second, bad = records
    assert isinstance(first, RawJob)
    assert isinstance(second, RawJob)
    assert isinstance(bad, RejectedRecord)
    assert first.url == "https://northwind.example/jobs/platform-engineer"
    assert first.source_id == "urn:northwind:job:1"
    assert first.extra == {"categories": ["Engineering"]}
    assert normalize_job(first, now=NOW).posted_at == datetime(2026, 9, 19, 9, 30, tzinfo=UTC)
    assert normalize_job(second, now=NOW).posted_at == datetime(2026, 9, 18, 10, 0, tzinfo=UTC)
    assert "Kubernetes" in normalize_job(first, now=NOW).description
    assert bad.reason == "rss: item without title"
    assert "urn:northwind:job:3" in bad.record
    assert len(server.requests_to("/jobs.atom")) == 2


async def test_a_feed_that_is_not_xml_fails_the_run(server: LocalHttpServer) -> None:
    server.text("/broken.rss", "<html>maintenance</html", content_type="text/html")
    with pytest.raises(ValueError, match="not a readable feed"):
        await collect(RssSource("/broken.rss", base_url=server.url, http=FAST))
