"""Generic webhooks signed with HMAC-SHA256.

Each notification is ``POST``-ed as JSON::

    {"id": "<delivery id>", "type": "jobforge.notification", "key": "<idempotency key>",
     "recipient": "...", "subject": "...", "text": "...", "html": "..." | null,
     "data": {...}, "sent_at": "2026-10-01T12:00:00Z"}

with these headers:

``X-Jobforge-Timestamp``
    Unix time in seconds when the request was signed.
``X-Jobforge-Signature``
    ``v1=`` and the hex HMAC-SHA256, keyed with the shared secret, of
    ``f"{timestamp}.".encode() + raw_body``.
``Idempotency-Key``
    The notification key (``saved_search_id:job_id``), or the delivery id.
``X-Jobforge-Delivery``
    A unique id of this delivery (the same on every retry of it).

Receivers verify with :func:`verify_signature`: recompute the HMAC over the
raw body as received, compare in constant time, and reject timestamps more
than five minutes off to stop replays. Because of the idempotency key the
request is retried on 429 and 5xx with exponential backoff and jitter.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec

from jobforge.core.messages import Notification
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings, HttpError, redact_url
from jobforge_notify._base import DedupingNotifier, DeliveryError, sent_log_for
from jobforge_notify._sent_log import SentLog

__all__ = [
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WebhookNotifier",
    "from_context",
    "sign",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Jobforge-Signature"
TIMESTAMP_HEADER = "X-Jobforge-Timestamp"
DELIVERY_HEADER = "X-Jobforge-Delivery"
DEFAULT_TOLERANCE = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value: ``v1=<hex HMAC-SHA256 of "{timestamp}." + body>``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def verify_signature(
    secret: str,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    *,
    tolerance: int = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> bool:
    """Whether a received webhook is authentic and fresh (for receivers written in Python).

    Args:
        secret: The shared secret.
        body: The raw request body, exactly as received.
        timestamp: The ``X-Jobforge-Timestamp`` header.
        signature: The ``X-Jobforge-Signature`` header.
        tolerance: Largest accepted clock difference in seconds.
        now: The current Unix time (default: the clock).
    """
    if not timestamp or not signature or not timestamp.isdigit():
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature.strip())


class WebhookNotifier(DedupingNotifier):
    """Posts signed JSON notifications to an HTTP endpoint.

    Args:
        url: The endpoint; a recipient that is an http(s) URL wins.
        secret: The signing secret shared with the receiver.
        headers: Extra headers (e.g. an ``Authorization`` the receiver wants).
        http: HTTP client settings (retries, timeouts, proxy).
        name: Name in the sent log.
        sent_log: At-most-once log (``None``: no de-duplication).
    """

    kind = "webhook"

    def __init__(
        self,
        *,
        url: str | None = None,
        secret: str,
        headers: dict[str, str] | None = None,
        http: HttpClientSettings | None = None,
        name: str | None = None,
        sent_log: SentLog | None = None,
    ) -> None:
        super().__init__(name=name, sent_log=sent_log)
        if not secret:
            raise ValueError("a signing secret is required")
        self.url = url
        self._secret = secret
        self._headers = dict(headers or {})
        self.http = http or HttpClientSettings(rate_limit=0)

    def __repr__(self) -> str:
        return f"WebhookNotifier(url={redact_url(self.url) if self.url else None!r})"

    async def _deliver(self, notification: Notification) -> None:
        url = (
            notification.recipient if notification.recipient.startswith(("https://", "http://")) else self.url
        )
        if not url:
            raise DeliveryError(f"{self.name}: no url configured and the recipient is not a URL")
        delivery = uuid.uuid4().hex
        body = msgspec.json.encode(_payload(notification, delivery))
        timestamp = int(time.time())
        try:
            async with HttpClient(self.http) as client:
                await client.request(
                    "POST",
                    url,
                    content=body,
                    headers={
                        **self._headers,
                        "Content-Type": "application/json",
                        "Idempotency-Key": notification.key or delivery,
                        DELIVERY_HEADER: delivery,
                        TIMESTAMP_HEADER: str(timestamp),
                        SIGNATURE_HEADER: sign(self._secret, timestamp, body),
                    },
                    idempotent=True,
                )
        except HttpError as exc:
            raise DeliveryError(f"{self.name}: {exc}") from None


def _payload(notification: Notification, delivery: str) -> dict[str, Any]:
    return {
        "id": delivery,
        "type": "jobforge.notification",
        "key": notification.key,
        "recipient": notification.recipient,
        "subject": notification.subject,
        "text": notification.text,
        "html": notification.html,
        "data": notification.data,
        "sent_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _headers(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return {}


def from_context(context: AdapterContext) -> WebhookNotifier:
    """Build the notifier from its options (``secret`` required)."""
    return WebhookNotifier(
        url=context.get("url") or None,
        secret=str(context.require("secret")),
        headers=_headers(context.get("headers")),
        http=HttpClientSettings.from_context(context, rate_limit=0),
        name=context.get("name") or None,
        sent_log=sent_log_for(context),
    )
