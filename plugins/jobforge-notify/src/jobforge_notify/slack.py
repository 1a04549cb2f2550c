"""Slack incoming webhooks: ``POST`` a JSON message to the channel's webhook URL.

The message has a plain ``text`` (used by notifications and old clients)
and ``blocks``: the subject in bold, then the text. A 429 answer is retried
after its ``Retry-After``; other errors (``invalid_payload``,
``channel_is_archived``, ``no_service``) raise. The webhook URL is a secret:
it is never logged. A notification whose recipient is itself a Slack
webhook URL goes there (a per-user webhook); otherwise to ``webhook_url``.
"""

from __future__ import annotations

from typing import Any

from jobforge.core.messages import Notification
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings, HttpError
from jobforge_notify._base import DedupingNotifier, DeliveryError, sent_log_for
from jobforge_notify._sent_log import SentLog

__all__ = ["SlackNotifier", "from_context", "slack_payload"]

_MAX_SECTION = 3000
"""Slack rejects section texts longer than this."""


def _escape(text: str) -> str:
    """Slack's mrkdwn escaping: only ``&``, ``<`` and ``>``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(notification: Notification) -> dict[str, Any]:
    """The webhook body of one notification."""
    body = _escape(notification.text)
    if len(body) > _MAX_SECTION:
        body = body[: _MAX_SECTION - 1] + "…"
    return {
        "text": f"{notification.subject}\n{notification.text}",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{_escape(notification.subject)}*"}},
            {"type": "section", "text": {"type": "mrkdwn", "text": body}},
        ],
        "unfurl_links": False,
    }


class SlackNotifier(DedupingNotifier):
    """Posts notifications to a Slack incoming webhook.

    Args:
        webhook_url: The channel's webhook (secret); a recipient that is a URL wins.
        http: HTTP client settings (retries, timeouts, proxy).
        name: Name in the sent log.
        sent_log: At-most-once log (``None``: no de-duplication).
    """

    kind = "slack"

    def __init__(
        self,
        *,
        webhook_url: str | None = None,
        http: HttpClientSettings | None = None,
        name: str | None = None,
        sent_log: SentLog | None = None,
    ) -> None:
        super().__init__(name=name, sent_log=sent_log)
        self._webhook_url = webhook_url
        self.http = http or HttpClientSettings(rate_limit=1.0)

    def __repr__(self) -> str:
        return f"SlackNotifier(name={self.name!r})"

    async def _deliver(self, notification: Notification) -> None:
        recipient = notification.recipient
        url = recipient if recipient.startswith(("https://", "http://")) else self._webhook_url
        if not url:
            raise DeliveryError(
                f"{self.name}: no webhook_url configured and the recipient is not a webhook URL"
            )
        try:
            async with HttpClient(self.http) as client:
                response = await client.request("POST", url, json=slack_payload(notification))
        except HttpError as exc:
            # The URL is the secret: name the failure, not the address.
            raise DeliveryError(
                f"{self.name}: Slack refused the message: HTTP {exc.status} {exc.body[:200]}"
            ) from None
        if response.text.strip() not in ("ok", ""):
            raise DeliveryError(f"{self.name}: Slack answered {response.text[:200]!r}")


def from_context(context: AdapterContext) -> SlackNotifier:
    """Build the notifier from its options."""
    return SlackNotifier(
        webhook_url=context.get("webhook_url") or None,
        http=HttpClientSettings.from_context(context, rate_limit=1.0),
        name=context.get("name") or None,
        sent_log=sent_log_for(context),
    )
