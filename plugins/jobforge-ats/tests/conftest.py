"""Fixtures: a local HTTP server standing in for the employers' ATS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jobforge.net import HttpClientSettings
from jobforge.testing.http_server import LocalHttpServer

FAST = HttpClientSettings(rate_limit=0, max_retries=2, backoff_base=0.01, timeout=5)
"""HTTP settings for tests: no rate limit, quick retries."""


@pytest.fixture
def server() -> Iterator[LocalHttpServer]:
    """A local HTTP server on 127.0.0.1."""
    with LocalHttpServer() as running:
        yield running
