"""A real MongoDB wire-protocol server on 127.0.0.1 for the tests: ``secantusdb``.

Fixtures:

* ``mongo_server``: one in-memory server for the session.
* ``mongo_url``: ``(url, database)`` -- the session server and a fresh
  database for this test, dropped afterwards.
* ``mongo_server_factory``: private servers a test may stop and restart
  (fault tests); their data is kept on disk under the test's ``tmp_path``,
  so it survives a restart on the same port. Each is stopped at the end.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from servers._ports import free_port, stop_process, wait_until

__all__ = ["MongoServer", "mongo_server", "mongo_server_factory", "mongo_url"]


class MongoServer:
    """One ``secantusdb`` process on a fixed free port.

    Args:
        storage: A directory that keeps the data across restarts, or
            ``":memory:"`` (discarded when the server stops).
        log: Where the server's output goes.
    """

    def __init__(self, storage: Path | str, log: Path) -> None:
        self.storage = str(storage)
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, database: str | None = None) -> str:
        """``mongodb://127.0.0.1:<port>/[database]?directConnection=true``."""
        return f"mongodb://127.0.0.1:{self.port}/{database or ''}?directConnection=true"

    def start(self) -> None:
        """Start the server (again, on the same port) and wait until it answers ``ping``."""
        if self.process is not None:
            return
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "secantus",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--storage-path",
                    self.storage,
                    "--log-level",
                    "WARNING",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until(self.ping, timeout=30, what=f"secantusdb on port {self.port} (log: {self.log})")
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server and wait until it has exited."""
        process, self.process = self.process, None
        stop_process(process, timeout=15)

    def ping(self) -> bool:
        """Whether the server answers ``ping``."""
        from pymongo import MongoClient
        from pymongo.errors import PyMongoError

        client: MongoClient[dict[str, object]] = MongoClient(self.url(), serverSelectionTimeoutMS=300)
        try:
            client.admin.command("ping")
            return True
        except PyMongoError:
            return False
        finally:
            client.close()

    def drop_database(self, name: str) -> None:
        """Drop one database; nothing happens when the server is down."""
        from pymongo import MongoClient
        from pymongo.errors import PyMongoError

        client: MongoClient[dict[str, object]] = MongoClient(self.url(), serverSelectionTimeoutMS=2000)
        try:
            client.drop_database(name)
        except PyMongoError:
            pass
        finally:
            client.close()


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MongoServer]:
    """The session's MongoDB server (in-memory storage)."""
    server = MongoServer(":memory:", tmp_path_factory.mktemp("mongo") / "secantus.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mongo_url(mongo_server: MongoServer) -> Iterator[tuple[str, str]]:
    """``(url, database)``: the session's server and a database of this test's own."""
    database = f"test_{uuid.uuid4().hex[:12]}"
    yield mongo_server.url(), database
    mongo_server.drop_database(database)


@pytest.fixture
def mongo_server_factory(tmp_path: Path) -> Iterator[Callable[[], MongoServer]]:
    """Make private started servers with on-disk storage, stopped when the test ends."""
    servers: list[MongoServer] = []

    def make() -> MongoServer:
        directory = tmp_path / f"mongo-{len(servers)}"
        directory.mkdir()
        server = MongoServer(directory / "data", directory / "secantus.log")
        servers.append(server)
        server.start()
        return server

    yield make
    for server in servers:
        server.stop()
