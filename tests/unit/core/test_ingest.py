"""The ingest pipeline on the in-memory adapters and the hashing embedder."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jobforge.adapters.hashing.embedder import HashingEmbedder
from jobforge.adapters.memory.repository import MemoryJobRepository
from jobforge.adapters.memory.search_index import MemorySearchIndex
from jobforge.core.clock import FixedClock
from jobforge.core.ingest import IngestService
from jobforge.core.models import Job, RawJob, RejectedRecord
from jobforge.core.search_types import IndexQuery, SearchMode
from jobforge.testing.fakes import FailingSource, FakeSource, RecordingEmbedder

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

DESCRIPTION = (
    "We are looking for a data engineer to design, build and operate batch and streaming "
    "pipelines on Python, SQL, Airflow and Kafka, working closely with analysts and product "
    "teams to make trustworthy data available across the whole company every single day."
)
OTHER_DESCRIPTION = (
    "Join the platform team to run our Kubernetes clusters, automate infrastructure with "
    "Terraform, improve observability and on-call tooling, and help product engineers ship "
    "safely many times a day with fast, reliable continuous delivery pipelines everywhere."
)


def raw(source_id: str, *, source: str = "board", **fields: object) -> RawJob:
    values: dict[str, object] = {
        "title": "Senior Data Engineer",
        "company": "Acme Analytics",
        "location_text": "Austin, TX",
        "salary_text": "$120K-$150K",
        "description": DESCRIPTION,
        "url": f"https://jobs.example.com/{source}/{source_id}",
        "posted_at": "2026-11-20T10:00:00Z",
    }
    values.update(fields)
    return RawJob(source=source, source_id=source_id, **values)  # type: ignore[arg-type]


class Pipeline:
    def __init__(self, batch_size: int = 128) -> None:
        self.repository = MemoryJobRepository()
        self.index = MemorySearchIndex()
        self.embedder = RecordingEmbedder(HashingEmbedder(dimensions=64))
        self.service = IngestService(
            repository=self.repository,
            index=self.index,
            embedder=self.embedder,  # type: ignore[arg-type]
            clock=FixedClock(NOW),
            batch_size=batch_size,
        )

    async def jobs(self) -> list[Job]:
        return [job async for job in self.repository.iter_all()]


@pytest.fixture
def pipeline() -> Pipeline:
    return Pipeline()


async def test_new_postings_are_normalised_stored_and_indexed(pipeline: Pipeline) -> None:
    source = FakeSource([raw("1"), raw("2", title="Staff Platform Engineer", description=OTHER_DESCRIPTION)])
    report = await pipeline.service.ingest(source)
    assert report.status == "completed"
    counts = report.counts
    assert (counts.added, counts.updated, counts.unchanged, counts.duplicates, counts.quarantined) == (
        2,
        0,
        0,
        0,
        0,
    )
    assert counts.embedded == 2
    jobs = await pipeline.jobs()
    assert len(jobs) == 2
    job = next(j for j in jobs if j.source_id == "1")
    assert job.salary is not None and job.salary.annual_min == 120_000 and job.salary.currency == "USD"
    assert job.locations[0].region == "TX" and job.locations[0].country == "US"
    assert job.posted_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert job.content_hash and job.fingerprint
    assert await pipeline.index.count() == 2
    result = await pipeline.index.search(IndexQuery(text="platform", vector=None, mode=SearchMode.KEYWORD))
    assert [h.job_id for h in result.hits] == [next(j.id for j in jobs if j.source_id == "2")]


async def test_running_the_same_ingest_twice_changes_and_embeds_nothing(pipeline: Pipeline) -> None:
    records = [raw(str(n), title=f"Data Engineer {n}") for n in range(5)]
    await pipeline.service.ingest(FakeSource(records))
    before = await pipeline.jobs()
    embedded = len(pipeline.embedder.documents)
    upserts = pipeline.repository.upsert_calls
    report = await pipeline.service.ingest(FakeSource(records))
    counts = report.counts
    assert (counts.added, counts.updated, counts.unchanged, counts.embedded) == (0, 0, 5, 0)
    assert len(pipeline.embedder.documents) == embedded
    assert pipeline.repository.upsert_calls == upserts
    assert await pipeline.jobs() == before


async def test_changed_posting_is_updated_and_re_embedded(pipeline: Pipeline) -> None:
    await pipeline.service.ingest(FakeSource([raw("1")]))
    first = (await pipeline.jobs())[0]
    report = await pipeline.service.ingest(FakeSource([raw("1", salary_text="$130K-$160K")]))
    assert (report.counts.updated, report.counts.embedded) == (1, 1)
    (job,) = await pipeline.jobs()
    assert job.id == first.id
    assert job.salary is not None and job.salary.min == 130_000
    assert job.content_hash != first.content_hash
    assert job.sources[0].first_seen == first.sources[0].first_seen


async def test_same_url_from_two_sources_is_one_job_with_both_sources(pipeline: Pipeline) -> None:
    url = "https://careers.acme.example/jobs/42?utm_source=board"
    report = await pipeline.service.ingest(
        FakeSource([raw("a", source="board-a", url=url), raw("b", source="board-b", url=url.split("?")[0])])
    )
    assert (report.counts.added, report.counts.duplicates) == (1, 1)
    (job,) = await pipeline.jobs()
    assert sorted((s.source, s.source_id) for s in job.sources) == [("board-a", "a"), ("board-b", "b")]


async def test_near_duplicates_across_sources_merge_by_fingerprint(pipeline: Pipeline) -> None:
    await pipeline.service.ingest(FakeSource([raw("a", source="board-a")]))
    html = "<p>" + DESCRIPTION.replace(", ", ",  ") + "</p>"
    report = await pipeline.service.ingest(
        FakeSource([raw("x9", source="board-b", description=html, company="ACME Analytics, Inc.")])
    )
    assert report.counts.duplicates == 1
    (job,) = await pipeline.jobs()
    assert {s.source for s in job.sources} == {"board-a", "board-b"}
    result = await pipeline.index.search(IndexQuery(text="", filters=_source_filter("board-b")))
    assert [h.job_id for h in result.hits] == [job.id]


def _source_filter(source: str):  # type: ignore[no-untyped-def]
    from jobforge.core.search_types import SearchFilters

    return SearchFilters(sources=(source,))


async def test_different_jobs_at_the_same_company_never_merge(pipeline: Pipeline) -> None:
    report = await pipeline.service.ingest(
        FakeSource(
            [
                raw("1"),
                raw("2", title="Senior Data Analyst"),
                raw("3", location_text="Boston, MA"),
                raw("4", description=OTHER_DESCRIPTION),
            ]
        )
    )
    assert (report.counts.added, report.counts.duplicates) == (4, 0)


async def test_merged_duplicates_are_unchanged_on_rerun(pipeline: Pipeline) -> None:
    records = [raw("a", source="s1"), raw("b", source="s2")]
    first = await pipeline.service.ingest(FakeSource(records))
    assert (first.counts.added, first.counts.duplicates) == (1, 1)
    second = await pipeline.service.ingest(FakeSource(records))
    assert (second.counts.unchanged, second.counts.duplicates, second.counts.embedded) == (2, 0, 0)


async def test_a_secondary_source_that_becomes_a_different_job_is_detached(pipeline: Pipeline) -> None:
    await pipeline.service.ingest(FakeSource([raw("a", source="s1"), raw("b", source="s2")]))
    report = await pipeline.service.ingest(
        FakeSource([raw("b", source="s2", title="Platform Engineer", description=OTHER_DESCRIPTION)])
    )
    assert report.counts.added == 1
    jobs = await pipeline.jobs()
    assert len(jobs) == 2
    assert sorted(len(j.sources) for j in jobs) == [1, 1]


async def test_bad_records_are_quarantined_with_reasons_and_the_batch_goes_on(pipeline: Pipeline) -> None:
    source = FakeSource(
        [
            raw("1"),
            raw("2", title="   "),
            RejectedRecord(source="board", reason="invalid JSON, line 3", record="{oops", position=3),
            raw("4", company=None),
            raw("5", url="javascript:alert(1)"),
            raw("6", title="Data Engineer II", description=OTHER_DESCRIPTION),
        ]
    )
    report = await pipeline.service.ingest(source, run_id="run-1")
    assert (report.counts.added, report.counts.quarantined) == (2, 4)
    reasons = sorted(entry.reason for entry in report.quarantine)
    assert reasons[0].startswith("company: missing")
    assert "invalid JSON, line 3" in reasons
    assert any(r.startswith("title: missing") for r in reasons)
    assert any(r.startswith("url: not an http(s) URL") for r in reasons)
    stored = await pipeline.repository.list_quarantined(run_id="run-1")
    assert len(stored) == 4
    assert any(r.record == "{oops" for r in stored)


async def test_enrich_hook_runs_and_its_failure_quarantines(pipeline: Pipeline) -> None:
    def enrich(job: Job, raw_job: RawJob) -> Job:
        if raw_job.source_id == "bad":
            raise ValueError("cannot enrich")
        return job.__class__(**{**_fields(job), "skills": [*job.skills, "enriched"]})

    pipeline.service.enrich = enrich
    report = await pipeline.service.ingest(FakeSource([raw("ok"), raw("bad", title="Other job")]))
    assert (report.counts.added, report.counts.quarantined) == (1, 1)
    assert report.quarantine[0].reason == "enrich_job: cannot enrich"
    (job,) = await pipeline.jobs()
    assert "enriched" in job.skills


def _fields(job: Job) -> dict[str, object]:
    return {f: getattr(job, f) for f in job.__struct_fields__}


async def test_a_failing_source_reports_failure_and_a_rerun_completes_without_duplicates() -> None:
    pipeline = Pipeline(batch_size=2)
    records = [raw(str(n), title=f"Data Engineer {n}") for n in range(6)]
    failed = await pipeline.service.ingest(
        FailingSource(records, fail_after=3, error=ConnectionError("network down"))
    )
    assert failed.status == "failed"
    assert failed.error == "ConnectionError: network down"
    assert failed.counts.added == 2  # the first full batch was written
    report = await pipeline.service.ingest(FakeSource(records))
    assert report.status == "completed"
    assert (report.counts.added, report.counts.unchanged) == (4, 2)
    assert len(await pipeline.jobs()) == 6
    assert await pipeline.index.count() == 6


async def test_duplicates_across_batch_boundaries_merge() -> None:
    pipeline = Pipeline(batch_size=1)
    report = await pipeline.service.ingest(FakeSource([raw("a", source="s1"), raw("b", source="s2")]))
    assert (report.counts.added, report.counts.duplicates) == (1, 1)
    (job,) = await pipeline.jobs()
    assert len(job.sources) == 2
