"""``jobforge serve``: the JSON API, the OpenAPI docs and the search page over HTTP.

Only ``click`` is imported at start; Litestar and uvicorn are imported when
the command runs, so ``jobforge --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["serve"]

_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"]


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
def _serve(host: str, port: int, log_level: str, data_dir: Path | None, config_path: Path | None) -> None:
    """Serve the JSON API, the OpenAPI docs (/schema) and the search page (/)."""
    from jobforge.hosts.logs import configure_logging

    settings = _settings(data_dir, config_path)
    configure_logging(log_level, log_format=settings.telemetry.log_format)

    import uvicorn

    from jobforge.hosts.http import create_app

    app = create_app(settings)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        access_log=False,  # the app logs each request itself, with its request id and tenant
        server_header=False,
        lifespan="on",
    )
    click.echo(
        f"jobforge: serving http://{host}:{port}/ (API docs: /schema; data: {settings.data_dir})", err=True
    )
    server = uvicorn.Server(config)
    server.run()
    if not server.started:
        sys.exit(1)  # uvicorn logged why (port in use, startup error)


serve: click.Command = _serve
"""The ``jobforge serve`` command."""

# Imported after the command exists: ``jobforge.hosts.cli`` imports this module
# at its end, so either module may be imported first.
from jobforge.hosts.cli import _common_options, _handle_errors, _settings  # noqa: E402

_common_options(serve)
assert serve.callback is not None
serve.callback = _handle_errors(serve.callback)
