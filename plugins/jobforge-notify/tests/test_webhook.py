"""Signed generic webhooks against a local HTTP server; receivers verify with verify_signature."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from jobforge import AdapterContext
from jobforge.testing.contracts.notifier import NotifierContract, make_notification
from jobforge.testing.http_server import LocalHttpServer, Reply, Request
from jobforge_notify._base import DeliveryError
from jobforge_notify._sent_log import SentLog
from jobforge_notify.webhook import WebhookNotifier, from_context, sign, verify_signature

from .conftest import FAST

SECRET = "whsec_7d1f0c2b9a"
PATH = "/hooks/jobs"


def _notifier(server: LocalHttpServer, tmp_path: Path, **kwargs: object) -> WebhookNotifier:
    values: dict[str, object] = {
        "url": server.url + PATH,
        "secret": SECRET,
        "http": FAST,
        "sent_log": SentLog(tmp_path / "sent.sqlite3"),
        **kwargs,
    }
    return WebhookNotifier(**values)  # type: ignore[arg-type]


def _verified(request: Request) -> bool:
    return verify_signature(
        SECRET,
        request.body,
        request.headers.get("x-jobforge-timestamp"),
        request.headers.get("x-jobforge-signature"),
    )


class TestWebhookContract(NotifierContract):
    @pytest.fixture
    def notifier(self, server: LocalHttpServer, tmp_path: Path) -> WebhookNotifier:
        server.route(PATH, Reply(status=204), method="POST")
        return _notifier(server, tmp_path)

    @pytest.fixture
    def delivered(self, server: LocalHttpServer):
        return lambda: [r.json()["text"] for r in server.requests_to(PATH, "POST") if _verified(r)]

    @pytest.fixture
    def failing_notifier(self, server: LocalHttpServer, tmp_path: Path) -> WebhookNotifier:
        server.route(PATH, Reply(status=410, body=b"gone"), method="POST")
        return _notifier(server, tmp_path)


async def test_signed_payload_and_headers(server: LocalHttpServer, tmp_path: Path) -> None:
    server.route(PATH, Reply(status=202), method="POST")
    notification = make_notification()
    await _notifier(server, tmp_path, headers={"Authorization": "Bearer receiver-token"}).send(notification)
    (request,) = server.requests_to(PATH)
    assert _verified(request)
    assert request.headers["content-type"] == "application/json"
    assert request.headers["idempotency-key"] == "saved-search-1:job-1"
    assert request.headers["authorization"] == "Bearer receiver-token"
    assert len(request.headers["x-jobforge-delivery"]) == 32
    body = request.json()
    assert body["type"] == "jobforge.notification"
    assert body["id"] == request.headers["x-jobforge-delivery"]
    assert body["key"] == "saved-search-1:job-1"
    assert (body["recipient"], body["subject"], body["text"], body["html"]) == (
        notification.recipient,
        notification.subject,
        notification.text,
        notification.html,
    )
    assert body["data"] == {"saved_search_id": "saved-search-1", "job_id": "job-1"}
    assert body["sent_at"].endswith("Z")
    timestamp = int(request.headers["x-jobforge-timestamp"])
    assert abs(time.time() - timestamp) < 60
    assert request.headers["x-jobforge-signature"] == sign(SECRET, timestamp, request.body)


def test_verification_rejects_tampering_wrong_secrets_and_replays() -> None:
    body = b'{"text": "hello"}'
    now = 1_790_000_000
    signature = sign(SECRET, now, body)
    assert verify_signature(SECRET, body, str(now), signature, now=now + 10)
    assert not verify_signature(SECRET, body + b" ", str(now), signature, now=now)
    assert not verify_signature("other-secret", body, str(now), signature, now=now)
    assert not verify_signature(SECRET, body, str(now), signature, now=now + 301)
    assert not verify_signature(SECRET, body, str(now + 1), signature, now=now)
    assert not verify_signature(SECRET, body, None, signature, now=now)
    assert not verify_signature(SECRET, body, "yesterday", signature, now=now)


async def test_server_errors_are_retried_as_one_delivery(server: LocalHttpServer, tmp_path: Path) -> None:
    server.route(PATH, Reply(status=500), Reply(status=502), Reply(status=200), method="POST")
    await _notifier(server, tmp_path).send(make_notification())
    attempts = server.requests_to(PATH)
    assert len(attempts) == 3
    assert len({r.headers["x-jobforge-delivery"] for r in attempts}) == 1
    assert {r.headers["idempotency-key"] for r in attempts} == {"saved-search-1:job-1"}
    assert all(_verified(r) for r in attempts)


async def test_gives_up_and_releases_the_key(server: LocalHttpServer, tmp_path: Path) -> None:
    server.route(PATH, Reply(status=503), method="POST")
    notifier = _notifier(server, tmp_path)
    with pytest.raises(DeliveryError, match="HTTP 503"):
        await notifier.send(make_notification())
    assert len(server.requests_to(PATH)) == 1 + FAST.max_retries
    server.route(PATH, Reply(status=204), method="POST")
    await notifier.send(make_notification())
    await notifier.send(make_notification())
    assert len(server.requests_to(PATH)) == 1 + FAST.max_retries + 1


async def test_a_recipient_url_wins(server: LocalHttpServer, tmp_path: Path) -> None:
    server.route("/user/42/hook", Reply(status=204), method="POST")
    await _notifier(server, tmp_path).send(make_notification(recipient=server.url + "/user/42/hook"))
    assert len(server.requests_to("/user/42/hook")) == 1


async def test_from_options(server: LocalHttpServer, tmp_path: Path) -> None:
    server.route(PATH, Reply(status=204), method="POST")
    notifier = from_context(
        AdapterContext(
            name="webhook",
            data_dir=str(tmp_path),
            options={
                "url": server.url + PATH,
                "secret": SECRET,
                "rate_limit": "0",
                "headers": {"X-Team": "data"},
            },
        )
    )
    await notifier.send(make_notification())
    (request,) = server.requests_to(PATH)
    assert request.headers["x-team"] == "data"
    assert _verified(request)
    assert SECRET not in repr(notifier)


def test_a_secret_is_required() -> None:
    with pytest.raises(ValueError, match="secret"):
        WebhookNotifier(url="https://example.com/hook", secret="")


async def test_concurrent_sends_of_one_key_deliver_once(server: LocalHttpServer, tmp_path: Path) -> None:
    import asyncio

    server.route(PATH, Reply(status=204, delay=0.05), method="POST")
    workers = [_notifier(server, tmp_path) for _ in range(4)]
    await asyncio.gather(*(w.send(make_notification()) for w in workers))
    assert len(server.requests_to(PATH)) == 1
    assert sum(w.skipped for w in workers) == 3
