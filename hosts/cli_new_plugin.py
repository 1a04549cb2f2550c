"""``jobforge new-plugin``: start a plugin package from the template plugin."""

from __future__ import annotations

from pathlib import Path

import click

from jobforge.hosts.cli import _handle_errors

__all__ = ["new_plugin_command"]


@click.command("new-plugin")
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Where the plugin's folder jobforge-NAME is created.",
)
def _new_plugin(name: str, directory: Path) -> None:
    """Create jobforge-NAME: a job source and an enrich_job hook to adapt, with tests on the jobforge kit.

    NAME is lowercase words joined by hyphens, e.g. acme-board: the distribution
    is jobforge-acme-board, the package jobforge_acme_board, the plugin acme_board.
    """
    from jobforge.hosts.scaffold import PluginNames, new_plugin

    try:
        target = new_plugin(name, directory)
    except FileExistsError as error:
        raise click.ClickException(str(error)) from error
    names = PluginNames(name)
    click.echo(f"created {target} (plugin {names.entry_point!r}, package {names.package})")
    click.echo("next:")
    click.echo(f"  pip install -e {target}")
    click.echo(f"  pytest {target / 'tests'}")
    click.echo("  jobforge plugins")
    click.echo(f"then replace the example board in {target / 'src' / names.package / 'source.py'}")


new_plugin_command: click.Command = _new_plugin
assert new_plugin_command.callback is not None
new_plugin_command.callback = _handle_errors(new_plugin_command.callback)
