"""The ``mongo`` job repository: jobs in MongoDB through Beanie.

Each job is one document (see :func:`~jobforge.adapters.mongo.documents.job_documents`)
with indexed ``source_keys``, ``url`` and ``fingerprint``, so every
:meth:`~MongoJobRepository.lookup` is an index lookup; nothing relies on
``$text`` (keyword search belongs to the search index). An upsert batch is
one bulk write of whole-document replacements, run in a transaction when
the server supports them: it is idempotent, and with transactions atomic.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec
from pymongo import ASCENDING, DESCENDING, ReplaceOne

from jobforge.adapters.mongo._connection import MongoConnection
from jobforge.adapters.mongo.documents import job_documents
from jobforge.core.identity import check_upsert_batch as check_batch
from jobforge.core.identity import lookup_terms, source_keys_of
from jobforge.core.models import Job, RejectedRecord

if TYPE_CHECKING:
    from pymongo.asynchronous.client_session import AsyncClientSession

    from jobforge.adapters.mongo._options import MongoOptions

__all__ = ["MongoJobRepository", "encode_source_key"]

T = TypeVar("T")

_CHUNK = 1000
"""Values per ``$in`` list: keeps every query far below the 16 MB command limit."""


def _encode_anything(value: Any) -> Any:
    # A quarantined record must never be lost because it holds an odd type.
    return repr(value)


_RECORD_ENCODER = msgspec.json.Encoder(enc_hook=_encode_anything)


def _chunks(values: Sequence[T], size: int = _CHUNK) -> Iterable[list[T]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


def encode_source_key(source: str, source_id: str) -> str:
    """A source key as stored in ``source_keys``: the JSON text ``["source","source_id"]``."""
    return msgspec.json.encode([source, source_id]).decode()


def _to_document(job: Job) -> dict[str, Any]:
    return {
        "_id": job.id,
        # The job's own id (a JSON string, never equal to a key's JSON array)
        # keeps the array from ever being empty: a unique multikey index
        # indexes an empty array as one value, so two key-less jobs would collide.
        "source_keys": [
            msgspec.json.encode(job.id).decode(),
            *(encode_source_key(*k) for k in source_keys_of(job)),
        ],
        "url": job.url or None,
        "fingerprint": job.fingerprint or None,
        "content_hash": job.content_hash,
        "job": msgspec.to_builtins(job),
    }


def _to_job(document: Any) -> Job:
    return msgspec.convert(document.job, Job)


class MongoJobRepository:
    """A :class:`~jobforge.ports.JobRepository` in a MongoDB database.

    A source key belongs to the job most recently upserted with it: an
    upsert first takes the keys that change hands away from the jobs holding
    them, then replaces its jobs whole. Without transactions (a standalone server, or
    ``transactions = "never"``) a failure between the two steps can leave
    jobs without some keys until the next upsert of them; rerunning the
    ingest repairs it.

    Args:
        options: Connection settings; nothing connects before the first call
            (or :meth:`open`), which must run in the event loop that uses it.
    """

    def __init__(self, options: MongoOptions) -> None:
        self.options = options
        self._documents = job_documents()
        self._connection = MongoConnection(options, self._documents, self._documents.sequences)

    def __repr__(self) -> str:
        return f"MongoJobRepository(database={self.options.database!r})"

    async def open(self) -> None:
        """Connect and create the indexes now instead of on the first call."""
        await self._connection.open()

    async def _jobs(self) -> Any:
        await self._connection.open()
        return self._documents.jobs

    async def _quarantine(self) -> Any:
        await self._connection.open()
        return self._documents.quarantine

    async def get(self, job_id: str) -> Job | None:
        """The job with this id, or ``None``."""
        jobs = await self.get_many([job_id])
        return jobs[0] if jobs else None

    async def get_many(self, job_ids: Sequence[str]) -> list[Job]:
        """The jobs with these ids, in the given order; unknown ids are skipped."""
        if not job_ids:
            return []
        found = await self._find("_id", list(dict.fromkeys(job_ids)))
        return [found[job_id] for job_id in job_ids if job_id in found]

    async def _find(self, field: str, values: Sequence[str]) -> dict[str, Job]:
        model = await self._jobs()
        found: dict[str, Job] = {}
        for chunk in _chunks(values):
            for document in await model.find({field: {"$in": chunk}}).to_list():
                found[document.id] = _to_job(document)
        return found

    async def lookup(
        self,
        *,
        source_keys: Sequence[tuple[str, str]] = (),
        urls: Sequence[str] = (),
        fingerprints: Sequence[str] = (),
    ) -> list[Job]:
        """Every stored job that has any of these source keys, canonical URLs or fingerprints.

        A source key matches the job that was most recently upserted with it
        in its ``sources``. Empty URLs and fingerprints match nothing. The
        result is in id order, each job once.
        """
        found: dict[str, Job] = {}
        keys, url_list, fingerprint_list = lookup_terms(source_keys, urls, fingerprints)
        queries = (
            ("source_keys", [encode_source_key(s, i) for s, i in keys]),
            ("url", url_list),
            ("fingerprint", fingerprint_list),
        )
        for field, values in queries:
            if values:
                found.update(await self._find(field, values))
        return [found[job_id] for job_id in sorted(found)]

    async def upsert(self, jobs: Sequence[Job]) -> None:
        """Insert or replace these jobs as one batch (atomically when transactions are on).

        Raises:
            ValueError: The batch names one job id twice or gives one
                ``(source, source_id)`` to two jobs; nothing is written.
        """
        if not jobs:
            return
        check_batch(jobs)
        owner = {encode_source_key(*key): job.id for job in jobs for key in source_keys_of(job)}
        keys = sorted(owner)
        collection = (await self._jobs()).get_pymongo_collection()
        replacements = [ReplaceOne({"_id": job.id}, _to_document(job), upsert=True) for job in jobs]

        async def write(session: AsyncClientSession | None) -> None:
            # Take the keys that change hands away from their current holders first,
            # so that no replacement collides with them in the unique index.
            moving: set[str] = set()
            holders: set[str] = set()
            for chunk in _chunks(keys):
                query = {"source_keys": {"$in": chunk}}
                async for held in collection.find(query, {"source_keys": 1}, session=session):
                    for key in held["source_keys"]:
                        if owner.get(key, held["_id"]) != held["_id"]:
                            moving.add(key)
                            holders.add(held["_id"])
            for chunk in _chunks(sorted(moving)):
                await collection.update_many(
                    {"_id": {"$in": sorted(holders)}, "source_keys": {"$in": chunk}},
                    {"$pull": {"source_keys": {"$in": chunk}}},
                    session=session,
                )
            await collection.bulk_write(replacements, ordered=False, session=session)

        await self._connection.in_transaction(write)

    async def delete(self, job_ids: Sequence[str]) -> int:
        """Delete these jobs (and so their source keys); returns how many existed."""
        ids = list(dict.fromkeys(job_ids))
        if not ids:
            return 0
        collection = (await self._jobs()).get_pymongo_collection()

        async def remove(session: AsyncClientSession | None) -> int:
            deleted = 0
            for chunk in _chunks(ids):
                result = await collection.delete_many({"_id": {"$in": chunk}}, session=session)
                deleted += result.deleted_count
            return deleted

        return await self._connection.in_transaction(remove)

    async def count(self) -> int:
        """How many jobs are stored."""
        collection = (await self._jobs()).get_pymongo_collection()
        return int(await collection.count_documents({}))

    async def iter_all(self, batch_size: int = 500) -> AsyncIterator[Job]:
        """Every stored job in id order, read ``batch_size`` at a time.

        Each batch is a separate query continuing after the last id seen, so
        no cursor stays open while the caller works on a batch.

        Raises:
            ValueError: ``batch_size`` is less than 1.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        model = await self._jobs()
        after: str | None = None
        while True:
            query = {} if after is None else {"_id": {"$gt": after}}
            batch = await model.find(query).sort([("_id", ASCENDING)]).limit(batch_size).to_list()
            for document in batch:
                yield _to_job(document)
            if len(batch) < batch_size:
                return
            after = batch[-1].id

    async def add_quarantined(self, run_id: str, records: Sequence[RejectedRecord]) -> None:
        """Keep rejected records with their reasons; values msgspec cannot encode are kept as ``repr``."""
        if not records:
            return
        model = await self._quarantine()
        first = await self._connection.next_sequence("quarantine", len(records))
        created_at = datetime.now(UTC)
        await model.insert_many(
            [
                model(
                    run_id=run_id,
                    seq=first + n,
                    source=record.source,
                    source_id=record.source_id,
                    position=record.position,
                    reason=record.reason,
                    record=_RECORD_ENCODER.encode(record.record).decode(),
                    created_at=created_at,
                )
                for n, record in enumerate(records)
            ]
        )

    async def list_quarantined(self, *, run_id: str | None = None, limit: int = 100) -> list[RejectedRecord]:
        """Rejected records, newest first (the reverse of the order they were added), optionally of one run.

        Raises:
            ValueError: ``limit`` is negative.
        """
        if limit < 0:
            raise ValueError(f"limit must not be negative, got {limit}")
        if limit == 0:  # MongoDB reads a limit of 0 as "no limit"
            return []
        model = await self._quarantine()
        query = {} if run_id is None else {"run_id": run_id}
        found = await model.find(query).sort([("seq", DESCENDING)]).limit(limit).to_list()
        return [
            RejectedRecord(
                source=d.source,
                source_id=d.source_id,
                position=d.position,
                reason=d.reason,
                record=msgspec.json.decode(d.record),
            )
            for d in found
        ]

    async def close(self) -> None:
        """Close the client; later calls raise :class:`RuntimeError`. Closing twice is harmless."""
        await self._connection.close()
