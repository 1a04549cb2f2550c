"""``jobforge serve --workers 2``: real processes on one port sharing one data directory."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from jobforge.hosts.serve_workers import supervised_workers_supported

ADMIN_KEY = "jf_workers-test-admin-key-00000000000000000"

pytestmark = pytest.mark.skipif(not supervised_workers_supported(), reason="the supervisor is Linux-only")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def _workers(pid: int) -> set[int]:
    """The server processes (not multiprocessing's resource tracker)."""
    return {child for child in _children(pid) if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()}


def _until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/ready", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "JOBFORGE_DATA_DIR": str(data_dir),
        "JOBFORGE_EMBEDDER": "hashing",
        "JOBFORGE_ADMIN_KEY": ADMIN_KEY,
        "JOBFORGE_CONFIG": "",
    }


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = _free_port()
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "jobforge.hosts.cli", "serve", "--port", str(port), "--workers", "2"],
        env=_env(tmp_path / "data"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _until(lambda: _ready(base) or process.poll() is not None)
        assert process.poll() is None, (tmp_path / "server.log").read_text()
        yield base, process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        log.close()


def test_workers_share_the_port_the_data_and_the_metrics(
    served: tuple[str, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    base, process = served
    _until(lambda: len(_workers(process.pid)) == 2)
    body = {
        "source": "workers-test",
        "jobs": [{"source_id": "w-1", "title": "Glassblower", "company": "Kiln Co", "description": "Glass."}],
    }
    report = httpx.post(f"{base}/api/v1/jobs", json=body, headers={"X-API-Key": ADMIN_KEY}, timeout=30)
    assert report.json()["counts"]["added"] == 1, report.text
    # Fresh connections land on either worker: each must see the job the other may have written.
    for n in range(12):
        found = httpx.get(f"{base}/api/v1/search", params={"q": f"glassblower {n}"}, timeout=30).json()
        assert [hit["job"]["title"] for hit in found["hits"]][:1] == ["Glassblower"], found
    metrics = httpx.get(f"{base}/metrics", timeout=10).text
    searches = [line for line in metrics.splitlines() if line.startswith("jobforge_searches_total{")]
    assert sum(float(line.rsplit(" ", 1)[1]) for line in searches) == 12, searches
    # Each worker knows it shares the cores with another ([http] processes, for CPU-heavy adapters).
    for pid in _workers(process.pid):
        assert b"JOBFORGE__HTTP__PROCESSES=2" in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    # One access line per request, the app's own (uvicorn's would repeat it with the query string).
    loggers = [
        json.loads(line).get("logger")
        for line in (tmp_path / "server.log").read_text().splitlines()
        if line.startswith("{")
    ]
    assert loggers.count("jobforge.http.access") >= 13
    assert "uvicorn.access" not in loggers


def _established_inodes(port: int) -> set[str]:
    """Socket inodes of the server's side of established TCP connections on ``port``."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01":  # 01: ESTABLISHED
                inodes.add(fields[9])
    return inodes


def _connections_of(pid: int, inodes: set[str]) -> int:
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            count += 1
    return count


def test_keep_alive_connections_are_spread_evenly_over_the_workers(
    served: tuple[str, subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    base, process = served
    log = tmp_path / "server.log"
    _until(lambda: log.read_text().count("Application startup complete") == 2)  # both accept
    port = int(base.rsplit(":", 1)[1])
    clients = []
    try:
        for _ in range(8):
            client = socket.create_connection(("127.0.0.1", port))
            client.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert client.recv(4096).startswith(b"HTTP/1.1 200")  # accepted and served; kept open
            clients.append(client)
        inodes = _established_inodes(port)
        assert sorted(_connections_of(pid, inodes) for pid in _workers(process.pid)) == [4, 4]
    finally:
        for client in clients:
            client.close()


def test_a_dead_worker_is_replaced_and_sigterm_stops_everything(
    served: tuple[str, subprocess.Popen[bytes]],
) -> None:
    base, process = served
    _until(lambda: len(_workers(process.pid)) == 2)
    first = _workers(process.pid)
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    _until(lambda: len(_workers(process.pid)) == 2 and victim not in _workers(process.pid))
    _until(lambda: _ready(base))
    assert httpx.get(f"{base}/health", timeout=5).status_code == 200
    workers = _workers(process.pid)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    _until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), timeout=30)


def test_a_replacement_worker_that_cannot_start_yet_is_retried(tmp_path: Path) -> None:
    config = tmp_path / "jobforge.toml"
    config.write_text('[search]\nmode = "hybrid"\n')
    port = _free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jobforge.hosts.cli", "serve", "--port", str(port), "--workers", "2"],
            env={**_env(tmp_path / "data"), "JOBFORGE_CONFIG": str(config)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _until(lambda: log_path.read_text().count("Application startup complete") == 2)
            (tmp_path / "a-file").write_text("")
            # A replacement now fails while opening its adapters (uvicorn's start-up failure, exit 3).
            config.write_text(f'[repository]\nname = "sqlite"\npath = "{tmp_path}/a-file/jobs.sqlite3"\n')
            victim = min(_workers(process.pid))
            os.kill(victim, signal.SIGKILL)
            _until(lambda: "exited with 3; starting another" in log_path.read_text())
            config.write_text('[search]\nmode = "hybrid"\n')  # fixed: the next replacement starts
            _until(lambda: log_path.read_text().count("Application startup complete") == 3)
            assert process.poll() is None
            assert httpx.get(f"{base}/health", timeout=5).status_code == 200
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)


def test_a_port_in_use_fails_fast_with_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "jobforge.hosts.cli", "serve", "--port", str(port), "--workers", "2"],
            env=_env(tmp_path / "data"),
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode != 0
    assert f"127.0.0.1:{port}" in result.stderr
    assert "in use" in result.stderr.lower()


def test_per_process_state_is_named_before_serving() -> None:
    from jobforge.hosts.cli_serve import _per_process_state
    from jobforge.hosts.config import settings_from_dict

    warnings = _per_process_state(settings_from_dict({}), 3)
    assert len(warnings) == 2
    assert "up to 3x the limits" in warnings[0]
    assert "'sqlite' or 'redis' cache is shared" in warnings[1]
    shared = settings_from_dict({"cache": {"name": "sqlite"}, "http": {"rate_limit": {"enabled": False}}})
    assert _per_process_state(shared, 3) == []
