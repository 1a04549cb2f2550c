"""Shared fixtures for the jobforge test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["servers.embeddings", "servers.mongo", "servers.redis"]
"""Fixtures that start real servers (``tests/servers/``, importable through ``pythonpath``)."""

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = (REPO_ROOT / ".." / "shared").resolve()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only folder of real postings and recorded API responses."""
    if not SHARED_DIR.is_dir():
        pytest.fail(f"the shared data folder is missing: {SHARED_DIR}")
    return SHARED_DIR
