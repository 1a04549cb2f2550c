"""Beanie documents of the MongoDB adapters, with their indexes.

Every record is kept whole as a subdocument (``job`` or ``data``, the
msgspec builtins form, datetimes as ISO 8601 text with their UTC offset so
they round-trip exactly); the other fields exist to be indexed, filtered
and sorted on. Instants that lists sort by are fixed-width UTC text
(``2026-01-01T00:00:00.000000Z``), which sorts in time order, and ``seq``
(from the ``sequences`` collection) orders records created at the same
instant.

Beanie binds a document class, and the classes it inherits from, to one
database. So the classes are defined afresh for each connection by
:func:`job_documents` and :func:`app_documents`: two adapters on two
databases in one process never share a binding.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from beanie import Document
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel

__all__ = ["AppDocuments", "JobDocuments", "app_documents", "job_documents"]

_NEWEST_FIRST = [("created_at", DESCENDING), ("seq", DESCENDING)]


def _sequence_document() -> type[Document]:
    class SequenceDocument(Document):
        """A named counter, advanced atomically with ``$inc``."""

        id: str = Field(alias="_id")  # type: ignore[assignment]
        value: int = 0

        class Settings:
            name = "sequences"

    return SequenceDocument


class JobDocuments(NamedTuple):
    """The document classes of one job repository connection."""

    jobs: Any
    quarantine: Any
    sequences: Any


def job_documents() -> JobDocuments:
    """Fresh document classes of the job repository (collections ``jobs``,
    ``quarantine`` and ``sequences``)."""

    class JobDocument(Document):
        """A job, and the keys that find it.

        ``source_keys`` holds each ``(source, source_id)`` the job owns as the
        JSON text ``["source","source_id"]``, plus the job id as a JSON string
        (so the array is never empty); its unique multikey index makes a
        source key belong to at most one job. (A unique compound index over
        ``sources.source`` and ``sources.source_id`` would not do: some
        servers pair the source of one entry with the id of another.)
        """

        id: str = Field(alias="_id")  # type: ignore[assignment]
        source_keys: list[str] = Field(default_factory=list)
        url: str | None = None
        fingerprint: str | None = None
        content_hash: str = ""
        job: dict[str, Any]

        class Settings:
            name = "jobs"
            indexes = [
                IndexModel([("source_keys", ASCENDING)], name="source_keys_unique", unique=True),
                IndexModel([("url", ASCENDING)], name="url"),
                IndexModel([("fingerprint", ASCENDING)], name="fingerprint"),
            ]

    class QuarantineDocument(Document):
        """A rejected record of an ingest run; ``record`` is its JSON text."""

        run_id: str
        seq: int
        source: str
        source_id: str | None = None
        position: int | None = None
        reason: str
        record: str
        created_at: datetime

        class Settings:
            name = "quarantine"
            indexes = [
                IndexModel([("seq", DESCENDING)], name="newest_first"),
                IndexModel([("run_id", ASCENDING), ("seq", DESCENDING)], name="run_newest_first"),
            ]

    return JobDocuments(jobs=JobDocument, quarantine=QuarantineDocument, sequences=_sequence_document())


class AppDocuments(NamedTuple):
    """The document classes of one application-data store connection."""

    tenants: Any
    users: Any
    api_keys: Any
    saved_searches: Any
    applications: Any
    ingest_runs: Any
    sequences: Any
    alert_journal: Any = None
    alerts: Any = None
    inbox: Any = None
    events: Any = None


def app_documents() -> AppDocuments:
    """Fresh document classes of the application-data store."""

    class TenantDocument(Document):
        """A tenant."""

        id: str = Field(alias="_id")  # type: ignore[assignment]
        data: dict[str, Any]

        class Settings:
            name = "tenants"

    class UserDocument(Document):
        """A user, unique per tenant and user id."""

        tenant_id: str
        user_id: str
        data: dict[str, Any]

        class Settings:
            name = "users"
            indexes = [
                IndexModel(
                    [("tenant_id", ASCENDING), ("user_id", ASCENDING)], name="tenant_user", unique=True
                ),
            ]

    class ApiKeyDocument(Document):
        """An API key (its hash only), unique by id and by hash."""

        id: str = Field(alias="_id")  # type: ignore[assignment]
        tenant_id: str
        key_hash: str
        created_at: str | None = None
        seq: int
        data: dict[str, Any]

        class Settings:
            name = "api_keys"
            indexes = [
                IndexModel([("key_hash", ASCENDING)], name="key_hash_unique", unique=True),
                IndexModel([("tenant_id", ASCENDING), *_NEWEST_FIRST], name="tenant_newest_first"),
            ]

    class SavedSearchDocument(Document):
        """A saved search of one user of one tenant."""

        id: str = Field(alias="_id")  # type: ignore[assignment]
        tenant_id: str
        user_id: str
        created_at: str | None = None
        seq: int
        data: dict[str, Any]

        class Settings:
            name = "saved_searches"
            indexes = [
                IndexModel([("tenant_id", ASCENDING), *_NEWEST_FIRST], name="tenant_newest_first"),
                IndexModel(
                    [("tenant_id", ASCENDING), ("user_id", ASCENDING), *_NEWEST_FIRST],
                    name="tenant_user_newest_first",
                ),
            ]

    class ApplicationDocument(Document):
        """An application of one user of one tenant to one job."""

        id: str = Field(alias="_id")  # type: ignore[assignment]
        tenant_id: str
        user_id: str
        job_id: str
        status: str
        created_at: str | None = None
        seq: int
        data: dict[str, Any]

        class Settings:
            name = "applications"
            indexes = [
                IndexModel([("tenant_id", ASCENDING), *_NEWEST_FIRST], name="tenant_newest_first"),
                IndexModel(
                    [("tenant_id", ASCENDING), ("user_id", ASCENDING), *_NEWEST_FIRST],
                    name="tenant_user_newest_first",
                ),
                IndexModel([("tenant_id", ASCENDING), ("job_id", ASCENDING)], name="tenant_job"),
            ]

    class IngestRunDocument(Document):
        """An ingest run; ``pending`` is true while it has no ``started_at``."""

        id: str = Field(alias="_id")  # type: ignore[assignment]
        tenant_id: str | None = None
        source: str
        status: str
        started_at: str | None = None
        pending: bool
        seq: int
        data: dict[str, Any]

        class Settings:
            name = "ingest_runs"
            indexes = [
                IndexModel(
                    [("pending", DESCENDING), ("started_at", DESCENDING), ("seq", DESCENDING)],
                    name="newest_first",
                ),
            ]

    class AlertJournalDocument(Document):
        """A job waiting for an alert pass (new or changed at ``at``)."""

        id: str = Field(alias="_id")  # type: ignore[assignment]
        at: str

        class Settings:
            name = "alert_journal"
            indexes = [IndexModel([("at", ASCENDING), ("_id", ASCENDING)], name="oldest_first")]

    class AlertDocument(Document):
        """One (saved search, job) alert in the outbox."""

        id: str = Field(alias="_id")  # type: ignore[assignment]
        tenant_id: str
        user_id: str
        digest_key: str
        notifier: str
        status: str
        created_at: str
        due_at: str
        next_attempt_at: str | None = None
        data: dict[str, Any]

        class Settings:
            name = "alerts"
            indexes = [
                IndexModel([("status", ASCENDING), ("due_at", ASCENDING), ("_id", ASCENDING)], name="due"),
                IndexModel([("digest_key", ASCENDING), ("status", ASCENDING)], name="digest"),
                IndexModel(
                    [("tenant_id", ASCENDING), ("created_at", DESCENDING)], name="tenant_newest_first"
                ),
            ]

    class InboxDocument(Document):
        """An item of a user's in-app inbox."""

        id: str = Field(alias="_id")  # type: ignore[assignment]
        tenant_id: str
        user_id: str
        created_at: str
        read: bool
        data: dict[str, Any]

        class Settings:
            name = "inbox"
            indexes = [
                IndexModel(
                    [("tenant_id", ASCENDING), ("user_id", ASCENDING), ("created_at", DESCENDING)],
                    name="owner_newest_first",
                ),
            ]

    class EventDocument(Document):
        """An analytics event."""

        id: str = Field(alias="_id")  # type: ignore[assignment]
        tenant_id: str
        kind: str
        at: str
        data: dict[str, Any]

        class Settings:
            name = "events"
            indexes = [
                IndexModel(
                    [("tenant_id", ASCENDING), ("at", ASCENDING), ("_id", ASCENDING)], name="tenant_time"
                ),
                IndexModel([("at", ASCENDING)], name="time"),
            ]

    return AppDocuments(
        alert_journal=AlertJournalDocument,
        alerts=AlertDocument,
        inbox=InboxDocument,
        events=EventDocument,
        tenants=TenantDocument,
        users=UserDocument,
        api_keys=ApiKeyDocument,
        saved_searches=SavedSearchDocument,
        applications=ApplicationDocument,
        ingest_runs=IngestRunDocument,
        sequences=_sequence_document(),
    )
