"""The worker host: scheduled ingest of every configured source, then alerts.

``jobforge worker`` runs :class:`Worker` until SIGINT or SIGTERM:

* Every ``[sources.<name>]`` with a ``schedule`` (an interval such as
  ``30m`` or a cron expression, see :mod:`jobforge.hosts.schedule`) is
  ingested on it. Sources run concurrently, each on its own, so a slow or
  failing source never holds up the others.
* One run per source at a time: the run holds the lock ``ingest:<name>``
  (:class:`~jobforge.ports.Locks`; in-process by default, Redis when
  ``[worker] lock`` is ``redis`` or Redis is configured as the cache, so
  several workers can run side by side). A worker that finds the lock held
  skips that run.
* Each run is recorded in the store's ingest runs (status, counts, error).
  A failed run is retried at the next tick, then with a doubling delay
  (never longer than the schedule's own interval) until it succeeds.
* After every run, and every ``[worker] alerts_interval`` seconds, an alert
  pass matches new and changed jobs against the saved searches and delivers
  what is due (under the lock ``alerts``, one worker at a time).
* Once a day it deletes analytics events older than ``[analytics] retention_days``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import msgspec

from jobforge.core.errors import ConfigError
from jobforge.core.models import IngestRun
from jobforge.hosts.schedule import Schedule, parse_schedule
from jobforge.ports import LockUnavailableError

if TYPE_CHECKING:
    from jobforge.core.alerts import DeliveryReport, MatchReport
    from jobforge.hosts.config import Settings
    from jobforge.hosts.engine import Engine
    from jobforge.ports import Locks

__all__ = ["SourceState", "Worker", "build_locks"]

log = logging.getLogger(__name__)


def build_locks(settings: Settings) -> Locks:
    """The locks ``[worker] lock`` chooses (see :class:`~jobforge.hosts.config.WorkerSettings`).

    Raises:
        ConfigError: Redis locks without a URL.
    """
    worker = settings.worker
    url = worker.lock_url
    if not url and settings.cache.name == "redis":
        url = str(settings.cache.options.get("url") or "")
    kind = worker.lock if worker.lock != "auto" else ("redis" if url else "memory")
    if kind == "redis":
        if not url:
            raise ConfigError(
                "worker.lock_url", "is required for redis locks (or a redis [cache] with a url)"
            )
        from jobforge.adapters.redis import RedisLocks

        return RedisLocks(url, ttl=worker.lock_ttl)
    from jobforge.adapters.memory.lock import MemoryLocks

    return MemoryLocks()


@dataclass
class SourceState:
    """A scheduled source as the worker tracks it."""

    name: str
    schedule: Schedule
    next_due: datetime
    failures: int = 0
    runs: int = 0
    last_run: IngestRun | None = None
    task: asyncio.Task[None] | None = field(default=None, repr=False)


class Worker:
    """Runs scheduled ingest and alert passes over an engine's container.

    Args:
        engine: The engine (its container provides every adapter and service).
        sources: Limit to these configured sources (default: every one with a schedule).
    """

    def __init__(self, engine: Engine, *, sources: list[str] | None = None) -> None:
        self.engine = engine
        self.container = engine.container
        self.settings: Settings = engine.settings
        self.clock: Any = self.container.clock()
        names = sources if sources is not None else sorted(self.settings.sources)
        now = self.clock.now()
        self.sources: dict[str, SourceState] = {}
        for name in names:
            configured = self.settings.sources.get(name)
            if configured is None:
                raise ConfigError(f"sources.{name}", "no such source is configured")
            if configured.schedule is None:
                if sources is not None:
                    raise ConfigError(
                        f"sources.{name}.schedule", "is required to run the source in the worker"
                    )
                continue
            schedule = parse_schedule(configured.schedule)
            first = now if schedule.interval is not None and self.settings.worker.run_on_start else None
            self.sources[name] = SourceState(name, schedule, first or schedule.next_after(now))
        self.alert_passes = 0
        self.last_alerts: tuple[MatchReport, DeliveryReport] | None = None

    @property
    def locks(self) -> Locks:
        """The container's locks."""
        locks: Locks = self.container.locks()
        return locks

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Work until ``stop`` is set; runs still going are then awaited."""
        stop = stop or asyncio.Event()
        tick = self.settings.worker.tick
        next_alerts = next_prune = self.clock.now()
        if not self.sources:
            log.warning("no configured source has a schedule; the worker only runs alert passes")
        log.info("worker started", extra={"sources": {n: s.schedule.text for n, s in self.sources.items()}})
        try:
            while not stop.is_set():
                now = self.clock.now()
                for state in self.sources.values():
                    if state.task is None and now >= state.next_due:
                        state.task = asyncio.get_running_loop().create_task(
                            self._run_and_alert(state), name=f"ingest-{state.name}"
                        )
                if now >= next_alerts:
                    await self.alert_pass()
                    next_alerts = self.clock.now() + timedelta(seconds=self.settings.worker.alerts_interval)
                if now >= next_prune:
                    await self.prune_events()
                    next_prune = now + timedelta(days=1)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=tick)
        finally:
            running = [s.task for s in self.sources.values() if s.task is not None]
            if running:
                log.info("worker stopping; waiting for %d running ingest(s)", len(running))
                await asyncio.gather(*running, return_exceptions=True)
            log.info("worker stopped")

    async def _run_and_alert(self, state: SourceState) -> None:
        try:
            await self.run_source(state)
            await self.alert_pass()
        except Exception:  # the loop must go on whatever one source does
            log.exception("worker task for source %s failed", state.name)
        finally:
            state.task = None

    async def run_source(self, state: SourceState) -> IngestRun | None:
        """Ingest one source now, under its lock; ``None`` when another worker holds it."""
        started = self.clock.now()
        try:
            async with self.locks.lock(f"ingest:{state.name}", wait=0):
                run = await self._ingest(state.name, started)
        except LockUnavailableError as exc:
            log.info("source %s skipped: %s", state.name, exc.reason)
            state.next_due = state.schedule.next_after(started)
            return None
        state.runs += 1
        state.last_run = run
        if run.status == "completed":
            state.failures = 0
            state.next_due = state.schedule.next_after(started)
        else:
            state.failures += 1
            state.next_due = self._retry_at(state)
            log.warning(
                "source %s failed (%d in a row), retrying at %s: %s",
                state.name,
                state.failures,
                state.next_due.isoformat(),
                run.error,
            )
        return run

    def _retry_at(self, state: SourceState) -> datetime:
        now: datetime = self.clock.now()
        delay = timedelta(seconds=self.settings.worker.tick * 2 ** (state.failures - 1))
        regular = state.schedule.next_after(now) - now
        return now + min(delay, regular)

    async def _ingest(self, name: str, started: datetime) -> IngestRun:
        runs = self.container.store().ingest_runs
        run = IngestRun(id=uuid.uuid4().hex, source=name, status="running", started_at=started)
        await runs.save(run)
        try:
            report = await self.engine.ingest(name, run_id=run.id)
            run.status, run.error = report.status, report.error
            run.counts = msgspec.structs.asdict(report.counts)
        except Exception as exc:  # e.g. the source could not be built
            log.exception("ingest of %s failed", name)
            run.status, run.error = "failed", f"{type(exc).__name__}: {exc}"
        run.finished_at = self.clock.now()
        await runs.save(run)
        if run.counts.get("added") or run.counts.get("updated"):
            await self._invalidate_search_cache()
        log.info(
            "ingest run finished",
            extra={"source": name, "run_id": run.id, "status": run.status, "counts": run.counts},
        )
        return run

    async def _invalidate_search_cache(self) -> None:
        from jobforge.core.search_cache import CachedSearch

        try:
            await CachedSearch(self.container.search_service(), self.container.cache(), ttl=1).invalidate()
        except Exception:
            log.exception("invalidating the search cache failed")

    async def prune_events(self) -> int:
        """Delete analytics events older than ``[analytics] retention_days``; how many."""
        before = self.clock.now() - timedelta(days=self.settings.analytics.retention_days)
        try:
            async with self.locks.lock("analytics:prune", wait=0):
                deleted: int = await self.container.store().events.prune(before)
        except LockUnavailableError:
            return 0
        except Exception:
            log.exception("pruning analytics events failed")
            return 0
        if deleted:
            log.info("pruned analytics events", extra={"deleted": deleted, "before": before.isoformat()})
        return deleted

    async def alert_pass(self) -> tuple[MatchReport, DeliveryReport] | None:
        """Match and deliver alerts once (skipped while another worker runs a pass)."""
        if not self.settings.alerts.enabled:
            return None
        try:
            async with self.locks.lock("alerts", wait=0):
                reports: tuple[MatchReport, DeliveryReport] = await self.container.alert_service().run_once()
        except LockUnavailableError:
            return None
        except Exception:
            log.exception("alert pass failed")
            return None
        self.alert_passes += 1
        self.last_alerts = reports
        match, delivery = reports
        if match.recorded or delivery.notifications or delivery.failed or delivery.retrying:
            log.info(
                "alert pass",
                extra={"match": msgspec.structs.asdict(match), "delivery": msgspec.structs.asdict(delivery)},
            )
        return reports
