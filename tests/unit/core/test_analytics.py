"""The analytics report: buffering, aggregation and ingest health."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from jobforge.adapters.memory.store import MemoryAppStore
from jobforge.core.analytics import AnalyticsService, ingest_health, normalize_query
from jobforge.core.auth import AuthError
from jobforge.core.clock import FixedClock
from jobforge.core.errors import InvalidRequestError
from jobforge.core.models import AnalyticsEvent, EventKind, IngestRun, Principal, UserRole
from jobforge.ports import EventStore

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
ADMIN = Principal("acme", "alice", UserRole.ADMIN)


def _service(store: MemoryAppStore, clock: FixedClock, **kwargs: object) -> AnalyticsService:
    return AnalyticsService(
        events=store.events,
        runs=store.ingest_runs,
        alerts=store.alerts,
        clock=clock,
        **kwargs,  # type: ignore[arg-type]
    )


async def test_events_are_buffered_until_a_batch_or_a_report() -> None:
    store, clock = MemoryAppStore(), FixedClock(NOW)
    service = _service(store, clock, batch_size=3, flush_seconds=3600)
    for n in range(2):
        await service.record_search(
            tenant_id="acme",
            user_id="u",
            query=f"q{n}",
            filters={},
            mode="hybrid",
            result_count=1,
            latency_ms=1,
        )
    assert [
        e async for e in store.events.events("acme", since=NOW - timedelta(1), until=NOW + timedelta(1))
    ] == []
    await service.record_interaction(EventKind.ALERT_OPENED, tenant_id="acme", user_id="u")
    await service.flush()  # the full buffer was being written in the background
    stored = [
        e async for e in store.events.events("acme", since=NOW - timedelta(1), until=NOW + timedelta(1))
    ]
    assert len(stored) == 3
    with pytest.raises(InvalidRequestError):
        await service.record_interaction(EventKind.SEARCH, tenant_id="acme", user_id="u")


class _GatedEvents:
    """An event store whose writes wait for a gate and may fail."""

    def __init__(self, inner: EventStore) -> None:
        self.inner = inner
        self.gate = asyncio.Event()
        self.failures = 0

    async def record(self, events: Sequence[AnalyticsEvent]) -> None:
        await self.gate.wait()
        if self.failures:
            self.failures -= 1
            raise ConnectionError("store down")
        await self.inner.record(events)

    def events(self, *args: Any, **kwargs: Any) -> Any:
        return self.inner.events(*args, **kwargs)


async def _search_events(store: MemoryAppStore) -> list[AnalyticsEvent]:
    return [e async for e in store.events.events("acme", since=NOW - timedelta(1), until=NOW + timedelta(1))]


async def test_a_full_buffer_is_written_without_making_the_recording_request_wait() -> None:
    store, clock = MemoryAppStore(), FixedClock(NOW)
    gated = _GatedEvents(store.events)
    service = AnalyticsService(
        events=gated, runs=store.ingest_runs, clock=clock, batch_size=2, flush_seconds=3600
    )
    for n in range(3):  # the second fills the buffer: its write waits at the gate, record() does not
        await asyncio.wait_for(
            service.record_interaction(EventKind.ALERT_OPENED, tenant_id="acme", user_id=f"u{n}"), 1
        )
    assert await _search_events(store) == []
    gated.gate.set()
    await service.flush()
    assert sorted(e.user_id or "" for e in await _search_events(store)) == ["u0", "u1", "u2"]


async def test_events_of_a_failed_background_write_are_kept_for_the_next_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store, clock = MemoryAppStore(), FixedClock(NOW)
    gated = _GatedEvents(store.events)
    gated.gate.set()
    gated.failures = 1
    service = AnalyticsService(
        events=gated, runs=store.ingest_runs, clock=clock, batch_size=2, flush_seconds=3600, max_kept=3
    )
    for n in range(2):
        await service.record_interaction(EventKind.ALERT_OPENED, tenant_id="acme", user_id=f"u{n}")
    await asyncio.sleep(0.01)  # the background write fails
    assert "they are kept for the next write" in caplog.text
    await service.flush()
    assert sorted(e.user_id or "" for e in await _search_events(store)) == ["u0", "u1"]
    # While the store keeps failing, at most max_kept events wait; the oldest go first, counted.
    gated.failures = 10
    for n in range(2, 6):
        await service.record_interaction(EventKind.ALERT_OPENED, tenant_id="acme", user_id=f"u{n}")
        await asyncio.sleep(0.01)
    assert service.dropped == 1
    gated.failures = 0
    await service.flush()
    assert sorted(e.user_id or "" for e in await _search_events(store))[2:] == ["u3", "u4", "u5"]


async def test_report_aggregates_per_query_source_and_day() -> None:
    store, clock = MemoryAppStore(), FixedClock(NOW - timedelta(days=2))
    service = _service(store, clock)
    ids = []
    for n, (query, results) in enumerate(
        [("Python  Dev", 10), ("python dev", 8), ("basket weaving", 0), ("python dev", 4)]
    ):
        ids.append(
            await service.record_search(
                tenant_id="acme",
                user_id=f"u{n % 2}",
                query=query,
                filters={},
                mode="hybrid",
                result_count=results,
                latency_ms=10.0 * (n + 1),
            )
        )
        clock.advance(timedelta(hours=13))
    await service.record_interaction(
        EventKind.JOB_VIEWED, tenant_id="acme", user_id="u0", job_id="j1", source="lever", search_id=ids[0]
    )
    await service.record_interaction(
        EventKind.JOB_VIEWED, tenant_id="acme", user_id="u0", job_id="j2", source="lever", search_id=ids[0]
    )
    await service.record_interaction(
        EventKind.APPLY_CLICKED, tenant_id="acme", user_id="u1", job_id="j1", source="lever", search_id=ids[1]
    )
    await service.record_interaction(
        EventKind.APPLICATION_CREATED, tenant_id="acme", user_id="u1", job_id="j3", source="greenhouse"
    )
    await service.record_search(
        tenant_id="globex",
        user_id="x",
        query="python dev",
        filters={},
        mode="hybrid",
        result_count=1,
        latency_ms=1,
    )
    clock.advance(timedelta(minutes=1))
    report = await service.report(ADMIN, days=7)
    assert (report.searches, report.users, report.zero_result_searches) == (4, 2, 1)
    assert (report.mean_latency_ms, report.p95_latency_ms) == (25.0, 40.0)
    top = report.top_queries[0]
    assert (top.query, top.searches, top.clicked, top.applied, top.ctr, top.apply_rate, top.mean_results) == (
        "python dev",
        3,
        2,
        1,
        0.6667,
        0.3333,
        7.33,
    )
    assert [q.query for q in report.zero_result_queries] == ["basket weaving"]
    assert [(s.source, s.views, s.apply_clicks, s.applications, s.apply_rate) for s in report.sources] == [
        ("lever", 2, 1, 0, 0.5),
        ("greenhouse", 0, 0, 1, 0.0),
    ]
    assert [(d.day, d.searches) for d in report.daily] == [
        ("2026-05-30", 1),
        ("2026-05-31", 2),
        ("2026-06-01", 1),
    ]
    assert report.interactions == {"application_created": 1, "apply_clicked": 1, "job_viewed": 2}
    assert (await service.report(ADMIN, days=1)).searches == 1  # the last day only


async def test_only_admins_and_sane_windows() -> None:
    service = _service(MemoryAppStore(), FixedClock(NOW))
    with pytest.raises(AuthError):
        await service.report(Principal("acme", "bob", UserRole.MEMBER))
    with pytest.raises(AuthError):
        await service.report(None)
    with pytest.raises(InvalidRequestError, match="days"):
        await service.report(ADMIN, days=0)
    with pytest.raises(InvalidRequestError, match="limit"):
        await service.report(ADMIN, limit=1000)


def test_ingest_health_per_source() -> None:
    def run(source: str, status: str, hours: int, **counts: int) -> IngestRun:
        start = NOW - timedelta(hours=hours)
        return IngestRun(
            id=f"{source}{hours}",
            source=source,
            status=status,
            started_at=start,
            finished_at=start + timedelta(minutes=1),
            counts=counts,
            error=None if status == "completed" else "boom",
        )

    runs = [
        run("lever", "completed", 30, seen=100, added=90, quarantined=10),
        run("lever", "failed", 20),
        run("lever", "completed", 10, seen=50, updated=5),
        run("rss", "failed", 5),
        run("old", "completed", 24 * 60, seen=10),
    ]
    health = {h.source: h for h in ingest_health(runs, since=NOW - timedelta(days=7))}
    lever = health["lever"]
    assert (lever.runs, lever.failures, lever.last_status, lever.seen, lever.added, lever.updated) == (
        3,
        1,
        "completed",
        150,
        90,
        5,
    )
    assert lever.quarantine_rate == round(10 / 150, 4)
    assert lever.last_success_at == NOW - timedelta(hours=10) + timedelta(minutes=1)
    assert (health["rss"].last_success_at, health["rss"].last_error) == (None, "boom")
    assert (health["old"].runs, health["old"].last_status) == (
        0,
        "completed",
    )  # outside the window, last run kept


def test_queries_group_case_and_space_insensitively() -> None:
    assert normalize_query("  Data\tEngineer ") == "data engineer"
