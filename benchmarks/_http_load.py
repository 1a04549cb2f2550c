"""A small HTTP/1.1 keep-alive load generator and server helpers for the HTTP benchmarks.

The load generator speaks just enough HTTP/1.1 (fixed GET requests,
``Content-Length`` responses) to cost a few tens of microseconds per
request, so on a 2-core machine it takes as little CPU from the server as
possible; a general client (httpx) would cap the framework-ceiling figure
at its own speed.
"""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(
    url: str, process: subprocess.Popen[bytes], timeout: float = 300.0, interval: float = 0.02
) -> float:
    """Seconds until ``url`` answered 200 (polling every ``interval`` s)."""
    started = time.perf_counter()
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before {url} was ready")
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"{url} not ready after {timeout} s")
        time.sleep(interval)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def start_jobforge(
    port: int, config: Path, log: Path, extra_env: dict[str, str] | None = None, workers: int = 1
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "JOBFORGE_CONFIG": str(config), **(extra_env or {})}
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "jobforge.hosts.cli", "serve"),
            *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
        ],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )


@dataclass
class LoadResult:
    """What one load run measured."""

    requests: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int] = field(default_factory=dict)
    headers_seen: dict[str, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def pct(self, q: float) -> float:
        return float(np.percentile(np.asarray(self.latencies_ms), q))

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.latencies_ms)


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def _send_all(
    connection: Connection,
    host: str,
    port: int,
    paths: list[str],
    next_index: list[int],
    result: LoadResult,
    watch_header: bytes | None,
) -> None:
    reader, writer = connection
    while True:
        i = next_index[0]
        if i >= len(paths):
            return
        next_index[0] = i + 1
        request = (
            f"GET {paths[i]} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n\r\n".encode()
        )
        started = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            lowered = name.strip().lower()
            if lowered == b"content-length":
                length = int(value)
            elif watch_header is not None and lowered == watch_header:
                key = value.strip().decode()
                result.headers_seen[key] = result.headers_seen.get(key, 0) + 1
        await reader.readexactly(length)
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        status = int(head[9:12])
        result.statuses[status] = result.statuses.get(status, 0) + 1


class KeepAlivePool:
    """``size`` keep-alive connections opened once and reused by every run, as a client's pool is.

    Runs through one pool measure the server in its steady state: the first
    request of a fresh connection also waits for the server to accept and set
    it up, which a run of 600 requests over 16 new connections counts in its
    p99 (2.7% of the requests).
    """

    def __init__(self, port: int, size: int, host: str = "127.0.0.1") -> None:
        self.port, self.size, self.host = port, size, host
        self._connections: list[Connection] = []

    async def __aenter__(self) -> KeepAlivePool:
        self._connections = [await asyncio.open_connection(self.host, self.port) for _ in range(self.size)]
        return self

    async def __aexit__(self, *exc: object) -> None:
        for _, writer in self._connections:
            writer.close()
        self._connections = []

    async def run(self, paths: Sequence[str], *, watch_header: str | None = None) -> LoadResult:
        """Send every path once over the pool's connections, as fast as answers come."""
        result = LoadResult(requests=len(paths), seconds=0.0, latencies_ms=[])
        next_index = [0]
        header = watch_header.lower().encode() if watch_header else None
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _send_all(connection, self.host, self.port, list(paths), next_index, result, header)
                for connection in self._connections
            )
        )
        result.seconds = time.perf_counter() - started
        return result


async def run_load(
    port: int,
    paths: Sequence[str],
    connections: int,
    *,
    watch_header: str | None = None,
    host: str = "127.0.0.1",
) -> LoadResult:
    """Send every path once over ``connections`` new keep-alive connections (see :class:`KeepAlivePool`)."""
    async with KeepAlivePool(port, connections, host) as pool:
        return await pool.run(paths, watch_header=watch_header)
