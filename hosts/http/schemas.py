"""Request and response bodies of the JSON API (msgspec Structs).

Litestar decodes and validates these natively and derives the OpenAPI
schema from them, so the schema is exactly what the server accepts:
unknown fields are rejected (``forbid_unknown_fields``) with the field named.
Domain values (``Job``, ``SavedSearch``, ``Application``...) are returned as
the core defines them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from jobforge.core.ingest import IngestCounts, QuarantineEntry
from jobforge.core.models import (
    ApiKey,
    Application,
    ApplicationStatus,
    CandidateProfile,
    RawJob,
    SavedSearch,
    UserRole,
)
from jobforge.core.recommend import Recommendation
from jobforge.core.search_types import FacetCounts, SearchHit, SearchMode

__all__ = [
    "ApiKeyCreate",
    "ApiKeyCreated",
    "ApiKeyInfo",
    "ApiKeyList",
    "ApplicantDetails",
    "ApplicationCreate",
    "ApplicationList",
    "ApplicationUpdate",
    "ComponentStatus",
    "FilterInput",
    "Health",
    "IngestReportOut",
    "IngestStart",
    "JobInput",
    "JobsUpsert",
    "PluginList",
    "Readiness",
    "RecommendationList",
    "RecommendationRequest",
    "SavedSearchCreate",
    "SavedSearchList",
    "SavedSearchUpdate",
    "SearchBody",
    "SearchPage",
]

_Name = Annotated[str, Meta(min_length=1, max_length=200)]
_Text = Annotated[str, Meta(max_length=200)]
_TextList = Annotated[list[_Text], Meta(max_length=50)]
_SourceName = Annotated[str, Meta(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:\-]+$")]


class FilterInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, omit_defaults=True):
    """Search filters; every one is optional.

    Multi-valued filters take a list or a comma-separated string.
    """

    remote: _Text | _TextList | None = None
    """Workplace type: remote, hybrid or onsite."""
    location: _Text | None = None
    """Text found in a job's city, region, country or location text."""
    country: _Text | _TextList | None = None
    """ISO 3166-1 alpha-2 codes or country names."""
    salary_min: Annotated[float, Meta(ge=0)] | _Text | None = None
    """Minimum annual salary, optionally with a currency: 120000, "120k", "90000 EUR"."""
    employment_type: _Text | _TextList | None = None
    """full_time, part_time, contract, temporary, internship, volunteer, other."""
    seniority: _Text | _TextList | None = None
    """intern, junior, mid, senior, lead, principal, manager, director, executive."""
    posted_within_days: Annotated[int, Meta(ge=1, le=3650)] | _Text | None = None
    """Whole number of days, 1 to 3650."""
    company: _Text | _TextList | None = None
    """Company names (case-insensitive exact match)."""
    exclude_company: _Text | _TextList | None = None
    """Company names to leave out."""
    source: _Text | _TextList | None = None
    """Source names, e.g. ``file:postings``."""

    def as_dict(self) -> dict[str, Any]:
        """The filters that are set, as the core's filter parser takes them."""
        return {k: v for k, v in msgspec.structs.asdict(self).items() if v is not None}


class SearchBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """``POST /api/v1/search``: the same fields as the query string of ``GET``."""

    q: Annotated[str, Meta(max_length=2000)] = ""
    """Free text; empty lists every job passing the filters, newest first."""
    filters: FilterInput = msgspec.field(default_factory=FilterInput)
    limit: Annotated[int, Meta(ge=1, le=1000)] | None = None
    """Hits per page (default and maximum from ``[search]``, 10 and 100)."""
    offset: Annotated[int, Meta(ge=0, le=1_000_000)] = 0
    """Hits to skip (at most ``[search] max_offset``, 10000)."""
    mode: SearchMode | None = None
    """Ranking mode; by default the ``search.mode`` feature flag, else ``[search] mode``."""


class SearchPage(msgspec.Struct, kw_only=True):
    """One page of search results."""

    total: int
    """How many jobs match in all."""
    limit: int
    offset: int
    query: str
    mode: SearchMode
    """The ranking mode that was used."""
    hits: list[SearchHit]
    facets: FacetCounts
    """Counts over all matches: ``workplace_type``, ``employment_type``, ``company``."""


# Dates are ISO 8601 text or epoch seconds in JSON (msgspec unions allow one string-like type).
_DateInput = str | int | float | None


def _raw_fields() -> list[tuple[str, Any, Any]]:
    fields = []
    for field in msgspec.structs.fields(RawJob):
        if field.name == "source":
            continue
        kind = _DateInput if field.name in ("posted_at", "valid_through") else field.type
        if field.default is not msgspec.NODEFAULT:
            default = field.default
        else:
            default = msgspec.field(default_factory=field.default_factory)
        fields.append((field.name, kind, default))
    return fields


# The batch upsert takes exactly what a job source yields (RawJob), minus the
# source name, which the request gives once. Derived so the two never drift.
JobInput = msgspec.defstruct(
    "JobInput",
    _raw_fields(),
    kw_only=True,
    forbid_unknown_fields=True,
    module=__name__,
)
JobInput.__doc__ = "One posting as a source delivers it (free-text salary, location, HTML...)."


class JobsUpsert(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """``POST /api/v1/jobs``: postings for the ingest pipeline.

    They are normalised, de-duplicated, embedded and indexed in the request.
    """

    source: _SourceName
    """The source name recorded on the postings, e.g. ``partner:acme``."""
    jobs: Annotated[list[JobInput], Meta(min_length=1, max_length=1000)]  # type: ignore[valid-type]


class IngestReportOut(msgspec.Struct, kw_only=True):
    """What an ingest did."""

    run_id: str
    source: str
    status: str
    counts: IngestCounts
    quarantine: list[QuarantineEntry]
    seconds: float
    error: str | None = None


class IngestStart(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """``POST /api/v1/ingest``: run a source with options.

    ``source`` is a registered source type or a ``[sources.NAME]`` entry of the config.
    """

    source: _SourceName
    options: dict[str, str | int | float | bool | list[str]] = msgspec.field(default_factory=dict)
    """The source's options, e.g. ``{"path": "postings.csv"}``."""


class RecommendationRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """``POST /api/v1/recommendations``."""

    profile: CandidateProfile
    limit: Annotated[int, Meta(ge=1, le=100)] = 10


class RecommendationList(msgspec.Struct, kw_only=True):
    """Ranked jobs for a profile, each with the reasons it was chosen."""

    items: list[Recommendation]


class SavedSearchCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A search to keep (and be alerted on)."""

    name: _Name
    query: Annotated[str, Meta(max_length=2000)] = ""
    filters: FilterInput = msgspec.field(default_factory=FilterInput)
    notifier: _Text | None = None
    """A configured notifier name, or none for no alerts."""
    frequency: _Text = "immediate"
    """immediate, daily or weekly."""
    timezone: _Text | None = None
    """IANA time zone of the daily and weekly digests (``Europe/Berlin``); none: the deployment's."""


class SavedSearchUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Fields to change; fields left out keep their value."""

    name: _Name | UnsetType = UNSET
    query: Annotated[str, Meta(max_length=2000)] | UnsetType = UNSET
    filters: FilterInput | UnsetType = UNSET
    notifier: _Text | UnsetType = UNSET
    frequency: _Text | UnsetType = UNSET
    timezone: _Text | UnsetType = UNSET
    """An IANA time zone; "" returns to the deployment's."""


class SavedSearchList(msgspec.Struct, kw_only=True):
    """The caller's saved searches (an admin's: the tenant's), newest first."""

    items: list[SavedSearch]


class ApplicantDetails(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What is sent to the employer's applicant tracking system."""

    first_name: _Name
    last_name: _Name
    email: Annotated[str, Meta(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
    phone: _Text | None = None
    resume_filename: _Text | None = None
    resume: bytes | None = None
    """The résumé file, base64-encoded."""
    cover_letter: Annotated[str, Meta(max_length=20_000)] | None = None
    answers: dict[str, Annotated[str, Meta(max_length=5000)]] = msgspec.field(default_factory=dict)


class ApplicationCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Record an application (or a saved or dismissed job)."""

    job_id: Annotated[str, Meta(min_length=1, max_length=500)]
    status: ApplicationStatus = ApplicationStatus.APPLIED
    notes: Annotated[str, Meta(max_length=10_000)] | None = None
    applicant: ApplicantDetails | None = None
    """When given, the application is handed to the ATS serving the job's source."""


class ApplicationUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A status change."""

    status: ApplicationStatus
    notes: Annotated[str, Meta(max_length=10_000)] | None = None


class ApplicationList(msgspec.Struct, kw_only=True):
    """The caller's applications (an admin's: the tenant's), newest first."""

    items: list[Application]


class ApiKeyInfo(msgspec.Struct, kw_only=True):
    """An API key as listings show it: never the key, never its hash."""

    id: str
    tenant_id: str
    user_id: str
    role: UserRole
    name: str
    prefix: str
    """The first characters of the key, to tell keys apart."""
    created_at: datetime
    revoked_at: datetime | None = None
    expires_at: datetime | None = None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyInfo:
        """The listing form of a stored key."""
        return cls(
            id=key.id,
            tenant_id=key.tenant_id,
            user_id=key.user_id,
            role=key.role,
            name=key.name,
            prefix=key.prefix,
            created_at=key.created_at,
            revoked_at=key.revoked_at,
            expires_at=key.expires_at,
        )


class ApiKeyCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A key to issue in the caller's tenant."""

    user_id: _Name
    role: UserRole
    name: _Name
    expires_at: datetime | None = None
    """Timezone-aware expiry time; none for a key that does not expire."""


class ApiKeyCreated(msgspec.Struct, kw_only=True):
    """A new key. ``key`` is shown only in this response: store it now."""

    key: str
    info: ApiKeyInfo


class ApiKeyList(msgspec.Struct, kw_only=True):
    """The tenant's keys, newest first."""

    items: list[ApiKeyInfo]


class Health(msgspec.Struct, kw_only=True):
    """Liveness."""

    status: str


class ComponentStatus(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One adapter's readiness."""

    status: str
    """``ok``, ``loading`` or ``error``."""
    adapter: str | None = None
    seconds: float | None = None
    error: str | None = None


class Readiness(msgspec.Struct, kw_only=True):
    """Readiness: every configured adapter answered."""

    status: str
    """``ready`` or ``not ready``."""
    components: dict[str, ComponentStatus]


class PluginAdapter(msgspec.Struct, kw_only=True):
    """A registered adapter."""

    name: str
    plugin: str
    description: str
    options: list[dict[str, Any]]


class PluginEntry(msgspec.Struct, kw_only=True):
    """A loaded plugin and what it registered."""

    name: str
    module: str
    distribution: str | None
    version: str | None
    adapters: dict[str, list[str]]
    hooks: list[str]


class PluginFailureEntry(msgspec.Struct, kw_only=True):
    """A plugin that failed to load."""

    name: str
    stage: str
    error: str
    distribution: str | None = None
    version: str | None = None


class PluginList(msgspec.Struct, kw_only=True):
    """What ``jobforge plugins --json`` shows."""

    plugins: list[PluginEntry]
    failed: list[PluginFailureEntry]
    adapters: dict[str, list[PluginAdapter]]
