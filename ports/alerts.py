"""The alert store port: the journal of changed jobs, the outbox and the in-app inbox.

Alerts are delivered through an outbox so that a crash at any point neither
loses nor duplicates a notification:

1. Ingest journals every new or changed job (:meth:`AlertStore.add_changed`)
   *before* writing it.
2. An alert pass matches journaled jobs against the saved searches, records
   each match (:meth:`AlertStore.record`, idempotent per (saved search, job)),
   then clears the journal entries it read.
3. Delivery sends due alerts and only then marks them delivered; a
   notification carries the alert's digest key, so a resend after a crash
   between sending and marking is recognised by the notifier.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from jobforge.core.models import Alert, AlertStatus, InboxItem

__all__ = ["AlertStore"]


@runtime_checkable
class AlertStore(Protocol):
    """Alert journal, outbox and inbox. Tenant-owned reads go through ``tenant_id``."""

    async def add_changed(self, job_ids: Sequence[str], at: datetime) -> None:
        """Journal jobs as new or changed at ``at`` (a job already journaled gets the later time)."""
        ...

    async def changed(self, *, limit: int = 500) -> list[tuple[str, datetime]]:
        """Up to ``limit`` journaled ``(job_id, at)`` pairs, oldest first (ties by job id)."""
        ...

    async def clear_changed(self, entries: Sequence[tuple[str, datetime]]) -> None:
        """Remove journal entries as read: an entry journaled again since (a later
        ``at``) stays, so a change made during a pass is matched by the next."""
        ...

    async def record(self, alerts: Sequence[Alert]) -> int:
        """Store alerts whose id is new; an existing id is left untouched. Returns how many were new."""
        ...

    async def get(self, alert_id: str) -> Alert | None:
        """An alert by id."""
        ...

    async def due(self, now: datetime, *, limit: int = 500) -> list[Alert]:
        """Pending alerts with ``due_at <= now`` whose ``next_attempt_at`` is unset or
        ``<= now``, earliest ``due_at`` first (ties by id)."""
        ...

    async def group(self, digest_key: str) -> list[Alert]:
        """Every pending alert with this digest key, by id (delivered together)."""
        ...

    async def update(self, alerts: Sequence[Alert]) -> None:
        """Replace alerts by id (status, attempts, errors); unknown ids are ignored."""
        ...

    async def list_alerts(
        self,
        tenant_id: str,
        *,
        user_id: str | None = None,
        status: AlertStatus | None = None,
        limit: int = 100,
    ) -> list[Alert]:
        """A tenant's alerts (of one user, in one status), newest ``created_at`` first (ties by id)."""
        ...

    async def counts(self, tenant_id: str, *, since: datetime) -> dict[str, dict[str, int]]:
        """Alerts created since ``since``: notifier name to status to count."""
        ...

    async def add_inbox(self, item: InboxItem) -> bool:
        """Keep an inbox item unless one with its id exists; True when it was new."""
        ...

    async def list_inbox(
        self, tenant_id: str, user_id: str, *, unread_only: bool = False, limit: int = 50
    ) -> list[InboxItem]:
        """A user's inbox, newest first (ties by id)."""
        ...

    async def mark_read(self, tenant_id: str, user_id: str, item_ids: Sequence[str], at: datetime) -> int:
        """Mark a user's unread items read at ``at``; returns how many changed."""
        ...
