"""The alert journal, outbox, inbox and analytics events of the ``mongo`` store.

Collections ``alert_journal``, ``alerts``, ``inbox`` and ``events`` next to
the store's others (see :mod:`jobforge.adapters.mongo.documents`). Records
are kept whole in ``data``; instants used to filter and sort are
fixed-width UTC text. Every write is a single-document operation, so no
transaction is needed: recording an alert is an insert that a duplicate id
turns into a no-op, which makes it idempotent per (saved search, job).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import msgspec
from pymongo import ASCENDING, DESCENDING, UpdateOne
from pymongo.errors import BulkWriteError, DuplicateKeyError

from jobforge.core.clock import from_utc_text, require_aware_datetimes, utc_text
from jobforge.core.models import Alert, AlertStatus, AnalyticsEvent, EventKind, InboxItem

if TYPE_CHECKING:
    from jobforge.adapters.mongo._connection import MongoConnection
    from jobforge.adapters.mongo.documents import AppDocuments

__all__ = ["MongoAlertStore", "MongoEventStore"]

_PAGE = 1000


class _Part:
    def __init__(self, connection: MongoConnection, documents: AppDocuments) -> None:
        self._connection = connection
        self._documents = documents

    async def _collection(self, name: str) -> Any:
        await self._connection.open()
        return getattr(self._documents, name).get_pymongo_collection()


def _alert_fields(alert: Alert) -> dict[str, Any]:
    require_aware_datetimes(alert)
    return {
        "tenant_id": alert.tenant_id,
        "user_id": alert.user_id,
        "digest_key": alert.digest_key,
        "notifier": alert.notifier,
        "status": alert.status.value,
        "created_at": utc_text(alert.created_at),
        "due_at": utc_text(alert.due_at),
        "next_attempt_at": None if alert.next_attempt_at is None else utc_text(alert.next_attempt_at),
        "data": msgspec.to_builtins(alert),
    }


def _alert(document: dict[str, Any]) -> Alert:
    return msgspec.convert(document["data"], Alert)


class MongoAlertStore(_Part):
    """An :class:`~jobforge.ports.AlertStore` in MongoDB."""

    async def add_changed(self, job_ids: Sequence[str], at: datetime) -> None:
        """Journal jobs as changed at ``at`` (a later time wins)."""
        when = utc_text(at, "at")
        ids = list(dict.fromkeys(job_ids))
        if not ids:
            return
        collection = await self._collection("alert_journal")
        await collection.bulk_write(
            [UpdateOne({"_id": job_id}, {"$max": {"at": when}}, upsert=True) for job_id in ids], ordered=False
        )

    async def changed(self, *, limit: int = 500) -> list[tuple[str, datetime]]:
        """Journaled ``(job_id, at)``, oldest first."""
        if limit <= 0:
            return []
        collection = await self._collection("alert_journal")
        cursor = collection.find({}).sort([("at", ASCENDING), ("_id", ASCENDING)]).limit(limit)
        return [(doc["_id"], from_utc_text(doc["at"])) async for doc in cursor]

    async def clear_changed(self, entries: Sequence[tuple[str, datetime]]) -> None:
        """Remove entries not journaled again since they were read."""
        collection = await self._collection("alert_journal")
        for job_id, at in entries:
            await collection.delete_one({"_id": job_id, "at": {"$lte": utc_text(at, "at")}})

    async def record(self, alerts: Sequence[Alert]) -> int:
        """Store alerts with new ids; returns how many."""
        documents = [{"_id": alert.id, **_alert_fields(alert)} for alert in alerts]
        if not documents:
            return 0
        collection = await self._collection("alerts")
        try:
            result = await collection.insert_many(documents, ordered=False)
        except BulkWriteError as exc:
            others = [e for e in exc.details.get("writeErrors", []) if e.get("code") != 11000]
            if others:
                raise
            return int(exc.details.get("nInserted", 0))
        return len(result.inserted_ids)

    async def get(self, alert_id: str) -> Alert | None:
        """An alert by id."""
        collection = await self._collection("alerts")
        document = await collection.find_one({"_id": alert_id})
        return None if document is None else _alert(document)

    async def due(self, now: datetime, *, limit: int = 500) -> list[Alert]:
        """Pending alerts due by ``now``, earliest first."""
        if limit <= 0:
            return []
        when = utc_text(now, "now")
        collection = await self._collection("alerts")
        query = {
            "status": AlertStatus.PENDING.value,
            "due_at": {"$lte": when},
            "$or": [{"next_attempt_at": None}, {"next_attempt_at": {"$lte": when}}],
        }
        cursor = collection.find(query).sort([("due_at", ASCENDING), ("_id", ASCENDING)]).limit(limit)
        return [_alert(doc) async for doc in cursor]

    async def group(self, digest_key: str) -> list[Alert]:
        """Pending alerts of one digest, by id."""
        collection = await self._collection("alerts")
        cursor = collection.find({"digest_key": digest_key, "status": AlertStatus.PENDING.value}).sort(
            [("_id", ASCENDING)]
        )
        return [_alert(doc) async for doc in cursor]

    async def update(self, alerts: Sequence[Alert]) -> None:
        """Replace known alerts."""
        operations = [UpdateOne({"_id": alert.id}, {"$set": _alert_fields(alert)}) for alert in alerts]
        if operations:
            collection = await self._collection("alerts")
            await collection.bulk_write(operations, ordered=False)

    async def list_alerts(
        self,
        tenant_id: str,
        *,
        user_id: str | None = None,
        status: AlertStatus | None = None,
        limit: int = 100,
    ) -> list[Alert]:
        """A tenant's alerts, newest first."""
        if limit <= 0:
            return []
        query: dict[str, Any] = {"tenant_id": tenant_id}
        if user_id is not None:
            query["user_id"] = user_id
        if status is not None:
            query["status"] = status.value
        collection = await self._collection("alerts")
        cursor = collection.find(query).sort([("created_at", DESCENDING), ("_id", ASCENDING)]).limit(limit)
        return [_alert(doc) async for doc in cursor]

    async def counts(self, tenant_id: str, *, since: datetime) -> dict[str, dict[str, int]]:
        """Notifier to status to count, of alerts created since ``since``."""
        collection = await self._collection("alerts")
        pipeline = [
            {"$match": {"tenant_id": tenant_id, "created_at": {"$gte": utc_text(since, "since")}}},
            {"$group": {"_id": {"notifier": "$notifier", "status": "$status"}, "count": {"$sum": 1}}},
        ]
        result: dict[str, dict[str, int]] = {}
        cursor = await collection.aggregate(pipeline)
        async for row in cursor:
            result.setdefault(row["_id"]["notifier"], {})[row["_id"]["status"]] = int(row["count"])
        return result

    async def add_inbox(self, item: InboxItem) -> bool:
        """Keep an item unless its id exists."""
        require_aware_datetimes(item)
        collection = await self._collection("inbox")
        try:
            await collection.insert_one(
                {
                    "_id": item.id,
                    "tenant_id": item.tenant_id,
                    "user_id": item.user_id,
                    "created_at": utc_text(item.created_at),
                    "read": item.read_at is not None,
                    "data": msgspec.to_builtins(item),
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def list_inbox(
        self, tenant_id: str, user_id: str, *, unread_only: bool = False, limit: int = 50
    ) -> list[InboxItem]:
        """A user's items, newest first."""
        if limit <= 0:
            return []
        query: dict[str, Any] = {"tenant_id": tenant_id, "user_id": user_id}
        if unread_only:
            query["read"] = False
        collection = await self._collection("inbox")
        cursor = collection.find(query).sort([("created_at", DESCENDING), ("_id", ASCENDING)]).limit(limit)
        return [msgspec.convert(doc["data"], InboxItem) async for doc in cursor]

    async def mark_read(self, tenant_id: str, user_id: str, item_ids: Sequence[str], at: datetime) -> int:
        """Mark unread items of the user read."""
        utc_text(at, "at")
        collection = await self._collection("inbox")
        result = await collection.update_many(
            {
                "_id": {"$in": list(dict.fromkeys(item_ids))},
                "tenant_id": tenant_id,
                "user_id": user_id,
                "read": False,
            },
            {"$set": {"read": True, "data.read_at": msgspec.to_builtins(at)}},
        )
        return int(result.modified_count)


class MongoEventStore(_Part):
    """An :class:`~jobforge.ports.EventStore` in MongoDB."""

    async def record(self, events: Sequence[AnalyticsEvent]) -> None:
        """Append events with new ids."""
        documents = []
        for event in events:
            require_aware_datetimes(event)
            documents.append(
                {
                    "_id": event.id,
                    "tenant_id": event.tenant_id,
                    "kind": event.kind.value,
                    "at": utc_text(event.at),
                    "data": msgspec.to_builtins(event),
                }
            )
        if not documents:
            return
        collection = await self._collection("events")
        try:
            await collection.insert_many(documents, ordered=False)
        except BulkWriteError as exc:
            if any(e.get("code") != 11000 for e in exc.details.get("writeErrors", [])):
                raise

    async def events(
        self,
        tenant_id: str,
        *,
        since: datetime,
        until: datetime,
        kinds: Sequence[EventKind] = (),
    ) -> AsyncIterator[AnalyticsEvent]:
        """A tenant's events in ``[since, until)``, oldest first, a page at a time."""
        start, end = utc_text(since, "since"), utc_text(until, "until")
        collection = await self._collection("events")
        after: tuple[str, str] | None = None
        while True:
            query: dict[str, Any] = {"tenant_id": tenant_id, "at": {"$gte": start, "$lt": end}}
            if kinds:
                query["kind"] = {"$in": [k.value for k in kinds]}
            if after is not None:
                query["$or"] = [{"at": {"$gt": after[0]}}, {"at": after[0], "_id": {"$gt": after[1]}}]
            cursor = collection.find(query).sort([("at", ASCENDING), ("_id", ASCENDING)]).limit(_PAGE)
            page = [doc async for doc in cursor]
            for doc in page:
                yield msgspec.convert(doc["data"], AnalyticsEvent)
            if len(page) < _PAGE:
                return
            after = (page[-1]["at"], page[-1]["_id"])

    async def prune(self, before: datetime) -> int:
        """Delete events older than ``before``."""
        collection = await self._collection("events")
        result = await collection.delete_many({"at": {"$lt": utc_text(before, "before")}})
        return int(result.deleted_count)
