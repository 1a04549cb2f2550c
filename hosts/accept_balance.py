"""Least-connections accepting for ``jobforge serve --workers N``.

All workers listen on one socket. Left alone, whichever worker wakes first
takes a whole burst of new connections (the benchmark saw all 16 keep-alive
connections on one of two workers), and with one ``SO_REUSEPORT`` socket per
worker the kernel's hash splits 16 connections 10/6 or 13/3 about as often as
8/8: the busier worker's clients then wait for it while the other has CPU to
spare. Keep-alive clients stay where they landed, so the split decides tail
latency for the life of the connections.

Here every worker publishes how many connections it holds on a shared
:class:`ConnectionBoard`; a worker holding more than the least loaded one
lets a pending connection wait for that worker (nginx's ``accept_disabled``
idea), but never longer than :data:`MAX_DEFER` seconds, so a worker stuck in
a long computation or a dead one cannot stall new clients.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import select
import socket
import time
from collections.abc import Callable
from multiprocessing.sharedctypes import RawArray
from typing import Any

import uvicorn

from jobforge.core.background import BackgroundTasks

__all__ = ["MAX_DEFER", "BalancedServer", "ConnectionBoard"]

log = logging.getLogger("jobforge.serve")

MAX_DEFER = 0.1
"""Longest a worker leaves a pending connection to a less loaded one (seconds)."""
_RETRY = 0.002
"""How soon a deferring worker looks again."""
_ACCEPT_ERROR_PAUSE = 0.5
"""Pause after an accept error such as EMFILE, as asyncio's own accept loop does."""
_NOT_ACCEPTING = -1


class ConnectionBoard:
    """Open connections per worker, in memory shared by the supervisor and its workers.

    Each slot is written only by its worker (and by the supervisor once that
    worker is dead), so no lock is needed; a worker that is starting or
    stopping shows :data:`_NOT_ACCEPTING` and is left out of the comparison.
    """

    def __init__(self, workers: int) -> None:
        self._slots: Any = RawArray(ctypes.c_int, [_NOT_ACCEPTING] * workers)

    def __len__(self) -> int:
        return len(self._slots)

    def open(self, index: int) -> None:
        """Worker ``index`` starts accepting, with no connections."""
        self._slots[index] = 0

    def close(self, index: int) -> None:
        """Worker ``index`` stopped accepting (or died)."""
        self._slots[index] = _NOT_ACCEPTING

    def add(self, index: int, delta: int) -> None:
        """Worker ``index`` gained (``delta`` > 0) or lost connections."""
        if self._slots[index] != _NOT_ACCEPTING:
            self._slots[index] = max(0, self._slots[index] + delta)

    def count(self, index: int) -> int:
        """Connections of worker ``index`` (-1 when it is not accepting)."""
        return int(self._slots[index])

    def least_loaded(self, index: int) -> bool:
        """Whether worker ``index`` holds no more connections than any accepting worker."""
        mine = self._slots[index]
        return all(other < 0 or mine <= other for other in self._slots)


class BalancedServer(uvicorn.Server):
    """A uvicorn server that accepts from a shared socket only when it is the least loaded.

    uvicorn runs the lifespan, protocols and shutdown as usual; only the accept
    loop is this class's own (``loop.add_reader`` on the listening socket, then
    ``loop.connect_accepted_socket`` with uvicorn's protocol).

    Args:
        config: The uvicorn configuration.
        listener: The listening socket shared by all workers.
        board: The shared connection counts.
        index: This worker's slot on ``board``.
        clock: Monotonic seconds (tests pass their own).
    """

    def __init__(
        self,
        config: uvicorn.Config,
        listener: socket.socket,
        board: ConnectionBoard,
        index: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(config)
        self._listener = listener
        self._board = board
        self._index = index
        self._clock = clock
        self._watching = False
        self._deferred_since: float | None = None
        self._protocol_class: type[asyncio.Protocol] | None = None
        self._setups = BackgroundTasks()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Run the lifespan as uvicorn does, then accept from the shared socket (``sockets`` is ignored)."""
        await super().startup(sockets=[])  # lifespan and state; no listening server of uvicorn's
        if not self.started:
            return
        self._protocol_class = _counted(self.config.http_protocol_class, self._connection_closed)
        self._listener.setblocking(False)
        self._board.open(self._index)
        self._watch()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Stop accepting, leave the board, then shut down as uvicorn does (``sockets`` is ignored)."""
        self._unwatch()
        self._board.close(self._index)
        await super().shutdown(sockets=[self._listener])

    def _watch(self) -> None:
        if not self._watching and not self.should_exit and self._listener.fileno() >= 0:
            asyncio.get_running_loop().add_reader(self._listener.fileno(), self._on_readable)
            self._watching = True

    def _unwatch(self) -> None:
        if self._watching:
            asyncio.get_running_loop().remove_reader(self._listener.fileno())
            self._watching = False

    def _pause(self, seconds: float) -> None:
        self._unwatch()
        asyncio.get_running_loop().call_later(seconds, self._resume)

    def _resume(self) -> None:
        if self._listener.fileno() < 0:
            return
        if not select.select([self._listener], [], [], 0)[0]:  # whatever we deferred was taken
            self._deferred_since = None
        self._watch()

    def _on_readable(self) -> None:
        # Accept while this worker is (one of) the least loaded: a worker that fell
        # behind catches up in one wake-up instead of one connection per event-loop round.
        while True:
            now = self._clock()
            if not self._board.least_loaded(self._index):
                if self._deferred_since is None:
                    self._deferred_since = now
                if now - self._deferred_since < MAX_DEFER:
                    self._pause(_RETRY)
                    return
            try:
                connection, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):  # none left (or another worker took it)
                self._deferred_since = None
                return
            except OSError as error:  # EMFILE and the like: keep serving, try again soon
                log.error("accepting a connection failed: %s", error)
                self._pause(_ACCEPT_ERROR_PAUSE)
                return
            self._deferred_since = None
            self._board.add(self._index, 1)
            self._setups.start(self._serve_connection(connection))

    async def _serve_connection(self, connection: socket.socket) -> None:
        connection.setblocking(False)
        if connection.family in (socket.AF_INET, socket.AF_INET6):
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        assert self._protocol_class is not None
        factory = self._protocol_class
        try:
            await asyncio.get_running_loop().connect_accepted_socket(
                lambda: factory(  # type: ignore[call-arg]
                    config=self.config, server_state=self.server_state, app_state=self.lifespan.state
                ),
                connection,
            )
        except Exception:  # the client went away (or the loop is closing) before the transport was set up
            log.debug("setting up an accepted connection failed", exc_info=True)
            connection.close()
            self._connection_closed()

    def _connection_closed(self) -> None:
        self._board.add(self._index, -1)


def _counted(protocol_class: type[asyncio.Protocol], closed: Callable[[], None]) -> type[asyncio.Protocol]:
    """``protocol_class`` reporting each lost connection to ``closed``."""

    class CountedProtocol(protocol_class):  # type: ignore[misc,valid-type]
        def connection_lost(self, exc: Exception | None) -> None:
            try:
                super().connection_lost(exc)
            finally:
                closed()

    return CountedProtocol
