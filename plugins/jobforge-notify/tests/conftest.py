"""Fixtures: a real local SMTP server (aiosmtpd) and a local HTTP server."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from jobforge.net import HttpClientSettings
from jobforge.testing.http_server import LocalHttpServer

FAST = HttpClientSettings(rate_limit=0, max_retries=2, backoff_base=0.01, timeout=5)
"""HTTP settings for tests: no rate limit, quick retries."""

SMTP_USER, SMTP_PASSWORD = "alerts", "s3cret-smtp-pw"


class Inbox:
    """An aiosmtpd handler that keeps every accepted message; can refuse or defer them."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []
        self.defer_next = 0
        self.reject = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802  (aiosmtpd's name)
        if self.reject:
            return "550 5.7.1 Message rejected by policy"
        if self.defer_next:
            self.defer_next -= 1
            return "451 4.3.0 Try again later"
        self.envelopes.append(envelope)
        return "250 2.0.0 OK"

    @property
    def messages(self) -> list[EmailMessage]:
        """The accepted messages, parsed."""
        return [
            email.message_from_bytes(e.content, policy=email.policy.default)  # type: ignore[misc]
            for e in self.envelopes
        ]

    def texts(self) -> list[str]:
        """The plain-text body of each accepted message (SMTP's CRLF line ends as newlines)."""
        bodies = [m.get_body(preferencelist=("plain",)) for m in self.messages]
        return [b.get_content().replace("\r\n", "\n") for b in bodies if b is not None]


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == SMTP_USER
        and auth_data.password.decode() == SMTP_PASSWORD
    )
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    """A running aiosmtpd server and its inbox."""

    def __init__(self, controller: Controller, inbox: Inbox) -> None:
        self.controller = controller
        self.inbox = inbox
        self.host = "127.0.0.1"
        self.port = controller.port


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 (AUTH LOGIN/PLAIN without TLS, for tests only)."""
    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=_authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield SmtpServer(controller, inbox)
    finally:
        controller.stop()


@pytest.fixture
def server() -> Iterator[LocalHttpServer]:
    """A local HTTP server on 127.0.0.1."""
    with LocalHttpServer() as running:
        yield running
