"""The alert outbox survives a killed worker: nothing lost, nothing sent twice.

Real processes on one SQLite data directory: ``jobforge ingest`` journals new
postings; ``jobforge worker`` (or ``alerts run-once``) is made to die with
``os._exit`` right after recording alerts, or right after sending one (before
marking it delivered), through the ``JOBFORGE_CRASH_AT`` fault-injection hook;
a restarted process then delivers each alert exactly once -- to the in-app
inbox and, through the jobforge-notify e-mail notifier, to a real local SMTP
server (aiosmtpd).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from jobforge.adapters.sqlite.store import SqliteAppStore
from jobforge.core.models import Principal, User, UserRole
from jobforge.hosts.engine import build_engine

pytest.importorskip("jobforge_notify")

ANN = Principal("acme", "ann", UserRole.MEMBER)
CRASHED = 86


class _Mailbox:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 2.0.0 OK"

    def subjects(self) -> list[str]:
        import email
        import email.policy

        return sorted(
            str(email.message_from_bytes(e.content, policy=email.policy.default)["Subject"])
            for e in self.envelopes
        )


@pytest.fixture
def mailbox() -> Iterator[tuple[_Mailbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    box = _Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def _postings(path: Path, titles: list[str]) -> None:
    lines = [
        {
            "id": f"p{n}",
            "url": f"https://board.example/p{n}",
            "title": t,
            "company": "Acme",
            "description": f"{t}.",
        }
        for n, t in enumerate(titles)
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")


@pytest.fixture
def setup(tmp_path: Path, mailbox: tuple[_Mailbox, int]) -> dict[str, Any]:
    data = tmp_path / "data"
    postings = tmp_path / "postings.jsonl"
    config = tmp_path / "jobforge.toml"
    config.write_text(
        f"""
data_dir = "{data}"
embedder = "hashing"
[worker]
tick = 0.1
alerts_interval = 0.2
[sources.board]
type = "file"
path = "{postings}"
name = "board"
schedule = "1h"
[notifiers.email]
type = "email"
host = "127.0.0.1"
port = {mailbox[1]}
sender = "alerts@example.com"
starttls = "false"
max_retries = 0
""",
        encoding="utf-8",
    )

    async def prepare() -> None:
        async with build_engine(config=config) as engine:
            await engine.container.store().accounts.upsert_user(
                User(id="ann", tenant_id="acme", email="ann@example.com")
            )
            searches = engine.container.saved_search_service()
            await searches.create(ANN, name="in app", query="")
            await searches.create(ANN, name="by mail", query="", notifier="email")

    asyncio.run(prepare())
    return {"config": config, "data": data, "postings": postings, "mailbox": mailbox[0]}


def _jobforge(args: list[str], config: Path, crash_at: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JOBFORGE_CONFIG": str(config), "HF_HUB_OFFLINE": "1"}
    env.pop("JOBFORGE_CRASH_AT", None)
    if crash_at:
        env["JOBFORGE_CRASH_AT"] = crash_at
    return subprocess.run(
        [sys.executable, "-m", "jobforge.hosts.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _inbox(data: Path) -> list[str]:
    async def read() -> list[str]:
        store = SqliteAppStore(data / "app.sqlite3")
        try:
            return sorted(i.subject for i in await store.alerts.list_inbox("acme", "ann", limit=1000))
        finally:
            await store.close()

    return asyncio.run(read())


def _worker(config: Path, crash_at: str | None = None) -> subprocess.Popen[str]:
    env = {**os.environ, "JOBFORGE_CONFIG": str(config), "HF_HUB_OFFLINE": "1"}
    env.pop("JOBFORGE_CRASH_AT", None)
    if crash_at:
        env["JOBFORGE_CRASH_AT"] = crash_at
    return subprocess.Popen(
        [sys.executable, "-m", "jobforge.hosts.cli", "worker"], env=env, stderr=subprocess.PIPE, text=True
    )


def _wait(condition: Any, what: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_a_worker_killed_after_recording_loses_nothing(setup: dict[str, Any]) -> None:
    config, data, box = setup["config"], setup["data"], setup["mailbox"]
    _postings(setup["postings"], ["Data Engineer", "Registered Nurse"])

    crashed = _worker(config, crash_at="alerts.recorded")
    assert crashed.wait(timeout=120) == CRASHED, crashed.stderr.read() if crashed.stderr else ""
    assert _inbox(data) == []  # recorded, not delivered
    assert box.envelopes == []
    pending = _jobforge(["alerts", "list", "--tenant", "acme", "--status", "pending", "--json"], config)
    assert len(json.loads(pending.stdout)) == 4

    restarted = _worker(config)
    try:
        _wait(lambda: len(_inbox(data)) == 2 and len(box.envelopes) == 2, "both alerts of both searches")
    finally:
        restarted.send_signal(signal.SIGTERM)
        assert restarted.wait(timeout=60) == 0
    assert _inbox(data) == [
        "New job for 'in app': Data Engineer at Acme",
        "New job for 'in app': Registered Nurse at Acme",
    ]
    assert box.subjects() == [
        "New job for 'by mail': Data Engineer at Acme",
        "New job for 'by mail': Registered Nurse at Acme",
    ]
    again = _jobforge(["alerts", "run-once"], config)
    assert again.returncode == 0, again.stderr
    assert "0 new alerts" in again.stdout
    assert len(box.envelopes) == 2


def test_a_process_killed_between_sending_and_marking_sends_once(setup: dict[str, Any]) -> None:
    config, data, box = setup["config"], setup["data"], setup["mailbox"]
    _postings(setup["postings"], ["Data Engineer", "Registered Nurse", "Product Designer"])
    ingest = _jobforge(["ingest", "board"], config)
    assert ingest.returncode == 0, ingest.stderr

    # Six alerts (three jobs x two searches); the process dies after the first send.
    crashed = _jobforge(["alerts", "run-once"], config, crash_at="alerts.sent")
    assert crashed.returncode == CRASHED, crashed.stderr
    sent_before = len(_inbox(data)) + len(box.envelopes)
    assert sent_before == 1

    for _ in range(2):  # the rerun finishes the job; a further one finds nothing to do
        rerun = _jobforge(["alerts", "run-once", "--json"], config)
        assert rerun.returncode == 0, rerun.stderr
    assert len(_inbox(data)) == 3
    assert len(box.envelopes) == 3  # the alert sent before the crash was not sent again
    assert len(set(box.subjects())) == 3
    listed = _jobforge(["alerts", "list", "--tenant", "acme", "--json"], config)
    assert sorted(a["status"] for a in json.loads(listed.stdout)) == ["delivered"] * 6
