"""The contract every :class:`~jobforge.ports.JobRepository` adapter passes.

Subclass :class:`JobRepositoryContract` and override the ``repository``
fixture to yield a fresh, empty repository::

    class TestMyRepository(JobRepositoryContract):
        @pytest.fixture
        async def repository(self, tmp_path):
            repo = MyRepository(tmp_path / "jobs.db")
            yield repo
            await repo.close()

Semantics beyond the port docstrings that the suite pins down:

* The source keys of a job are its primary ``(source, source_id)`` plus every
  entry of ``sources``. A key belongs to the job most recently upserted with
  it: upserting job B with a key job A had moves the key to B.
* An upsert batch that names the same job id twice, or gives one
  ``(source, source_id)`` to two different jobs, raises ``ValueError`` and
  writes nothing.
* Empty URLs and fingerprints never match in ``lookup``.
* ``list_quarantined`` returns records in the reverse of the order they were
  added; a quarantined ``record`` round-trips through JSON.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import msgspec
import pytest

from jobforge.core.models import Job, Location, RejectedRecord, SourceRef
from jobforge.ports import JobRepository
from jobforge.testing.factories import make_job

__all__ = ["JobRepositoryContract"]


async def _collect(iterator: AsyncIterator[Job]) -> list[Job]:
    return [job async for job in iterator]


def _ids(jobs: list[Job]) -> list[str]:
    return [job.id for job in jobs]


def _merged(job: Job, *others: Job) -> Job:
    """``job`` carrying the source refs of ``others`` too, as dedup produces."""
    return msgspec.structs.replace(job, sources=[*job.sources, *(s for o in others for s in o.sources)])


class JobRepositoryContract:
    """Behaviour shared by every job repository; subclass and override ``repository``."""

    pytestmark = [pytest.mark.asyncio]

    @pytest.fixture
    async def repository(self) -> AsyncIterator[JobRepository]:
        """Yield a fresh, empty repository and close it afterwards (override this)."""
        raise NotImplementedError("override the `repository` fixture to yield an empty JobRepository")
        yield  # pragma: no cover  # noqa: PT022  (makes this an async generator fixture like its overrides)

    # --- get / get_many -----------------------------------------------------

    async def test_implements_the_port(self, repository: JobRepository) -> None:
        """The adapter satisfies the runtime-checkable ``JobRepository`` protocol."""
        assert isinstance(repository, JobRepository)

    async def test_empty_repository(self, repository: JobRepository) -> None:
        """A fresh repository finds nothing and counts zero."""
        assert await repository.count() == 0
        assert await repository.get("nope") is None
        assert await repository.get_many(["a", "b"]) == []
        assert await _collect(repository.iter_all()) == []
        assert await repository.lookup(source_keys=[("test", "x")], urls=["u"], fingerprints=["f"]) == []
        assert await repository.lookup() == []

    async def test_get_returns_the_stored_job(self, repository: JobRepository) -> None:
        """Get returns the stored job."""
        job = make_job()
        await repository.upsert([job])
        assert await repository.get(job.id) == job

    async def test_get_many_keeps_the_requested_order_and_skips_unknown_ids(
        self, repository: JobRepository
    ) -> None:
        """Get many keeps the requested order and skips unknown ids."""
        a, b, c = make_job(id="a"), make_job(id="b"), make_job(id="c")
        await repository.upsert([a, b, c])
        got = await repository.get_many(["c", "missing", "a", "b"])
        assert _ids(got) == ["c", "a", "b"]
        assert got == [c, a, b]
        assert await repository.get_many([]) == []

    async def test_returned_jobs_are_copies(self, repository: JobRepository) -> None:
        """Mutating a stored or returned job never changes what is stored."""
        job = make_job()
        await repository.upsert([job])
        got = await repository.get(job.id)
        assert got is not None
        got.skills.append("mutated")
        job.skills.append("mutated too")
        again = await repository.get(job.id)
        assert again is not None
        assert "mutated" not in again.skills
        assert "mutated too" not in again.skills

    # --- upsert ---------------------------------------------------------------

    async def test_upsert_replaces_the_whole_job(self, repository: JobRepository) -> None:
        """Upsert replaces the whole job."""
        job = make_job(department="Data", skills=["python", "sql"])
        await repository.upsert([job])
        replacement = make_job(
            id=job.id,
            source=job.source,
            source_id=job.source_id,
            title="Staff Data Engineer",
            department=None,
            skills=["scala"],
            salary=None,
            locations=[],
        )
        await repository.upsert([replacement])
        assert await repository.get(job.id) == replacement
        assert await repository.count() == 1

    async def test_upsert_of_an_empty_batch_is_a_no_op(self, repository: JobRepository) -> None:
        """Upserting an empty batch writes nothing."""
        await repository.upsert([])
        assert await repository.count() == 0

    async def test_upsert_is_idempotent(self, repository: JobRepository) -> None:
        """Upserting the same batch twice leaves one copy of each job."""
        jobs = [make_job() for _ in range(5)]
        await repository.upsert(jobs)
        await repository.upsert(jobs)
        assert await repository.count() == 5
        assert await repository.get_many(_ids(jobs)) == jobs

    async def test_large_batches_cross_any_parameter_limit(self, repository: JobRepository) -> None:
        """Batches beyond any per-statement parameter limit work for every call."""
        jobs = [make_job(id=f"bulk-{n:05d}", source="bulk", source_id=str(n)) for n in range(1_200)]
        await repository.upsert(jobs)
        assert await repository.count() == 1_200
        assert _ids(await repository.get_many(_ids(jobs))) == _ids(jobs)
        found = await repository.lookup(
            source_keys=[("bulk", str(n)) for n in range(1_200)],
            urls=[job.url for job in jobs if job.url],
            fingerprints=[job.fingerprint for job in jobs],
        )
        assert sorted(_ids(found)) == sorted(_ids(jobs))
        assert await repository.delete(_ids(jobs)) == 1_200

    # --- atomicity --------------------------------------------------------------

    async def test_two_jobs_claiming_one_source_key_fail_and_write_nothing(
        self, repository: JobRepository
    ) -> None:
        """Two jobs claiming one source key fail and write nothing."""
        existing = make_job()
        await repository.upsert([existing])
        first = make_job(source="board", source_id="42")
        second = make_job(source="other", source_id="7")
        second = _merged(second, first)  # also claims ("board", "42")
        fresh = make_job()
        with pytest.raises(ValueError, match="42"):
            await repository.upsert([fresh, first, second])
        assert await repository.count() == 1
        assert await repository.get(fresh.id) is None
        assert await repository.lookup(source_keys=[("board", "42")]) == []
        assert await repository.get(existing.id) == existing

    async def test_one_id_twice_in_a_batch_fails_and_writes_nothing(self, repository: JobRepository) -> None:
        """One id twice in a batch fails and writes nothing."""
        job = make_job()
        with pytest.raises(ValueError, match=job.id):
            await repository.upsert([job, msgspec.structs.replace(job, title="Other")])
        assert await repository.count() == 0

    async def test_a_job_listing_its_own_key_twice_is_fine(self, repository: JobRepository) -> None:
        """A job listing its own key twice is fine."""
        job = make_job()
        job = msgspec.structs.replace(job, sources=[*job.sources, *job.sources])
        await repository.upsert([job])
        assert _ids(await repository.lookup(source_keys=[(job.source, job.source_id)])) == [job.id]

    # --- lookup -------------------------------------------------------------------

    async def test_lookup_by_each_key_kind(self, repository: JobRepository) -> None:
        """Lookup matches by source key, by exact URL and by fingerprint."""
        a = make_job(source="board", source_id="1", url="https://a.example/1", fingerprint="fp-a")
        b = make_job(source="board", source_id="2", url="https://b.example/2", fingerprint="fp-b")
        c = make_job(source="board", source_id="3", url="https://c.example/3", fingerprint="fp-c")
        await repository.upsert([a, b, c])
        assert _ids(await repository.lookup(source_keys=[("board", "1")])) == [a.id]
        assert _ids(await repository.lookup(urls=["https://b.example/2"])) == [b.id]
        assert _ids(await repository.lookup(fingerprints=["fp-c"])) == [c.id]
        assert await repository.lookup(source_keys=[("other-board", "1")]) == []
        assert await repository.lookup(urls=["https://a.example/1/"]) == []
        both = await repository.lookup(source_keys=[("board", "1")], fingerprints=["fp-c"])
        assert sorted(_ids(both)) == sorted([a.id, c.id])

    async def test_lookup_returns_each_job_once_even_when_several_keys_match(
        self, repository: JobRepository
    ) -> None:
        """Lookup returns each job once even when several keys match."""
        job = make_job(fingerprint="fp-x")
        await repository.upsert([job])
        found = await repository.lookup(
            source_keys=[(job.source, job.source_id), (job.source, job.source_id)],
            urls=[job.url or ""],
            fingerprints=["fp-x"],
        )
        assert found == [job]

    async def test_lookup_finds_a_merged_job_by_a_secondary_source(self, repository: JobRepository) -> None:
        """Lookup finds a merged job by a secondary source."""
        primary = make_job(source="greenhouse", source_id="gh-1")
        secondary = make_job(source="indeed", source_id="in-9")
        merged = _merged(primary, secondary)
        await repository.upsert([merged])
        found = await repository.lookup(source_keys=[("indeed", "in-9")])
        assert _ids(found) == [primary.id]
        assert found[0].sources == merged.sources

    async def test_primary_source_counts_even_when_sources_is_empty(self, repository: JobRepository) -> None:
        """The primary (source, source_id) is a key even when ``sources`` is empty."""
        job = make_job(source="board", source_id="p-1", sources=[])
        await repository.upsert([job])
        assert _ids(await repository.lookup(source_keys=[("board", "p-1")])) == [job.id]

    async def test_upsert_replaces_a_jobs_old_source_keys(self, repository: JobRepository) -> None:
        """Upsert replaces a job's old source keys."""
        primary = make_job(source="greenhouse", source_id="gh-2")
        secondary = make_job(source="indeed", source_id="in-2")
        await repository.upsert([_merged(primary, secondary)])
        await repository.upsert([primary])  # the secondary listing is gone
        assert await repository.lookup(source_keys=[("indeed", "in-2")]) == []
        assert _ids(await repository.lookup(source_keys=[("greenhouse", "gh-2")])) == [primary.id]

    async def test_a_source_key_moves_to_the_job_upserted_with_it(self, repository: JobRepository) -> None:
        """A source key moves to the job upserted with it."""
        a = make_job(source="board", source_id="a")
        b = make_job(source="board", source_id="b")
        await repository.upsert([a, b])
        shared = SourceRef(source="aggregator", source_id="agg-1")
        await repository.upsert([msgspec.structs.replace(a, sources=[*a.sources, shared])])
        assert _ids(await repository.lookup(source_keys=[("aggregator", "agg-1")])) == [a.id]
        await repository.upsert([msgspec.structs.replace(b, sources=[*b.sources, shared])])
        assert _ids(await repository.lookup(source_keys=[("aggregator", "agg-1")])) == [b.id]
        # Each job keeps its own primary key.
        assert _ids(await repository.lookup(source_keys=[("board", "a")])) == [a.id]
        # Deleting the new owner does not hand the key back.
        await repository.delete([b.id])
        assert await repository.lookup(source_keys=[("aggregator", "agg-1")]) == []

    async def test_lookup_after_replacing_url_and_fingerprint(self, repository: JobRepository) -> None:
        """Replacing a job's URL and fingerprint replaces what lookup matches."""
        job = make_job(url="https://old.example/1", fingerprint="fp-old")
        await repository.upsert([job])
        await repository.upsert(
            [msgspec.structs.replace(job, url="https://new.example/1", fingerprint="fp-new")]
        )
        assert await repository.lookup(urls=["https://old.example/1"], fingerprints=["fp-old"]) == []
        assert _ids(await repository.lookup(urls=["https://new.example/1"])) == [job.id]
        assert _ids(await repository.lookup(fingerprints=["fp-new"])) == [job.id]

    async def test_empty_urls_and_fingerprints_match_nothing(self, repository: JobRepository) -> None:
        """Empty urls and fingerprints match nothing."""
        job = msgspec.structs.replace(make_job(), url=None, fingerprint="")
        await repository.upsert([job])
        assert await repository.lookup(urls=[""], fingerprints=[""]) == []

    async def test_lookup_finds_every_job_sharing_a_fingerprint(self, repository: JobRepository) -> None:
        """Lookup finds every job sharing a fingerprint."""
        a, b = make_job(fingerprint="same"), make_job(fingerprint="same")
        await repository.upsert([a, b, make_job()])
        assert sorted(_ids(await repository.lookup(fingerprints=["same"]))) == sorted([a.id, b.id])

    # --- delete / count -----------------------------------------------------------

    async def test_delete_returns_how_many_existed(self, repository: JobRepository) -> None:
        """Delete returns how many existed."""
        a, b, c = make_job(), make_job(), make_job()
        await repository.upsert([a, b, c])
        assert await repository.delete([a.id, "missing", b.id, a.id]) == 2
        assert await repository.count() == 1
        assert await repository.get(a.id) is None
        assert await repository.delete([]) == 0
        assert await repository.delete([a.id]) == 0

    async def test_delete_removes_the_jobs_keys(self, repository: JobRepository) -> None:
        """Delete removes the job's keys."""
        job = _merged(make_job(fingerprint="fp-del"), make_job(source="second", source_id="s-1"))
        await repository.upsert([job])
        await repository.delete([job.id])
        assert (
            await repository.lookup(
                source_keys=[(job.source, job.source_id), ("second", "s-1")],
                urls=[job.url or ""],
                fingerprints=["fp-del"],
            )
            == []
        )

    async def test_count(self, repository: JobRepository) -> None:
        """Count adds up across batches."""
        await repository.upsert([make_job() for _ in range(3)])
        await repository.upsert([make_job() for _ in range(2)])
        assert await repository.count() == 5

    # --- iter_all -------------------------------------------------------------------

    async def test_iter_all_yields_every_job_in_id_order(self, repository: JobRepository) -> None:
        """``iter_all`` yields every job once, in id order."""
        ids = ["m", "b", "z", "a", "k", "b2", "A", "0"]
        jobs = [make_job(id=job_id) for job_id in ids]
        await repository.upsert(jobs)
        got = await _collect(repository.iter_all())
        assert _ids(got) == sorted(ids)
        assert sorted(got, key=lambda j: j.id) == sorted(jobs, key=lambda j: j.id)

    @pytest.mark.parametrize("batch_size", [1, 2, 3, 4, 5, 500])
    async def test_iter_all_batch_boundaries(self, repository: JobRepository, batch_size: int) -> None:
        """Batch sizes below, at and above the job count all yield every job once."""
        jobs = [make_job(id=f"job-{n:02d}") for n in range(4)]
        await repository.upsert(jobs)
        assert _ids(await _collect(repository.iter_all(batch_size=batch_size))) == _ids(jobs)

    async def test_iter_all_rejects_a_batch_size_below_one(self, repository: JobRepository) -> None:
        """A batch size below one is a ``ValueError``."""
        with pytest.raises(ValueError, match="batch_size"):
            await _collect(repository.iter_all(batch_size=0))

    # --- quarantine -------------------------------------------------------------------

    async def test_quarantine_lists_newest_first(self, repository: JobRepository) -> None:
        """Quarantined records come back newest first, limited, with their raw records."""
        first = RejectedRecord(source="file:a", reason="invalid JSON, line 3", record="{oops", position=3)
        second = RejectedRecord(
            source="file:a", reason="no title", record={"id": 1, "tags": ["x"]}, source_id="1", position=4
        )
        third = RejectedRecord(source="board", reason="bad salary", record=["a", 1, None, 2.5, True])
        await repository.add_quarantined("run-1", [first, second])
        await repository.add_quarantined("run-2", [third])
        assert await repository.list_quarantined() == [third, second, first]
        assert await repository.list_quarantined(limit=2) == [third, second]
        assert await repository.list_quarantined(limit=0) == []

    async def test_quarantine_by_run(self, repository: JobRepository) -> None:
        """Quarantined records can be listed per ingest run."""
        records = [RejectedRecord(source="s", reason=f"r{n}", record=n) for n in range(4)]
        await repository.add_quarantined("run-a", records[:2])
        await repository.add_quarantined("run-b", records[2:3])
        await repository.add_quarantined("run-a", records[3:])
        assert await repository.list_quarantined(run_id="run-a") == [records[3], records[1], records[0]]
        assert await repository.list_quarantined(run_id="run-b") == [records[2]]
        assert await repository.list_quarantined(run_id="run-c") == []
        assert await repository.list_quarantined(run_id="run-a", limit=1) == [records[3]]
        await repository.add_quarantined("run-c", [])
        assert await repository.list_quarantined(run_id="run-c") == []

    async def test_quarantine_keeps_unicode_and_missing_fields(self, repository: JobRepository) -> None:
        """Unicode and absent optional fields survive quarantine."""
        record = RejectedRecord(
            source="fichier:é", reason="titre manquant ✗", record="naïve 日本語 \u2028 \x00"
        )
        bare = RejectedRecord(source="s", reason="no record")
        await repository.add_quarantined("run", [record, bare])
        assert await repository.list_quarantined() == [bare, record]

    # --- round trips ------------------------------------------------------------------

    async def test_unicode_round_trip(self, repository: JobRepository) -> None:
        """Non-ASCII ids, keys and text round-trip unchanged."""
        job = make_job(
            id="ünïcode-1 😀",
            source="böard",
            source_id="идентификатор",
            title="Ingénieur·e logiciel 🚀",
            company="Société Générale de Café ☕",
            description="Wir suchen: 数据工程师 — «quotes» and 'apostrophes' \\ backslash \n\t tabs \u2028",
            locations=[Location(city="Zürich", country="CH", text="Zürich, Schweiz")],
            skills=["c++", "c#", "日本語"],
        )
        await repository.upsert([job])
        assert await repository.get(job.id) == job
        assert await repository.lookup(source_keys=[("böard", "идентификатор")]) == [job]
        assert await repository.lookup(urls=[job.url or ""]) == [job]

    async def test_datetimes_stay_timezone_aware(self, repository: JobRepository) -> None:
        """Datetimes come back timezone-aware and equal to the stored instants."""
        plus_two = timezone(timedelta(hours=2))
        posted = datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=plus_two)
        job = make_job(
            posted_at=posted,
            valid_through=datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
            updated_at=datetime(2026, 4, 1, tzinfo=UTC),
            sources=[SourceRef(source="test", source_id="tz", first_seen=datetime(2026, 1, 1, tzinfo=UTC))],
            source_id="tz",
        )
        await repository.upsert([job])
        got = await repository.get(job.id)
        assert got is not None
        for value in (got.posted_at, got.valid_through, got.updated_at, got.sources[0].first_seen):
            assert value is not None
            assert value.tzinfo is not None
            assert value.utcoffset() is not None
        assert got.posted_at == posted
        assert got.posted_at is not None
        assert got.posted_at.astimezone(UTC) == datetime(2026, 3, 28, 23, 30, 15, 123456, tzinfo=UTC)
        assert got == job

    async def test_every_optional_field_round_trips_empty(self, repository: JobRepository) -> None:
        """A job with every optional field empty round-trips."""
        fields: dict[str, Any] = {
            "url": None,
            "apply_url": None,
            "fingerprint": "",
            "content_hash": "",
            "locations": [],
            "salary": None,
            "skills": [],
            "department": None,
            "description": "",
            "posted_at": None,
            "valid_through": None,
            "sources": [],
        }
        job = msgspec.structs.replace(make_job(), **fields)
        await repository.upsert([job])
        assert await repository.get(job.id) == job
