"""SQLite repository behaviour beyond the contract: files, concurrency, schema, speed."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import msgspec
import pytest

from jobforge.adapters.sqlite import plugin
from jobforge.adapters.sqlite._schema import SCHEMA_VERSION, SchemaVersionError
from jobforge.adapters.sqlite.repository import SqliteJobRepository
from jobforge.core.models import RejectedRecord
from jobforge.core.registry import AdapterContext, Registry
from jobforge.testing.factories import make_job


async def test_data_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    repo = SqliteJobRepository(path)
    job = make_job()
    await repo.upsert([job])
    await repo.add_quarantined("run-1", [RejectedRecord(source="s", reason="bad", record={"a": 1})])
    await repo.close()

    reopened = SqliteJobRepository(path)
    try:
        assert await reopened.get(job.id) == job
        assert await reopened.lookup(source_keys=[(job.source, job.source_id)]) == [job]
        assert await reopened.list_quarantined(run_id="run-1") == [
            RejectedRecord(source="s", reason="bad", record={"a": 1})
        ]
    finally:
        await reopened.close()


async def test_uses_wal_mode_and_records_the_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    repo = SqliteJobRepository(path)
    await repo.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    assert repo.schema_version == SCHEMA_VERSION


async def test_a_newer_schema_is_refused_with_the_path(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    await SqliteJobRepository(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(SchemaVersionError, match=r"jobs\.sqlite3.*newer"):
        SqliteJobRepository(path)


async def test_concurrent_calls_from_many_tasks(tmp_path: Path) -> None:
    repo = SqliteJobRepository(tmp_path / "jobs.sqlite3")
    try:
        batches = [[make_job(source=f"s{b}", source_id=str(n)) for n in range(50)] for b in range(8)]

        async def write_then_read(batch: list) -> int:
            await repo.upsert(batch)
            found = await repo.lookup(source_keys=[(j.source, j.source_id) for j in batch])
            await repo.add_quarantined(batch[0].source, [RejectedRecord(source=batch[0].source, reason="x")])
            return len(found)

        results = await asyncio.gather(*(write_then_read(batch) for batch in batches), repo.count())
        assert results[:-1] == [50] * 8
        assert await repo.count() == 400
        assert len(await repo.list_quarantined(limit=100)) == 8
    finally:
        await repo.close()


async def test_iterating_while_writing_sees_every_job_that_existed(tmp_path: Path) -> None:
    repo = SqliteJobRepository(tmp_path / "jobs.sqlite3")
    try:
        jobs = [make_job(id=f"job-{n:03d}") for n in range(30)]
        await repo.upsert(jobs)
        seen = []
        async for job in repo.iter_all(batch_size=7):
            seen.append(job.id)
            if job.id == "job-010":
                await repo.upsert([make_job(id="job-005b"), make_job(id="job-999")])
        assert seen == [j.id for j in jobs] + ["job-999"]
    finally:
        await repo.close()


async def test_a_failed_batch_rolls_back(tmp_path: Path) -> None:
    repo = SqliteJobRepository(tmp_path / "jobs.sqlite3")
    try:
        # Bypass the up-front validation to prove the transaction itself is atomic.
        conn = repo._conn
        assert conn is not None
        conn.execute(
            "CREATE TRIGGER fail_on_boom BEFORE INSERT ON jobs WHEN NEW.id = 'boom' "
            "BEGIN SELECT RAISE(ABORT, 'boom refused'); END"
        )
        with pytest.raises(sqlite3.IntegrityError, match="boom refused"):
            await repo.upsert([make_job(id="fine"), make_job(id="boom")])
        assert await repo.count() == 0
        await repo.upsert([make_job(id="fine")])
        assert await repo.count() == 1
    finally:
        await repo.close()


async def test_reingesting_unchanged_postings_is_fast(tmp_path: Path) -> None:
    repo = SqliteJobRepository(tmp_path / "jobs.sqlite3")
    try:
        description = " ".join(["Design, build and operate data pipelines."] * 40)
        jobs = [make_job(source="board", source_id=str(n), description=description) for n in range(1_000)]
        for start in range(0, 1_000, 250):
            await repo.upsert(jobs[start : start + 250])
        best = float("inf")
        for _ in range(3):  # the machine is shared: take the best of three
            started = time.perf_counter()
            for start in range(0, 1_000, 100):
                batch = jobs[start : start + 100]
                found = await repo.lookup(
                    source_keys=[(j.source, j.source_id) for j in batch],
                    urls=[j.url for j in batch if j.url],
                    fingerprints=[j.fingerprint for j in batch],
                )
                assert len(found) == 100
                await repo.get_many([j.id for j in found])
            best = min(best, time.perf_counter() - started)
        assert best < 0.3, f"re-ingest lookups of 1,000 postings took {best:.3f}s"
    finally:
        await repo.close()


async def test_closed_repository_refuses_calls(tmp_path: Path) -> None:
    repo = SqliteJobRepository(tmp_path / "jobs.sqlite3")
    await repo.close()
    await repo.close()
    with pytest.raises(RuntimeError, match="closed"):
        await repo.count()


async def test_quarantined_values_msgspec_cannot_encode_are_kept_as_repr(tmp_path: Path) -> None:
    repo = SqliteJobRepository(tmp_path / "jobs.sqlite3")
    try:
        odd = RejectedRecord(source="s", reason="odd", record={"z": 1 + 2j, "n": 1})
        await repo.add_quarantined("run", [odd])
        [stored] = await repo.list_quarantined()
        assert stored.record == {"z": "(1+2j)", "n": 1}
    finally:
        await repo.close()


async def test_in_memory_database(tmp_path: Path) -> None:
    repo = SqliteJobRepository(":memory:")
    try:
        await repo.upsert([make_job()])
        assert await repo.count() == 1
    finally:
        await repo.close()


async def test_plugin_builds_the_default_path_under_the_data_dir(tmp_path: Path) -> None:
    registry: Registry[object] = Registry("repository")
    plugin.register_repositories(registry)
    data_dir = tmp_path / "nested" / "data"
    repo = registry.build("sqlite", AdapterContext(name="sqlite", data_dir=str(data_dir)))
    assert isinstance(repo, SqliteJobRepository)
    assert Path(repo.path) == data_dir / "jobs.sqlite3"
    await repo.close()
    custom = tmp_path / "elsewhere" / "x.db"
    repo = registry.build("sqlite", AdapterContext(name="sqlite", options={"path": str(custom)}))
    assert isinstance(repo, SqliteJobRepository)
    await repo.upsert([make_job()])
    await repo.close()
    assert custom.is_file()


def test_jobs_are_stored_as_msgspec_json(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"

    async def store() -> None:
        repo = SqliteJobRepository(path)
        await repo.upsert([make_job(id="j1", fingerprint="fp-1")])
        await repo.close()

    asyncio.run(store())
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT id, fingerprint, data FROM jobs").fetchone()
    assert row[0] == "j1"
    assert row[1] == "fp-1"
    assert msgspec.json.decode(row[2])["id"] == "j1"
