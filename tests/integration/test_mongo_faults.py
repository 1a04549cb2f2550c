"""MongoDB going away in the middle of an ingest.

The run must report ``failed`` with the error; what was written before
stays written; after the server is back (same port, data on disk) a rerun
completes with no duplicates and nothing lost.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from servers.mongo import MongoServer

from jobforge.adapters.file_source.source import FileSource
from jobforge.adapters.hashing.embedder import HashingEmbedder
from jobforge.adapters.memory.repository import MemoryJobRepository
from jobforge.adapters.memory.search_index import MemorySearchIndex
from jobforge.core.clock import SystemClock
from jobforge.core.ingest import IngestService
from jobforge.core.models import Job, RawJob, RejectedRecord
from jobforge.hosts.config import load_settings
from jobforge.hosts.engine import Engine, build_engine
from jobforge.hosts.sample_data import write_sample_file

BATCH = 25
STOP_AFTER = 60
"""Records read before the server is stopped: two whole batches are written by then."""


class StoppingSource:
    """A file source that stops the MongoDB server after ``after`` records, then goes on."""

    def __init__(self, inner: FileSource, server: MongoServer, after: int) -> None:
        self.inner = inner
        self.server = server
        self.after = after

    @property
    def name(self) -> str:
        return self.inner.name

    async def fetch(self) -> AsyncIterator[RawJob | RejectedRecord]:
        count = 0
        async for record in self.inner.fetch():
            count += 1
            if count == self.after:
                self.server.stop()
            yield record


def _engine(server: MongoServer, database: str, data_dir: Path) -> Engine:
    env = {
        "JOBFORGE_REPOSITORY": "mongo",
        "JOBFORGE_MONGO_URL": server.url(),
        "JOBFORGE_MONGO_DATABASE": database,
        "JOBFORGE_EMBEDDER": "hashing",
        "JOBFORGE_SEARCH_INDEX": "memory",
    }
    overrides = {"data_dir": str(data_dir), "ingest.batch_size": BATCH, "mongo.server_selection_timeout": 1.0}
    return build_engine(load_settings(env=env, overrides=overrides))


async def _reference(postings: Path) -> list[Job]:
    """The jobs one uninterrupted ingest of ``postings`` makes."""
    repository = MemoryJobRepository()
    service = IngestService(
        repository=repository,
        index=MemorySearchIndex(),
        embedder=HashingEmbedder(dimensions=64),
        clock=SystemClock(),
        batch_size=BATCH,
    )
    report = await service.ingest(FileSource(postings, name="sample"))
    assert report.status == "completed"
    return [job async for job in repository.iter_all()]


def _keys(job: Job) -> set[tuple[str, str]]:
    return {(job.source, job.source_id), *((s.source, s.source_id) for s in job.sources)}


def test_server_stopped_mid_ingest_then_rerun_after_restart(
    mongo_server_factory: Callable[[], MongoServer], tmp_path: Path
) -> None:
    server = mongo_server_factory()
    postings = write_sample_file(tmp_path / "postings.jsonl", 150, seed=5)
    expected = asyncio.run(_reference(postings))

    async def interrupted_then_rerun() -> None:
        async with _engine(server, "faults", tmp_path / "data") as engine:
            source = StoppingSource(FileSource(postings, name="sample"), server, STOP_AFTER)
            failed = await engine.ingest(source)
            assert failed.status == "failed"
            assert failed.error
            assert f"127.0.0.1:{server.port}" in failed.error  # names the server it could not reach
            assert failed.counts.seen == 3 * BATCH  # the batch being written when the server went away

            server.start()  # same port, same data directory
            repository = engine.container.repository()
            kept = [job async for job in repository.iter_all()]
            assert kept, "the batches written before the failure must survive"
            assert len(kept) < len(expected)

            # The same engine (and its connection pool) recovers once the server is back.
            rerun = await engine.ingest(FileSource(postings, name="sample"))
            assert rerun.status == "completed", rerun.error
            assert rerun.counts.added == len(expected) - len(kept)

    async def check() -> None:
        async with _engine(server, "faults", tmp_path / "data") as engine:
            repository = engine.container.repository()
            stored = [job async for job in repository.iter_all()]
            assert await repository.count() == len(stored) == len(expected)
            assert [job.id for job in stored] == [job.id for job in expected]
            assert [_keys(job) for job in stored] == [_keys(job) for job in expected]
            # Every source key finds exactly its own job: no duplicate was made.
            for job in stored:
                found = await repository.lookup(source_keys=sorted(_keys(job)))
                assert [f.id for f in found] == [job.id]

    asyncio.run(interrupted_then_rerun())
    asyncio.run(check())
