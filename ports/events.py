"""The analytics event port: searches and interactions, kept for reports."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

from jobforge.core.models import AnalyticsEvent, EventKind

__all__ = ["EventStore"]


@runtime_checkable
class EventStore(Protocol):
    """Append-only analytics events, read back per tenant and time window."""

    async def record(self, events: Sequence[AnalyticsEvent]) -> None:
        """Append events; an id already stored is ignored (so a retried write does not double count)."""
        ...

    def events(
        self,
        tenant_id: str,
        *,
        since: datetime,
        until: datetime,
        kinds: Sequence[EventKind] = (),
    ) -> AsyncIterator[AnalyticsEvent]:
        """A tenant's events with ``since <= at < until`` (of these kinds, when given), oldest first (ties by id)."""
        ...

    async def prune(self, before: datetime) -> int:
        """Delete events older than ``before`` (every tenant); returns how many."""
        ...
