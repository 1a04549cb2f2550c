"""``jobforge new-plugin``: the generated package installs, registers its entry point and passes its own tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobforge.core.errors import InvalidRequestError
from jobforge.hosts.cli import main
from jobforge.hosts.scaffold import PluginNames


def test_a_new_plugin_installs_registers_and_passes_its_own_tests(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["new-plugin", "acme-board", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    plugin = tmp_path / "jobforge-acme-board"
    assert (plugin / "src" / "jobforge_acme_board" / "plugin.py").is_file()
    texts = [p.read_text() for p in plugin.rglob("*") if p.is_file() and p.suffix in (".py", ".toml")]
    assert not any("jobforge_template" in text or "jobforge-template" in text for text in texts)
    assert 'acme_board = "jobforge_acme_board.plugin"' in (plugin / "pyproject.toml").read_text()

    # Installed into a folder of its own (the test environment stays as it is), offline.
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "--target", str(site), str(plugin)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    listed = subprocess.run(
        [sys.executable, "-m", "jobforge.hosts.cli", "plugins"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert "acme_board" in listed.stdout and "example_board" in listed.stdout
    tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(plugin / "tests")],
        cwd=plugin, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert " passed" in tests.stdout


@pytest.mark.parametrize(
    "name", ["Acme", "acme_board", "-acme", "acme-", "acme--board", "9lives", "template", ""]
)
def test_a_bad_plugin_name_is_refused_naming_it(name: str) -> None:
    with pytest.raises(InvalidRequestError) as error:
        PluginNames(name)
    assert error.value.field == "name"


def test_an_existing_folder_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "jobforge-acme").mkdir()
    (tmp_path / "jobforge-acme" / "mine.txt").write_text("keep me")
    result = CliRunner().invoke(main, ["new-plugin", "acme", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "exists and is not empty" in result.output
    assert (tmp_path / "jobforge-acme" / "mine.txt").read_text() == "keep me"
