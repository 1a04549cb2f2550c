"""The ``jobforge`` command line.

Only ``click`` is imported at start so ``jobforge --help`` answers at once;
every command imports what it needs when it runs.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from jobforge.core.ingest import IngestReport
    from jobforge.core.search_types import SearchResponse
    from jobforge.hosts.config import Settings
    from jobforge.hosts.engine import Engine

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])


def _common_options(func: F) -> F:
    """``--data-dir`` and ``--config`` on every command."""
    func = click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="JOBFORGE_CONFIG",
        help="TOML config file (default: $JOBFORGE_CONFIG).",
    )(func)
    return click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="JOBFORGE_DATA_DIR",
        help="Where the embedded default keeps its data (default: $JOBFORGE_DATA_DIR, else a per-user folder).",
    )(func)


def _key_values(values: tuple[str, ...], what: str) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"expected KEY=VALUE, got {item!r}", param_hint=what)
        key = key.strip()
        if key in result:
            previous = result[key]
            result[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            result[key] = value
    return result


def _settings(data_dir: Path | None, config_path: Path | None) -> Settings:
    """The effective settings of a command: config file, environment, then ``--data-dir``."""
    from jobforge.hosts.config import load_settings

    return load_settings(config_path, overrides={"data_dir": str(data_dir)} if data_dir else None)


def _engine(data_dir: Path | None, config_path: Path | None) -> Engine:
    import logging

    from jobforge.hosts.container import create_container
    from jobforge.hosts.engine import Engine

    settings = _settings(data_dir, config_path)
    logging.basicConfig(
        level=settings.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return Engine(create_container(settings))


T = TypeVar("T")


def _run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def _with_engine(engine: Engine, call: Callable[[Engine], Awaitable[T]]) -> T:
    """Run ``call`` on the engine, then close the adapters it built."""

    async def run() -> T:
        async with engine:
            return await call(engine)

    return asyncio.run(run())


def _handle_errors(func: F) -> F:
    """Turn jobforge's own errors into a clear message and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from jobforge.core.errors import JobforgeError

        try:
            return func(*args, **kwargs)
        except JobforgeError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jobforge")
def main() -> None:
    """jobforge: ingest, de-duplicate, embed and search job postings."""


@main.command()
@click.argument("source")
@click.option(
    "-o",
    "--option",
    "options",
    multiple=True,
    metavar="KEY=VALUE",
    help="Source option, e.g. path=postings.csv (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal).")
@_common_options
@_handle_errors
def ingest(
    source: str,
    options: tuple[str, ...],
    as_json: bool,
    progress: bool | None,
    data_dir: Path | None,
    config_path: Path | None,
) -> None:
    """Ingest postings from SOURCE (a registered source type such as `file`,
    or a [sources.NAME] entry of the config)."""
    engine = _engine(data_dir, config_path)
    report = _run(_ingest(engine, source, _key_values(options, "--option"), as_json, progress))
    if as_json:
        import msgspec

        click.echo(msgspec.json.encode(report).decode())
    else:
        _print_ingest(report)
    if report.status != "completed":
        sys.exit(1)


async def _ingest(
    engine: Engine, name: str, options: dict[str, Any], as_json: bool, progress: bool | None
) -> IngestReport:
    async with engine:
        source = engine.source(name, options)
        show = progress if progress is not None else (sys.stderr.isatty() and not as_json)
        if not show:
            return await engine.ingest(source)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        total_hint = getattr(source, "total_hint", None)
        total = total_hint() if callable(total_hint) else None
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[detail]}"),
            console=_stderr_console(),
        ) as bar:
            task = bar.add_task(f"ingest {source.name}", total=total, detail="")

            def update(counts: Any) -> None:
                bar.update(
                    task,
                    completed=counts.seen,
                    detail=f"added {counts.added} dup {counts.duplicates} quarantined {counts.quarantined}",
                )

            return await engine.ingest(source, progress=update)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _print_ingest(report: IngestReport) -> None:
    c = report.counts
    status = "Ingested" if report.status == "completed" else "FAILED ingesting"
    click.echo(f"{status} {report.source} (run {report.run_id}) in {report.seconds:.1f} s")
    click.echo(
        f"  added {c.added}  updated {c.updated}  unchanged {c.unchanged}  "
        f"duplicates {c.duplicates}  quarantined {c.quarantined}  embedded {c.embedded}"
    )
    if report.quarantine:
        click.echo("Quarantined records (kept; see `jobforge quarantine`):")
        for entry in report.quarantine:
            where = f"record {entry.position}" if entry.position is not None else "record"
            ident = f" id {entry.source_id}" if entry.source_id else ""
            click.echo(f"  {where}{ident}: {entry.reason}")
    if report.error:
        click.echo(f"error: {report.error}", err=True)


@main.command()
@click.argument("query", default="")
@click.option(
    "-f",
    "--filter",
    "filters",
    multiple=True,
    metavar="NAME=VALUE",
    help="Filter, e.g. remote=remote or salary_min=120000 (repeatable).",
)
@click.option("--limit", type=int, default=None, help="Hits per page (default from config, 10).")
@click.option("--offset", type=int, default=0, help="Hits to skip.")
@click.option("--mode", type=click.Choice(["hybrid", "keyword", "vector"]), default="hybrid")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@_common_options
@_handle_errors
def search(
    query: str,
    filters: tuple[str, ...],
    limit: int | None,
    offset: int,
    mode: str,
    as_json: bool,
    data_dir: Path | None,
    config_path: Path | None,
) -> None:
    """Search postings for QUERY (empty: browse newest first)."""
    engine = _engine(data_dir, config_path)
    parsed = _key_values(filters, "--filter")

    async def run() -> SearchResponse:
        async with engine:
            return await engine.search(query, filters=parsed, limit=limit, offset=offset, mode=mode)

    response = _run(run())
    if as_json:
        import msgspec

        click.echo(msgspec.json.encode(response).decode())
        return
    _print_search(response)


def _print_search(response: SearchResponse) -> None:
    if not response.hits:
        click.echo("No jobs match." if response.total == 0 else "No more results on this page.")
        return
    first = response.offset + 1
    click.echo(f"{response.total} jobs match; showing {first}-{response.offset + len(response.hits)}")
    for n, hit in enumerate(response.hits, start=first):
        job = hit.job
        click.echo(f"\n{n}. {job.title} — {job.company}   (score {hit.score:.4f})")
        where = "; ".join(loc.label() for loc in job.locations) or "location unknown"
        details = [where, job.workplace_type.value, job.employment_type.value]
        if job.salary is not None:
            details.append(_salary_label(job.salary))
        click.echo("   " + " · ".join(d for d in details if d and d != "unknown"))
        click.echo(f"   why: {hit.explanation.get('summary', '')}")
        if job.url:
            click.echo(f"   {job.url}")
    facets = response.facets.get("workplace_type")
    if facets:
        click.echo("\nworkplace: " + ", ".join(f"{k} {v}" for k, v in facets.items()))


def _salary_label(salary: Any) -> str:
    def money(value: float | None) -> str:
        return "?" if value is None else f"{value:,.0f}" if value >= 100 else f"{value:,.2f}"

    if salary.min is None and salary.max is None:
        return salary.text or ""
    span = (
        money(salary.min) if salary.max in (None, salary.min) else f"{money(salary.min)}-{money(salary.max)}"
    )
    if salary.min is None:
        span = f"up to {money(salary.max)}"
    period = f"/{salary.period.value}" if salary.period else ""
    return f"{salary.currency or ''} {span}{period}".strip()


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_common_options
@_handle_errors
def plugins(as_json: bool, data_dir: Path | None, config_path: Path | None) -> None:
    """List loaded plugins, the adapters each registered, and failures."""
    engine = _engine(data_dir, config_path)
    report = engine.plugins.report()
    if as_json:
        import json

        click.echo(json.dumps(report, indent=2, default=str))
        return
    for plugin in report["plugins"]:
        dist = f"{plugin['distribution']} {plugin['version']}" if plugin["distribution"] else "local"
        click.echo(f"{plugin['name']}  ({dist}, {plugin['module']})")
        for port, names in sorted(plugin["adapters"].items()):
            click.echo(f"    {port}: {', '.join(names)}")
        other_hooks = [h for h in plugin["hooks"] if not h.startswith("register_")]
        if other_hooks:
            click.echo(f"    hooks: {', '.join(other_hooks)}")
    if report["failed"]:
        click.echo("\nFailed to load:")
        for failure in report["failed"]:
            click.echo(f"  {failure['name']} ({failure['stage']}): {failure['error']}")


@main.group()
def config() -> None:
    """Inspect the effective configuration."""


@config.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of TOML-like text.")
@_common_options
@_handle_errors
def config_show(as_json: bool, data_dir: Path | None, config_path: Path | None) -> None:
    """Print the effective config (file + environment), secrets masked."""
    import json

    from jobforge.hosts.config import masked

    settings = _settings(data_dir, config_path)
    data = masked(settings)
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    _print_toml(data)


def _print_toml(data: dict[str, Any], prefix: str = "") -> None:
    import json

    scalars = {k: v for k, v in data.items() if not isinstance(v, dict)}
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    if prefix and (scalars or not tables):
        click.echo(f"\n[{prefix}]")
    for key, value in scalars.items():
        click.echo(f"{key} = {json.dumps(value)}")
    for key, value in tables.items():
        _print_toml(value, f"{prefix}.{key}" if prefix else key)


@main.command()
@click.option("--run-id", default=None, help="Only records of this ingest run.")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@_common_options
@_handle_errors
def quarantine(
    run_id: str | None, limit: int, as_json: bool, data_dir: Path | None, config_path: Path | None
) -> None:
    """Show quarantined records with their reasons (newest first)."""
    import msgspec

    records: list[Any] = _with_engine(
        _engine(data_dir, config_path),
        lambda engine: engine.container.repository().list_quarantined(run_id=run_id, limit=limit),
    )
    if as_json:
        click.echo(msgspec.json.encode(records).decode())
        return
    if not records:
        click.echo("No quarantined records.")
    for record in records:
        where = f" record {record.position}" if record.position is not None else ""
        click.echo(f"{record.source}{where}: {record.reason}")


@main.command("sample-data")
@click.argument("output", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--count", type=click.IntRange(1, 1_000_000), default=1500, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@_common_options
@_handle_errors
def sample_data(
    output: Path | None, count: int, seed: int, data_dir: Path | None, config_path: Path | None
) -> None:
    """Write COUNT synthetic sample postings as JSON Lines to OUTPUT
    (default: sample/postings.jsonl in the data directory)."""
    from jobforge.hosts.sample_data import write_sample_file

    if output is None:
        output = Path(_settings(data_dir, config_path).data_dir).expanduser() / "sample" / "postings.jsonl"
    path = write_sample_file(output, count, seed=seed)
    click.echo(f"wrote {count} postings to {path}")


@main.command()
@click.option(
    "--count",
    type=click.IntRange(1, 100_000),
    default=1500,
    show_default=True,
    help="How many sample postings to generate.",
)
@_common_options
@_handle_errors
def demo(count: int, data_dir: Path | None, config_path: Path | None) -> None:
    """Generate the sample postings and ingest them into the data directory."""
    from jobforge.hosts.sample_data import write_sample_file

    engine = _engine(data_dir, config_path)
    sample = Path(engine.settings.data_dir).expanduser() / "sample" / "postings.jsonl"
    if not sample.exists():
        write_sample_file(sample, count)
    report = _run(_ingest(engine, "file", {"path": str(sample), "name": "sample"}, False, None))
    _print_ingest(report)
    if report.status != "completed":
        sys.exit(1)
    click.echo(
        f'\nTry: jobforge search "senior data engineer" --filter remote=remote '
        f"--data-dir {engine.settings.data_dir}"
    )


from jobforge.hosts.cli_keys import keys  # noqa: E402  (after main: the group reuses the helpers above)

main.add_command(keys)
from jobforge.hosts.cli_serve import serve  # noqa: E402

main.add_command(serve)
from jobforge.hosts.cli_migrate import migrate  # noqa: E402

main.add_command(migrate)
from jobforge.hosts.cli_worker import alerts, worker  # noqa: E402

main.add_command(worker)
main.add_command(alerts)
from jobforge.hosts.cli_insights import analytics, recommend  # noqa: E402

main.add_command(recommend)
main.add_command(analytics)
from jobforge.hosts.cli_new_plugin import new_plugin_command  # noqa: E402

main.add_command(new_plugin_command)


if __name__ == "__main__":
    main()
