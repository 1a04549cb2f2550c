"""``jobforge serve --workers N``: several server processes on one port.

One Python process serves on one core (the GIL); these processes use them
all. They share one listening socket and accept least-connections first
(see :mod:`jobforge.hosts.accept_balance`): neither a shared socket left to
whichever worker wakes first nor one ``SO_REUSEPORT`` socket per worker
spreads keep-alive connections evenly, and the uneven split decides tail
latency.

The parent only supervises: it restarts a worker that dies (a crash, the
OOM killer), stops every worker on SIGINT or SIGTERM, and gives up when a
first worker fails to start (bad config) or workers keep dying, instead of
restarting them in a loop.
Workers build the app from the environment the parent sets (see
``jobforge.hosts.cli_serve.worker_app``); they share the data directory,
whose embedded adapters see each other's writes.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import signal
import socket
import sys
import threading
import time
from multiprocessing.process import BaseProcess
from typing import Any

from jobforge.hosts.accept_balance import BalancedServer, ConnectionBoard

__all__ = ["run_workers", "supervised_workers_supported"]

log = logging.getLogger("jobforge.serve")

_APP = "jobforge.hosts.cli_serve:worker_app"
_STARTUP_FAILURE = 3
"""Exit code of a worker whose server never started (as uvicorn's own)."""
_STOP_TIMEOUT = 30.0
_PR_SET_PDEATHSIG = 1
_RESTARTS = 5
_RESTART_WINDOW = 60.0
"""More than ``_RESTARTS`` worker deaths within this many seconds: something is broken; stop."""


def supervised_workers_supported() -> bool:
    """Whether this supervisor runs here (Linux: it relies on ``PR_SET_PDEATHSIG``)."""
    return sys.platform.startswith("linux")


def _listening_socket(host: str, port: int, backlog: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    return sock


def _worker(listener: socket.socket, board: ConnectionBoard, index: int, options: dict[str, Any]) -> None:
    """One worker process: one uvicorn server accepting from the shared socket."""
    import uvicorn

    _exit_with_parent()
    server = BalancedServer(uvicorn.Config(_APP, factory=True, **options), listener, board, index)
    server.run()
    sys.exit(0 if server.started else _STARTUP_FAILURE)


def _exit_with_parent() -> None:
    """Ask Linux to SIGTERM this worker if the supervisor dies (even by SIGKILL): no orphans."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: workers outlive a killed supervisor
        pass


def run_workers(workers: int, *, host: str, port: int, options: dict[str, Any]) -> int:
    """Serve with ``workers`` processes until SIGINT or SIGTERM; the exit status.

    ``options`` are :class:`uvicorn.Config` keyword arguments (not host or port).
    Returns 1 when a worker could not start or workers keep dying, else 0.
    Off Linux uvicorn's own supervisor runs them (without the balancing).

    Raises:
        OSError: The address cannot be bound (in use, not local).
    """
    if not supervised_workers_supported():
        import uvicorn

        uvicorn.run(_APP, factory=True, workers=workers, host=host, port=port, **options)
        return 0
    listener = _listening_socket(host, port, options.get("backlog", 2048))
    port = int(listener.getsockname()[1])
    board = ConnectionBoard(workers)
    context = multiprocessing.get_context("spawn")
    stop = threading.Event()
    failed = False
    deaths: list[float] = []
    replacements: set[int] = set()  # slots whose first worker died: a start-up failure there may be passing

    def start(index: int) -> BaseProcess:
        board.close(index)  # until the new worker accepts (a dead one's count is stale)
        process = context.Process(target=_worker, args=(listener, board, index, options), daemon=False)
        process.start()
        return process

    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes = [start(index) for index in range(workers)]
    log.info("serving on %s:%d with %d worker processes", host, port, workers)
    try:
        while not stop.wait(0.2):
            for index, process in enumerate(processes):
                if process.is_alive():
                    continue
                if process.exitcode == _STARTUP_FAILURE and index not in replacements:
                    log.error("a worker could not start (see its log above); stopping")
                    failed = True
                    stop.set()
                    break
                now = time.monotonic()
                deaths = [*(t for t in deaths if now - t < _RESTART_WINDOW), now]
                if len(deaths) > _RESTARTS:
                    log.error("workers keep exiting (%d in %.0f s); stopping", len(deaths), _RESTART_WINDOW)
                    failed = True
                    stop.set()
                    break
                log.warning("worker %s exited with %s; starting another", process.pid, process.exitcode)
                replacements.add(index)
                processes[index] = start(index)
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes requests in flight, runs the lifespan end
        for process in processes:
            process.join(_STOP_TIMEOUT)
            if process.is_alive():
                process.kill()
                process.join()
        listener.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 1 if failed else 0
