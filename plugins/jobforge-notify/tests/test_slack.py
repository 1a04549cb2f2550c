"""Slack incoming webhooks against a local HTTP server."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from jobforge.testing.contracts.notifier import NotifierContract, make_notification
from jobforge.testing.http_server import LocalHttpServer, Reply
from jobforge_notify._base import DeliveryError
from jobforge_notify._sent_log import SentLog
from jobforge_notify.slack import SlackNotifier

from .conftest import FAST

HOOK = "/services/T000/B000/XXXXSECRETXXXX"
OK = Reply(body=b"ok", headers={"Content-Type": "text/html"})


def _notifier(server: LocalHttpServer, tmp_path: Path) -> SlackNotifier:
    return SlackNotifier(
        webhook_url=server.url + HOOK, http=FAST, sent_log=SentLog(tmp_path / "sent.sqlite3")
    )


class TestSlackContract(NotifierContract):
    @pytest.fixture
    def notifier(self, server: LocalHttpServer, tmp_path: Path) -> SlackNotifier:
        server.route(HOOK, OK, method="POST")
        return _notifier(server, tmp_path)

    @pytest.fixture
    def delivered(self, server: LocalHttpServer):
        return lambda: [r.json()["text"] for r in server.requests_to(HOOK, "POST")]

    @pytest.fixture
    def failing_notifier(self, server: LocalHttpServer, tmp_path: Path) -> SlackNotifier:
        server.route(HOOK, Reply(status=404, body=b"no_service"), method="POST")
        return _notifier(server, tmp_path)


async def test_message_shape(server: LocalHttpServer, tmp_path: Path) -> None:
    server.route(HOOK, OK, method="POST")
    notification = make_notification(text="Data <Engineer> & Analyst")
    await _notifier(server, tmp_path).send(notification)
    body = server.requests_to(HOOK)[0].json()
    assert body["text"] == f"{notification.subject}\nData <Engineer> & Analyst"
    assert body["blocks"][0] == {
        "type": "section",
        "text": {"type": "mrkdwn", "text": f"*{notification.subject}*"},
    }
    assert body["blocks"][1]["text"]["text"] == "Data &lt;Engineer&gt; &amp; Analyst"
    assert body["unfurl_links"] is False


async def test_rate_limit_is_retried_after_retry_after(server: LocalHttpServer, tmp_path: Path) -> None:
    server.route(HOOK, Reply(status=429, headers={"Retry-After": "0"}), OK, method="POST")
    await _notifier(server, tmp_path).send(make_notification())
    assert len(server.requests_to(HOOK)) == 2


async def test_errors_never_show_the_webhook_url(
    server: LocalHttpServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    server.route(HOOK, Reply(status=410, body=b"channel_is_archived"), method="POST")
    with pytest.raises(DeliveryError) as caught, caplog.at_level(logging.WARNING):
        await _notifier(server, tmp_path).send(make_notification())
    assert "channel_is_archived" in str(caught.value)
    assert "XXXXSECRETXXXX" not in str(caught.value)
    assert "XXXXSECRETXXXX" not in repr(_notifier(server, tmp_path))


async def test_a_recipient_webhook_wins(server: LocalHttpServer) -> None:
    server.route("/services/user-hook", OK, method="POST")
    notifier = SlackNotifier(webhook_url=server.url + HOOK, http=FAST)
    await notifier.send(make_notification(recipient=server.url + "/services/user-hook"))
    assert len(server.requests_to("/services/user-hook")) == 1
    assert server.requests_to(HOOK) == []


async def test_without_any_webhook_url() -> None:
    with pytest.raises(DeliveryError, match="no webhook_url"):
        await SlackNotifier(http=FAST).send(make_notification(recipient="#jobs"))
