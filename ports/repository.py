"""The job repository port: durable storage of normalised jobs."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol, runtime_checkable

from jobforge.core.models import Job, RejectedRecord

__all__ = ["JobRepository"]


@runtime_checkable
class JobRepository(Protocol):
    """Stores jobs by id and finds the ones an incoming posting duplicates.

    Contract (see ``jobforge.testing`` for the suite every adapter passes):
    ``upsert`` replaces a job with the same id whole; lookups by source key
    consider every entry of ``Job.sources``, not only the primary source.
    """

    async def get(self, job_id: str) -> Job | None:
        """The job with this id, or ``None``."""
        ...

    async def get_many(self, job_ids: Sequence[str]) -> list[Job]:
        """The jobs with these ids, in the given order; unknown ids are skipped."""
        ...

    async def lookup(
        self,
        *,
        source_keys: Sequence[tuple[str, str]] = (),
        urls: Sequence[str] = (),
        fingerprints: Sequence[str] = (),
    ) -> list[Job]:
        """Every stored job that has any of these (source, source_id) pairs
        (in any of its ``sources``), canonical URLs or fingerprints."""
        ...

    async def upsert(self, jobs: Sequence[Job]) -> None:
        """Insert or replace these jobs, atomically as one batch."""
        ...

    async def delete(self, job_ids: Sequence[str]) -> int:
        """Delete these jobs; returns how many existed."""
        ...

    async def count(self) -> int:
        """How many jobs are stored."""
        ...

    def iter_all(self, batch_size: int = 500) -> AsyncIterator[Job]:
        """Every stored job, in id order."""
        ...

    async def add_quarantined(self, run_id: str, records: Sequence[RejectedRecord]) -> None:
        """Keep rejected records with their reasons so nothing is lost."""
        ...

    async def list_quarantined(self, *, run_id: str | None = None, limit: int = 100) -> list[RejectedRecord]:
        """Rejected records, newest first, optionally of one ingest run."""
        ...

    async def close(self) -> None:
        """Release connections and files."""
        ...
