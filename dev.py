#!/usr/bin/env python3
"""Set-up and task runner that needs only the machine's Python.

    python3 dev.py demo   # install, load the sample postings, serve API + search page
    python3 dev.py test   # install, then run every check and the whole test suite

Installs into ./.venv (created on first use). ``torch==2.13.0`` is installed
first: it is the CPU build; an unpinned torch could pull a multi-GB GPU build.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PY = BIN / "python"
STAMP = VENV / ".jobforge-install-stamp"
TORCH = "torch==2.13.0"
EXTRAS = "dev,http,mongo,redis,weaviate,openai,launchdarkly,otel"
PLUGIN_DIR = ROOT / "plugins"


def _run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, env=env)


def _plugin_packages() -> list[Path]:
    if not PLUGIN_DIR.is_dir():
        return []
    return sorted(p for p in PLUGIN_DIR.iterdir() if (p / "pyproject.toml").is_file())


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for path in [ROOT / "pyproject.toml", *(p / "pyproject.toml" for p in _plugin_packages())]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def install() -> None:
    """Create the virtualenv and install jobforge, its extras and the plugins."""
    if not PY.exists():
        print(f"creating virtualenv in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    pip = [PY, "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    _run(*pip, "--upgrade", "pip")
    _run(*pip, TORCH)
    _run(*pip, "-e", f".[{EXTRAS}]")
    for plugin in _plugin_packages():
        _run(*pip, "-e", plugin)
    STAMP.write_text(_fingerprint())


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    return env


def demo(args: list[str]) -> None:
    """Load the sample postings into ./.data and serve them."""
    install()
    env = _env()
    env.setdefault("JOBFORGE_DATA_DIR", str(ROOT / ".data"))
    _run(BIN / "jobforge", "demo", env=env)
    serve = subprocess.run(
        [str(BIN / "jobforge"), "serve", "--help"], capture_output=True, env=env, check=False
    )
    if serve.returncode == 0:
        _run(BIN / "jobforge", "serve", *args, env=env)


def test(args: list[str]) -> None:
    """Every check CI runs: lint, types, import contracts, tests."""
    install()
    env = _env()
    _run(BIN / "ruff", "check", "--no-cache", ".", env=env)
    _run(BIN / "ruff", "format", "--no-cache", "--check", ".", env=env)
    _run(BIN / "mypy", env=env)
    _run(BIN / "lint-imports", env=env)
    _run(BIN / "pytest", *args, env=env)


def main() -> None:
    """Dispatch ``demo``, ``test`` or ``install``."""
    commands = {"demo": demo, "test": test, "install": lambda _args: install()}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        sys.exit(2)
    try:
        commands[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode or 1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
