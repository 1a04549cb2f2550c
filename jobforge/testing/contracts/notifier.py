"""The contract every :class:`~jobforge.ports.Notifier` adapter passes.

Subclass :class:`NotifierContract` and override ``notifier`` (the adapter,
pointed at a test double of the delivery service: a local SMTP server, a
local HTTP server...) and ``delivered`` (a callable returning the readable
text of every message that service received, in order). Override
``failing_notifier`` with one whose service refuses delivery::

    class TestMyNotifier(NotifierContract):
        @pytest.fixture
        def notifier(self, jobforge_http_server):
            jobforge_http_server.route("/hook", Reply(status=204), method="POST")
            return MyNotifier(url=jobforge_http_server.url + "/hook")

        @pytest.fixture
        def delivered(self, jobforge_http_server):
            return lambda: [r.json()["text"] for r in jobforge_http_server.requests_to("/hook")]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jobforge.core.messages import Notification
from jobforge.ports import Notifier

__all__ = ["NotifierContract", "make_notification"]

Delivered = Callable[[], list[str]]
"""Returns the readable text of every delivered message, in order."""


def make_notification(**overrides: Any) -> Notification:
    """A complete notification about one new job; any field may be overridden."""
    fields: dict[str, Any] = {
        "recipient": "ada@example.com",
        "subject": "New job for “data engineering”: Senior Data Engineer at Acme",
        "text": "Senior Data Engineer at Acme Analytics, Austin, TX (hybrid), $120K-$150K.\n"
        "https://jobs.example.com/acme/1",
        "html": '<p><a href="https://jobs.example.com/acme/1">Senior Data Engineer</a> at Acme Analytics</p>',
        "key": "saved-search-1:job-1",
        "data": {"saved_search_id": "saved-search-1", "job_id": "job-1"},
        **overrides,
    }
    return Notification(**fields)


class NotifierContract:
    """Behaviour shared by every notifier; subclass and override the fixtures."""

    pytestmark = [pytest.mark.asyncio]

    @pytest.fixture
    def notifier(self) -> Notifier:
        """Return the adapter under test, with nothing sent yet (override this)."""
        raise NotImplementedError("override the `notifier` fixture to return a Notifier")

    @pytest.fixture
    def delivered(self) -> Delivered:
        """Return a callable listing the delivered messages' text (override this)."""
        raise NotImplementedError("override the `delivered` fixture")

    @pytest.fixture
    def notification(self) -> Notification:
        """A notification ``notifier`` can deliver (override to change the recipient)."""
        return make_notification()

    @pytest.fixture
    def failing_notifier(self) -> Notifier:
        """Return an adapter whose delivery service refuses every message (override to enable)."""
        pytest.skip("no failing_notifier fixture: override it to test failures")

    async def test_implements_the_port(self, notifier: Notifier) -> None:
        """The adapter satisfies the runtime-checkable ``Notifier`` protocol."""
        assert isinstance(notifier, Notifier)

    async def test_send_delivers_the_message_once(
        self, notifier: Notifier, delivered: Delivered, notification: Notification
    ) -> None:
        """One send delivers one message carrying the notification's text."""
        await notifier.send(notification)
        messages = delivered()
        assert len(messages) == 1
        assert "Senior Data Engineer" in messages[0]

    async def test_plain_text_only_and_unicode(
        self, notifier: Notifier, delivered: Delivered, notification: Notification
    ) -> None:
        """A notification without HTML, in other scripts, is delivered intact."""
        import msgspec

        plain = msgspec.structs.replace(
            notification,
            html=None,
            key="k-unicode",
            subject="Nouvel emploi : Ingénieur·e ✓",
            text="Ingénieur·e données — 東京 (remote) 🚀",
        )
        await notifier.send(plain)
        (message,) = delivered()
        assert "Ingénieur·e données — 東京 (remote) 🚀" in message

    async def test_distinct_notifications_are_all_delivered(
        self, notifier: Notifier, delivered: Delivered, notification: Notification
    ) -> None:
        """Notifications with different keys are each delivered."""
        import msgspec

        for n in range(3):
            await notifier.send(
                msgspec.structs.replace(notification, key=f"search-1:job-{n}", text=f"job number {n}")
            )
        texts = delivered()
        assert len(texts) == 3
        assert all(f"job number {n}" in texts[n] for n in range(3))

    async def test_a_failed_delivery_raises(
        self, failing_notifier: Notifier, notification: Notification
    ) -> None:
        """A message the service refuses raises, so the caller can retry later."""
        with pytest.raises(Exception):  # noqa: B017, PT011  (adapters raise their own kinds)
            await failing_notifier.send(notification)
