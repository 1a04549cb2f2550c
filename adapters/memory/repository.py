"""An in-memory job repository: a state-recording fake for tests and demos."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Sequence
from typing import Any

import msgspec

from jobforge.core.identity import check_upsert_batch, lookup_terms, source_keys_of
from jobforge.core.models import Job, RejectedRecord

__all__ = ["MemoryJobRepository", "QuarantineEntry"]

_JOB_DECODER = msgspec.json.Decoder(Job)


def _encode_anything(value: Any) -> Any:
    # Same rule as the SQLite adapter: an odd value is kept as its repr.
    return repr(value)


_RECORD_ENCODER = msgspec.json.Encoder(enc_hook=_encode_anything)


class QuarantineEntry(msgspec.Struct, frozen=True, kw_only=True):
    """A quarantined record and the ingest run that rejected it."""

    run_id: str
    record: RejectedRecord


class MemoryJobRepository:
    """A :class:`~jobforge.ports.JobRepository` in dictionaries.

    Jobs are stored as encoded JSON, as a real store would, so callers get
    copies and a job that cannot be serialised fails here too. Every call is
    recorded so tests can assert what a service did:

    Attributes:
        upsert_calls: The batches passed to :meth:`upsert`, in call order.
        lookup_calls: The keyword arguments of every :meth:`lookup`.
        get_many_calls: The ids asked for by :meth:`get` and :meth:`get_many`.
        delete_calls: The ids passed to :meth:`delete`.
        quarantined: Every quarantined record with its run id, oldest first.
        closed: Whether :meth:`close` was called.
    """

    def __init__(self) -> None:
        self._jobs: dict[str, bytes] = {}
        self._lookup_columns: dict[str, tuple[str | None, str]] = {}
        self._key_owner: dict[tuple[str, str], str] = {}
        self.upsert_calls: list[list[Job]] = []
        self.lookup_calls: list[dict[str, list[Any]]] = []
        self.get_many_calls: list[list[str]] = []
        self.delete_calls: list[list[str]] = []
        self.quarantined: list[QuarantineEntry] = []
        self.closed = False

    def _decode(self, job_id: str) -> Job:
        return _JOB_DECODER.decode(self._jobs[job_id])

    async def get(self, job_id: str) -> Job | None:
        """The job with this id, or ``None``."""
        self.get_many_calls.append([job_id])
        return self._decode(job_id) if job_id in self._jobs else None

    async def get_many(self, job_ids: Sequence[str]) -> list[Job]:
        """The jobs with these ids, in the given order; unknown ids are skipped."""
        self.get_many_calls.append(list(job_ids))
        return [self._decode(job_id) for job_id in job_ids if job_id in self._jobs]

    async def lookup(
        self,
        *,
        source_keys: Sequence[tuple[str, str]] = (),
        urls: Sequence[str] = (),
        fingerprints: Sequence[str] = (),
    ) -> list[Job]:
        """Every stored job that has any of these source keys, canonical URLs or fingerprints.

        A source key matches the job most recently upserted with it; empty
        URLs and fingerprints match nothing. The result is in id order.
        """
        self.lookup_calls.append(
            {"source_keys": list(source_keys), "urls": list(urls), "fingerprints": list(fingerprints)}
        )
        keys, url_list, fingerprint_list = lookup_terms(source_keys, urls, fingerprints)
        ids = {self._key_owner[key] for key in keys if key in self._key_owner}
        wanted_urls, wanted_fingerprints = set(url_list), set(fingerprint_list)
        for job_id, (url, fingerprint) in self._lookup_columns.items():
            if (url and url in wanted_urls) or (fingerprint and fingerprint in wanted_fingerprints):
                ids.add(job_id)
        return [self._decode(job_id) for job_id in sorted(ids)]

    async def upsert(self, jobs: Sequence[Job]) -> None:
        """Insert or replace these jobs, atomically as one batch.

        Raises:
            ValueError: The batch names one job id twice or gives one
                ``(source, source_id)`` to two jobs; nothing is written.
        """
        self.upsert_calls.append(copy.deepcopy(list(jobs)))
        check_upsert_batch(jobs)
        encoded = {job.id: msgspec.json.encode(job) for job in jobs}
        for job in jobs:
            self._drop_keys(job.id)
            self._jobs[job.id] = encoded[job.id]
            self._lookup_columns[job.id] = (job.url, job.fingerprint)
        self._key_owner.update({key: job.id for job in jobs for key in source_keys_of(job)})

    def _drop_keys(self, job_id: str) -> None:
        for key in [key for key, owner in self._key_owner.items() if owner == job_id]:
            del self._key_owner[key]

    async def delete(self, job_ids: Sequence[str]) -> int:
        """Delete these jobs; returns how many existed."""
        self.delete_calls.append(list(job_ids))
        deleted = 0
        for job_id in dict.fromkeys(job_ids):
            if self._jobs.pop(job_id, None) is not None:
                del self._lookup_columns[job_id]
                deleted += 1
                self._drop_keys(job_id)
        return deleted

    async def count(self) -> int:
        """How many jobs are stored."""
        return len(self._jobs)

    async def iter_all(self, batch_size: int = 500) -> AsyncIterator[Job]:
        """Every stored job, in id order.

        Raises:
            ValueError: ``batch_size`` is less than 1.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        for job_id in sorted(self._jobs):
            if job_id in self._jobs:
                yield self._decode(job_id)

    async def add_quarantined(self, run_id: str, records: Sequence[RejectedRecord]) -> None:
        """Keep rejected records; the raw record is stored as JSON (odd values as ``repr``)."""
        for record in records:
            stored = msgspec.json.decode(_RECORD_ENCODER.encode(record.record))
            self.quarantined.append(
                QuarantineEntry(run_id=run_id, record=msgspec.structs.replace(record, record=stored))
            )

    async def list_quarantined(self, *, run_id: str | None = None, limit: int = 100) -> list[RejectedRecord]:
        """Rejected records, newest first (reverse order of adding), optionally of one run.

        Raises:
            ValueError: ``limit`` is negative.
        """
        if limit < 0:
            raise ValueError(f"limit must not be negative, got {limit}")
        matching = [e.record for e in reversed(self.quarantined) if run_id is None or e.run_id == run_id]
        return matching[:limit]

    async def close(self) -> None:
        """Mark the repository closed (the data stays readable for assertions)."""
        self.closed = True
