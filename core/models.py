"""The domain model: msgspec Structs shared by every layer.

Everything here is plain data. Services in :mod:`jobforge.core` build and
transform these values; adapters persist and index them.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import msgspec

__all__ = [
    "Alert",
    "AlertStatus",
    "AnalyticsEvent",
    "ApiKey",
    "Application",
    "ApplicationStatus",
    "CandidateProfile",
    "Company",
    "EmploymentType",
    "EventKind",
    "InboxItem",
    "IngestRun",
    "Job",
    "Location",
    "Principal",
    "RawJob",
    "RejectedRecord",
    "Salary",
    "SalaryPeriod",
    "SavedSearch",
    "Seniority",
    "SourceRef",
    "Tenant",
    "User",
    "UserRole",
    "WorkplaceType",
]


class WorkplaceType(enum.StrEnum):
    """Where the work happens."""

    REMOTE = "remote"
    HYBRID = "hybrid"
    ONSITE = "onsite"
    UNKNOWN = "unknown"


class EmploymentType(enum.StrEnum):
    """The contract form, mapped from the many words job boards use."""

    FULL_TIME = "full_time"
    PART_TIME = "part_time"
    CONTRACT = "contract"
    TEMPORARY = "temporary"
    INTERNSHIP = "internship"
    VOLUNTEER = "volunteer"
    OTHER = "other"
    UNKNOWN = "unknown"


class Seniority(enum.StrEnum):
    """Career level, usually inferred from the title."""

    INTERN = "intern"
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    LEAD = "lead"
    PRINCIPAL = "principal"
    MANAGER = "manager"
    DIRECTOR = "director"
    EXECUTIVE = "executive"
    UNKNOWN = "unknown"


class SalaryPeriod(enum.StrEnum):
    """The period a salary figure is quoted for."""

    HOUR = "hour"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


class Salary(msgspec.Struct, frozen=True, kw_only=True):
    """A salary range as quoted, plus the same range annualised.

    Any field the source did not state stays ``None``: an unknown value is
    never guessed into a number.
    """

    min: float | None = None
    max: float | None = None
    currency: str | None = None
    """ISO 4217 code, e.g. ``USD``."""
    period: SalaryPeriod | None = None
    annual_min: float | None = None
    annual_max: float | None = None
    text: str | None = None
    """The original text, kept for display and audit."""
    estimated: bool = False
    """True when the source marks the figure as an estimate (e.g. Glassdoor est.)."""


class Location(msgspec.Struct, frozen=True, kw_only=True):
    """One place a job is located at; any part may be unknown."""

    city: str | None = None
    region: str | None = None
    country: str | None = None
    """ISO 3166-1 alpha-2 code where known, e.g. ``US``."""
    text: str | None = None
    """The original text."""

    def label(self) -> str:
        """A short human-readable form such as ``Austin, TX, US``."""
        parts = [p for p in (self.city, self.region, self.country) if p]
        return ", ".join(parts) if parts else (self.text or "")


class SourceRef(msgspec.Struct, frozen=True, kw_only=True):
    """Where a job was seen: one entry per source that carried it."""

    source: str
    source_id: str
    url: str | None = None
    first_seen: datetime | None = None
    content_hash: str = ""
    """Content hash of the posting as this source last delivered it."""


class RawJob(msgspec.Struct, kw_only=True):
    """A posting as a source delivered it, before normalisation.

    Sources fill what they have; free-text fields (salary, location,
    employment type) are parsed by :mod:`jobforge.core.normalize`.
    Structured values that a source already knows may be given directly
    (``salary``, ``locations``, ``workplace_type``...) and win over text.
    """

    source: str
    source_id: str | None = None
    url: str | None = None
    apply_url: str | None = None
    title: str | None = None
    company: str | None = None
    location_text: str | None = None
    locations: list[Location] | None = None
    workplace_type: WorkplaceType | None = None
    employment_type_text: str | None = None
    employment_type: EmploymentType | None = None
    seniority: Seniority | None = None
    salary_text: str | None = None
    salary: Salary | None = None
    description: str | None = None
    """Text or HTML; HTML is converted to text during normalisation."""
    description_is_html: bool | None = None
    """``None`` means: detect."""
    skills: list[str] | None = None
    department: str | None = None
    posted_at: datetime | str | int | float | None = None
    valid_through: datetime | str | int | float | None = None
    extra: dict[str, Any] = msgspec.field(default_factory=dict)


class RejectedRecord(msgspec.Struct, frozen=True, kw_only=True):
    """A record a source or the pipeline could not use, with the reason."""

    source: str
    reason: str
    record: Any = None
    """The raw record (or the part of it that could be read)."""
    source_id: str | None = None
    position: int | None = None
    """1-based position in the source (row number for files) when known."""


class Job(msgspec.Struct, kw_only=True):
    """A normalised job posting, the unit stored, indexed and searched."""

    id: str
    source: str
    source_id: str
    title: str
    company: str
    url: str | None = None
    """Canonical URL of the posting."""
    apply_url: str | None = None
    locations: list[Location] = msgspec.field(default_factory=list)
    workplace_type: WorkplaceType = WorkplaceType.UNKNOWN
    employment_type: EmploymentType = EmploymentType.UNKNOWN
    seniority: Seniority = Seniority.UNKNOWN
    salary: Salary | None = None
    skills: list[str] = msgspec.field(default_factory=list)
    department: str | None = None
    description: str = ""
    posted_at: datetime | None = None
    valid_through: datetime | None = None
    content_hash: str = ""
    """Hash of everything that is embedded or indexed; changes when the posting does."""
    fingerprint: str = ""
    """Near-duplicate key: company + title + location + description shingles."""
    sources: list[SourceRef] = msgspec.field(default_factory=list)
    updated_at: datetime | None = None


class Company(msgspec.Struct, frozen=True, kw_only=True):
    """An employer."""

    name: str
    website: str | None = None
    industry: str | None = None
    size: str | None = None


class CandidateProfile(msgspec.Struct, kw_only=True):
    """What a job seeker is looking for; input to recommendations."""

    titles: list[str] = msgspec.field(default_factory=list)
    skills: list[str] = msgspec.field(default_factory=list)
    locations: list[str] = msgspec.field(default_factory=list)
    workplace_types: list[WorkplaceType] = msgspec.field(default_factory=list)
    salary_min: float | None = None
    salary_currency: str | None = None
    resume_text: str | None = None


class SavedSearch(msgspec.Struct, kw_only=True):
    """A query a user keeps and may be alerted on."""

    id: str
    tenant_id: str
    user_id: str
    name: str
    query: str = ""
    filters: dict[str, Any] = msgspec.field(default_factory=dict)
    notifier: str | None = None
    frequency: str = "immediate"
    created_at: datetime | None = None
    timezone: str | None = None
    """IANA time zone whose ``[alerts] digest_hour`` daily and weekly digests follow
    (``"Europe/Berlin"``); ``None``: ``[alerts] timezone``."""


class ApplicationStatus(enum.StrEnum):
    """The status pipeline of an application."""

    SAVED = "saved"
    APPLIED = "applied"
    SCREENING = "screening"
    INTERVIEWING = "interviewing"
    OFFER = "offer"
    HIRED = "hired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    DISMISSED = "dismissed"
    """The user dismissed the job (not interested); recommendations leave it out."""


class Application(msgspec.Struct, kw_only=True):
    """A user's application to a job."""

    id: str
    tenant_id: str
    user_id: str
    job_id: str
    status: ApplicationStatus = ApplicationStatus.APPLIED
    apply_url: str | None = None
    ats: str | None = None
    ats_reference: str | None = None
    notes: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


class Tenant(msgspec.Struct, frozen=True, kw_only=True):
    """An isolated customer of a jobforge deployment."""

    id: str
    name: str


class UserRole(enum.StrEnum):
    """Role-based access levels."""

    VIEWER = "viewer"
    MEMBER = "member"
    ADMIN = "admin"


_ROLE_RANK = {UserRole.VIEWER: 0, UserRole.MEMBER: 1, UserRole.ADMIN: 2}


class Principal(msgspec.Struct, frozen=True):
    """Who is calling: an authenticated user of one tenant, with a role.

    Built by :class:`~jobforge.core.auth.AccessService` from an API key or by
    a host from a verified token; services scope every read and write by it.
    """

    tenant_id: str
    user_id: str
    role: UserRole
    key_id: str | None = None
    """The API key that authenticated the call, when one did."""

    def can(self, role: UserRole) -> bool:
        """Whether this principal has at least ``role`` (viewer < member < admin)."""
        return _ROLE_RANK[self.role] >= _ROLE_RANK[role]


class User(msgspec.Struct, frozen=True, kw_only=True):
    """A person acting within one tenant."""

    id: str
    tenant_id: str
    role: UserRole = UserRole.MEMBER
    email: str | None = None


class ApiKey(msgspec.Struct, frozen=True, kw_only=True):
    """An API key: only its hash is stored; ``prefix`` identifies it to people."""

    id: str
    tenant_id: str
    user_id: str
    role: UserRole
    name: str
    prefix: str
    """The first characters of the key, shown in listings (``jf_ab12...``)."""
    key_hash: str
    """SHA-256 hex digest of the full key (keys are long random tokens)."""
    created_at: datetime
    revoked_at: datetime | None = None
    expires_at: datetime | None = None


class IngestRun(msgspec.Struct, kw_only=True):
    """One run of a source through the ingest pipeline, as hosts track it."""

    id: str
    source: str
    status: str
    """``queued``, ``running``, ``completed`` or ``failed``."""
    tenant_id: str | None = None
    counts: dict[str, int] = msgspec.field(default_factory=dict)
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None


class AlertStatus(enum.StrEnum):
    """Where an alert is in the outbox."""

    PENDING = "pending"
    """Recorded, not delivered yet (due now, at its digest time, or after a failed attempt)."""
    DELIVERED = "delivered"
    FAILED = "failed"
    """Delivery failed ``[alerts] max_attempts`` times; not tried again."""
    CANCELLED = "cancelled"
    """Its saved search or job is gone."""


class Alert(msgspec.Struct, kw_only=True):
    """One (saved search, job) match in the alert outbox; ``id`` is ``<saved_search_id>:<job_id>``,
    so a pair is recorded (and notified) at most once."""

    id: str
    tenant_id: str
    user_id: str
    saved_search_id: str
    job_id: str
    notifier: str
    frequency: str
    """``immediate``, ``daily`` or ``weekly``, as the saved search was when the job matched."""
    digest_key: str
    """Alerts sent together share it (a digest); it is the notification's idempotency key."""
    created_at: datetime
    due_at: datetime
    status: AlertStatus = AlertStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None


class InboxItem(msgspec.Struct, kw_only=True):
    """A notification kept in the in-app inbox (the default notifier)."""

    id: str
    """The notification key: one item per alert or digest."""
    tenant_id: str
    user_id: str
    subject: str
    text: str
    created_at: datetime
    saved_search_id: str | None = None
    job_ids: list[str] = msgspec.field(default_factory=list)
    read_at: datetime | None = None


class EventKind(enum.StrEnum):
    """What an analytics event records."""

    SEARCH = "search"
    JOB_VIEWED = "job_viewed"
    APPLY_CLICKED = "apply_clicked"
    APPLICATION_CREATED = "application_created"
    ALERT_OPENED = "alert_opened"


class AnalyticsEvent(msgspec.Struct, frozen=True, kw_only=True):
    """A search or an interaction, for product analytics.

    No personal data beyond ``user_id``: no addresses, no names, no e-mail.
    Interactions name the search they came from (``search_id``) when known,
    so click-through can be counted per query.
    """

    id: str
    tenant_id: str
    kind: EventKind
    at: datetime
    user_id: str | None = None
    query: str | None = None
    """Searches: the normalised query text."""
    filters: dict[str, Any] = msgspec.field(default_factory=dict)
    mode: str | None = None
    result_count: int | None = None
    latency_ms: float | None = None
    search_id: str | None = None
    """Interactions: the id of the search event the user came from."""
    job_id: str | None = None
    source: str | None = None
    """Interactions: the job's source."""
