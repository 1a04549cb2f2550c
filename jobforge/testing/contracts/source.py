"""The contract every :class:`~jobforge.ports.JobSource` passes.

Subclass :class:`SourceContract` and override the ``source`` fixture to
return a source over recorded, valid postings (for an HTTP source: pointed
at a :class:`~jobforge.testing.http_server.LocalHttpServer` serving them).
Optionally override ``malformed_source`` to return one whose data holds at
least one malformed posting, and ``expected_count`` with the number of
postings the valid data holds::

    class TestGreenhouse(SourceContract):
        @pytest.fixture
        def source(self, jobforge_http_server):
            jobforge_http_server.file("/v1/boards/acme/jobs", "fixtures/greenhouse.json")
            return GreenhouseSource(board="acme", base_url=jobforge_http_server.url)

        @pytest.fixture
        def expected_count(self):
            return 2
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec
import pytest

from jobforge.core.models import RawJob, RejectedRecord
from jobforge.core.normalizer import normalize_job
from jobforge.ports import JobSource

__all__ = ["SourceContract", "collect"]

_NOW = datetime(2026, 10, 1, tzinfo=UTC)


async def collect(source: JobSource) -> list[RawJob | RejectedRecord]:
    """Everything one ``fetch()`` of ``source`` yields, in order."""
    return [record async for record in source.fetch()]


class SourceContract:
    """Behaviour shared by every job source; subclass and override ``source``."""

    pytestmark = [pytest.mark.asyncio]

    @pytest.fixture
    def source(self) -> JobSource:
        """Return a source over valid postings (override this)."""
        raise NotImplementedError("override the `source` fixture to return a JobSource")

    @pytest.fixture
    def malformed_source(self) -> JobSource:
        """Return a source whose data holds at least one malformed posting (override to enable)."""
        pytest.skip("no malformed_source fixture: override it to test quarantining")

    @pytest.fixture
    def expected_count(self) -> int | None:
        """How many postings ``source`` yields; ``None`` checks only that there are some."""
        return None

    async def test_implements_the_port(self, source: JobSource) -> None:
        """The source satisfies the runtime-checkable ``JobSource`` protocol."""
        assert isinstance(source, JobSource)

    async def test_has_a_name(self, source: JobSource) -> None:
        """The name is a non-empty string without surrounding spaces."""
        assert isinstance(source.name, str)
        assert source.name
        assert source.name == source.name.strip()

    async def test_fetch_yields_only_raw_jobs_or_rejected_records(self, source: JobSource) -> None:
        """``fetch()`` yields :class:`RawJob` and :class:`RejectedRecord` values only."""
        records = await collect(source)
        assert records, "the source yielded nothing"
        for record in records:
            assert isinstance(record, RawJob | RejectedRecord), type(record)

    async def test_valid_postings_are_all_raw_jobs(
        self, source: JobSource, expected_count: int | None
    ) -> None:
        """Valid data yields no rejections, and the expected number of postings."""
        records = await collect(source)
        rejected = [r for r in records if isinstance(r, RejectedRecord)]
        assert rejected == [], f"valid data was rejected: {[r.reason for r in rejected]}"
        if expected_count is not None:
            assert len(records) == expected_count

    async def test_every_record_carries_the_source_name(self, source: JobSource) -> None:
        """Every record's ``source`` is the source's name."""
        for record in await collect(source):
            assert record.source == source.name

    async def test_source_ids_are_set_and_unique(self, source: JobSource) -> None:
        """Every posting has a ``source_id`` or a URL, and ``source_id`` values do not repeat."""
        jobs = [r for r in await collect(source) if isinstance(r, RawJob)]
        ids = [job.source_id or job.url for job in jobs]
        assert all(ids), "a posting has neither source_id nor url"
        assert len(set(ids)) == len(ids), "source ids repeat"

    async def test_postings_normalise(self, source: JobSource) -> None:
        """Every posting of valid data normalises into a job with a title and a company."""
        for raw in await collect(source):
            assert isinstance(raw, RawJob)
            job = normalize_job(raw, now=_NOW)
            assert job.title
            assert job.company
            assert job.source == source.name

    async def test_extra_is_json_serialisable(self, source: JobSource) -> None:
        """``extra`` holds plain JSON values (it is stored and shown as JSON)."""
        for raw in await collect(source):
            assert isinstance(raw, RawJob)
            msgspec.json.decode(msgspec.json.encode(raw.extra))

    async def test_fetching_twice_yields_the_same_postings(self, source: JobSource) -> None:
        """Two fetches of unchanged data yield equal records (ingest is idempotent)."""
        first = await collect(source)
        second = await collect(source)
        assert msgspec.to_builtins(first) == msgspec.to_builtins(second)

    async def test_malformed_postings_are_quarantined_with_a_reason(
        self, malformed_source: JobSource
    ) -> None:
        """A malformed posting becomes a :class:`RejectedRecord` with a reason; the rest still come."""
        records = await collect(malformed_source)
        rejected = [r for r in records if isinstance(r, RejectedRecord)]
        assert rejected, "no malformed posting was rejected"
        assert any(isinstance(r, RawJob) for r in records), "the valid postings around it were lost"
        for record in rejected:
            assert record.source == malformed_source.name
            assert isinstance(record.reason, str)
            assert record.reason.strip()
            msgspec.json.encode(record.record)  # stored as JSON in the quarantine
