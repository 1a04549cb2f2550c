"""``jobforge serve --workers N``: several server processes on one port.

One Python process serves on one core (the GIL); these processes use them
all. On Linux each worker listens on a socket of its own bound with
``SO_REUSEPORT``, so the kernel spreads new connections over the workers.
A single shared socket (uvicorn's own ``workers``, the fallback elsewhere)
lets whichever worker wakes first accept a whole burst of connections: the
benchmark saw all 16 keep-alive connections land on one of two workers.

The parent only supervises: it restarts a worker that dies (a crash, the
OOM killer), stops every worker on SIGINT or SIGTERM, and gives up when a
worker fails to start (bad config, port in use) instead of restarting it in
a loop. Workers build the app from the environment the parent sets (see
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

__all__ = ["reuse_port_supported", "run_workers"]

log = logging.getLogger("jobforge.serve")

_APP = "jobforge.hosts.cli_serve:worker_app"
_STARTUP_FAILURE = 3
"""Exit code of a worker whose server never started (as uvicorn's own)."""
_STOP_TIMEOUT = 30.0
_PR_SET_PDEATHSIG = 1
_RESTARTS = 5
_RESTART_WINDOW = 60.0
"""More than ``_RESTARTS`` worker deaths within this many seconds: something is broken; stop."""


def reuse_port_supported() -> bool:
    """Whether the kernel balances connections over ``SO_REUSEPORT`` sockets (Linux)."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def _bound_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(host: str, port: int, options: dict[str, Any]) -> None:
    """One worker process: its own listening socket, one uvicorn server."""
    import uvicorn

    _exit_with_parent()
    sock = _bound_socket(host, port)
    sock.listen(options.get("backlog", 2048))
    server = uvicorn.Server(uvicorn.Config(_APP, factory=True, **options))
    server.run(sockets=[sock])
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
    Without ``SO_REUSEPORT`` (not Linux) uvicorn's own supervisor runs them.

    Raises:
        OSError: The address cannot be bound (in use, not local).
    """
    if not reuse_port_supported():
        import uvicorn

        uvicorn.run(_APP, factory=True, workers=workers, host=host, port=port, **options)
        return 0
    # Bound but not listening: holds the port (and learns it when 0) without taking connections.
    reserved = _bound_socket(host, port)
    port = int(reserved.getsockname()[1])
    context = multiprocessing.get_context("spawn")
    stop = threading.Event()
    failed = False
    deaths: list[float] = []

    def start() -> BaseProcess:
        process = context.Process(target=_worker, args=(host, port, options), daemon=False)
        process.start()
        return process

    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes = [start() for _ in range(workers)]
    log.info("serving on %s:%d with %d worker processes", host, port, workers)
    try:
        while not stop.wait(0.2):
            for index, process in enumerate(processes):
                if process.is_alive():
                    continue
                if process.exitcode == _STARTUP_FAILURE:
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
                processes[index] = start()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes requests in flight, runs the lifespan end
        for process in processes:
            process.join(_STOP_TIMEOUT)
            if process.is_alive():
                process.kill()
                process.join()
        reserved.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 1 if failed else 0
