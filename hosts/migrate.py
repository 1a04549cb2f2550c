"""Move everything an installation keeps from one set of adapters to another.

``jobforge migrate`` uses it to move an embedded data directory (SQLite)
into MongoDB, and to re-index every job into another search index such as
Weaviate. It only goes through the ports, so any pair of adapters works.

A migration is idempotent: it compares each record with what the target
already holds and writes only what is missing or different, so a rerun (or
a run resumed after a failure) writes nothing twice and duplicates nothing.
Records are copied oldest first, so lists ordered newest first keep their
order in the target. Besides jobs and accounts it copies saved searches,
applications, ingest runs, the alert outbox, the alert journal (jobs changed
since the last alert pass), in-app inboxes and analytics events, so alert
delivery and reports carry on where they were. Quarantined ingest records
are not copied (they stay readable in the old data directory with
``jobforge quarantine``).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from jobforge.core.identity import embedding_text
from jobforge.core.models import Alert, AnalyticsEvent, Job
from jobforge.core.search_types import IndexDocument
from jobforge.hosts.config import AdapterSettings, Settings
from jobforge.hosts.container import Container, create_container
from jobforge.ports import AppStore, Embedder, JobRepository, SearchIndex

__all__ = [
    "MigrationCounts",
    "MigrationReport",
    "MigrationTargets",
    "build_migration",
    "migrate",
]

T = TypeVar("T")

_ALL = 2**62
"""``limit`` that lists every record."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


class MigrationCounts(msgspec.Struct, kw_only=True):
    """What happened to one kind of record."""

    read: int = 0
    written: int = 0
    """Created or replaced in the target."""
    unchanged: int = 0
    """Already in the target, equal."""
    skipped: int = 0
    """Different in the target in a way the port cannot change (an API key's
    fields other than its revocation); left as the target has it."""


class MigrationReport(msgspec.Struct, kw_only=True):
    """The result of :func:`migrate` (``jobforge migrate --json`` prints it)."""

    jobs: MigrationCounts = msgspec.field(default_factory=MigrationCounts)
    indexed: int = 0
    """Jobs (re-)indexed into the target search index."""
    tenants: MigrationCounts = msgspec.field(default_factory=MigrationCounts)
    users: MigrationCounts = msgspec.field(default_factory=MigrationCounts)
    api_keys: MigrationCounts = msgspec.field(default_factory=MigrationCounts)
    saved_searches: MigrationCounts = msgspec.field(default_factory=MigrationCounts)
    applications: MigrationCounts = msgspec.field(default_factory=MigrationCounts)
    ingest_runs: MigrationCounts = msgspec.field(default_factory=MigrationCounts)
    alerts: MigrationCounts = msgspec.field(default_factory=MigrationCounts)
    alert_journal: MigrationCounts = msgspec.field(default_factory=MigrationCounts)
    """Jobs changed since the last alert pass (matched by the next one)."""
    inbox: MigrationCounts = msgspec.field(default_factory=MigrationCounts)
    events: MigrationCounts = msgspec.field(default_factory=MigrationCounts)
    seconds: float = 0.0

    @property
    def written(self) -> int:
        """Records written to the target repository and store, all kinds together."""
        return sum(
            counts.written
            for counts in (
                self.jobs,
                self.tenants,
                self.users,
                self.api_keys,
                self.saved_searches,
                self.applications,
                self.ingest_runs,
                self.alerts,
                self.alert_journal,
                self.inbox,
                self.events,
            )
        )


Progress = Callable[[str, int], None]
"""Called with a record kind and how many of it were read so far."""


async def _batches(items: AsyncIterator[T], size: int) -> AsyncIterator[list[T]]:
    batch: list[T] = []
    async for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


async def migrate(
    *,
    source_repository: JobRepository | None = None,
    target_repository: JobRepository | None = None,
    source_store: AppStore | None = None,
    target_store: AppStore | None = None,
    target_index: SearchIndex | None = None,
    embedder: Embedder | None = None,
    batch_size: int = 500,
    tenant_ids: Sequence[str] = (),
    progress: Progress | None = None,
) -> MigrationReport:
    """Copy jobs, re-index them and copy application data, each part when its adapters are given.

    Args:
        source_repository: Where jobs are read (``iter_all``); needed for
            ``target_repository`` and ``target_index``.
        target_repository: Where jobs are written.
        source_store: Where application data is read.
        target_store: Where application data is written.
        target_index: A search index every job is upserted into, with its
            vector from ``embedder`` (a caching embedder makes this mostly
            cache hits).
        embedder: The embedder of the deployment that will search ``target_index``.
        batch_size: Jobs read, compared and written together.
        tenant_ids: Tenants to copy besides those the source store lists
            (tenants known only from tokens have no tenant record).
        progress: Told how many records of each kind were read so far.

    Raises:
        ValueError: A target is given without its source, an index without
            an embedder, or ``batch_size`` is below 1.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if (target_repository or target_index) and source_repository is None:
        raise ValueError("copying or re-indexing jobs needs a source repository")
    if target_index is not None and embedder is None:
        raise ValueError("re-indexing into a search index needs the embedder that will search it")
    if target_store is not None and source_store is None:
        raise ValueError("copying application data needs a source store")
    started = time.perf_counter()
    report = MigrationReport()
    if source_repository is not None and (target_repository or target_index):
        await _copy_jobs(
            source_repository,
            target_repository,
            index=target_index,
            embedder=embedder,
            batch_size=batch_size,
            report=report,
            progress=progress,
        )
    if source_store is not None and target_store is not None:
        await _AppDataCopy(source_store, target_store, report, progress, batch_size).run(tenant_ids)
    report.seconds = time.perf_counter() - started
    return report


async def _copy_jobs(
    source: JobRepository,
    target: JobRepository | None,
    *,
    index: SearchIndex | None,
    embedder: Embedder | None,
    batch_size: int,
    report: MigrationReport,
    progress: Progress | None,
) -> None:
    counts = report.jobs
    async for batch in _batches(source.iter_all(batch_size=batch_size), batch_size):
        counts.read += len(batch)
        if target is not None:
            stored = {job.id: job for job in await target.get_many([job.id for job in batch])}
            changed = [job for job in batch if stored.get(job.id) != job]
            counts.unchanged += len(batch) - len(changed)
            if changed:
                await _upsert(source, target, changed)
                counts.written += len(changed)
        if index is not None and embedder is not None:
            vectors = await embedder.embed_documents([embedding_text(job) for job in batch])
            await index.upsert([IndexDocument(job=j, vector=v) for j, v in zip(batch, vectors, strict=True)])
            report.indexed += len(batch)
        if progress is not None:
            progress("jobs", counts.read)


async def _upsert(source: JobRepository, target: JobRepository, jobs: list[Job]) -> None:
    """Upsert ``jobs``; when two of them list one source key, write them one by one so
    that the job owning the key in the source is written last (and so owns it in the target)."""
    try:
        await target.upsert(jobs)
        return
    except ValueError:
        pass
    listed: dict[tuple[str, str], list[str]] = {}
    for job in jobs:
        keys = [(job.source, job.source_id), *((ref.source, ref.source_id) for ref in job.sources)]
        for key in dict.fromkeys(keys):
            listed.setdefault(key, []).append(job.id)
    owners: set[str] = set()
    for key, ids in listed.items():
        if len(ids) > 1:
            owners.update(job.id for job in await source.lookup(source_keys=[key]))
    for job in sorted(jobs, key=lambda j: j.id in owners):
        await target.upsert([job])


class _AppDataCopy:
    """Copies tenants, users, API keys, saved searches, applications, ingest runs,
    alerts (outbox, journal, inboxes) and analytics events."""

    def __init__(
        self,
        source: AppStore,
        target: AppStore,
        report: MigrationReport,
        progress: Progress | None,
        batch_size: int = 500,
    ) -> None:
        self.source = source
        self.target = target
        self.report = report
        self.progress = progress
        self.batch_size = batch_size

    def _read(self, kind: str, counts: MigrationCounts, n: int) -> None:
        counts.read += n
        if self.progress is not None:
            self.progress(kind, counts.read)

    async def run(self, extra_tenants: Sequence[str]) -> None:
        tenants = await self.source.accounts.list_tenants()
        self._read("tenants", self.report.tenants, len(tenants))
        for tenant in tenants:
            stored_tenant = await self.target.accounts.get_tenant(tenant.id)
            await self._put(self.report.tenants, tenant, stored_tenant, self.target.accounts.upsert_tenant)
        runs = list(reversed(await self.source.ingest_runs.list(limit=_ALL)))
        tenant_ids = dict.fromkeys(
            [*(t.id for t in tenants), *extra_tenants, *(r.tenant_id for r in runs if r.tenant_id)]
        )
        for tenant_id in tenant_ids:
            await self._tenant(tenant_id)
        self._read("ingest_runs", self.report.ingest_runs, len(runs))
        for run in runs:
            stored_run = await self.target.ingest_runs.get(run.id)
            await self._put(self.report.ingest_runs, run, stored_run, self.target.ingest_runs.save)
        await self._alert_journal()

    async def _tenant(self, tenant_id: str) -> None:
        report, source, target = self.report, self.source, self.target
        # Oldest first, so that newest-first lists keep their order (ties included).
        keys = list(reversed(await source.accounts.list_api_keys(tenant_id)))
        searches = list(reversed(await source.saved_searches.list(tenant_id)))
        applications = list(reversed(await source.applications.list(tenant_id)))
        user_ids = dict.fromkeys([*(k.user_id for k in keys), *(s.user_id for s in searches)])
        user_ids.update(dict.fromkeys(a.user_id for a in applications))
        list_users = getattr(source.accounts, "list_users", None)
        if callable(list_users):  # a store that can list users lets none without records be missed
            user_ids.update(dict.fromkeys(u.id for u in await list_users(tenant_id)))
        users = [u for u in [await source.accounts.get_user(tenant_id, uid) for uid in user_ids] if u]
        self._read("users", report.users, len(users))
        for user in users:
            stored_user = await target.accounts.get_user(tenant_id, user.id)
            await self._put(report.users, user, stored_user, target.accounts.upsert_user)

        self._read("api_keys", report.api_keys, len(keys))
        for key in keys:
            stored = await target.accounts.find_api_key(key.key_hash)
            if stored is None:
                await target.accounts.add_api_key(key)
                report.api_keys.written += 1
            elif stored == key:
                report.api_keys.unchanged += 1
            elif stored == msgspec.structs.replace(key, revoked_at=None) and key.revoked_at is not None:
                await target.accounts.revoke_api_key(tenant_id, key.id, key.revoked_at)
                report.api_keys.written += 1
            else:
                report.api_keys.skipped += 1

        self._read("saved_searches", report.saved_searches, len(searches))
        for search in searches:
            stored_search = await target.saved_searches.get(tenant_id, search.id)
            create, update = target.saved_searches.create, target.saved_searches.update
            await self._put(
                report.saved_searches, search, stored_search, create if stored_search is None else update
            )

        self._read("applications", report.applications, len(applications))
        for application in applications:
            stored_application = await target.applications.get(tenant_id, application.id)
            create_a, update_a = target.applications.create, target.applications.update
            write = create_a if stored_application is None else update_a
            await self._put(report.applications, application, stored_application, write)

        alerts = list(reversed(await source.alerts.list_alerts(tenant_id, limit=_ALL)))
        await self._alerts(alerts)
        for user_id in dict.fromkeys([*(u.id for u in users), *user_ids, *(a.user_id for a in alerts)]):
            await self._inbox(tenant_id, user_id)
        await self._events(tenant_id)

    async def _alerts(self, alerts: list[Alert]) -> None:
        counts, target = self.report.alerts, self.target.alerts
        self._read("alerts", counts, len(alerts))
        new: list[Alert] = []
        for alert in alerts:
            stored = await target.get(alert.id)
            if stored is None:
                new.append(alert)
            elif stored == alert:
                counts.unchanged += 1
            else:  # delivered, retried or failed since an earlier run
                await target.update([alert])
                counts.written += 1
        for start in range(0, len(new), self.batch_size):
            counts.written += await target.record(new[start : start + self.batch_size])

    async def _alert_journal(self) -> None:
        counts = self.report.alert_journal
        entries = await self.source.alerts.changed(limit=_ALL)
        self._read("alert_journal", counts, len(entries))
        stored = dict(await self.target.alerts.changed(limit=_ALL))
        by_time: dict[datetime, list[str]] = {}
        for job_id, at in entries:
            if stored.get(job_id) == at:
                counts.unchanged += 1
            else:
                by_time.setdefault(at, []).append(job_id)
        for at, job_ids in sorted(by_time.items()):
            await self.target.alerts.add_changed(job_ids, at)
            counts.written += len(job_ids)

    async def _inbox(self, tenant_id: str, user_id: str) -> None:
        counts, source, target = self.report.inbox, self.source.alerts, self.target.alerts
        items = list(reversed(await source.list_inbox(tenant_id, user_id, limit=_ALL)))
        if not items:
            return
        self._read("inbox", counts, len(items))
        stored = {item.id: item for item in await target.list_inbox(tenant_id, user_id, limit=_ALL)}
        for item in items:
            current = stored.get(item.id)
            if current is None:
                await target.add_inbox(item)
                counts.written += 1
            elif current == item:
                counts.unchanged += 1
            elif item.read_at is not None and current == msgspec.structs.replace(item, read_at=None):
                await target.mark_read(tenant_id, user_id, [item.id], item.read_at)
                counts.written += 1
            else:
                counts.skipped += 1

    async def _events(self, tenant_id: str) -> None:
        counts, target = self.report.events, self.target.events
        events = self.source.events.events(tenant_id, since=_EPOCH, until=_FAR_FUTURE)
        async for batch in _batches(events, self.batch_size):
            self._read("events", counts, len(batch))
            # Oldest first: the target's events of the batch's time span tell which are there.
            span = target.events(tenant_id, since=batch[0].at, until=batch[-1].at + timedelta(microseconds=1))
            present = {event.id async for event in span}
            missing: list[AnalyticsEvent] = [event for event in batch if event.id not in present]
            if missing:
                await target.record(missing)
            counts.written += len(missing)
            counts.unchanged += len(batch) - len(missing)

    @staticmethod
    async def _put(counts: MigrationCounts, record: Any, current: Any, write: Callable[[Any], Any]) -> None:
        if current == record:
            counts.unchanged += 1
            return
        await write(record)
        counts.written += 1


@dataclass
class MigrationTargets:
    """The adapters :func:`build_migration` made; close them with :meth:`aclose`."""

    source_repository: JobRepository | None = None
    target_repository: JobRepository | None = None
    source_store: AppStore | None = None
    target_store: AppStore | None = None
    target_index: SearchIndex | None = None
    embedder: Embedder | None = None
    containers: list[Container] = field(default_factory=list)

    def arguments(self) -> dict[str, Any]:
        """Keyword arguments of :func:`migrate`."""
        return {
            "source_repository": self.source_repository,
            "target_repository": self.target_repository,
            "source_store": self.source_store,
            "target_store": self.target_store,
            "target_index": self.target_index,
            "embedder": self.embedder,
        }

    async def aclose(self) -> None:
        """Close every adapter that was built, last built first."""
        for container in reversed(self.containers):
            built: list[Any] = container.built()
            while built:
                closer = getattr(built.pop(), "close", None)
                if closer is not None:
                    result = closer()
                    if hasattr(result, "__await__"):
                        await result


def _section(settings: Settings, section: str, name: str) -> AdapterSettings:
    """Adapter ``name`` for ``section``, with the configured options when the config names it too."""
    configured: AdapterSettings = getattr(settings, section)
    return configured if configured.name == name else AdapterSettings(name=name)


def build_migration(
    settings: Settings,
    *,
    from_data_dir: str | Path,
    to_repository: str | None = None,
    to_store: str | None = None,
    to_search_index: str | None = None,
    from_repository: str = "sqlite",
    from_store: str = "sqlite",
) -> MigrationTargets:
    """Build the adapters of a migration from config.

    The sources are ``from_repository`` and ``from_store`` (the embedded
    defaults) on ``from_data_dir``, with their default options. The targets
    are the named adapters with the options ``settings`` gives them (the
    section that names the same adapter, and shared sections such as
    ``[mongo]``). The embedder (for re-indexing) is the configured one,
    behind the configured cache.

    Raises:
        ValueError: No target is named, or a target is its own source.
    """
    if not (to_repository or to_store or to_search_index):
        raise ValueError("name at least one target: --to-repository, --to-store or --to-search-index")
    source_dir = str(Path(from_data_dir).expanduser())
    same_dir = Path(source_dir).resolve() == Path(settings.data_dir).expanduser().resolve()
    for kind, source_name, target_name in (
        ("repository", from_repository, to_repository),
        ("store", from_store, to_store),
    ):
        if target_name == source_name and same_dir:
            raise ValueError(f"the target {kind} {target_name!r} is the source itself")
    source_settings = msgspec.structs.replace(
        settings,
        data_dir=source_dir,
        repository=AdapterSettings(name=from_repository),
        store=AdapterSettings(name=from_store),
    )
    target_settings = msgspec.structs.replace(
        settings,
        repository=_section(settings, "repository", to_repository or settings.repository.name),
        store=_section(settings, "store", to_store or settings.store.name),
        search_index=_section(settings, "search_index", to_search_index or settings.search_index.name),
    )
    source = create_container(source_settings)
    target = create_container(target_settings)
    target.plugins.override(source.plugins)
    needs_jobs = bool(to_repository or to_search_index)
    return MigrationTargets(
        source_repository=source.repository() if needs_jobs else None,
        target_repository=target.repository() if to_repository else None,
        source_store=source.store() if to_store else None,
        target_store=target.store() if to_store else None,
        target_index=target.search_index() if to_search_index else None,
        embedder=target.embedder() if to_search_index else None,
        containers=[source, target],
    )
