"""De-duplication on 956 real Glassdoor postings (many repeated verbatim)."""

from __future__ import annotations

import asyncio
import csv
from collections import defaultdict
from pathlib import Path

import pytest

from jobforge.adapters.file_source.source import FileSource
from jobforge.adapters.hashing.embedder import HashingEmbedder
from jobforge.adapters.memory.repository import MemoryJobRepository
from jobforge.adapters.memory.search_index import MemorySearchIndex
from jobforge.core.clock import SystemClock
from jobforge.core.ingest import IngestService
from jobforge.core.models import Job


@pytest.fixture(scope="module")
def glassdoor(shared_dir: Path) -> Path:
    return shared_dir / "data" / "glassdoor_jobs.csv"


@pytest.fixture(scope="module")
def rows(glassdoor: Path) -> dict[str, dict[str, str]]:
    with glassdoor.open(encoding="utf-8") as f:
        return {row[""]: row for row in csv.DictReader(f)}


def _key(row: dict[str, str]) -> tuple[str, str, str, str]:
    return (row["Job Title"], row["Company Name"], row["Location"], row["Job Description"])


@pytest.fixture(scope="module")
def ingested(glassdoor: Path) -> tuple[object, list[Job]]:
    async def run() -> tuple[object, list[Job]]:
        repository = MemoryJobRepository()
        service = IngestService(
            repository=repository,
            index=MemorySearchIndex(),
            embedder=HashingEmbedder(dimensions=32),
            clock=SystemClock(),
        )
        report = await service.ingest(FileSource(glassdoor))
        return report, [job async for job in repository.iter_all()]

    return asyncio.run(run())


def test_every_exact_copy_merges_into_one_job(
    ingested: tuple[object, list[Job]], rows: dict[str, dict[str, str]]
) -> None:
    report, jobs = ingested
    groups: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for row_id, row in rows.items():
        groups[_key(row)].add(row_id)
    job_of_row = {ref.source_id: job.id for job in jobs for ref in job.sources}
    assert len(job_of_row) == len(rows) == 956
    for row_ids in groups.values():
        assert len({job_of_row[r] for r in row_ids}) == 1
    assert report.counts.added == len(groups) == 600  # type: ignore[attr-defined]
    assert report.counts.duplicates == 956 - 600  # type: ignore[attr-defined]
    assert report.counts.quarantined == 0  # type: ignore[attr-defined]


def test_different_jobs_at_the_same_company_never_merge(
    ingested: tuple[object, list[Job]], rows: dict[str, dict[str, str]]
) -> None:
    _, jobs = ingested
    for job in jobs:
        keys = {_key(rows[ref.source_id]) for ref in job.sources}
        assert len(keys) == 1, f"{job.title} at {job.company} merged different postings"
    # The hard case in this data: two Sunovion "Senior Scientist - Neuroscience"
    # openings in one place whose descriptions share their first paragraphs.
    sunovion = [j for j in jobs if j.company == "Sunovion" and "Neuroscience" in j.title]
    assert len(sunovion) == 2
    assert sunovion[0].fingerprint == sunovion[1].fingerprint


async def test_reingesting_the_file_changes_nothing(glassdoor: Path) -> None:
    repository = MemoryJobRepository()
    service = IngestService(
        repository=repository,
        index=MemorySearchIndex(),
        embedder=HashingEmbedder(dimensions=32),
        clock=SystemClock(),
    )
    await service.ingest(FileSource(glassdoor))
    again = await service.ingest(FileSource(glassdoor))
    assert (again.counts.added, again.counts.updated, again.counts.duplicates, again.counts.embedded) == (
        0,
        0,
        0,
        0,
    )
    assert again.counts.unchanged == 956
