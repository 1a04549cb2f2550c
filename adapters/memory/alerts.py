"""In-memory alert journal/outbox/inbox and analytics events (the fakes of
:class:`~jobforge.ports.AlertStore` and :class:`~jobforge.ports.EventStore`).

Records are kept as encoded JSON, so callers always get copies; the rules
are those the contract suites pin down for every adapter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime

import msgspec

from jobforge.core.clock import require_aware, require_aware_datetimes
from jobforge.core.models import Alert, AlertStatus, AnalyticsEvent, EventKind, InboxItem

__all__ = ["MemoryAlertStore", "MemoryEventStore"]

_ALERT = msgspec.json.Decoder(Alert)
_ITEM = msgspec.json.Decoder(InboxItem)
_EVENT = msgspec.json.Decoder(AnalyticsEvent)


class MemoryAlertStore:
    """The alert journal, outbox and inbox in dictionaries."""

    def __init__(self) -> None:
        self._changed: dict[str, datetime] = {}
        self._alerts: dict[str, bytes] = {}
        self._inbox: dict[str, bytes] = {}

    async def add_changed(self, job_ids: Sequence[str], at: datetime) -> None:
        """Journal jobs as changed at ``at`` (a later time wins)."""
        require_aware(at, "at")
        for job_id in job_ids:
            previous = self._changed.get(job_id)
            if previous is None or at > previous:
                self._changed[job_id] = at

    async def changed(self, *, limit: int = 500) -> list[tuple[str, datetime]]:
        """Journaled ``(job_id, at)``, oldest first."""
        return sorted(self._changed.items(), key=lambda item: (item[1], item[0]))[:limit]

    async def clear_changed(self, entries: Sequence[tuple[str, datetime]]) -> None:
        """Remove entries not journaled again since they were read."""
        for job_id, at in entries:
            current = self._changed.get(job_id)
            if current is not None and current <= at:
                del self._changed[job_id]

    async def record(self, alerts: Sequence[Alert]) -> int:
        """Store alerts with new ids; returns how many."""
        new = 0
        for alert in alerts:
            require_aware_datetimes(alert)
            if alert.id not in self._alerts:
                self._alerts[alert.id] = msgspec.json.encode(alert)
                new += 1
        return new

    async def get(self, alert_id: str) -> Alert | None:
        """An alert by id."""
        data = self._alerts.get(alert_id)
        return None if data is None else _ALERT.decode(data)

    def _all(self) -> list[Alert]:
        return [_ALERT.decode(data) for data in self._alerts.values()]

    async def due(self, now: datetime, *, limit: int = 500) -> list[Alert]:
        """Pending alerts due by ``now``, earliest first."""
        found = [
            a
            for a in self._all()
            if a.status is AlertStatus.PENDING
            and a.due_at <= now
            and (a.next_attempt_at is None or a.next_attempt_at <= now)
        ]
        return sorted(found, key=lambda a: (a.due_at, a.id))[:limit]

    async def group(self, digest_key: str) -> list[Alert]:
        """Pending alerts of one digest, by id."""
        found = [a for a in self._all() if a.digest_key == digest_key and a.status is AlertStatus.PENDING]
        return sorted(found, key=lambda a: a.id)

    async def update(self, alerts: Sequence[Alert]) -> None:
        """Replace known alerts."""
        for alert in alerts:
            require_aware_datetimes(alert)
            if alert.id in self._alerts:
                self._alerts[alert.id] = msgspec.json.encode(alert)

    async def list_alerts(
        self,
        tenant_id: str,
        *,
        user_id: str | None = None,
        status: AlertStatus | None = None,
        limit: int = 100,
    ) -> list[Alert]:
        """A tenant's alerts, newest first."""
        found = [
            a
            for a in self._all()
            if a.tenant_id == tenant_id and user_id in (None, a.user_id) and status in (None, a.status)
        ]
        found.sort(key=lambda a: a.id)
        found.sort(key=lambda a: a.created_at, reverse=True)
        return found[:limit]

    async def counts(self, tenant_id: str, *, since: datetime) -> dict[str, dict[str, int]]:
        """Notifier to status to count, of alerts created since ``since``."""
        result: dict[str, dict[str, int]] = {}
        for a in self._all():
            if a.tenant_id == tenant_id and a.created_at >= since:
                per = result.setdefault(a.notifier, {})
                per[a.status.value] = per.get(a.status.value, 0) + 1
        return result

    async def add_inbox(self, item: InboxItem) -> bool:
        """Keep an item unless its id exists."""
        require_aware_datetimes(item)
        if item.id in self._inbox:
            return False
        self._inbox[item.id] = msgspec.json.encode(item)
        return True

    async def list_inbox(
        self, tenant_id: str, user_id: str, *, unread_only: bool = False, limit: int = 50
    ) -> list[InboxItem]:
        """A user's items, newest first."""
        items = [_ITEM.decode(data) for data in self._inbox.values()]
        found = [
            i
            for i in items
            if i.tenant_id == tenant_id and i.user_id == user_id and not (unread_only and i.read_at)
        ]
        found.sort(key=lambda i: i.id)
        found.sort(key=lambda i: i.created_at, reverse=True)
        return found[:limit]

    async def mark_read(self, tenant_id: str, user_id: str, item_ids: Sequence[str], at: datetime) -> int:
        """Mark unread items of the user read."""
        require_aware(at, "at")
        changed = 0
        for item_id in dict.fromkeys(item_ids):
            data = self._inbox.get(item_id)
            if data is None:
                continue
            item = _ITEM.decode(data)
            if item.tenant_id == tenant_id and item.user_id == user_id and item.read_at is None:
                self._inbox[item_id] = msgspec.json.encode(msgspec.structs.replace(item, read_at=at))
                changed += 1
        return changed


class MemoryEventStore:
    """Analytics events in a list."""

    def __init__(self) -> None:
        self._events: dict[str, bytes] = {}

    async def record(self, events: Sequence[AnalyticsEvent]) -> None:
        """Append events with new ids."""
        for event in events:
            require_aware_datetimes(event)
            self._events.setdefault(event.id, msgspec.json.encode(event))

    async def events(
        self,
        tenant_id: str,
        *,
        since: datetime,
        until: datetime,
        kinds: Sequence[EventKind] = (),
    ) -> AsyncIterator[AnalyticsEvent]:
        """A tenant's events in ``[since, until)``, oldest first."""
        wanted = set(kinds)
        found = [
            e
            for e in (_EVENT.decode(data) for data in self._events.values())
            if e.tenant_id == tenant_id and since <= e.at < until and (not wanted or e.kind in wanted)
        ]
        found.sort(key=lambda e: (e.at, e.id))
        for event in found:
            yield event

    async def prune(self, before: datetime) -> int:
        """Delete events older than ``before``."""
        old = [k for k, data in self._events.items() if _EVENT.decode(data).at < before]
        for key in old:
            del self._events[key]
        return len(old)
