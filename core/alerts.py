"""Saved-search alerts: match new and changed jobs, deliver each match exactly once.

A pass has two steps, each safe to repeat after a crash (see
:mod:`jobforge.ports.alerts` for the outbox):

:meth:`AlertService.match`
    Reads the journal of jobs that ingest added or changed, matches each
    against every saved search (rules in :mod:`jobforge.core.matching`; a
    saved search only hears of jobs journaled after it was created), records
    one :class:`~jobforge.core.models.Alert` per match -- its id is
    ``<saved search id>:<job id>``, so a pair is recorded once however often
    the job changes or the pass repeats -- and only then clears the journal
    entries it read.

:meth:`AlertService.deliver`
    Sends due alerts through the saved search's notifier (``inbox``, the
    in-app inbox, when it names none), then marks them delivered. An
    ``immediate`` alert is due at once and sent alone; ``daily`` and
    ``weekly`` ones are due at the next digest time (``[alerts] digest_hour``
    in the saved search's time zone, else ``[alerts] timezone``; weekly on
    ``weekly_day``) and sent together, one digest per saved search and
    digest time. The notification's key is the alert id or the
    digest key: a notifier that keeps keys (the inbox, the ``jobforge-notify``
    plugins) recognises a resend after a crash between sending and marking.
    A failed delivery is retried after ``retry_seconds``, doubling each time,
    until ``max_attempts``; an alert whose saved search or job is gone is
    cancelled.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta, tzinfo

import msgspec

from jobforge.core.clock import time_zone
from jobforge.core.errors import InvalidFilterError
from jobforge.core.filters import parse_filters
from jobforge.core.identity import embedding_text
from jobforge.core.matching import cosine_matrix, job_words, passes_filters, query_words
from jobforge.core.messages import Notification
from jobforge.core.models import Alert, AlertStatus, InboxItem, Job, SavedSearch
from jobforge.core.search_types import SearchFilters
from jobforge.ports import (
    AccountStore,
    AlertStore,
    Clock,
    Embedder,
    JobRepository,
    Notifier,
    SavedSearchStore,
)

__all__ = [
    "INBOX",
    "AlertPolicy",
    "AlertService",
    "DeliveryReport",
    "InboxNotifier",
    "MatchReport",
    "digest_time",
]

log = logging.getLogger(__name__)

INBOX = "inbox"
"""The built-in notifier: the in-app inbox (the default when a saved search names none)."""

Similarity = Callable[[Sequence[Sequence[float]], Sequence[Sequence[float]]], Sequence[Sequence[float]]]
NotifierLookup = Callable[[str], Notifier | None]
Checkpoint = Callable[[str], None]


class AlertPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """Alert tuning (from ``[alerts]``)."""

    min_similarity: float = 0.5
    digest_hour: int = 8
    weekly_day: int = 0
    """0 is Monday."""
    max_attempts: int = 8
    retry_seconds: float = 60.0
    batch_size: int = 500
    digest_max_jobs: int = 25
    base_url: str = ""
    default_currency: str = "USD"
    timezone: str = "UTC"
    """IANA time zone of ``digest_hour`` for saved searches that name none."""


class MatchReport(msgspec.Struct, kw_only=True):
    """What :meth:`AlertService.match` did."""

    jobs: int = 0
    """Journaled jobs matched."""
    saved_searches: int = 0
    recorded: int = 0
    """New alerts (pairs seen before are not counted)."""


class DeliveryReport(msgspec.Struct, kw_only=True):
    """What :meth:`AlertService.deliver` did."""

    notifications: int = 0
    """Notifications sent (a digest counts once)."""
    delivered: int = 0
    """Alerts delivered."""
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0


def digest_time(frequency: str, now: datetime, *, hour: int, weekday: int, zone: tzinfo = UTC) -> datetime:
    """When an alert of ``frequency`` recorded at ``now`` is due (in UTC).

    ``immediate``: ``now``. ``daily``: the next ``hour``:00 in ``zone`` after
    ``now``. ``weekly``: the next ``hour``:00 in ``zone`` on ``weekday``
    (0 = Monday) after ``now``. Days are counted on the local calendar, so a
    digest stays at ``hour``:00 local time across daylight-saving changes.
    """
    if frequency == "immediate":
        return now
    local = now.astimezone(zone)
    at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if frequency == "daily":
        step = 1
    else:
        at = _plus_days(at, (weekday - at.weekday()) % 7, zone)
        step = 7
    if at <= local:
        at = _plus_days(at, step, zone)
    return at.astimezone(UTC)


def _plus_days(at: datetime, days: int, zone: tzinfo) -> datetime:
    # The same wall-clock time ``days`` later, with that day's UTC offset.
    return datetime.combine(at.date() + timedelta(days=days), at.time(), tzinfo=zone)


class InboxNotifier:
    """The in-app inbox as a :class:`~jobforge.ports.Notifier`: keeps each
    notification as an :class:`~jobforge.core.models.InboxItem` under its key,
    so the same key is kept once."""

    def __init__(self, alerts: AlertStore, clock: Clock) -> None:
        self.alerts = alerts
        self.clock = clock

    async def send(self, notification: Notification) -> None:
        """Keep the notification in its user's inbox.

        Raises:
            ValueError: It has no key, or its data lacks ``tenant_id`` or ``user_id``.
        """
        data = notification.data
        if not notification.key or not data.get("tenant_id") or not data.get("user_id"):
            raise ValueError("an inbox notification needs a key, a tenant_id and a user_id")
        await self.alerts.add_inbox(
            InboxItem(
                id=notification.key,
                tenant_id=str(data["tenant_id"]),
                user_id=str(data["user_id"]),
                subject=notification.subject,
                text=notification.text,
                created_at=self.clock.now(),
                saved_search_id=data.get("saved_search_id"),
                job_ids=[str(j) for j in data.get("job_ids", [])],
            )
        )


class _Prepared(msgspec.Struct):
    search: SavedSearch
    filters: SearchFilters
    words: frozenset[str]
    row: int
    """Index of its query vector, or -1 without query text."""


class AlertService:
    """Matches journaled jobs against saved searches and delivers the alerts.

    Args:
        saved_searches: Every tenant's saved searches.
        alerts: The journal, outbox and inbox.
        accounts: Users (for e-mail recipients).
        repository: The jobs.
        embedder: Embeds saved queries and jobs (a caching embedder makes
            jobs embedded at ingest free).
        notifiers: Returns the notifier registered under a name, or ``None``.
        clock: The time.
        policy: Tuning.
        similarity: Cosine similarity matrix (queries x jobs); default plain Python.
        checkpoint: Called with ``"alerts.recorded"`` after alerts are recorded
            and ``"alerts.sent"`` after a notification is sent (before it is
            marked delivered): a seam for fault-injection tests.
    """

    def __init__(
        self,
        *,
        saved_searches: SavedSearchStore,
        alerts: AlertStore,
        accounts: AccountStore,
        repository: JobRepository,
        embedder: Embedder | Callable[[], Embedder],
        notifiers: NotifierLookup,
        clock: Clock,
        policy: AlertPolicy | None = None,
        similarity: Similarity | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> None:
        self.saved_searches = saved_searches
        self.alerts = alerts
        self.accounts = accounts
        self.repository = repository
        self._embedder = embedder
        self.notifiers = notifiers
        self.clock = clock
        self.policy = policy or AlertPolicy()
        self.similarity: Similarity = similarity or cosine_matrix
        self.checkpoint = checkpoint or (lambda _step: None)

    @property
    def embedder(self) -> Embedder:
        """The embedder, built on first use when a factory was given."""
        if callable(self._embedder) and not hasattr(self._embedder, "embed_query"):
            self._embedder = self._embedder()
        return self._embedder  # type: ignore[return-value]

    async def journal(self, jobs: Sequence[Job]) -> None:
        """Journal new or changed jobs (the ingest service calls this before writing them)."""
        if jobs:
            await self.alerts.add_changed([job.id for job in jobs], self.clock.now())

    def journal_hook(self) -> Callable[[Sequence[Job]], Awaitable[None]]:
        """:meth:`journal` as the ingest service's ``on_changed`` callback."""
        return self.journal

    async def run_once(self) -> tuple[MatchReport, DeliveryReport]:
        """One pass: match everything journaled, then deliver what is due."""
        return await self.match(), await self.deliver()

    # --- matching ----------------------------------------------------------------

    async def match(self) -> MatchReport:
        """Match every journaled job against every saved search and record the matches."""
        report = MatchReport()
        searches: list[SavedSearch] | None = None
        while True:
            entries = await self.alerts.changed(limit=self.policy.batch_size)
            if not entries:
                return report
            if searches is None:
                searches = await self._all_searches()
                report.saved_searches = len(searches)
            jobs = await self.repository.get_many([job_id for job_id, _ in entries])
            journaled = dict(entries)
            alerts = await self._matches(searches, jobs, journaled)
            if alerts:
                report.recorded += await self.alerts.record(alerts)
                self.checkpoint("alerts.recorded")
            await self.alerts.clear_changed(entries)
            report.jobs += len(entries)

    async def _all_searches(self) -> list[SavedSearch]:
        found: list[SavedSearch] = []
        after: str | None = None
        while True:
            page = list(await self.saved_searches.list_all(after=after, limit=500))
            found.extend(page)
            if len(page) < 500:
                return found
            after = page[-1].id

    async def _matches(
        self, searches: Sequence[SavedSearch], jobs: Sequence[Job], journaled: dict[str, datetime]
    ) -> list[Alert]:
        now = self.clock.now()
        prepared: list[_Prepared] = []
        queries: list[str] = []
        for search in searches:
            try:
                filters = parse_filters(
                    search.filters, now=now, default_currency=self.policy.default_currency
                )
            except InvalidFilterError as exc:
                log.warning("saved search %s has invalid filters, skipped: %s", search.id, exc)
                continue
            row = -1
            if search.query.strip():
                row = len(queries)
                queries.append(search.query)
            prepared.append(_Prepared(search, filters, query_words(search.query), row))
        if not prepared or not jobs:
            return []
        scores: Sequence[Sequence[float]] = []
        if queries:
            query_vectors = [await self.embedder.embed_query(q) for q in queries]
            job_vectors = await self.embedder.embed_documents([embedding_text(job) for job in jobs])
            scores = self.similarity(query_vectors, job_vectors)
        alerts: list[Alert] = []
        for column, job in enumerate(jobs):
            words = job_words(job)
            for p in prepared:
                created = p.search.created_at
                if created is not None and journaled[job.id] < created:
                    continue
                if not passes_filters(job, p.filters):
                    continue
                if p.row >= 0 and not (
                    p.words <= words or scores[p.row][column] >= self.policy.min_similarity
                ):
                    continue
                alerts.append(self._alert(p.search, job, now))
        return alerts

    def _alert(self, search: SavedSearch, job: Job, now: datetime) -> Alert:
        frequency = search.frequency
        zone = time_zone(search.timezone or self.policy.timezone)
        due = digest_time(
            frequency, now, hour=self.policy.digest_hour, weekday=self.policy.weekly_day, zone=zone
        )
        alert_id = f"{search.id}:{job.id}"
        key = alert_id if frequency == "immediate" else f"{search.id}:{frequency}:{due:%Y-%m-%dT%H:%MZ}"
        return Alert(
            id=alert_id,
            tenant_id=search.tenant_id,
            user_id=search.user_id,
            saved_search_id=search.id,
            job_id=job.id,
            notifier=search.notifier or INBOX,
            frequency=frequency,
            digest_key=key,
            created_at=now,
            due_at=due,
        )

    # --- delivery ----------------------------------------------------------------

    async def deliver(self) -> DeliveryReport:
        """Send every due alert (see the module docs)."""
        report = DeliveryReport()
        done: set[str] = set()
        while True:
            due = [
                a
                for a in await self.alerts.due(self.clock.now(), limit=self.policy.batch_size)
                if a.digest_key not in done
            ]
            if not due:
                return report
            for key in dict.fromkeys(a.digest_key for a in due):
                done.add(key)
                first = next(a for a in due if a.digest_key == key)
                group = [first] if first.frequency == "immediate" else await self.alerts.group(key)
                if group:
                    await self._deliver_group(key, group, report)

    async def _deliver_group(self, key: str, group: list[Alert], report: DeliveryReport) -> None:
        now = self.clock.now()
        first = group[0]
        search = await self.saved_searches.get(first.tenant_id, first.saved_search_id)
        jobs = await self.repository.get_many([a.job_id for a in group])
        if search is None or not jobs:
            await self._finish(group, AlertStatus.CANCELLED, error="saved search or job no longer exists")
            report.cancelled += len(group)
            return
        present = {job.id for job in jobs}
        gone = [a for a in group if a.job_id not in present]
        if gone:
            await self._finish(gone, AlertStatus.CANCELLED, error="job no longer exists")
            report.cancelled += len(gone)
            group = [a for a in group if a.job_id in present]
        name = search.notifier or INBOX
        try:
            notifier = self.notifiers(name)
            if notifier is None:
                raise LookupError(f"no notifier named {name!r} is configured")
            notification = await self._compose(key, search, jobs)
            await notifier.send(notification)
        except Exception as exc:
            await self._failed(group, name, f"{type(exc).__name__}: {exc}", now, report)
            return
        self.checkpoint("alerts.sent")
        delivered = [
            msgspec.structs.replace(
                a, status=AlertStatus.DELIVERED, notifier=name, delivered_at=now, attempts=a.attempts + 1
            )
            for a in group
        ]
        await self.alerts.update(delivered)
        report.notifications += 1
        report.delivered += len(group)

    async def _failed(
        self, group: list[Alert], name: str, error: str, now: datetime, report: DeliveryReport
    ) -> None:
        attempts = group[0].attempts + 1
        log.warning(
            "delivering alert %s through %s failed (attempt %d): %s",
            group[0].digest_key,
            name,
            attempts,
            error,
        )
        if attempts >= self.policy.max_attempts:
            await self._finish(group, AlertStatus.FAILED, error=error, attempts=attempts, notifier=name)
            report.failed += len(group)
            return
        retry_at = now + timedelta(seconds=self.policy.retry_seconds * 2 ** (attempts - 1))
        await self.alerts.update(
            [
                msgspec.structs.replace(
                    a, attempts=attempts, last_error=error, next_attempt_at=retry_at, notifier=name
                )
                for a in group
            ]
        )
        report.retrying += len(group)

    async def _finish(
        self,
        group: list[Alert],
        status: AlertStatus,
        *,
        error: str,
        attempts: int | None = None,
        notifier: str | None = None,
    ) -> None:
        await self.alerts.update(
            [
                msgspec.structs.replace(
                    a,
                    status=status,
                    last_error=error,
                    attempts=a.attempts if attempts is None else attempts,
                    notifier=notifier or a.notifier,
                    delivered_at=None,
                    next_attempt_at=None,
                )
                for a in group
            ]
        )

    async def _compose(self, key: str, search: SavedSearch, jobs: Sequence[Job]) -> Notification:
        user = await self.accounts.get_user(search.tenant_id, search.user_id)
        recipient = (user.email if user is not None and user.email else None) or search.user_id
        shown = list(jobs)[: self.policy.digest_max_jobs]
        more = len(jobs) - len(shown)
        if len(jobs) == 1:
            job = jobs[0]
            subject = f"New job for {search.name!r}: {job.title} at {job.company}"
        else:
            subject = f"{len(jobs)} new jobs for {search.name!r}"
        lines = [f"- {job.title} at {job.company}{_where(job)}\n  {self._link(job)}" for job in shown]
        if more:
            lines.append(f"... and {more} more")
        text = f"Jobs matching your saved search {search.name!r}:\n\n" + "\n".join(lines) + "\n"
        items = "".join(
            f'<li><a href="{html.escape(self._link(job), quote=True)}">{html.escape(job.title)}</a> at '
            f"{html.escape(job.company)}{html.escape(_where(job))}</li>"
            for job in shown
        )
        more_html = f"<p>... and {more} more</p>" if more else ""
        body = f"<p>Jobs matching your saved search <strong>{html.escape(search.name)}</strong>:</p><ul>{items}</ul>{more_html}"
        return Notification(
            recipient=recipient,
            subject=subject,
            text=text,
            html=body,
            key=key,
            data={
                "kind": "alert",
                "tenant_id": search.tenant_id,
                "user_id": search.user_id,
                "saved_search_id": search.id,
                "job_ids": [job.id for job in jobs],
            },
        )

    def _link(self, job: Job) -> str:
        if self.policy.base_url:
            return f"{self.policy.base_url.rstrip('/')}/?job={job.id}"
        return job.url or job.apply_url or job.id


def _where(job: Job) -> str:
    places = "; ".join(loc.label() for loc in job.locations if loc.label())
    return f" ({places})" if places else ""
