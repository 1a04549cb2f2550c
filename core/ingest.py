"""The ingest pipeline: normalise, enrich, de-duplicate, embed what changed, upsert.

A bad record is quarantined with its reason and counted; it never aborts
the batch. Running the same ingest twice changes nothing and embeds
nothing the second time.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

import msgspec

from jobforge.core.identity import content_hash, embedding_text, same_description
from jobforge.core.models import Job, RawJob, RejectedRecord, SourceRef
from jobforge.core.normalizer import NormalizationError, normalize_job
from jobforge.core.search_types import IndexDocument
from jobforge.ports import Clock, Embedder, JobRepository, JobSource, SearchIndex

__all__ = ["IngestCounts", "IngestReport", "IngestService", "QuarantineEntry"]

Enricher = Callable[[Job, RawJob], Job]
ChangeHook = Callable[[Sequence[Job]], Awaitable[None]]
ProgressCallback = Callable[["IngestCounts"], None]


class QuarantineEntry(msgspec.Struct, frozen=True, kw_only=True):
    """Why one record was quarantined, and where it was."""

    reason: str
    source_id: str | None = None
    position: int | None = None


class IngestCounts(msgspec.Struct, kw_only=True):
    """Running totals of one ingest run.

    ``duplicates`` are records merged into another job (same canonical URL
    or same fingerprint) in this run; ``unchanged`` are records whose
    content did not change since the last run (merged duplicates included).
    """

    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    quarantined: int = 0
    embedded: int = 0


class IngestReport(msgspec.Struct, kw_only=True):
    """The stable result shape printed by ``ingest --json``."""

    run_id: str
    source: str
    status: str
    """``completed`` or ``failed``."""
    counts: IngestCounts
    quarantine: list[QuarantineEntry]
    seconds: float
    error: str | None = None


class _Batch:
    """Per-batch working state: what to write and what to embed."""

    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}
        self.needs_vector: dict[str, Job] = {}
        self.reindex: dict[str, Job] = {}


class IngestService:
    """Runs a :class:`JobSource` through the pipeline into repository and index."""

    def __init__(
        self,
        *,
        repository: JobRepository,
        index: SearchIndex,
        embedder: Embedder,
        clock: Clock,
        enrich: Enricher | None = None,
        batch_size: int = 128,
        fuzzy_dedup: bool = True,
        default_currency: str | None = None,
        on_changed: ChangeHook | None = None,
    ) -> None:
        self.repository = repository
        self.index = index
        self.embedder = embedder
        self.clock = clock
        self.enrich = enrich
        self.batch_size = batch_size
        self.fuzzy_dedup = fuzzy_dedup
        self.default_currency = default_currency
        self.on_changed = on_changed
        """Awaited with each batch's new and changed jobs before they are written
        (the alert journal): a crash after it never hides a change from alerts."""

    async def ingest(
        self,
        source: JobSource,
        *,
        run_id: str | None = None,
        progress: ProgressCallback | None = None,
    ) -> IngestReport:
        """Ingest everything ``source`` yields.

        Errors of the repository, index or embedder end the run with status
        ``failed`` (batches already written stay written; a rerun completes
        the rest without duplicates). Quarantined records are stored in the
        repository under ``run_id``.
        """
        run_id = run_id or uuid.uuid4().hex
        counts = IngestCounts()
        quarantine: list[QuarantineEntry] = []
        started = time.perf_counter()
        pending: list[RawJob | RejectedRecord] = []
        try:
            async for record in source.fetch():
                pending.append(record)
                if len(pending) >= self.batch_size:
                    await self._process(pending, run_id, counts, quarantine)
                    pending = []
                    if progress:
                        progress(counts)
            if pending:
                await self._process(pending, run_id, counts, quarantine)
                if progress:
                    progress(counts)
        except Exception as exc:
            return IngestReport(
                run_id=run_id,
                source=source.name,
                status="failed",
                counts=counts,
                quarantine=quarantine,
                seconds=time.perf_counter() - started,
                error=f"{type(exc).__name__}: {exc}",
            )
        return IngestReport(
            run_id=run_id,
            source=source.name,
            status="completed",
            counts=counts,
            quarantine=quarantine,
            seconds=time.perf_counter() - started,
        )

    async def _process(
        self,
        records: Sequence[RawJob | RejectedRecord],
        run_id: str,
        counts: IngestCounts,
        quarantine: list[QuarantineEntry],
    ) -> None:
        now = self.clock.now()
        rejected: list[RejectedRecord] = []
        incoming: list[Job] = []
        for position, record in enumerate(records, start=counts.seen + 1):
            if isinstance(record, RejectedRecord):
                rejected.append(record)
                continue
            try:
                job = normalize_job(record, now=now, default_currency=self.default_currency)
                if self.enrich is not None:
                    job = self._enriched(job, record)
            except Exception as exc:
                reason = str(exc) if isinstance(exc, NormalizationError) else f"enrich_job: {exc}"
                rejected.append(
                    RejectedRecord(
                        source=record.source,
                        reason=reason,
                        record=msgspec.to_builtins(record),
                        source_id=record.source_id,
                        position=record.extra.get("_position") if record.extra else position,
                    )
                )
                continue
            incoming.append(job)
        counts.seen += len(records)

        batch = await self._deduplicate(incoming, now, counts)
        await self._write(batch, counts)

        if rejected:
            await self.repository.add_quarantined(run_id, rejected)
            counts.quarantined += len(rejected)
            quarantine.extend(
                QuarantineEntry(reason=r.reason, source_id=r.source_id, position=r.position) for r in rejected
            )

    def _enriched(self, job: Job, raw: RawJob) -> Job:
        assert self.enrich is not None
        enriched = self.enrich(job, raw)
        if enriched is job:
            return job
        digest = content_hash(enriched)
        return msgspec.structs.replace(
            enriched,
            content_hash=digest,
            sources=[msgspec.structs.replace(ref, content_hash=digest) for ref in enriched.sources],
        )

    async def _deduplicate(self, incoming: list[Job], now: datetime, counts: IngestCounts) -> _Batch:
        batch = _Batch()
        if not incoming:
            return batch
        existing = await self.repository.lookup(
            source_keys=[(j.source, j.source_id) for j in incoming],
            urls=[j.url for j in incoming if j.url],
            fingerprints=[j.fingerprint for j in incoming if j.fingerprint and self.fuzzy_dedup],
        )
        by_source: dict[tuple[str, str], Job] = {}
        by_url: dict[str, Job] = {}
        by_fingerprint: dict[str, dict[str, Job]] = {}

        def remember(job: Job) -> None:
            for ref in job.sources:
                by_source[(ref.source, ref.source_id)] = job
            if job.url:
                by_url[job.url] = job
            if job.fingerprint:
                by_fingerprint.setdefault(job.fingerprint, {})[job.id] = job

        def near_duplicate(job: Job) -> Job | None:
            for candidate in by_fingerprint.get(job.fingerprint, {}).values():
                current = batch.jobs.get(candidate.id, candidate)
                if current.id != job.id and same_description(job.description, current.description):
                    return current
            return None

        for job in existing:
            remember(job)

        for job in incoming:
            key = (job.source, job.source_id)
            current = batch.jobs.get(by_source[key].id, by_source[key]) if key in by_source else None
            if current is not None:
                ref = next(r for r in current.sources if (r.source, r.source_id) == key)
                if current.source == job.source and current.source_id == job.source_id:
                    if current.content_hash == job.content_hash:
                        counts.unchanged += 1
                        continue
                    updated = msgspec.structs.replace(
                        job,
                        sources=[
                            msgspec.structs.replace(r, content_hash=job.content_hash, url=job.url)
                            if (r.source, r.source_id) == key
                            else r
                            for r in current.sources
                        ],
                    )
                    updated = msgspec.structs.replace(
                        updated, sources=_keep_first_seen(updated.sources, current)
                    )
                    batch.jobs[updated.id] = updated
                    batch.needs_vector[updated.id] = updated
                    remember(updated)
                    counts.updated += 1
                    continue
                # A secondary source of a merged job.
                if ref.content_hash == job.content_hash:
                    counts.unchanged += 1
                    continue
                still_same = (job.url and job.url == current.url) or (
                    job.fingerprint == current.fingerprint
                    and same_description(job.description, current.description)
                )
                if still_same:
                    merged = _with_ref(current, _ref_for(job, now, ref.first_seen))
                    batch.jobs[merged.id] = merged
                    batch.reindex[merged.id] = merged
                    remember(merged)
                    counts.updated += 1
                    continue
                # It changed into a different job: detach it from the merged one.
                detached = msgspec.structs.replace(
                    current, sources=[r for r in current.sources if (r.source, r.source_id) != key]
                )
                batch.jobs[detached.id] = detached
                batch.reindex[detached.id] = detached
                by_source.pop(key, None)
                by_fingerprint.get(detached.fingerprint, {}).pop(detached.id, None)
                remember(detached)
            target = None
            if job.url and job.url in by_url:
                target = by_url[job.url]
            elif self.fuzzy_dedup and job.fingerprint:
                target = near_duplicate(job)
            if target is not None:
                target = batch.jobs.get(target.id, target)
                merged = _with_ref(target, _ref_for(job, now, now))
                batch.jobs[merged.id] = merged
                if merged.id not in batch.needs_vector:
                    batch.reindex[merged.id] = merged
                else:
                    batch.needs_vector[merged.id] = merged
                remember(merged)
                counts.duplicates += 1
                continue
            batch.jobs[job.id] = job
            batch.needs_vector[job.id] = job
            remember(job)
            counts.added += 1
        return batch

    async def _write(self, batch: _Batch, counts: IngestCounts) -> None:
        if not batch.jobs:
            return
        # Merges into stored jobs change only their sources; their vectors are
        # recomputed (usually an embedding-cache hit) so the index stays whole.
        to_embed = {**batch.reindex, **batch.needs_vector}
        documents: list[IndexDocument] = []
        if to_embed:
            jobs = [batch.jobs[job_id] for job_id in to_embed]
            vectors = await self.embedder.embed_documents([embedding_text(j) for j in jobs])
            counts.embedded += len(batch.needs_vector)
            documents = [IndexDocument(job=j, vector=v) for j, v in zip(jobs, vectors, strict=True)]
        if self.on_changed is not None and batch.needs_vector:
            await self.on_changed(list(batch.needs_vector.values()))
        await self.repository.upsert(list(batch.jobs.values()))
        if documents:
            await self.index.upsert(documents)


def _ref_for(job: Job, now: datetime, first_seen: datetime | None) -> SourceRef:
    return SourceRef(
        source=job.source,
        source_id=job.source_id,
        url=job.url,
        first_seen=first_seen or now,
        content_hash=job.content_hash,
    )


def _with_ref(job: Job, ref: SourceRef) -> Job:
    others = [r for r in job.sources if (r.source, r.source_id) != (ref.source, ref.source_id)]
    return msgspec.structs.replace(job, sources=[*others, ref])


def _keep_first_seen(refs: list[SourceRef], previous: Job) -> list[SourceRef]:
    first = {(r.source, r.source_id): r.first_seen for r in previous.sources}
    return [
        msgspec.structs.replace(r, first_seen=first.get((r.source, r.source_id)) or r.first_seen)
        for r in refs
    ]
