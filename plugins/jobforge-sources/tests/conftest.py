"""Fixtures: the recorded API responses in ``../shared/fixtures`` and a local HTTP server."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobforge.net import HttpClientSettings
from jobforge.testing.http_server import LocalHttpServer

HERE = Path(__file__).resolve().parent
OWN_FIXTURES = HERE / "fixtures"


def _repo_root() -> Path:
    """The jobforge checkout that holds this plugin (the folder whose pyproject names ``jobforge``)."""
    for folder in HERE.parents:
        project = folder / "pyproject.toml"
        if project.is_file() and tomllib.loads(project.read_text())["project"]["name"] == "jobforge":
            return folder
    raise RuntimeError("this plugin is not inside a jobforge checkout")


SHARED_FIXTURES = (_repo_root() / ".." / "shared" / "fixtures").resolve()

FAST = HttpClientSettings(rate_limit=0, max_retries=2, backoff_base=0.01, timeout=5)
"""HTTP settings for tests: no rate limit, quick retries."""

FAST_OPTIONS = {"rate_limit": "0", "max_retries": "2", "backoff_base": "0.01", "timeout": "5"}
"""The same settings as source options."""


@pytest.fixture(scope="session")
def shared() -> Path:
    """The recorded real responses (read-only; never copied into the project)."""
    if not SHARED_FIXTURES.is_dir():
        pytest.fail(f"the shared fixtures folder is missing: {SHARED_FIXTURES}")
    return SHARED_FIXTURES


@pytest.fixture(scope="session")
def own() -> Path:
    """Hand-written fixtures for pagination, errors and edge cases."""
    return OWN_FIXTURES


@pytest.fixture
def server() -> Iterator[LocalHttpServer]:
    """A local HTTP server on 127.0.0.1."""
    with LocalHttpServer() as running:
        yield running
