"""Ingest runs started through the API.

A registered source runs in the background (an asyncio task); its progress
and counts are recorded in ``store.ingest_runs`` so ``GET
/api/v1/ingest/{run_id}`` can report them.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Mapping
from typing import TYPE_CHECKING, Any

import msgspec

from jobforge.core.ingest import IngestCounts, IngestReport
from jobforge.core.models import IngestRun, RawJob, RejectedRecord
from jobforge.hosts.engine import Engine

if TYPE_CHECKING:
    from jobforge.hosts.http.state import HttpState
    from jobforge.ports import JobSource

__all__ = ["IngestRunner", "RecordsSource"]

log = logging.getLogger(__name__)


class RecordsSource:
    """A job source over records already in memory (the batch upsert endpoint)."""

    def __init__(self, name: str, records: list[RawJob]) -> None:
        self._name = name
        self._records = records

    @property
    def name(self) -> str:
        """The source name recorded on every posting."""
        return self._name

    async def fetch(self) -> AsyncIterator[RawJob | RejectedRecord]:
        """Every record, in order."""
        for record in self._records:
            yield record

    def total_hint(self) -> int:
        """How many records there are."""
        return len(self._records)


class _ProgressSource:
    """Wraps a source so the run record is saved after each batch the pipeline finished.

    The pipeline reports progress through a synchronous callback; the save
    happens at the next ``fetch`` step, where awaiting is allowed.
    """

    def __init__(self, inner: JobSource, runner: IngestRunner, run: IngestRun) -> None:
        self.inner = inner
        self.runner = runner
        self.run = run
        self.dirty = False

    @property
    def name(self) -> str:
        return self.inner.name

    def progress(self, counts: IngestCounts) -> None:
        self.run.counts = msgspec.structs.asdict(counts)
        self.dirty = True

    async def fetch(self) -> AsyncIterator[RawJob | RejectedRecord]:
        async for record in self.inner.fetch():
            if self.dirty:
                self.dirty = False
                await self.runner.save(self.run)
            yield record


class IngestRunner:
    """Starts ingest runs as background tasks and tracks them until they end."""

    def __init__(self, state: HttpState) -> None:
        self.state = state
        self.tasks: dict[str, asyncio.Task[None]] = {}

    @property
    def store(self) -> Any:
        """``store.ingest_runs`` of the container."""
        return self.state.container.store().ingest_runs

    def source(self, name: str, options: Mapping[str, Any]) -> JobSource:
        """Build a registered (or configured) source.

        Raises:
            UnknownAdapterError: No such source.
            ConfigError: A bad option, naming it.
        """
        return Engine(self.state.container).source(name, options)

    async def save(self, run: IngestRun) -> None:
        """Persist the run's current state."""
        await self.store.save(run)

    async def start(self, source: JobSource, *, tenant_id: str | None) -> IngestRun:
        """Record a queued run and start it in the background."""
        clock = self.state.container.clock()
        run = IngestRun(
            id=uuid.uuid4().hex,
            source=source.name,
            status="queued",
            tenant_id=tenant_id,
            started_at=clock.now(),
        )
        await self.save(run)
        task = asyncio.get_running_loop().create_task(self._run(source, run), name=f"ingest-{run.id}")
        self.tasks[run.id] = task
        task.add_done_callback(lambda _: self.tasks.pop(run.id, None))
        return run

    async def run_now(self, source: JobSource) -> IngestReport:
        """Ingest a source in the request (the batch upsert endpoint) and invalidate the search cache."""
        try:
            return await self.state.container.ingest_service().ingest(source)
        finally:
            await self.state.cached_search().invalidate()

    async def _run(self, source: JobSource, run: IngestRun) -> None:
        clock = self.state.container.clock()
        wrapped = _ProgressSource(source, self, run)
        run.status = "running"
        try:
            await self.save(run)
            report = await self.state.container.ingest_service().ingest(
                wrapped, run_id=run.id, progress=wrapped.progress
            )
            run.counts = msgspec.structs.asdict(report.counts)
            run.status = report.status
            run.error = report.error
        except asyncio.CancelledError:
            run.status, run.error = "failed", "cancelled: the server shut down"
            raise
        except Exception as exc:  # a failing source must never take the server down
            log.exception("ingest run %s failed", run.id)
            run.status, run.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            run.finished_at = clock.now()
            self.state.metrics.ingest_runs.labels(run.status).inc()
            await asyncio.shield(self._finish(run))

    async def _finish(self, run: IngestRun) -> None:
        try:
            await self.save(run)
            await self.state.cached_search().invalidate()
        except Exception:
            log.exception("recording the end of ingest run %s failed", run.id)

    async def shutdown(self) -> None:
        """Cancel runs still going (they are recorded as failed)."""
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
