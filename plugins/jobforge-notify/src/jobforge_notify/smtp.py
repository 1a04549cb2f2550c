"""E-mail notifications over SMTP: plain text with an HTML alternative.

The message is sent with the standard library's ``smtplib`` on a worker
thread: STARTTLS when the server offers it (or ``starttls = true`` to
require it), implicit TLS with ``ssl = true`` (port 465), and login when a
``username`` is set. Temporary failures (4xx replies, dropped or refused
connections, timeouts) are retried with exponential backoff and jitter;
permanent ones (5xx) raise at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate
from typing import Any

from jobforge.core.messages import Notification
from jobforge.core.registry import AdapterContext
from jobforge_notify._base import DedupingNotifier, DeliveryError, sent_log_for
from jobforge_notify._sent_log import SentLog

__all__ = ["SmtpNotifier", "build_message", "from_context"]

logger = logging.getLogger(__name__)

_TRANSIENT = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError)


def build_message(notification: Notification, *, sender: str, sender_name: str | None = None) -> EmailMessage:
    """The MIME message: ``text/plain``, plus ``text/html`` as an alternative when given.

    The ``Message-ID`` derives from the notification key, so a duplicate is
    recognisable in any mailbox; ``data["unsubscribe_url"]`` becomes a
    ``List-Unsubscribe`` header.
    """
    message = EmailMessage()
    message["Subject"] = notification.subject
    message["From"] = formataddr((sender_name, sender)) if sender_name else sender
    message["To"] = notification.recipient
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = sender.rsplit("@", 1)[-1] or "jobforge.local"
    if notification.key:
        digest = hashlib.sha256(notification.key.encode()).hexdigest()[:32]
        message["Message-ID"] = f"<{digest}@{domain}>"
        message["X-Jobforge-Key"] = notification.key
    unsubscribe = notification.data.get("unsubscribe_url")
    if isinstance(unsubscribe, str) and unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message.set_content(notification.text, subtype="plain", charset="utf-8")
    if notification.html:
        message.add_alternative(notification.html, subtype="html", charset="utf-8")
    return message


class SmtpNotifier(DedupingNotifier):
    """Sends each notification as one e-mail to its recipient.

    Args:
        host: SMTP server.
        port: SMTP port (587 submission, 465 with ``use_ssl``, 25 relay).
        sender: The From address.
        sender_name: Display name of the sender.
        username: Login user (none: no login).
        password: Login password (secret).
        starttls: ``True`` requires STARTTLS, ``False`` never uses it, ``None`` uses it when offered.
        use_ssl: Implicit TLS from the first byte.
        timeout: Seconds per SMTP operation.
        max_retries: Further attempts after temporary failures.
        backoff_base: First backoff ceiling in seconds (doubles, with full jitter).
        name: Name in the sent log.
        sent_log: At-most-once log (``None``: no de-duplication).
    """

    kind = "email"

    def __init__(
        self,
        *,
        host: str,
        port: int = 587,
        sender: str,
        sender_name: str | None = None,
        username: str | None = None,
        password: str | None = None,
        starttls: bool | None = None,
        use_ssl: bool = False,
        timeout: float = 30.0,
        max_retries: int = 3,
        backoff_base: float = 1.0,
        name: str | None = None,
        sent_log: SentLog | None = None,
    ) -> None:
        super().__init__(name=name, sent_log=sent_log)
        self.host, self.port = host, port
        self.sender, self.sender_name = sender, sender_name
        self.username = username
        self._password = password
        self.starttls, self.use_ssl = starttls, use_ssl
        self.timeout = timeout
        self.max_retries, self.backoff_base = max_retries, backoff_base

    def __repr__(self) -> str:
        return f"SmtpNotifier(host={self.host!r}, port={self.port}, sender={self.sender!r})"

    async def _deliver(self, notification: Notification) -> None:
        message = build_message(notification, sender=self.sender, sender_name=self.sender_name)
        attempt = 0
        while True:
            try:
                await asyncio.to_thread(self._send_once, message)
            except smtplib.SMTPResponseException as exc:
                permanent = exc.smtp_code >= 500
                if permanent or attempt >= self.max_retries:
                    raise DeliveryError(
                        f"SMTP {self.host}:{self.port} refused the message: {exc.smtp_code} "
                        f"{_text(exc.smtp_error)}"
                    ) from None
                reason = f"{exc.smtp_code} {_text(exc.smtp_error)}"
            except smtplib.SMTPRecipientsRefused as exc:
                raise DeliveryError(
                    f"SMTP {self.host}:{self.port} refused the recipient: {exc.recipients}"
                ) from None
            except (*_TRANSIENT, OSError) as exc:
                if attempt >= self.max_retries:
                    raise DeliveryError(f"SMTP {self.host}:{self.port} unreachable: {exc}") from None
                reason = f"{type(exc).__name__}: {exc}"
            else:
                return
            delay = min(60.0, self.backoff_base * 2**attempt) * random.random()
            logger.warning("%s: %s; retry %d in %.1fs", self.name, reason, attempt + 1, delay)
            attempt += 1
            await asyncio.sleep(delay)

    def _send_once(self, message: EmailMessage) -> None:
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if self.use_ssl:
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            client.ehlo()
            if not self.use_ssl and (
                self.starttls or (self.starttls is None and client.has_extn("starttls"))
            ):
                client.starttls(context=context)
                client.ehlo()
            if self.username:
                client.login(self.username, self._password or "")
            client.send_message(message)


def _text(value: Any) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _starttls(value: Any) -> bool | None:
    if value in (None, "", "auto"):
        return None
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def from_context(context: AdapterContext) -> SmtpNotifier:
    """Build the notifier from its options (``host`` and ``sender`` required)."""
    use_ssl = context.get_bool("ssl", False)
    return SmtpNotifier(
        host=str(context.require("host")),
        port=context.get_int("port", 465 if use_ssl else 587),
        sender=str(context.require("sender")),
        sender_name=context.get("sender_name") or None,
        username=context.get("username") or None,
        password=context.get("password") or None,
        starttls=_starttls(context.get("starttls")),
        use_ssl=use_ssl,
        timeout=context.get_float("timeout", 30.0),
        max_retries=context.get_int("max_retries", 3),
        backoff_base=context.get_float("backoff_base", 1.0),
        name=context.get("name") or None,
        sent_log=sent_log_for(context),
    )
