"""The worker host on the real container: schedules, failures and retries, locks, alerts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
from dependency_injector import providers

from jobforge import AdapterContext, hookimpl
from jobforge.core.clock import FixedClock
from jobforge.core.errors import ConfigError
from jobforge.core.models import AnalyticsEvent, Principal, RawJob, UserRole
from jobforge.hosts.config import settings_from_dict
from jobforge.hosts.engine import Engine, build_engine
from jobforge.hosts.schedule import parse_schedule
from jobforge.hosts.worker import SourceState, Worker, build_locks

ANN = Principal("acme", "ann", UserRole.MEMBER)


class _Source:
    """A source type ``scripted``: ``jobs`` titles; ``fail`` first fetches raise; ``delay`` seconds."""

    fetches: dict[str, int] = {}

    def __init__(self, ctx: AdapterContext) -> None:
        self._name = str(ctx.get("name", "scripted"))
        self.titles = str(ctx.get("jobs", "")).split(",")
        self.fail = ctx.get_int("fail", 0)
        self.delay = ctx.get_float("delay", 0.0)

    @property
    def name(self) -> str:
        return self._name

    async def fetch(self) -> AsyncIterator[RawJob]:
        count = _Source.fetches[self._name] = _Source.fetches.get(self._name, 0) + 1
        await asyncio.sleep(self.delay)
        if count <= self.fail:
            raise ConnectionError(f"{self._name} is down")
        for n, title in enumerate(self.titles):
            yield RawJob(
                source=self._name,
                source_id=str(n),
                url=f"https://{self._name}.example/{n}",
                title=title,
                company="Acme",
                description=f"{title}.",
            )


class _Plugin:
    @hookimpl
    def register_sources(self, register: Any) -> None:
        register("scripted", _Source)


def _engine(tmp_path: Path, sources: dict[str, Any], **extra: Any) -> Engine:
    _Source.fetches.clear()
    config = {
        "data_dir": str(tmp_path),
        "embedder": "hashing",
        "repository": "memory",
        "search_index": "memory",
        "store": "memory",
        "worker": {"tick": 0.02, "alerts_interval": 0.05},
        "sources": sources,
        **extra,
    }
    return build_engine(settings_from_dict(config), plugins=[("scripted", _Plugin())])


async def _run_until(worker: Worker, done: Callable[[], bool], limit: float = 10.0) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        async with asyncio.timeout(limit):
            while not done():  # noqa: ASYNC110  (polls the worker's state; it has no event to wait on)
                await asyncio.sleep(0.01)
    finally:
        stop.set()
        await task


async def test_sources_run_on_schedule_and_a_failing_one_is_retried_while_others_go_on(
    tmp_path: Path,
) -> None:
    engine = _engine(
        tmp_path,
        {
            "good": {"type": "scripted", "name": "good", "jobs": "Data Engineer,Nurse", "schedule": "1h"},
            "flaky": {"type": "scripted", "name": "flaky", "jobs": "Analyst", "fail": 2, "schedule": "1h"},
            "slow": {"type": "scripted", "name": "slow", "jobs": "Designer", "delay": 0.3, "schedule": "1h"},
            "manual": {"type": "scripted", "name": "manual", "jobs": "Never"},
        },
    )
    async with engine:
        worker = Worker(engine)
        assert sorted(worker.sources) == ["flaky", "good", "slow"]  # no schedule, not run by the worker
        await _run_until(worker, lambda: all(s.runs and s.failures == 0 for s in worker.sources.values()))
        runs = await engine.container.store().ingest_runs.list()
        by_source: dict[str, list[Any]] = {}
        for run in reversed(runs):
            by_source.setdefault(run.source, []).append(run)
        assert [r.status for r in by_source["flaky"]] == ["failed", "failed", "completed"]
        assert by_source["flaky"][0].error == "ConnectionError: flaky is down"
        assert [r.status for r in by_source["good"]] == ["completed"]  # once: its next run is in an hour
        assert [r.status for r in by_source["slow"]] == ["completed"]
        assert by_source["good"][0].counts["added"] == 2
        # The good source finished while the slow one was still fetching.
        assert by_source["good"][0].finished_at < by_source["slow"][0].finished_at
        good = worker.sources["good"]
        assert good.next_due == good.schedule.next_after(by_source["good"][0].started_at)
        assert await engine.container.repository().count() == 4


async def test_retries_back_off_but_never_past_the_schedule(tmp_path: Path) -> None:
    engine = _engine(
        tmp_path, {"x": {"type": "scripted", "name": "x", "jobs": "A", "fail": 99, "schedule": "1s"}}
    )
    engine.container.clock.override(providers.Object(FixedClock(datetime(2026, 6, 1, tzinfo=UTC))))
    async with engine:
        worker = Worker(engine)
        state = worker.sources["x"]
        delays = []
        for _ in range(8):
            before = worker.clock.now()
            await worker.run_source(state)
            delays.append((state.next_due - before).total_seconds())
        # The next tick, then doubling, capped by the 1 s interval.
        assert delays == [0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.0, 1.0]
        assert state.failures == 8


async def test_one_run_per_source_at_a_time(tmp_path: Path) -> None:
    engine = _engine(tmp_path, {"x": {"type": "scripted", "name": "x", "jobs": "A", "schedule": "5m"}})
    async with engine:
        first, second = Worker(engine), Worker(engine)  # two workers sharing the in-process locks
        async with engine.container.locks().lock("ingest:x"):
            assert await second.run_source(second.sources["x"]) is None
        assert await engine.container.store().ingest_runs.list() == []
        run = await first.run_source(first.sources["x"])
        assert run is not None
        assert run.status == "completed"


async def test_redis_locks_keep_two_workers_apart(tmp_path: Path, redis_server: Any) -> None:
    settings = settings_from_dict(
        {"data_dir": str(tmp_path), "worker": {"lock": "redis", "lock_url": redis_server.url}}
    )
    one, two = build_locks(settings), build_locks(settings)
    try:
        async with one.lock("ingest:acme"):
            from jobforge.ports import LockUnavailableError

            with pytest.raises(LockUnavailableError, match="held by another worker"):
                async with two.lock("ingest:acme", wait=0):
                    pass
        async with two.lock("ingest:acme", wait=0) as lease:
            assert lease.name == "ingest:acme"
    finally:
        await one.close()
        await two.close()


def test_lock_choice(tmp_path: Path) -> None:
    from jobforge.adapters.memory.lock import MemoryLocks
    from jobforge.adapters.redis import RedisLocks

    assert isinstance(build_locks(settings_from_dict({"data_dir": str(tmp_path)})), MemoryLocks)
    redis_cache = settings_from_dict(
        {"data_dir": str(tmp_path), "cache": {"name": "redis", "url": "redis://h:1/0"}}
    )
    assert isinstance(build_locks(redis_cache), RedisLocks)
    with pytest.raises(ConfigError, match=r"worker\.lock_url"):
        build_locks(settings_from_dict({"data_dir": str(tmp_path), "worker": {"lock": "redis"}}))


async def test_alert_pass_follows_ingest(tmp_path: Path) -> None:
    engine = _engine(
        tmp_path, {"board": {"type": "scripted", "name": "board", "jobs": "Data Engineer", "schedule": "1h"}}
    )
    async with engine:
        saved = await engine.container.saved_search_service().create(ANN, name="data", query="data engineer")
        worker = Worker(engine)
        await _run_until(worker, lambda: worker.alert_passes >= 2 and bool(worker.sources["board"].runs))
        items = await engine.container.store().alerts.list_inbox("acme", "ann")
        assert [i.saved_search_id for i in items] == [saved.id]
        assert items[0].subject == "New job for 'data': Data Engineer at Acme"


def test_cron_and_unknown_sources(tmp_path: Path) -> None:
    engine = _engine(tmp_path, {"nightly": {"type": "scripted", "jobs": "A", "schedule": "0 3 * * *"}})
    worker = Worker(engine)
    state: SourceState = worker.sources["nightly"]
    assert state.schedule == parse_schedule("0 3 * * *")
    assert (state.next_due.hour, state.next_due.minute) == (3, 0)
    assert state.next_due - datetime.now(UTC) <= timedelta(days=1)
    with pytest.raises(ConfigError, match=r"sources\.other"):
        Worker(engine, sources=["other"])


async def test_old_analytics_events_are_pruned(tmp_path: Path) -> None:
    engine = _engine(tmp_path, {}, analytics={"retention_days": 30})
    async with engine:
        events = engine.container.store().events
        now = engine.container.clock().now()
        analytics = engine.container.analytics_service()
        for n, age in enumerate((40, 10)):
            await events.record(
                [
                    msgspec.convert(
                        {
                            "id": f"e{n}",
                            "tenant_id": "acme",
                            "kind": "search",
                            "at": (now - timedelta(days=age)).isoformat(),
                        },
                        AnalyticsEvent,
                    )
                ]
            )
        assert await Worker(engine).prune_events() == 1
        report = await analytics.report(Principal("acme", "root", UserRole.ADMIN), days=60)
        assert report.searches == 1
