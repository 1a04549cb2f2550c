"""Messages exchanged with notifiers and applicant tracking systems."""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = ["ApplicationSubmission", "AtsReceipt", "Notification"]


class Notification(msgspec.Struct, frozen=True, kw_only=True):
    """One message to one recipient, in plain text and optionally HTML."""

    recipient: str
    subject: str
    text: str
    html: str | None = None
    key: str | None = None
    """Idempotency key, e.g. ``saved_search_id:job_id``."""
    data: dict[str, Any] = msgspec.field(default_factory=dict)


class ApplicationSubmission(msgspec.Struct, frozen=True, kw_only=True):
    """A candidate's application as handed to an ATS adapter."""

    job_id: str
    source: str
    source_id: str
    first_name: str
    last_name: str
    email: str
    phone: str | None = None
    resume_filename: str | None = None
    resume: bytes | None = None
    cover_letter: str | None = None
    answers: dict[str, str] = msgspec.field(default_factory=dict)


class AtsReceipt(msgspec.Struct, frozen=True, kw_only=True):
    """What an ATS answered to a submission."""

    ats: str
    reference: str | None = None
    status: str = "submitted"
