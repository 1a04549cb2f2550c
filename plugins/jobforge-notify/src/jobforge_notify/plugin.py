"""Registers the notifiers of this package (entry point ``notify`` in group ``jobforge``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from jobforge import AdapterContext, OptionSpec, hookimpl
from jobforge.net import http_options

__all__ = ["NOTIFIERS", "register_notifiers"]


def _lazy(module: str) -> Callable[[AdapterContext], Any]:
    def build(context: AdapterContext) -> Any:
        return importlib.import_module(f"jobforge_notify.{module}").from_context(context)

    build.__name__ = f"build_{module}"
    return build


_COMMON = [
    OptionSpec(
        name="dedupe",
        description="Send a notification with a key (saved search + job) at most once.",
        default=True,
    ),
    OptionSpec(name="name", description="Name of this notifier in the sent log."),
]

NOTIFIERS: dict[str, tuple[str, str, list[OptionSpec]]] = {
    "email": (
        "smtp",
        "E-mail over SMTP, plain text with an HTML alternative.",
        [
            OptionSpec(name="host", description="SMTP server.", required=True),
            OptionSpec(name="port", description="SMTP port (465 with ssl).", default=587),
            OptionSpec(name="sender", description="From address.", required=True),
            OptionSpec(name="sender_name", description="From display name."),
            OptionSpec(name="username", description="Login user; no login without it."),
            OptionSpec(name="password", description="Login password.", secret=True),
            OptionSpec(name="starttls", description="true, false or auto (when offered).", default="auto"),
            OptionSpec(name="ssl", description="Implicit TLS (port 465).", default=False),
            OptionSpec(name="timeout", description="Seconds per SMTP operation.", default=30.0),
            OptionSpec(name="max_retries", description="Retries of temporary failures.", default=3),
            OptionSpec(name="backoff_base", description="First backoff in seconds.", default=1.0),
            *_COMMON,
        ],
    ),
    "slack": (
        "slack",
        "Slack incoming webhook.",
        [
            OptionSpec(
                name="webhook_url",
                description="The channel's webhook URL (a recipient that is a webhook URL wins).",
                secret=True,
            ),
            *_COMMON,
            *http_options(rate_limit=1.0),
        ],
    ),
    "webhook": (
        "webhook",
        "Generic webhook, JSON signed with HMAC-SHA256 (X-Jobforge-Signature, X-Jobforge-Timestamp).",
        [
            OptionSpec(name="url", description="Endpoint (a recipient that is a URL wins)."),
            OptionSpec(
                name="secret",
                description="Signing secret shared with the receiver.",
                required=True,
                secret=True,
            ),
            OptionSpec(name="headers", description="Extra headers, a table.", secret=True),
            *_COMMON,
            *http_options(rate_limit=0.0),
        ],
    ),
}
"""Registered name to (module, description, options)."""


@hookimpl
def register_notifiers(register: Any) -> None:
    """Register the e-mail, Slack and webhook notifiers."""
    for name, (module, description, options) in NOTIFIERS.items():
        register(name, _lazy(module), description=description, options=options)
