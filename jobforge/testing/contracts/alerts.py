"""Contracts of the alert store and the analytics event store (parts of an AppStore).

Subclass and override the ``store`` fixture to yield a fresh, empty
:class:`~jobforge.ports.AppStore` (the same fixture as :class:`AppStoreContract`)::

    class TestMyStore(AlertStoreContract, EventStoreContract):
        @pytest.fixture
        async def store(self, tmp_path):
            store = MyStore(tmp_path / "app.db")
            yield store
            await store.close()

Semantics beyond the port docstrings that the suites pin down:

* The journal keeps one entry per job with its latest time; clearing an
  entry read earlier leaves it when it was journaled again since.
* ``record`` is idempotent per alert id (the pair): a second record of the
  same id, even with other fields, changes nothing and counts 0.
* ``due`` honours ``due_at`` and ``next_attempt_at`` and returns pending
  alerts only; ``group`` returns a digest's pending alerts whatever their time.
* Inbox items are kept once per id; reads and ``mark_read`` go through the
  tenant and user; marking twice counts once.
* Events: an id is stored once; ``events`` filters by tenant, the half-open
  window ``[since, until)`` and kinds, oldest first; ``prune`` deletes across
  tenants.
* Datetimes come back timezone-aware and equal as instants; naive ones are a
  ``ValueError``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import msgspec
import pytest

from jobforge.core.models import Alert, AlertStatus, AnalyticsEvent, EventKind, InboxItem
from jobforge.ports import AlertStore, AppStore, EventStore

__all__ = ["AlertStoreContract", "EventStoreContract"]

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _alert(n: int, **overrides: Any) -> Alert:
    fields: dict[str, Any] = {
        "id": f"search-1:job-{n}",
        "tenant_id": "t-a",
        "user_id": "u-1",
        "saved_search_id": "search-1",
        "job_id": f"job-{n}",
        "notifier": "inbox",
        "frequency": "immediate",
        "digest_key": f"search-1:job-{n}",
        "created_at": T0,
        "due_at": T0,
    }
    fields.update(overrides)
    return Alert(**fields)


def _item(n: int, **overrides: Any) -> InboxItem:
    fields: dict[str, Any] = {
        "id": f"key-{n}",
        "tenant_id": "t-a",
        "user_id": "u-1",
        "subject": f"New job {n}",
        "text": "...",
        "created_at": T0 + timedelta(minutes=n),
        "saved_search_id": "search-1",
        "job_ids": [f"job-{n}"],
    }
    fields.update(overrides)
    return InboxItem(**fields)


def _event(n: int, **overrides: Any) -> AnalyticsEvent:
    fields: dict[str, Any] = {
        "id": f"event-{n}",
        "tenant_id": "t-a",
        "kind": EventKind.SEARCH,
        "at": T0 + timedelta(seconds=n),
        "user_id": "u-1",
        "query": "data engineer",
        "filters": {"remote": "remote"},
        "mode": "hybrid",
        "result_count": n,
        "latency_ms": 1.5,
    }
    fields.update(overrides)
    return AnalyticsEvent(**fields)


def _ids(records: Any) -> list[str]:
    return [r.id for r in records]


class AlertStoreContract:
    """Behaviour of ``store.alerts``; subclass and override ``store``."""

    pytestmark = [pytest.mark.asyncio]

    @pytest.fixture
    async def store(self) -> AsyncIterator[AppStore]:
        """Yield a fresh, empty store (override this)."""
        raise NotImplementedError("override the `store` fixture to yield an empty AppStore")
        yield  # pragma: no cover  # noqa: PT022

    async def test_implements_the_port(self, store: AppStore) -> None:
        """``store.alerts`` satisfies the protocol."""
        assert isinstance(store.alerts, AlertStore)

    async def test_journal_keeps_the_latest_time_per_job(self, store: AppStore) -> None:
        """One entry per job, oldest first, the later time winning."""
        alerts = store.alerts
        assert await alerts.changed() == []
        await alerts.add_changed(["b", "a"], T0)
        await alerts.add_changed(["c"], T0 + timedelta(seconds=1))
        await alerts.add_changed(["a"], T0 + timedelta(seconds=2))
        await alerts.add_changed(["b"], T0 - timedelta(hours=1))  # an older time does not win
        assert await alerts.changed() == [
            ("b", T0),
            ("c", T0 + timedelta(seconds=1)),
            ("a", T0 + timedelta(seconds=2)),
        ]
        assert await alerts.changed(limit=1) == [("b", T0)]

    async def test_clearing_keeps_entries_journaled_again(self, store: AppStore) -> None:
        """A change made during a pass survives the pass's clear."""
        alerts = store.alerts
        await alerts.add_changed(["a", "b"], T0)
        read = await alerts.changed()
        await alerts.add_changed(["b"], T0 + timedelta(minutes=1))
        await alerts.clear_changed(read)
        assert await alerts.changed() == [("b", T0 + timedelta(minutes=1))]
        await alerts.clear_changed([("b", T0 + timedelta(minutes=1)), ("unknown", T0)])
        assert await alerts.changed() == []

    async def test_journal_times_are_instants(self, store: AppStore) -> None:
        """Offsets are compared as instants; naive times are rejected."""
        alerts = store.alerts
        await alerts.add_changed(["a"], datetime(2026, 3, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))))
        ((job_id, at),) = await alerts.changed()
        assert job_id == "a"
        assert at == T0
        assert at.utcoffset() is not None
        with pytest.raises(ValueError, match="timezone"):
            await alerts.add_changed(["a"], datetime(2026, 3, 1))

    async def test_record_is_idempotent_per_pair(self, store: AppStore) -> None:
        """A pair is recorded once, whatever the second record says."""
        alerts = store.alerts
        assert await alerts.record([_alert(1), _alert(2)]) == 2
        assert await alerts.record([_alert(1, notifier="email"), _alert(3)]) == 1
        assert await alerts.record([]) == 0
        first = await alerts.get("search-1:job-1")
        assert first is not None
        assert first.notifier == "inbox"
        assert first == _alert(1)
        assert await alerts.get("nope") is None

    async def test_due_honours_time_status_and_retries(self, store: AppStore) -> None:
        """Only pending alerts whose time has come, earliest first."""
        alerts = store.alerts
        await alerts.record(
            [
                _alert(1, due_at=T0 + timedelta(hours=1)),
                _alert(2, due_at=T0 - timedelta(hours=1)),
                _alert(3, next_attempt_at=T0 + timedelta(minutes=5)),
                _alert(4),
                _alert(5, status=AlertStatus.DELIVERED),
                _alert(6, due_at=T0 + timedelta(days=1)),
            ]
        )
        assert _ids(await alerts.due(T0)) == ["search-1:job-2", "search-1:job-4"]
        later = T0 + timedelta(hours=2)
        assert _ids(await alerts.due(later)) == [
            "search-1:job-2",
            "search-1:job-3",
            "search-1:job-4",
            "search-1:job-1",
        ]
        assert _ids(await alerts.due(later, limit=1)) == ["search-1:job-2"]

    async def test_group_and_update(self, store: AppStore) -> None:
        """A digest's pending alerts come together; updates change status and fields."""
        alerts = store.alerts
        key = "search-1:daily:2026-03-02T08:00Z"
        due = T0 + timedelta(hours=20)
        await alerts.record([_alert(n, frequency="daily", digest_key=key, due_at=due) for n in (3, 1, 2)])
        assert _ids(await alerts.group(key)) == ["search-1:job-1", "search-1:job-2", "search-1:job-3"]
        assert await alerts.due(T0) == []
        first = await alerts.get("search-1:job-1")
        assert first is not None
        delivered = msgspec.structs.replace(
            first, status=AlertStatus.DELIVERED, delivered_at=due, attempts=1, notifier="email"
        )
        await alerts.update([delivered, _alert(99)])  # unknown ids are ignored
        assert await alerts.get("search-1:job-99") is None
        assert await alerts.get("search-1:job-1") == delivered
        assert _ids(await alerts.group(key)) == ["search-1:job-2", "search-1:job-3"]
        assert _ids(await alerts.due(due)) == ["search-1:job-2", "search-1:job-3"]

    async def test_lists_and_counts_per_tenant(self, store: AppStore) -> None:
        """Listing and counting go through the tenant."""
        alerts = store.alerts
        await alerts.record(
            [
                _alert(1),
                _alert(2, created_at=T0 + timedelta(minutes=1), status=AlertStatus.DELIVERED, user_id="u-2"),
                _alert(3, created_at=T0 - timedelta(days=2), notifier="email", status=AlertStatus.FAILED),
                _alert(4, tenant_id="t-b"),
            ]
        )
        assert _ids(await alerts.list_alerts("t-a")) == ["search-1:job-2", "search-1:job-1", "search-1:job-3"]
        assert _ids(await alerts.list_alerts("t-a", user_id="u-2")) == ["search-1:job-2"]
        assert _ids(await alerts.list_alerts("t-a", status=AlertStatus.FAILED)) == ["search-1:job-3"]
        assert _ids(await alerts.list_alerts("t-a", limit=1)) == ["search-1:job-2"]
        assert _ids(await alerts.list_alerts("t-b")) == ["search-1:job-4"]
        assert await alerts.counts("t-a", since=T0 - timedelta(days=7)) == {
            "inbox": {"pending": 1, "delivered": 1},
            "email": {"failed": 1},
        }
        assert await alerts.counts("t-a", since=T0) == {"inbox": {"pending": 1, "delivered": 1}}
        assert await alerts.counts("t-c", since=T0) == {}

    async def test_naive_datetimes_are_rejected(self, store: AppStore) -> None:
        """Alerts and inbox items with naive times are not stored."""
        naive = datetime(2026, 3, 1)
        with pytest.raises(ValueError, match="timezone"):
            await store.alerts.record([_alert(1, due_at=naive)])
        with pytest.raises(ValueError, match="timezone"):
            await store.alerts.add_inbox(_item(1, created_at=naive))
        assert await store.alerts.get("search-1:job-1") is None

    async def test_inbox_keeps_each_key_once(self, store: AppStore) -> None:
        """Items are kept once per id and listed newest first per user."""
        alerts = store.alerts
        assert await alerts.add_inbox(_item(1)) is True
        assert await alerts.add_inbox(_item(1, subject="changed")) is False
        await alerts.add_inbox(_item(2))
        await alerts.add_inbox(_item(3, user_id="u-2"))
        await alerts.add_inbox(_item(4, tenant_id="t-b"))
        items = await alerts.list_inbox("t-a", "u-1")
        assert _ids(items) == ["key-2", "key-1"]
        assert items[1] == _item(1)
        assert _ids(await alerts.list_inbox("t-a", "u-1", limit=1)) == ["key-2"]
        assert await alerts.list_inbox("t-b", "u-1") != []
        assert await alerts.list_inbox("t-c", "u-1") == []

    async def test_mark_read_is_scoped_and_counts_once(self, store: AppStore) -> None:
        """Only the owner's unread items change."""
        alerts = store.alerts
        for n in (1, 2):
            await alerts.add_inbox(_item(n))
        await alerts.add_inbox(_item(3, user_id="u-2"))
        read_at = T0 + timedelta(hours=1)
        assert await alerts.mark_read("t-a", "u-1", ["key-1", "key-3", "nope", "key-1"], read_at) == 1
        assert await alerts.mark_read("t-a", "u-1", ["key-1"], read_at) == 0
        assert await alerts.mark_read("t-b", "u-1", ["key-2"], read_at) == 0
        assert _ids(await alerts.list_inbox("t-a", "u-1", unread_only=True)) == ["key-2"]
        items = {i.id: i for i in await alerts.list_inbox("t-a", "u-1")}
        assert items["key-1"].read_at == read_at
        assert (await alerts.list_inbox("t-a", "u-2"))[0].read_at is None


class EventStoreContract:
    """Behaviour of ``store.events``; subclass and override ``store``."""

    pytestmark = [pytest.mark.asyncio]

    @pytest.fixture
    async def store(self) -> AsyncIterator[AppStore]:
        """Yield a fresh, empty store (override this)."""
        raise NotImplementedError("override the `store` fixture to yield an empty AppStore")
        yield  # pragma: no cover  # noqa: PT022

    async def _all(self, store: AppStore, tenant: str = "t-a", **kwargs: Any) -> list[AnalyticsEvent]:
        window = {"since": T0 - timedelta(days=1), "until": T0 + timedelta(days=1), **kwargs}
        return [e async for e in store.events.events(tenant, **window)]

    async def test_implements_the_port(self, store: AppStore) -> None:
        """``store.events`` satisfies the protocol."""
        assert isinstance(store.events, EventStore)

    async def test_round_trip_oldest_first(self, store: AppStore) -> None:
        """Events come back whole, oldest first, ties by id."""
        events = [
            _event(2),
            _event(1),
            _event(
                3, kind=EventKind.JOB_VIEWED, query=None, job_id="job-1", source="board", search_id="event-1"
            ),
            _event(0, id="event-0b", at=T0 + timedelta(seconds=1)),
        ]
        await store.events.record(events)
        found = await self._all(store)
        assert _ids(found) == ["event-0b", "event-1", "event-2", "event-3"]
        assert found[3] == events[2]
        assert all(e.at.utcoffset() is not None for e in found)

    async def test_ids_are_stored_once(self, store: AppStore) -> None:
        """Recording the same id again (a retried write) changes nothing."""
        await store.events.record([_event(1)])
        await store.events.record([_event(1, query="other"), _event(2)])
        found = await self._all(store)
        assert _ids(found) == ["event-1", "event-2"]
        assert found[0].query == "data engineer"

    async def test_tenant_window_and_kinds(self, store: AppStore) -> None:
        """Reads filter by tenant, half-open window and kinds."""
        await store.events.record(
            [
                _event(1),
                _event(2, kind=EventKind.APPLY_CLICKED),
                _event(3, tenant_id="t-b"),
                _event(4, at=T0 + timedelta(days=3)),
            ]
        )
        assert _ids(await self._all(store)) == ["event-1", "event-2"]
        assert _ids(await self._all(store, "t-b")) == ["event-3"]
        assert _ids(await self._all(store, kinds=[EventKind.APPLY_CLICKED])) == ["event-2"]
        exact = [
            e
            async for e in store.events.events(
                "t-a", since=T0 + timedelta(seconds=1), until=T0 + timedelta(seconds=2)
            )
        ]
        assert _ids(exact) == ["event-1"]

    async def test_many_events_are_all_read(self, store: AppStore) -> None:
        """Reading pages through more events than one page holds."""
        await store.events.record([_event(n, at=T0) for n in range(2500)])
        found = await self._all(store)
        assert len(found) == 2500
        assert _ids(found) == sorted(_ids(found))

    async def test_prune_deletes_old_events_of_every_tenant(self, store: AppStore) -> None:
        """Pruning goes by time only."""
        await store.events.record(
            [
                _event(1, at=T0 - timedelta(days=40)),
                _event(2, tenant_id="t-b", at=T0 - timedelta(days=40)),
                _event(3),
            ]
        )
        assert await store.events.prune(T0 - timedelta(days=30)) == 2
        assert _ids(await self._all(store, since=T0 - timedelta(days=60))) == ["event-3"]
        assert _ids(await self._all(store, "t-b", since=T0 - timedelta(days=60))) == []

    async def test_naive_datetimes_are_rejected(self, store: AppStore) -> None:
        """An event with a naive time is not stored."""
        with pytest.raises(ValueError, match="timezone"):
            await store.events.record([_event(1, at=datetime(2026, 3, 1))])
