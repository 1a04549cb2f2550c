"""A new plugin package from the template plugin (``jobforge new-plugin``).

The template is ``plugins/jobforge-template`` of the repository, shipped in
the jobforge package as ``jobforge/plugin-template``: a source with an
``enrich_job`` hook, tested with the jobforge kit. A new plugin is a copy
with its distribution, package and entry-point names changed; everything
else (the example board to replace) stays as the template has it.
"""

from __future__ import annotations

import re
import shutil
from importlib import resources
from pathlib import Path

from jobforge.core.errors import InvalidRequestError

__all__ = ["PluginNames", "new_plugin"]

_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_SKIPPED = ("build", "dist", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache")
_TEMPLATE_DIST, _TEMPLATE_PACKAGE, _TEMPLATE_ENTRY_POINT = (
    "jobforge-template",
    "jobforge_template",
    "template",
)


class PluginNames:
    """The names of a plugin called ``name`` (lowercase words joined by hyphens).

    Raises:
        InvalidRequestError: ``name`` is not such a name (``field`` is ``name``).
    """

    def __init__(self, name: str) -> None:
        if not _NAME.fullmatch(name) or name == _TEMPLATE_ENTRY_POINT:
            raise InvalidRequestError(
                "name", f"expected lowercase words joined by hyphens such as 'acme-board', got {name!r}"
            )
        self.name = name
        self.dist = f"jobforge-{name}"
        """The distribution (``pip install jobforge-<name>``)."""
        self.package = f"jobforge_{name.replace('-', '_')}"
        """The import package under ``src/``."""
        self.entry_point = name.replace("-", "_")
        """The entry point in the ``jobforge`` group: the plugin's name in ``jobforge plugins``."""

    def rename(self, text: str) -> str:
        """The template's text with this plugin's names."""
        text = text.replace(_TEMPLATE_PACKAGE, self.package).replace(_TEMPLATE_DIST, self.dist)
        text = re.sub(
            rf'^{_TEMPLATE_ENTRY_POINT} = "{re.escape(self.package)}\.plugin"$',
            f'{self.entry_point} = "{self.package}.plugin"',
            text,
            flags=re.MULTILINE,
        )
        return text.replace(f'name="{_TEMPLATE_ENTRY_POINT}"', f'name="{self.entry_point}"')


def new_plugin(name: str, directory: Path) -> Path:
    """Write the plugin ``name`` into ``directory/jobforge-<name>``; returns that folder.

    Raises:
        InvalidRequestError: ``name`` is not a valid plugin name.
        FileExistsError: The folder exists and is not empty.
    """
    names = PluginNames(name)
    target = directory / names.dist
    if target.exists() and any(target.iterdir()):
        raise FileExistsError(f"{target} exists and is not empty")
    with resources.as_file(resources.files("jobforge") / "plugin-template") as template:
        _copy(Path(template), target, names)
    return target


def _copy(source: Path, target: Path, names: PluginNames) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir()):
        if entry.name in _SKIPPED or entry.name.endswith(".egg-info"):
            continue
        destination = target / names.rename(
            entry.name.replace("test_template.py", f"test_{names.entry_point}.py")
        )
        if entry.is_dir():
            _copy(entry, destination, names)
        elif entry.suffix in (".py", ".toml", ".md", ".txt", ".cfg", ".json", ".typed"):
            destination.write_text(names.rename(entry.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            shutil.copyfile(entry, destination)
