"""``jobforge migrate``: move an embedded data directory into production adapters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from jobforge.hosts.cli import _common_options, _handle_errors, _run, _settings

if TYPE_CHECKING:
    from jobforge.hosts.migrate import MigrationReport, MigrationTargets

__all__ = ["migrate"]


@click.command()
@click.option("--to-repository", metavar="NAME", help="Copy every job into this job repository, e.g. mongo.")
@click.option(
    "--to-store",
    metavar="NAME",
    help="Copy tenants, users, API keys, saved searches, applications, ingest runs, alerts, inboxes "
    "and analytics events into this store.",
)
@click.option(
    "--to-search-index",
    metavar="NAME",
    help="Index every job into this search index, e.g. weaviate (vectors from the configured embedder).",
)
@click.option(
    "--from-data-dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    required=True,
    help="The embedded data directory to read.",
)
@click.option("--from-repository", default="sqlite", show_default=True, help="The job repository to read.")
@click.option("--from-store", default="sqlite", show_default=True, help="The store to read.")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=500, show_default=True)
@click.option(
    "--tenant",
    "tenants",
    multiple=True,
    metavar="ID",
    help="Also copy this tenant's data when it has no tenant record (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@_common_options
@_handle_errors
def migrate(
    to_repository: str | None,
    to_store: str | None,
    to_search_index: str | None,
    from_data_dir: Path,
    from_repository: str,
    from_store: str,
    batch_size: int,
    tenants: tuple[str, ...],
    as_json: bool,
    data_dir: Path | None,
    config_path: Path | None,
) -> None:
    """Copy jobs and application data from an embedded data directory into the
    adapters named by --to-* (their settings come from the config, e.g. [mongo]
    or JOBFORGE_MONGO_URL). Safe to rerun: only missing or changed records are
    written."""
    from jobforge.core.errors import ConfigError
    from jobforge.hosts.migrate import build_migration

    settings = _settings(data_dir, config_path)
    try:
        targets = build_migration(
            settings,
            from_data_dir=from_data_dir,
            to_repository=to_repository,
            to_store=to_store,
            to_search_index=to_search_index,
            from_repository=from_repository,
            from_store=from_store,
        )
    except ValueError as exc:
        raise ConfigError("migrate", str(exc)) from None
    report = _run(_migrate(targets, batch_size, tenants, show_progress=not as_json and sys.stderr.isatty()))
    if as_json:
        import msgspec

        click.echo(msgspec.json.encode(report).decode())
    else:
        _print_report(report)


async def _migrate(
    targets: MigrationTargets, batch_size: int, tenants: tuple[str, ...], *, show_progress: bool
) -> MigrationReport:
    from jobforge.hosts.migrate import migrate as run_migration

    def progress(kind: str, read: int) -> None:
        click.echo(f"\r{kind}: {read} read", nl=False, err=True)

    try:
        return await run_migration(
            **targets.arguments(),
            batch_size=batch_size,
            tenant_ids=tenants,
            progress=progress if show_progress else None,
        )
    finally:
        if show_progress:
            click.echo("", err=True)
        await targets.aclose()


def _print_report(report: MigrationReport) -> None:
    click.echo(f"Migrated in {report.seconds:.1f} s")
    for kind in (
        "jobs",
        "tenants",
        "users",
        "api_keys",
        "saved_searches",
        "applications",
        "ingest_runs",
        "alerts",
        "alert_journal",
        "inbox",
        "events",
    ):
        counts = getattr(report, kind)
        if counts.read:
            skipped = f"  skipped {counts.skipped}" if counts.skipped else ""
            click.echo(
                f"  {kind.replace('_', ' '):<15} read {counts.read}  written {counts.written}  "
                f"unchanged {counts.unchanged}{skipped}"
            )
    if report.indexed:
        click.echo(f"  {'indexed':<15} {report.indexed}")
    if report.written == 0:
        click.echo("Nothing to write: the targets already hold everything.")
