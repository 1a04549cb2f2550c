"""``jobforge worker`` and ``jobforge alerts``: scheduled ingest and saved-search alerts.

Only ``click`` is imported at start; the worker and the services are
imported when a command runs.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from jobforge.hosts.cli import _common_options, _engine, _handle_errors, _run, _with_engine

if TYPE_CHECKING:
    from jobforge.hosts.engine import Engine

__all__ = ["alerts", "worker"]


@click.command("worker")
@click.option(
    "--source",
    "sources",
    multiple=True,
    metavar="NAME",
    help="Run only this configured source (repeatable; default: every source with a schedule).",
)
@click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    default="INFO",
    show_default=True,
    help="Log level (JSON lines on stderr; [telemetry] log_format = 'text' for text).",
)
@_common_options
@_handle_errors
def _worker(
    sources: tuple[str, ...], log_level: str, data_dir: Path | None, config_path: Path | None
) -> None:
    """Ingest every [sources.NAME] on its schedule and send saved-search alerts, until stopped."""
    from jobforge.hosts.logs import configure_logging

    engine = _engine(data_dir, config_path)
    configure_logging(log_level, log_format=engine.settings.telemetry.log_format)
    _run(_work(engine, list(sources) or None))


worker: click.Command = _worker
"""The ``jobforge worker`` command."""


async def _work(engine: Engine, sources: list[str] | None) -> None:
    from jobforge.hosts.worker import Worker

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with engine:
        runner = Worker(engine, sources=sources)
        names = ", ".join(f"{n} ({s.schedule.text})" for n, s in runner.sources.items()) or "none"
        click.echo(f"jobforge worker: scheduled sources: {names}; stop with Ctrl-C", err=True)
        await runner.run(stop)


@click.group("alerts")
def _alerts() -> None:
    """Saved-search alerts: one matching pass, the outbox and the inbox."""


alerts: click.Group = _alerts
"""The ``jobforge alerts`` group."""


@alerts.command("run-once")
@click.option("--json", "as_json", is_flag=True, help="Print the pass as JSON.")
@_common_options
@_handle_errors
def run_once(as_json: bool, data_dir: Path | None, config_path: Path | None) -> None:
    """Match new and changed jobs against every saved search, deliver what is due, and exit."""
    engine = _engine(data_dir, config_path)

    async def run() -> Any:
        async with engine:
            return await engine.container.alert_service().run_once()

    match, delivery = _run(run())
    if as_json:
        import msgspec

        click.echo(msgspec.json.encode({"match": match, "delivery": delivery}).decode())
        return
    click.echo(
        f"matched {match.jobs} new or changed jobs against {match.saved_searches} saved searches: "
        f"{match.recorded} new alerts"
    )
    click.echo(
        f"sent {delivery.notifications} notifications ({delivery.delivered} alerts); "
        f"retrying {delivery.retrying}, failed {delivery.failed}, cancelled {delivery.cancelled}"
    )
    if delivery.failed:
        sys.exit(1)


@alerts.command("list")
@click.option("--tenant", required=True, help="Tenant id.")
@click.option("--user", default=None, help="Only this user's alerts.")
@click.option(
    "--status",
    type=click.Choice(["pending", "delivered", "failed", "cancelled"]),
    default=None,
    help="Only alerts in this status.",
)
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@_common_options
@_handle_errors
def list_alerts(
    tenant: str,
    user: str | None,
    status: str | None,
    limit: int,
    as_json: bool,
    data_dir: Path | None,
    config_path: Path | None,
) -> None:
    """The outbox: a tenant's alerts, newest first."""
    from jobforge.core.models import AlertStatus

    items: list[Any] = _with_engine(
        _engine(data_dir, config_path),
        lambda engine: engine.container.store().alerts.list_alerts(
            tenant, user_id=user, status=AlertStatus(status) if status else None, limit=limit
        ),
    )
    if as_json:
        import msgspec

        click.echo(msgspec.json.encode(items).decode())
        return
    if not items:
        click.echo("No alerts.")
    for a in items:
        error = f"  ({a.last_error})" if a.last_error else ""
        click.echo(
            f"{a.created_at:%Y-%m-%d %H:%M} {a.status.value:<9} {a.notifier:<10} {a.frequency:<9} "
            f"search {a.saved_search_id} job {a.job_id}{error}"
        )


@alerts.command("inbox")
@click.option("--tenant", required=True, help="Tenant id.")
@click.option("--user", required=True, help="User id.")
@click.option("--unread", is_flag=True, help="Only unread items.")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@_common_options
@_handle_errors
def inbox(
    tenant: str,
    user: str,
    unread: bool,
    limit: int,
    as_json: bool,
    data_dir: Path | None,
    config_path: Path | None,
) -> None:
    """A user's in-app inbox, newest first."""
    items: list[Any] = _with_engine(
        _engine(data_dir, config_path),
        lambda engine: engine.container.store().alerts.list_inbox(
            tenant, user, unread_only=unread, limit=limit
        ),
    )
    if as_json:
        import msgspec

        click.echo(msgspec.json.encode(items).decode())
        return
    if not items:
        click.echo("The inbox is empty.")
    for item in items:
        mark = " " if item.read_at else "*"
        click.echo(f"{mark} {item.created_at:%Y-%m-%d %H:%M}  {item.subject}")
