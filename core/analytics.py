"""Product analytics: search and interaction events, and the admin report.

Events go through the :class:`~jobforge.ports.EventStore` port (the app
store's ``events``; SQLite, memory or MongoDB). They hold no personal data
beyond the user id. Writes are buffered: :meth:`AnalyticsService.record`
keeps events in memory and writes them in one call when ``batch_size`` are
waiting or the oldest has waited ``flush_seconds`` (checked on each record),
and whenever a report is made or the service is closed, so recording never
slows a search down.

The report (:meth:`AnalyticsService.report`, admins only) covers one tenant
over a window of days:

* searches, distinct users, mean and 95th-percentile latency, a per-day series;
* top queries (normalised: case-folded, spaces collapsed) with their
  click-through rate (share of their searches followed by a job view or an
  apply click naming that search) and apply rate (share followed by an apply
  click or an application), and the queries that found nothing;
* per job source: views, apply clicks, applications and the apply rate
  (apply clicks and applications per view);
* alert deliveries per notifier and status;
* ingest health per source (every tenant: sources are shared): runs,
  failures, the last run and last success, postings seen, added, updated and
  the quarantine rate (quarantined per posting seen).
"""

from __future__ import annotations

import logging
import math
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec

from jobforge.core.auth import require
from jobforge.core.background import BackgroundTasks
from jobforge.core.errors import InvalidRequestError
from jobforge.core.models import AnalyticsEvent, EventKind, IngestRun, Principal, UserRole
from jobforge.ports import AlertStore, Clock, EventStore, IngestRunStore

__all__ = [
    "AlertStat",
    "AnalyticsReport",
    "AnalyticsService",
    "DayStat",
    "IngestHealth",
    "QueryStat",
    "SourceStat",
    "ingest_health",
    "normalize_query",
]

log = logging.getLogger(__name__)

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_DAYS = 366
_MAX_LIMIT = 100
_INGEST_RUNS = 1000


def normalize_query(query: str) -> str:
    """The form queries are grouped by: case-folded, whitespace collapsed."""
    return " ".join(query.casefold().split())


class QueryStat(msgspec.Struct, kw_only=True):
    """One query's searches and what followed them."""

    query: str
    searches: int
    clicked: int = 0
    """Searches followed by a job view or apply click."""
    applied: int = 0
    """Searches followed by an apply click or application."""
    ctr: float = 0.0
    apply_rate: float = 0.0
    mean_results: float = 0.0


class SourceStat(msgspec.Struct, kw_only=True):
    """Interactions with the jobs of one source."""

    source: str
    views: int = 0
    apply_clicks: int = 0
    applications: int = 0
    apply_rate: float = 0.0


class AlertStat(msgspec.Struct, kw_only=True):
    """Alerts of one notifier by status."""

    notifier: str
    pending: int = 0
    delivered: int = 0
    failed: int = 0
    cancelled: int = 0


class IngestHealth(msgspec.Struct, kw_only=True):
    """How one source's recent ingest runs went."""

    source: str
    runs: int = 0
    failures: int = 0
    last_status: str | None = None
    last_run_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    seen: int = 0
    added: int = 0
    updated: int = 0
    quarantined: int = 0
    quarantine_rate: float = 0.0


class DayStat(msgspec.Struct, kw_only=True):
    """One day (UTC) of activity."""

    day: str
    searches: int = 0
    views: int = 0
    applies: int = 0


class AnalyticsReport(msgspec.Struct, kw_only=True):
    """What ``GET /api/v1/analytics`` and ``jobforge analytics`` show."""

    tenant_id: str
    since: datetime
    until: datetime
    searches: int = 0
    users: int = 0
    zero_result_searches: int = 0
    mean_latency_ms: float = 0.0
    p95_latency_ms: float = 0.0
    interactions: dict[str, int] = msgspec.field(default_factory=dict)
    top_queries: list[QueryStat] = msgspec.field(default_factory=list)
    zero_result_queries: list[QueryStat] = msgspec.field(default_factory=list)
    sources: list[SourceStat] = msgspec.field(default_factory=list)
    alerts: list[AlertStat] = msgspec.field(default_factory=list)
    ingest: list[IngestHealth] = msgspec.field(default_factory=list)
    daily: list[DayStat] = msgspec.field(default_factory=list)


class AnalyticsService:
    """Records events (buffered) and builds reports.

    Args:
        events: Where events are kept.
        runs: Ingest runs (for ingest health).
        alerts: The alert outbox (for delivery counts); optional.
        clock: The time.
        window_days: Days a report covers by default.
        batch_size: Events buffered before a write.
        flush_seconds: Longest an event waits in the buffer (checked on record).
        max_kept: The most events kept for a retry while the store fails; older ones
            beyond it are dropped (counted in :attr:`dropped`, logged).
    """

    def __init__(
        self,
        *,
        events: EventStore,
        runs: IngestRunStore,
        clock: Clock,
        alerts: AlertStore | None = None,
        window_days: int = 30,
        batch_size: int = 100,
        flush_seconds: float = 1.0,
        max_kept: int = 100_000,
    ) -> None:
        self.events = events
        self.runs = runs
        self.alerts = alerts
        self.clock = clock
        self.window_days = window_days
        self.batch_size = batch_size
        self.flush_seconds = flush_seconds
        self.max_kept = max_kept
        self._buffer: list[AnalyticsEvent] = []
        self._oldest = 0.0
        self._writes = BackgroundTasks()
        self.dropped = 0
        """Events given up after failed writes (beyond ``max_kept``)."""

    # --- recording -----------------------------------------------------------------

    async def record(self, event: AnalyticsEvent) -> None:
        """Buffer an event.

        A full (``batch_size``) or old (``flush_seconds``) buffer is written in
        the background: the request that fills it does not wait for the store
        (a write of 100 events, or another process holding SQLite's write lock,
        would otherwise land on one unlucky search's latency). Events of a failed
        write go back to the buffer for the next one.
        """
        if not self._buffer:
            self._oldest = time.monotonic()
        self._buffer.append(event)
        if len(self._buffer) >= self.batch_size or time.monotonic() - self._oldest >= self.flush_seconds:
            pending, self._buffer = self._buffer, []
            self._writes.start(self._write_in_background(pending))

    async def _write_in_background(self, events: list[AnalyticsEvent]) -> None:
        try:
            await self.events.record(events)
        except Exception:
            log.exception("writing %d analytics events failed; they are kept for the next write", len(events))
            self._keep(events)

    def _keep(self, events: list[AnalyticsEvent]) -> None:
        if not self._buffer:
            self._oldest = time.monotonic()
        kept = events + self._buffer
        over = len(kept) - self.max_kept
        if over > 0:
            self.dropped += over
            log.error("dropping the %d oldest analytics events: the store keeps failing", over)
            kept = kept[over:]
        self._buffer = kept

    async def flush(self) -> None:
        """Write every event recorded so far (waiting for background writes).

        Raises:
            Exception: Whatever the store raises; the events stay buffered.
        """
        await self._writes.wait()
        if self._buffer:
            pending, self._buffer = self._buffer, []
            try:
                await self.events.record(pending)
            except BaseException:
                self._keep(pending)
                raise

    async def record_search(
        self,
        *,
        tenant_id: str,
        user_id: str | None,
        query: str,
        filters: Mapping[str, Any],
        mode: str,
        result_count: int,
        latency_ms: float,
    ) -> str:
        """Record a search; returns its event id (the ``search_id`` interactions name)."""
        event = AnalyticsEvent(
            id=uuid.uuid4().hex,
            tenant_id=tenant_id,
            kind=EventKind.SEARCH,
            at=self.clock.now(),
            user_id=user_id,
            query=normalize_query(query),
            filters=dict(filters),
            mode=mode,
            result_count=result_count,
            latency_ms=round(latency_ms, 3),
        )
        await self.record(event)
        return event.id

    async def record_interaction(
        self,
        kind: EventKind,
        *,
        tenant_id: str,
        user_id: str | None,
        job_id: str | None = None,
        source: str | None = None,
        search_id: str | None = None,
    ) -> str:
        """Record a job view, apply click, application or alert opening.

        Raises:
            InvalidRequestError: ``kind`` is ``search`` (use :meth:`record_search`).
        """
        if kind is EventKind.SEARCH:
            raise InvalidRequestError("kind", "searches are recorded by the search itself")
        event = AnalyticsEvent(
            id=uuid.uuid4().hex,
            tenant_id=tenant_id,
            kind=kind,
            at=self.clock.now(),
            user_id=user_id,
            job_id=job_id,
            source=source,
            search_id=search_id,
        )
        await self.record(event)
        return event.id

    async def close(self) -> None:
        """Write what is buffered."""
        await self.flush()

    # --- reporting -----------------------------------------------------------------

    async def report(
        self, principal: Principal | None, *, days: int | None = None, limit: int = 10
    ) -> AnalyticsReport:
        """The tenant's report over the last ``days`` (default ``window_days``).

        Raises:
            AuthError: The principal is not an admin.
            InvalidRequestError: ``days`` or ``limit`` is out of range.
        """
        principal = require(principal, UserRole.ADMIN)
        days = self.window_days if days is None else days
        if not 1 <= days <= _MAX_DAYS:
            raise InvalidRequestError("days", f"must be between 1 and {_MAX_DAYS}, got {days}")
        if not 1 <= limit <= _MAX_LIMIT:
            raise InvalidRequestError("limit", f"must be between 1 and {_MAX_LIMIT}, got {limit}")
        await self.flush()
        until = self.clock.now()
        since = until - timedelta(days=days)
        report = AnalyticsReport(tenant_id=principal.tenant_id, since=since, until=until)
        await self._events_part(report, limit)
        if self.alerts is not None:
            report.alerts = _alert_stats(await self.alerts.counts(principal.tenant_id, since=since))
        report.ingest = ingest_health(await self.runs.list(limit=_INGEST_RUNS), since=since)
        return report

    async def _events_part(self, report: AnalyticsReport, limit: int) -> None:
        searches: dict[str, AnalyticsEvent] = {}
        clicked: set[str] = set()
        applied: set[str] = set()
        users: set[str] = set()
        latencies: list[float] = []
        kinds: Counter[str] = Counter()
        sources: dict[str, SourceStat] = {}
        days: dict[str, DayStat] = {}
        async for event in self.events.events(report.tenant_id, since=report.since, until=report.until):
            kinds[event.kind.value] += 1
            if event.user_id:
                users.add(event.user_id)
            day = days.setdefault(event.at.date().isoformat(), DayStat(day=event.at.date().isoformat()))
            if event.kind is EventKind.SEARCH:
                searches[event.id] = event
                day.searches += 1
                if event.latency_ms is not None:
                    latencies.append(event.latency_ms)
                continue
            if event.kind in (EventKind.JOB_VIEWED, EventKind.APPLY_CLICKED) and event.search_id:
                clicked.add(event.search_id)
            if event.kind in (EventKind.APPLY_CLICKED, EventKind.APPLICATION_CREATED) and event.search_id:
                applied.add(event.search_id)
            if event.kind is EventKind.JOB_VIEWED:
                day.views += 1
            elif event.kind in (EventKind.APPLY_CLICKED, EventKind.APPLICATION_CREATED):
                day.applies += 1
            if event.source and event.kind is not EventKind.ALERT_OPENED:
                by_source = sources.setdefault(event.source, SourceStat(source=event.source))
                if event.kind is EventKind.JOB_VIEWED:
                    by_source.views += 1
                elif event.kind is EventKind.APPLY_CLICKED:
                    by_source.apply_clicks += 1
                else:
                    by_source.applications += 1
        report.searches = len(searches)
        report.users = len(users)
        report.interactions = {k: kinds[k] for k in sorted(kinds) if k != EventKind.SEARCH.value}
        if latencies:
            report.mean_latency_ms = round(sum(latencies) / len(latencies), 3)
            report.p95_latency_ms = round(_percentile(sorted(latencies), 0.95), 3)
        per_query: dict[str, QueryStat] = {}
        totals: dict[str, int] = defaultdict(int)
        for event in searches.values():
            query = event.query or ""
            stat = per_query.setdefault(query, QueryStat(query=query, searches=0))
            stat.searches += 1
            totals[query] += event.result_count or 0
            stat.clicked += event.id in clicked
            stat.applied += event.id in applied
            if not event.result_count:
                report.zero_result_searches += 1
        for query, stat in per_query.items():
            stat.ctr = round(stat.clicked / stat.searches, 4)
            stat.apply_rate = round(stat.applied / stat.searches, 4)
            stat.mean_results = round(totals[query] / stat.searches, 2)
        ranked = sorted(per_query.values(), key=lambda s: (-s.searches, s.query))
        report.top_queries = [s for s in ranked if s.query][:limit]
        report.zero_result_queries = [s for s in ranked if s.query and s.mean_results == 0][:limit]
        for src in sources.values():
            src.apply_rate = round((src.apply_clicks + src.applications) / src.views, 4) if src.views else 0.0
        report.sources = sorted(sources.values(), key=lambda s: (-s.views, s.source))[:limit]
        report.daily = [days[d] for d in sorted(days)]


def _percentile(values: Sequence[float], share: float) -> float:
    index = max(0, math.ceil(share * len(values)) - 1)
    return values[index]


def _alert_stats(counts: Mapping[str, Mapping[str, int]]) -> list[AlertStat]:
    stats = []
    for notifier in sorted(counts):
        by_status = counts[notifier]
        stats.append(
            AlertStat(
                notifier=notifier,
                pending=by_status.get("pending", 0),
                delivered=by_status.get("delivered", 0),
                failed=by_status.get("failed", 0),
                cancelled=by_status.get("cancelled", 0),
            )
        )
    return stats


def ingest_health(runs: Sequence[IngestRun], *, since: datetime | None = None) -> list[IngestHealth]:
    """Per-source health of ingest runs (those started since ``since``, plus each source's last run)."""
    by_source: dict[str, list[IngestRun]] = defaultdict(list)
    for run in runs:
        by_source[run.source].append(run)
    health = []
    for source in sorted(by_source):
        ordered = sorted(by_source[source], key=lambda r: r.started_at or _EPOCH)
        last = ordered[-1]
        recent = [r for r in ordered if since is None or (r.started_at is not None and r.started_at >= since)]
        stat = IngestHealth(
            source=source,
            runs=len(recent),
            failures=sum(1 for r in recent if r.status == "failed"),
            last_status=last.status,
            last_run_at=last.started_at,
            last_error=last.error,
        )
        successes = [r for r in ordered if r.status == "completed"]
        if successes:
            stat.last_success_at = successes[-1].finished_at or successes[-1].started_at
        for run in recent:
            stat.seen += run.counts.get("seen", 0)
            stat.added += run.counts.get("added", 0)
            stat.updated += run.counts.get("updated", 0)
            stat.quarantined += run.counts.get("quarantined", 0)
        stat.quarantine_rate = round(stat.quarantined / stat.seen, 4) if stat.seen else 0.0
        health.append(stat)
    return health
