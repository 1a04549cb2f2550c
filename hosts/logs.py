"""Structured logs for the hosts.

One JSON object per line, with the request id and tenant of the request
being served on every line, and secrets redacted.

The request context lives in :mod:`contextvars`, so lines logged by core
services and adapters while a request is served carry it too.
"""

from __future__ import annotations

import contextvars
import logging
import re
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

import msgspec

__all__ = [
    "JsonFormatter",
    "RedactingTextFormatter",
    "bind_request",
    "configure_logging",
    "current_request_id",
    "redact",
    "set_tenant",
]

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("jobforge_request_id", default=None)
_tenant_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("jobforge_tenant_id", default=None)

# API keys (jf_...), bearer credentials, JWTs and key=value secrets never reach a log line.
_SECRETS = [
    (re.compile(r"\bjf_[A-Za-z0-9_\-]{8,}"), "jf_****"),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=\-]+"), r"\1 ****"),
    (re.compile(r"\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*"), "****"),
    (
        re.compile(
            r"(?i)\b(x-api-key|api[_-]?key|password|secret|token)([\"']?\s*[:=]\s*[\"']?)[^\s\"',;&]+"
        ),
        r"\1\2****",
    ),
]

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged.
# uvicorn's ``color_message`` repeats the message with terminal colours.
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "color_message",
}


def redact(text: str) -> str:
    """``text`` with API keys, bearer tokens, JWTs and ``secret=...`` values masked."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def bind_request(request_id: str | None, tenant_id: str | None = None) -> contextvars.Token[str | None]:
    """Make ``request_id`` (and ``tenant_id``) part of every log line of the current context.

    Returns the token that :func:`contextvars.ContextVar.reset` takes to unbind it.
    """
    _tenant_id.set(tenant_id)
    return _request_id.set(request_id)


def set_tenant(tenant_id: str | None) -> None:
    """Record the tenant of the request being served (once it is authenticated)."""
    _tenant_id.set(tenant_id)


def current_request_id() -> str | None:
    """The request id bound to the current context, if any."""
    return _request_id.get()


def _trace_context() -> dict[str, str]:
    """The ids of the OpenTelemetry span being recorded, so a log line can be
    joined to its trace; empty when there is none (or no OpenTelemetry)."""
    try:
        from opentelemetry import trace
    except ImportError:
        return {}
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return {}
    return {"trace_id": format(context.trace_id, "032x"), "span_id": format(context.span_id, "016x")}


class JsonFormatter(logging.Formatter):
    """Formats each record as one JSON object.

    Keys: time, level, logger, message, ``request_id``, ``tenant_id``,
    ``trace_id`` and ``span_id`` (inside an OpenTelemetry span), any
    ``extra=`` fields and the traceback.
    """

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line, secrets redacted."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": _request_id.get(),
            "tenant_id": _tenant_id.get(),
        }
        entry.update(_trace_context())
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_") and key not in entry:
                entry[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = redact("".join(traceback.format_exception(*record.exc_info)))
        return msgspec.json.encode(entry, enc_hook=str).decode()


class RedactingTextFormatter(logging.Formatter):
    """A human-readable line with the request id and tenant, secrets redacted."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s %(tenant_id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """The record as text, secrets redacted."""
        record.request_id = _request_id.get() or "-"
        record.tenant_id = _tenant_id.get() or "-"
        return redact(super().format(record))


def configure_logging(
    level: str = "INFO", *, log_format: str = "json", stream: Any = None
) -> logging.Handler:
    """Send every log record to ``stream`` (stderr) as JSON lines or text.

    Replaces the root logger's handlers, so call it once, from a host's entry point.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else RedactingTextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # The app logs each request itself (request id, tenant, no query string). uvicorn
    # writes its own access line whenever this logger has a handler, even through
    # propagation: a second line per request, with the query string.
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    return handler
