"""``jobforge serve``: the JSON API, the OpenAPI docs and the search page over HTTP.

Only ``click`` is imported at start; Litestar and uvicorn are imported when
the command runs, so ``jobforge --help`` stays fast.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from litestar import Litestar

    from jobforge.hosts.config import Settings

__all__ = ["serve", "worker_app"]

_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"]
_WORKER_LOG_LEVEL = "JOBFORGE_SERVE_LOG_LEVEL"
"""Passes ``--log-level`` to ``--workers`` processes (they build the app from the environment)."""


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on."
)
@click.option(
    "--log-level",
    type=click.Choice(_LEVELS, case_sensitive=False),
    default="INFO",
    show_default=True,
    help="Log level (logs are JSON lines on stderr; [telemetry] log_format = 'text' for text).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes sharing the port (one per core uses every core; see docs/http-api.md).",
)
def _serve(
    host: str, port: int, log_level: str, workers: int, data_dir: Path | None, config_path: Path | None
) -> None:
    """Serve the JSON API, the OpenAPI docs (/schema) and the search page (/)."""
    from jobforge.hosts.logs import configure_logging

    settings = _settings(data_dir, config_path)
    configure_logging(log_level, log_format=settings.telemetry.log_format)
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_config": None,
        "access_log": False,  # the app logs each request itself, with its request id and tenant
        "server_header": False,
        "lifespan": "on",
    }
    click.echo(
        f"jobforge: serving http://{host}:{port}/ (API docs: /schema; data: {settings.data_dir}"
        + (f"; {workers} processes" if workers > 1 else "")
        + ")",
        err=True,
    )
    if workers > 1:
        for warning in _per_process_state(settings, workers):
            click.echo(f"jobforge: warning: {warning}", err=True)
        _serve_processes(options, workers, log_level, settings.data_dir, config_path)
        return

    import uvicorn

    from jobforge.hosts.http import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(settings), **options))
    server.run()
    if not server.started:
        sys.exit(1)  # uvicorn logged why (port in use, startup error)


def _per_process_state(settings: Settings, workers: int) -> list[str]:
    """What the configuration keeps per process, so that ``workers`` processes behave differently."""
    warnings = []
    limits = settings.http.rate_limit
    if limits.enabled and limits.store == "memory":
        warnings.append(
            f"[http.rate_limit] store = 'memory' counts in each process: clients get up to {workers}x "
            "the limits (a Redis store shares them)"
        )
    if settings.cache.name == "memory":
        warnings.append(
            "[cache] name = 'memory' is per process: results and query vectors are cached "
            f"{workers} times and an ingest clears only its own process's results "
            "(the 'sqlite' or 'redis' cache is shared)"
        )
    return warnings


def _serve_processes(
    options: dict[str, Any], workers: int, log_level: str, data_dir: str, config: Path | None
) -> None:
    """Run ``workers`` server processes on one port (see :mod:`jobforge.hosts.serve_workers`).

    Each process builds the app from the environment set here (see
    :func:`worker_app`); Prometheus metrics are shared through a temporary
    directory so ``/metrics`` of any process counts them all.
    """
    from jobforge.hosts.serve_workers import run_workers

    metrics_dir = tempfile.mkdtemp(prefix="jobforge-metrics-")
    os.environ.update(
        {
            "JOBFORGE_DATA_DIR": str(data_dir),
            _WORKER_LOG_LEVEL: log_level,
            "PROMETHEUS_MULTIPROC_DIR": metrics_dir,
            "JOBFORGE__HTTP__PROCESSES": str(workers),
        }
    )
    if config is not None:
        os.environ["JOBFORGE_CONFIG"] = str(config)
    host, port = options.pop("host"), options.pop("port")
    try:
        status = run_workers(workers, host=host, port=port, options=options)
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    finally:
        shutil.rmtree(metrics_dir, ignore_errors=True)
    if status:
        sys.exit(status)


def worker_app() -> Litestar:
    """The app of one ``jobforge serve --workers N`` process, configured from its environment."""
    from jobforge.hosts.http import create_app
    from jobforge.hosts.logs import configure_logging

    settings = _settings(None, None)
    configure_logging(os.environ.get(_WORKER_LOG_LEVEL, "INFO"), log_format=settings.telemetry.log_format)
    return create_app(settings)


serve: click.Command = _serve
"""The ``jobforge serve`` command."""

# Imported after the command exists: ``jobforge.hosts.cli`` imports this module
# at its end, so either module may be imported first.
from jobforge.hosts.cli import _common_options, _handle_errors, _settings  # noqa: E402

_common_options(serve)
assert serve.callback is not None
serve.callback = _handle_errors(serve.callback)
