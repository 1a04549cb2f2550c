"""E-mail notifications against a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import logging
from pathlib import Path

import msgspec
import pytest

from jobforge import AdapterContext
from jobforge.testing.contracts.notifier import NotifierContract, make_notification
from jobforge_notify._base import DeliveryError
from jobforge_notify._sent_log import SentLog
from jobforge_notify.smtp import SmtpNotifier, from_context

from .conftest import SMTP_PASSWORD, SMTP_USER, SmtpServer


def _notifier(smtp: SmtpServer, tmp_path: Path, **kwargs: object) -> SmtpNotifier:
    values: dict[str, object] = {
        "host": smtp.host,
        "port": smtp.port,
        "sender": "alerts@jobs.example.com",
        "sender_name": "Jobforge Alerts",
        "timeout": 5,
        "backoff_base": 0.01,
        "sent_log": SentLog(tmp_path / "sent.sqlite3"),
        **kwargs,
    }
    return SmtpNotifier(**values)  # type: ignore[arg-type]


class TestEmailContract(NotifierContract):
    @pytest.fixture
    def notifier(self, smtp: SmtpServer, tmp_path: Path) -> SmtpNotifier:
        return _notifier(smtp, tmp_path)

    @pytest.fixture
    def delivered(self, smtp: SmtpServer):
        return smtp.inbox.texts

    @pytest.fixture
    def failing_notifier(self, smtp: SmtpServer, tmp_path: Path) -> SmtpNotifier:
        smtp.inbox.reject = True
        return _notifier(smtp, tmp_path)


async def test_plain_text_and_html_alternative(smtp: SmtpServer, tmp_path: Path) -> None:
    notification = make_notification(data={"unsubscribe_url": "https://jobs.example.com/unsubscribe/abc"})
    await _notifier(smtp, tmp_path).send(notification)
    (envelope,) = smtp.inbox.envelopes
    assert envelope.mail_from == "alerts@jobs.example.com"
    assert envelope.rcpt_tos == ["ada@example.com"]
    (message,) = smtp.inbox.messages
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == notification.subject  # non-ASCII quotes survive the encoding
    assert message["From"] == "Jobforge Alerts <alerts@jobs.example.com>"
    assert message["To"] == "ada@example.com"
    assert message["X-Jobforge-Key"] == "saved-search-1:job-1"
    assert message["Message-ID"].endswith("@jobs.example.com>")
    assert message["List-Unsubscribe"] == "<https://jobs.example.com/unsubscribe/abc>"
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None
    assert html is not None
    assert plain.get_content().replace("\r\n", "\n").strip() == notification.text
    assert html.get_content().strip() == notification.html


async def test_login_when_a_username_is_set(smtp: SmtpServer, tmp_path: Path) -> None:
    await _notifier(smtp, tmp_path, username=SMTP_USER, password=SMTP_PASSWORD).send(make_notification())
    assert len(smtp.inbox.envelopes) == 1
    with pytest.raises(DeliveryError, match="535"):
        await _notifier(smtp, tmp_path, username=SMTP_USER, password="wrong").send(
            make_notification(key="k2")
        )


async def test_temporary_failures_are_retried(
    smtp: SmtpServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    smtp.inbox.defer_next = 2
    with caplog.at_level(logging.WARNING):
        await _notifier(smtp, tmp_path, max_retries=3).send(make_notification())
    assert len(smtp.inbox.envelopes) == 1
    assert caplog.text.count("451") == 2


async def test_gives_up_after_the_retries_and_releases_the_key(smtp: SmtpServer, tmp_path: Path) -> None:
    smtp.inbox.defer_next = 5
    notifier = _notifier(smtp, tmp_path, max_retries=1)
    with pytest.raises(DeliveryError, match="451"):
        await notifier.send(make_notification())
    smtp.inbox.defer_next = 0
    await notifier.send(make_notification())  # the failed attempt did not use up the key
    assert len(smtp.inbox.envelopes) == 1


async def test_permanent_refusal_is_not_retried(smtp: SmtpServer, tmp_path: Path) -> None:
    smtp.inbox.reject = True
    with pytest.raises(DeliveryError, match="550"):
        await _notifier(smtp, tmp_path, max_retries=3).send(make_notification())


async def test_unreachable_server(tmp_path: Path) -> None:
    notifier = SmtpNotifier(
        host="127.0.0.1", port=9, sender="a@example.com", max_retries=1, backoff_base=0.01, timeout=2
    )
    with pytest.raises(DeliveryError, match="unreachable"):
        await notifier.send(make_notification())


async def test_at_most_once_per_saved_search_and_job(smtp: SmtpServer, tmp_path: Path) -> None:
    notification = make_notification()
    first = _notifier(smtp, tmp_path)
    await first.send(notification)
    await first.send(notification)
    # Another notifier instance (another worker) shares the log in the data folder.
    await _notifier(smtp, tmp_path).send(msgspec.structs.replace(notification, text="again"))
    assert len(smtp.inbox.envelopes) == 1
    assert first.skipped == 1
    await first.send(msgspec.structs.replace(notification, key="saved-search-1:job-2"))
    await first.send(msgspec.structs.replace(notification, key=None))
    await first.send(msgspec.structs.replace(notification, key=None))
    assert len(smtp.inbox.envelopes) == 4  # other keys, and keyless notifications, all go


async def test_from_options(smtp: SmtpServer, tmp_path: Path) -> None:
    context = AdapterContext(
        name="email",
        data_dir=str(tmp_path),
        options={
            "host": smtp.host,
            "port": str(smtp.port),
            "sender": "alerts@jobs.example.com",
            "username": SMTP_USER,
            "password": SMTP_PASSWORD,
            "starttls": "auto",
        },
    )
    notifier = from_context(context)
    await notifier.send(make_notification())
    await notifier.send(make_notification())
    assert len(smtp.inbox.envelopes) == 1
    assert (tmp_path / "notify-sent.sqlite3").is_file()
    assert SMTP_PASSWORD not in repr(notifier)
    nodedupe = from_context(msgspec.structs.replace(context, options={**context.options, "dedupe": "false"}))
    await nodedupe.send(make_notification())
    assert len(smtp.inbox.envelopes) == 2
