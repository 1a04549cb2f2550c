"""The alert journal, outbox, inbox and analytics events of the SQLite store.

They share the store's database file and its one worker thread (see
:mod:`jobforge.adapters.sqlite.store`); records are msgspec JSON in ``data``
next to the columns queries filter and order by. Instants are fixed-width
UTC text, which sorts in time order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import msgspec

from jobforge.adapters.sqlite._sql import placeholders
from jobforge.core.clock import from_utc_text, optional_utc_text, require_aware_datetimes, utc_text
from jobforge.core.models import Alert, AlertStatus, AnalyticsEvent, EventKind, InboxItem

if TYPE_CHECKING:
    from jobforge.adapters.sqlite.store import _Database

__all__ = ["SqliteAlertStore", "SqliteEventStore"]

_ENCODER = msgspec.json.Encoder()
_ALERT = msgspec.json.Decoder(Alert)
_ITEM = msgspec.json.Decoder(InboxItem)
_EVENT = msgspec.json.Decoder(AnalyticsEvent)
_PAGE = 1000


def _alert_row(alert: Alert) -> tuple[Any, ...]:
    require_aware_datetimes(alert)
    return (
        alert.tenant_id,
        alert.user_id,
        alert.digest_key,
        alert.notifier,
        alert.status.value,
        utc_text(alert.created_at),
        utc_text(alert.due_at),
        optional_utc_text(alert.next_attempt_at, "Alert.next_attempt_at"),
        _ENCODER.encode(alert),
        alert.id,
    )


class SqliteAlertStore:
    """An :class:`~jobforge.ports.AlertStore` in the store's SQLite file."""

    def __init__(self, db: _Database) -> None:
        self._db = db

    async def add_changed(self, job_ids: Sequence[str], at: datetime) -> None:
        """Journal jobs as changed at ``at`` (a later time wins)."""
        when = utc_text(at, "at")
        rows = [(job_id, when) for job_id in dict.fromkeys(job_ids)]
        await self._db.write(
            lambda conn: conn.executemany(
                "INSERT INTO alert_journal (job_id, at) VALUES (?, ?) "
                "ON CONFLICT (job_id) DO UPDATE SET at = max(at, excluded.at)",
                rows,
            )
        )

    async def changed(self, *, limit: int = 500) -> list[tuple[str, datetime]]:
        """Journaled ``(job_id, at)``, oldest first."""
        rows = await self._db.read(
            lambda conn: conn.execute(
                "SELECT job_id, at FROM alert_journal ORDER BY at, job_id LIMIT ?", (limit,)
            ).fetchall()
        )
        return [(row[0], from_utc_text(row[1])) for row in rows]

    async def clear_changed(self, entries: Sequence[tuple[str, datetime]]) -> None:
        """Remove entries not journaled again since they were read."""
        rows = [(job_id, utc_text(at, "at")) for job_id, at in entries]
        await self._db.write(
            lambda conn: conn.executemany("DELETE FROM alert_journal WHERE job_id = ? AND at <= ?", rows)
        )

    async def record(self, alerts: Sequence[Alert]) -> int:
        """Store alerts with new ids; returns how many."""
        rows = [_alert_row(alert) for alert in alerts]

        def run(conn: sqlite3.Connection) -> int:
            before = conn.total_changes
            conn.executemany(
                "INSERT INTO alerts (tenant_id, user_id, digest_key, notifier, status, created_at, due_at, "
                "next_attempt_at, data, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                rows,
            )
            return conn.total_changes - before

        return await self._db.write(run)

    async def get(self, alert_id: str) -> Alert | None:
        """An alert by id."""
        row = await self._db.read(
            lambda conn: conn.execute("SELECT data FROM alerts WHERE id = ?", (alert_id,)).fetchone()
        )
        return None if row is None else _ALERT.decode(row[0])

    async def due(self, now: datetime, *, limit: int = 500) -> list[Alert]:
        """Pending alerts due by ``now``, earliest first."""
        when = utc_text(now, "now")
        rows = await self._db.read(
            lambda conn: conn.execute(
                "SELECT data FROM alerts WHERE status = 'pending' AND due_at <= ? "
                "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY due_at, id LIMIT ?",
                (when, when, limit),
            ).fetchall()
        )
        return [_ALERT.decode(row[0]) for row in rows]

    async def group(self, digest_key: str) -> list[Alert]:
        """Pending alerts of one digest, by id."""
        rows = await self._db.read(
            lambda conn: conn.execute(
                "SELECT data FROM alerts WHERE digest_key = ? AND status = 'pending' ORDER BY id",
                (digest_key,),
            ).fetchall()
        )
        return [_ALERT.decode(row[0]) for row in rows]

    async def update(self, alerts: Sequence[Alert]) -> None:
        """Replace known alerts."""
        rows = [_alert_row(alert) for alert in alerts]
        await self._db.write(
            lambda conn: conn.executemany(
                "UPDATE alerts SET tenant_id = ?, user_id = ?, digest_key = ?, notifier = ?, status = ?, "
                "created_at = ?, due_at = ?, next_attempt_at = ?, data = ? WHERE id = ?",
                rows,
            )
        )

    async def list_alerts(
        self,
        tenant_id: str,
        *,
        user_id: str | None = None,
        status: AlertStatus | None = None,
        limit: int = 100,
    ) -> list[Alert]:
        """A tenant's alerts, newest first."""
        where = ["tenant_id = ?"]
        params: list[Any] = [tenant_id]
        if user_id is not None:
            where.append("user_id = ?")
            params.append(user_id)
        if status is not None:
            where.append("status = ?")
            params.append(status.value)
        sql = f"SELECT data FROM alerts WHERE {' AND '.join(where)} ORDER BY created_at DESC, id LIMIT ?"
        rows = await self._db.read(lambda conn: conn.execute(sql, (*params, limit)).fetchall())
        return [_ALERT.decode(row[0]) for row in rows]

    async def counts(self, tenant_id: str, *, since: datetime) -> dict[str, dict[str, int]]:
        """Notifier to status to count, of alerts created since ``since``."""
        rows = await self._db.read(
            lambda conn: conn.execute(
                "SELECT notifier, status, count(*) FROM alerts WHERE tenant_id = ? AND created_at >= ? "
                "GROUP BY notifier, status",
                (tenant_id, utc_text(since, "since")),
            ).fetchall()
        )
        result: dict[str, dict[str, int]] = {}
        for notifier, status, count in rows:
            result.setdefault(notifier, {})[status] = int(count)
        return result

    async def add_inbox(self, item: InboxItem) -> bool:
        """Keep an item unless its id exists."""
        require_aware_datetimes(item)
        row = (
            item.id,
            item.tenant_id,
            item.user_id,
            utc_text(item.created_at),
            int(item.read_at is not None),
            _ENCODER.encode(item),
        )
        return await self._db.write(
            lambda conn: (
                conn.execute(
                    "INSERT INTO inbox (id, tenant_id, user_id, created_at, read, data) VALUES (?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO NOTHING",
                    row,
                ).rowcount
                > 0
            )
        )

    async def list_inbox(
        self, tenant_id: str, user_id: str, *, unread_only: bool = False, limit: int = 50
    ) -> list[InboxItem]:
        """A user's items, newest first."""
        unread = " AND read = 0" if unread_only else ""
        rows = await self._db.read(
            lambda conn: conn.execute(
                f"SELECT data FROM inbox WHERE tenant_id = ? AND user_id = ?{unread} "
                "ORDER BY created_at DESC, id LIMIT ?",
                (tenant_id, user_id, limit),
            ).fetchall()
        )
        return [_ITEM.decode(row[0]) for row in rows]

    async def mark_read(self, tenant_id: str, user_id: str, item_ids: Sequence[str], at: datetime) -> int:
        """Mark unread items of the user read."""
        utc_text(at, "at")

        def run(conn: sqlite3.Connection) -> int:
            changed = 0
            for item_id in dict.fromkeys(item_ids):
                row = conn.execute(
                    "SELECT data FROM inbox WHERE id = ? AND tenant_id = ? AND user_id = ? AND read = 0",
                    (item_id, tenant_id, user_id),
                ).fetchone()
                if row is None:
                    continue
                item = msgspec.structs.replace(_ITEM.decode(row[0]), read_at=at)
                conn.execute(
                    "UPDATE inbox SET read = 1, data = ? WHERE id = ?", (_ENCODER.encode(item), item_id)
                )
                changed += 1
            return changed

        return await self._db.write(run)


class SqliteEventStore:
    """An :class:`~jobforge.ports.EventStore` in the store's SQLite file."""

    def __init__(self, db: _Database) -> None:
        self._db = db

    async def record(self, events: Sequence[AnalyticsEvent]) -> None:
        """Append events with new ids."""
        rows = []
        for event in events:
            require_aware_datetimes(event)
            rows.append(
                (event.id, event.tenant_id, event.kind.value, utc_text(event.at), _ENCODER.encode(event))
            )
        await self._db.write(
            lambda conn: conn.executemany(
                "INSERT INTO events (id, tenant_id, kind, at, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                rows,
            )
        )

    async def events(
        self,
        tenant_id: str,
        *,
        since: datetime,
        until: datetime,
        kinds: Sequence[EventKind] = (),
    ) -> AsyncIterator[AnalyticsEvent]:
        """A tenant's events in ``[since, until)``, oldest first, read a page at a time."""
        start, end = utc_text(since, "since"), utc_text(until, "until")
        kind_clause = f" AND kind IN ({placeholders(len(kinds))})" if kinds else ""
        kind_params = [k.value for k in kinds]
        after = (start, "")
        while True:
            params = (tenant_id, end, *after, *kind_params, _PAGE)
            rows = await self._db.read(
                lambda conn, params=params: conn.execute(  # type: ignore[misc]
                    "SELECT at, id, data FROM events WHERE tenant_id = ? AND at < ? AND (at, id) > (?, ?)"
                    f"{kind_clause} ORDER BY at, id LIMIT ?",
                    params,
                ).fetchall()
            )
            for row in rows:
                event = _EVENT.decode(row[2])
                if row[0] >= start:
                    yield event
            if len(rows) < _PAGE:
                return
            after = (rows[-1][0], rows[-1][1])

    async def prune(self, before: datetime) -> int:
        """Delete events older than ``before``."""
        when = utc_text(before, "before")
        return await self._db.write(
            lambda conn: conn.execute("DELETE FROM events WHERE at < ?", (when,)).rowcount
        )
