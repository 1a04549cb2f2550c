"""``migrate`` copies analytics events in batches, writing only the ones the target lacks."""

from __future__ import annotations

from datetime import UTC, datetime

from jobforge.adapters.memory.store import MemoryAppStore
from jobforge.core.models import AnalyticsEvent, EventKind
from jobforge.hosts.migrate import migrate

AT = datetime(2026, 3, 1, 9, tzinfo=UTC)


def _event(n: int) -> AnalyticsEvent:
    # Pairs share an instant, so batches of two and three split instants between them.
    return AnalyticsEvent(
        id=f"e{n:02d}", tenant_id="acme", kind=EventKind.SEARCH, at=AT.replace(second=n // 2)
    )


async def _ids(store: MemoryAppStore) -> list[str]:
    span = store.events.events("acme", since=AT.replace(hour=0), until=AT.replace(hour=23))
    return sorted([event.id async for event in span])


async def test_events_are_copied_in_batches_and_only_the_missing_ones_are_written() -> None:
    source, target = MemoryAppStore(), MemoryAppStore()
    await source.events.record([_event(n) for n in range(11)])
    await target.events.record([_event(n) for n in (0, 3, 4, 10)])  # an earlier, interrupted run
    for batch_size in (2, 3):
        report = await migrate(
            source_store=source, target_store=target, tenant_ids=["acme"], batch_size=batch_size
        )
        assert report.events.read == 11
        assert await _ids(target) == [f"e{n:02d}" for n in range(11)]
        if batch_size == 2:
            assert (report.events.written, report.events.unchanged) == (7, 4)
        else:
            assert (report.events.written, report.events.unchanged) == (0, 11)
