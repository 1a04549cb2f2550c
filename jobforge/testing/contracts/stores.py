"""The contract every :class:`~jobforge.ports.AppStore` adapter passes.

Subclass :class:`AppStoreContract` and override the ``store`` fixture to
yield a fresh, empty store::

    class TestMyStore(AppStoreContract):
        @pytest.fixture
        async def store(self, tmp_path):
            store = MyStore(tmp_path / "app.db")
            yield store
            await store.close()

Semantics beyond the port docstrings that the suite pins down:

* Tenant isolation: a tenant-owned record (API key, saved search,
  application) is only ever read, listed, updated, revoked or deleted
  through its own ``tenant_id``; another tenant that knows the id gets
  ``None``, ``[]`` or ``False`` and the record stays as it was.
* Ids are unique across tenants; creating a record whose id exists is a
  ``ValueError`` (so is an API key whose hash exists).
* Lists are newest first: ``created_at`` descending, compared as instants
  (whatever the UTC offset), records without ``created_at`` last, equal
  instants by the most recently created first. Ingest runs: runs without
  ``started_at`` first, then ``started_at`` descending, ties by the most
  recently first saved.
* Datetimes come back timezone-aware and equal (as instants) to what was
  stored; storing a naive datetime is a ``ValueError``.
* ``revoke_api_key`` sets ``revoked_at`` once: revoking again returns True
  and keeps the first time; a revoked key is still found by its hash.
* Returned records are copies: changing one does not change the store.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import msgspec
import pytest

from jobforge.core.models import (
    ApiKey,
    Application,
    ApplicationStatus,
    IngestRun,
    SavedSearch,
    Tenant,
    User,
    UserRole,
)
from jobforge.ports import AccountStore, ApplicationStore, AppStore, IngestRunStore, SavedSearchStore

__all__ = ["AppStoreContract"]

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
_ids = itertools.count(1)


def _next_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def _key(tenant_id: str = "t-a", **overrides: Any) -> ApiKey:
    key_id = overrides.pop("id", _next_id("key"))
    fields: dict[str, Any] = {
        "id": key_id,
        "tenant_id": tenant_id,
        "user_id": "u-1",
        "role": UserRole.MEMBER,
        "name": "laptop",
        "prefix": "jf_abcd",
        "key_hash": f"hash-of-{key_id}",
        "created_at": T0,
    }
    fields.update(overrides)
    return ApiKey(**fields)


def _search(tenant_id: str = "t-a", **overrides: Any) -> SavedSearch:
    fields: dict[str, Any] = {
        "id": _next_id("search"),
        "tenant_id": tenant_id,
        "user_id": "u-1",
        "name": "remote data jobs",
        "query": "data engineer",
        "filters": {"remote": ["remote"], "salary_min": "120k"},
        "notifier": "email",
        "frequency": "daily",
        "created_at": T0,
    }
    fields.update(overrides)
    return SavedSearch(**fields)


def _application(tenant_id: str = "t-a", **overrides: Any) -> Application:
    fields: dict[str, Any] = {
        "id": _next_id("app"),
        "tenant_id": tenant_id,
        "user_id": "u-1",
        "job_id": "job-1",
        "status": ApplicationStatus.APPLIED,
        "apply_url": "https://jobs.example.com/1/apply",
        "notes": "referred by Sam",
        "created_at": T0,
        "updated_at": T0,
    }
    fields.update(overrides)
    return Application(**fields)


def _run(**overrides: Any) -> IngestRun:
    fields: dict[str, Any] = {
        "id": _next_id("run"),
        "source": "file",
        "status": "completed",
        "counts": {"added": 3},
        "started_at": T0,
        "finished_at": T0 + timedelta(seconds=5),
    }
    fields.update(overrides)
    return IngestRun(**fields)


def _ids_of(records: Any) -> list[str]:
    return [record.id for record in records]


class AppStoreContract:
    """Behaviour shared by every application-data store; subclass and override ``store``."""

    pytestmark = [pytest.mark.asyncio]

    @pytest.fixture
    async def store(self) -> AsyncIterator[AppStore]:
        """Yield a fresh, empty store and close it afterwards (override this)."""
        raise NotImplementedError("override the `store` fixture to yield an empty AppStore")
        yield  # pragma: no cover  # noqa: PT022  (makes this an async generator fixture like its overrides)

    async def test_implements_the_ports(self, store: AppStore) -> None:
        """The store and its parts satisfy the runtime-checkable protocols."""
        assert isinstance(store, AppStore)
        assert isinstance(store.accounts, AccountStore)
        assert isinstance(store.saved_searches, SavedSearchStore)
        assert isinstance(store.applications, ApplicationStore)
        assert isinstance(store.ingest_runs, IngestRunStore)

    async def test_empty_store(self, store: AppStore) -> None:
        """A fresh store finds nothing."""
        assert await store.accounts.list_tenants() == []
        assert await store.accounts.get_tenant("t-a") is None
        assert await store.accounts.get_user("t-a", "u-1") is None
        assert await store.accounts.find_api_key("nope") is None
        assert await store.accounts.list_api_keys("t-a") == []
        assert await store.saved_searches.get("t-a", "s") is None
        assert list(await store.saved_searches.list("t-a")) == []
        assert await store.applications.get("t-a", "a") is None
        assert list(await store.applications.list("t-a")) == []
        assert await store.ingest_runs.get("r") is None
        assert list(await store.ingest_runs.list()) == []

    # --- tenants and users ----------------------------------------------------

    async def test_tenants_are_upserted_and_listed_by_id(self, store: AppStore) -> None:
        """Upserting replaces a tenant; ``list_tenants`` is in id order."""
        accounts = store.accounts
        await accounts.upsert_tenant(Tenant(id="t-b", name="Beta"))
        await accounts.upsert_tenant(Tenant(id="t-a", name="Alpha"))
        await accounts.upsert_tenant(Tenant(id="t-b", name="Beta Corp"))
        assert await accounts.get_tenant("t-b") == Tenant(id="t-b", name="Beta Corp")
        assert await accounts.list_tenants() == [
            Tenant(id="t-a", name="Alpha"),
            Tenant(id="t-b", name="Beta Corp"),
        ]

    async def test_users_are_unique_per_tenant(self, store: AppStore) -> None:
        """The same user id in two tenants is two users; upserting replaces within a tenant."""
        accounts = store.accounts
        alice_a = User(id="alice", tenant_id="t-a", role=UserRole.ADMIN, email="alice@a.example")
        alice_b = User(id="alice", tenant_id="t-b", role=UserRole.VIEWER)
        await accounts.upsert_user(alice_a)
        await accounts.upsert_user(alice_b)
        assert await accounts.get_user("t-a", "alice") == alice_a
        assert await accounts.get_user("t-b", "alice") == alice_b
        assert await accounts.get_user("t-c", "alice") is None
        demoted = msgspec.structs.replace(alice_a, role=UserRole.MEMBER)
        await accounts.upsert_user(demoted)
        assert await accounts.get_user("t-a", "alice") == demoted
        assert await accounts.get_user("t-b", "alice") == alice_b

    # --- API keys -------------------------------------------------------------

    async def test_api_key_is_found_by_hash(self, store: AppStore) -> None:
        """A stored key comes back whole from its hash; other hashes find nothing."""
        key = _key(expires_at=T0 + timedelta(days=30))
        await store.accounts.add_api_key(key)
        assert await store.accounts.find_api_key(key.key_hash) == key
        assert await store.accounts.find_api_key("hash-of-something-else") is None

    async def test_duplicate_api_key_id_or_hash_is_rejected(self, store: AppStore) -> None:
        """A second key with an existing id or hash is a ``ValueError``; the first stays."""
        key = _key()
        await store.accounts.add_api_key(key)
        with pytest.raises(ValueError, match=key.id):
            await store.accounts.add_api_key(_key(id=key.id, key_hash="another-hash"))
        with pytest.raises(ValueError, match="hash"):
            await store.accounts.add_api_key(_key(key_hash=key.key_hash))
        assert await store.accounts.list_api_keys("t-a") == [key]

    async def test_api_keys_are_listed_newest_first_per_tenant(self, store: AppStore) -> None:
        """Each tenant lists only its own keys, newest first."""
        old = _key(created_at=T0)
        new = _key(created_at=T0 + timedelta(hours=1))
        other = _key("t-b", created_at=T0 + timedelta(hours=2))
        for key in (new, other, old):
            await store.accounts.add_api_key(key)
        assert await store.accounts.list_api_keys("t-a") == [new, old]
        assert await store.accounts.list_api_keys("t-b") == [other]
        assert await store.accounts.list_api_keys("t-c") == []

    async def test_revoke_api_key(self, store: AppStore) -> None:
        """Revoking sets ``revoked_at`` once; the key is still found by hash."""
        key = _key()
        await store.accounts.add_api_key(key)
        when = T0 + timedelta(days=1)
        assert await store.accounts.revoke_api_key("t-a", key.id, when) is True
        revoked = await store.accounts.find_api_key(key.key_hash)
        assert revoked == msgspec.structs.replace(key, revoked_at=when)
        assert await store.accounts.revoke_api_key("t-a", key.id, when + timedelta(days=1)) is True
        assert await store.accounts.find_api_key(key.key_hash) == revoked
        assert await store.accounts.list_api_keys("t-a") == [revoked]

    async def test_revoke_unknown_key_is_false(self, store: AppStore) -> None:
        """Revoking an id no key has is False."""
        assert await store.accounts.revoke_api_key("t-a", "no-such-key", T0) is False

    async def test_revoke_with_a_naive_time_is_rejected(self, store: AppStore) -> None:
        """``when`` must be timezone-aware."""
        key = _key()
        await store.accounts.add_api_key(key)
        with pytest.raises(ValueError, match="timezone"):
            await store.accounts.revoke_api_key("t-a", key.id, datetime(2026, 1, 1))
        assert await store.accounts.find_api_key(key.key_hash) == key

    async def test_another_tenant_cannot_see_or_revoke_a_key(self, store: AppStore) -> None:
        """Tenant B knowing tenant A's key id can neither list nor revoke it."""
        key = _key("t-a")
        await store.accounts.add_api_key(key)
        assert await store.accounts.list_api_keys("t-b") == []
        assert await store.accounts.revoke_api_key("t-b", key.id, T0) is False
        assert await store.accounts.find_api_key(key.key_hash) == key

    # --- saved searches --------------------------------------------------------

    async def test_saved_search_round_trip(self, store: AppStore) -> None:
        """A created saved search comes back equal, filters included."""
        search = _search()
        await store.saved_searches.create(search)
        assert await store.saved_searches.get("t-a", search.id) == search
        assert list(await store.saved_searches.list("t-a")) == [search]

    async def test_duplicate_saved_search_id_is_rejected(self, store: AppStore) -> None:
        """Creating an existing id is a ``ValueError``, in the same tenant or another."""
        search = _search()
        await store.saved_searches.create(search)
        with pytest.raises(ValueError, match=search.id):
            await store.saved_searches.create(_search(id=search.id, name="again"))
        with pytest.raises(ValueError, match=search.id):
            await store.saved_searches.create(_search("t-b", id=search.id))
        assert await store.saved_searches.get("t-a", search.id) == search
        assert await store.saved_searches.get("t-b", search.id) is None

    async def test_saved_searches_are_listed_newest_first(self, store: AppStore) -> None:
        """Newest first by instant; ties by the later created first; undated last."""
        undated = _search(created_at=None)
        oldest = _search(created_at=T0 - timedelta(days=2))
        # 13:30+02:00 is 11:30 UTC: older than T0 (12:00 UTC) despite the larger wall-clock time.
        plus_two = _search(created_at=datetime(2026, 3, 1, 13, 30, tzinfo=timezone(timedelta(hours=2))))
        tie_first = _search(created_at=T0)
        tie_second = _search(created_at=T0)
        for search in (undated, tie_first, oldest, plus_two, tie_second):
            await store.saved_searches.create(search)
        listed = await store.saved_searches.list("t-a")
        assert _ids_of(listed) == _ids_of([tie_second, tie_first, plus_two, oldest, undated])

    async def test_saved_searches_of_one_user(self, store: AppStore) -> None:
        """``user_id`` narrows the list to that user's searches in the tenant."""
        mine = _search(user_id="u-1")
        theirs = _search(user_id="u-2", created_at=T0 + timedelta(minutes=1))
        elsewhere = _search("t-b", user_id="u-1")
        for search in (mine, theirs, elsewhere):
            await store.saved_searches.create(search)
        assert list(await store.saved_searches.list("t-a", user_id="u-1")) == [mine]
        assert list(await store.saved_searches.list("t-a", user_id="u-2")) == [theirs]
        assert list(await store.saved_searches.list("t-a")) == [theirs, mine]
        assert list(await store.saved_searches.list("t-b", user_id="u-2")) == []

    async def test_saved_search_update_and_delete(self, store: AppStore) -> None:
        """Update replaces the record; delete removes it; unknown ids are False."""
        search = _search()
        await store.saved_searches.create(search)
        changed = msgspec.structs.replace(search, name="renamed", filters={"country": ["DE"]}, notifier=None)
        assert await store.saved_searches.update(changed) is True
        assert await store.saved_searches.get("t-a", search.id) == changed
        assert await store.saved_searches.update(_search()) is False
        assert await store.saved_searches.delete("t-a", search.id) is True
        assert await store.saved_searches.get("t-a", search.id) is None
        assert await store.saved_searches.delete("t-a", search.id) is False
        assert list(await store.saved_searches.list("t-a")) == []

    async def test_another_tenant_cannot_touch_a_saved_search(self, store: AppStore) -> None:
        """Tenant B knowing the id gets nothing and changes nothing."""
        search = _search("t-a")
        await store.saved_searches.create(search)
        assert await store.saved_searches.get("t-b", search.id) is None
        assert list(await store.saved_searches.list("t-b")) == []
        assert list(await store.saved_searches.list("t-b", user_id=search.user_id)) == []
        hijacked = msgspec.structs.replace(search, tenant_id="t-b", name="mine now")
        assert await store.saved_searches.update(hijacked) is False
        assert await store.saved_searches.delete("t-b", search.id) is False
        assert await store.saved_searches.get("t-a", search.id) == search
        assert await store.saved_searches.get("t-b", search.id) is None

    # --- applications ------------------------------------------------------------

    async def test_application_round_trip(self, store: AppStore) -> None:
        """A created application comes back equal."""
        application = _application(ats="greenhouse", ats_reference="gh-42")
        await store.applications.create(application)
        assert await store.applications.get("t-a", application.id) == application
        assert list(await store.applications.list("t-a")) == [application]

    async def test_duplicate_application_id_is_rejected(self, store: AppStore) -> None:
        """Creating an existing id is a ``ValueError``, in the same tenant or another."""
        application = _application()
        await store.applications.create(application)
        with pytest.raises(ValueError, match=application.id):
            await store.applications.create(_application(id=application.id, job_id="job-2"))
        with pytest.raises(ValueError, match=application.id):
            await store.applications.create(_application("t-b", id=application.id))
        assert list(await store.applications.list("t-a")) == [application]
        assert list(await store.applications.list("t-b")) == []

    async def test_applications_are_listed_newest_first_per_user(self, store: AppStore) -> None:
        """Newest first; ``user_id`` narrows to one user of the tenant."""
        first = _application(created_at=T0)
        second = _application(created_at=T0 + timedelta(days=1))
        colleague = _application(user_id="u-2", created_at=T0 + timedelta(days=2))
        undated = _application(created_at=None)
        for application in (undated, second, first, colleague):
            await store.applications.create(application)
        assert _ids_of(await store.applications.list("t-a")) == _ids_of([colleague, second, first, undated])
        assert _ids_of(await store.applications.list("t-a", user_id="u-1")) == _ids_of(
            [second, first, undated]
        )
        assert _ids_of(await store.applications.list("t-a", user_id="u-2")) == [colleague.id]

    async def test_application_update(self, store: AppStore) -> None:
        """Update replaces the record (status included); unknown ids are False."""
        application = _application()
        await store.applications.create(application)
        moved = msgspec.structs.replace(
            application,
            status=ApplicationStatus.INTERVIEWING,
            notes="call on Monday",
            updated_at=T0 + timedelta(1),
        )
        assert await store.applications.update(moved) is True
        assert await store.applications.get("t-a", application.id) == moved
        assert list(await store.applications.list("t-a")) == [moved]
        assert await store.applications.update(_application()) is False

    async def test_another_tenant_cannot_touch_an_application(self, store: AppStore) -> None:
        """Tenant B knowing the id gets nothing and changes nothing."""
        application = _application("t-a")
        await store.applications.create(application)
        assert await store.applications.get("t-b", application.id) is None
        assert list(await store.applications.list("t-b")) == []
        assert list(await store.applications.list("t-b", user_id=application.user_id)) == []
        hijacked = msgspec.structs.replace(application, tenant_id="t-b", status=ApplicationStatus.WITHDRAWN)
        assert await store.applications.update(hijacked) is False
        assert await store.applications.get("t-a", application.id) == application

    # --- ingest runs ---------------------------------------------------------------

    async def test_ingest_runs_are_saved_and_replaced(self, store: AppStore) -> None:
        """``save`` creates, then replaces by id."""
        run = _run(status="running", finished_at=None, counts={})
        await store.ingest_runs.save(run)
        assert await store.ingest_runs.get(run.id) == run
        done = msgspec.structs.replace(
            run, status="failed", error="boom", finished_at=T0 + timedelta(minutes=1)
        )
        await store.ingest_runs.save(done)
        assert await store.ingest_runs.get(run.id) == done
        assert list(await store.ingest_runs.list()) == [done]

    async def test_ingest_runs_are_listed_newest_first(self, store: AppStore) -> None:
        """Not-started runs first, then by start time descending; ``limit`` bounds the list."""
        old = _run(started_at=T0)
        new = _run(started_at=T0 + timedelta(hours=1))
        queued = _run(status="queued", started_at=None, finished_at=None)
        for run in (old, queued, new):
            await store.ingest_runs.save(run)
        assert _ids_of(await store.ingest_runs.list()) == _ids_of([queued, new, old])
        assert _ids_of(await store.ingest_runs.list(limit=2)) == _ids_of([queued, new])
        assert list(await store.ingest_runs.list(limit=0)) == []
        with pytest.raises(ValueError, match="limit"):
            await store.ingest_runs.list(limit=-1)

    # --- time and copies -----------------------------------------------------------

    async def test_datetimes_stay_timezone_aware(self, store: AppStore) -> None:
        """Datetimes with any UTC offset come back aware and equal as instants."""
        offset = timezone(timedelta(hours=-5, minutes=-30))
        when = datetime(2026, 5, 17, 8, 15, 30, 123456, tzinfo=offset)
        search = _search(created_at=when)
        application = _application(created_at=when, updated_at=when)
        key = _key(created_at=when, expires_at=when + timedelta(days=1))
        run = _run(started_at=when, finished_at=when)
        await store.saved_searches.create(search)
        await store.applications.create(application)
        await store.accounts.add_api_key(key)
        await store.ingest_runs.save(run)
        stored_search = await store.saved_searches.get("t-a", search.id)
        stored_application = await store.applications.get("t-a", application.id)
        stored_key = await store.accounts.find_api_key(key.key_hash)
        stored_run = await store.ingest_runs.get(run.id)
        assert stored_search is not None
        assert stored_application is not None
        assert stored_key is not None
        assert stored_run is not None
        for value in (
            stored_search.created_at,
            stored_application.created_at,
            stored_application.updated_at,
            stored_key.created_at,
            stored_run.started_at,
        ):
            assert value is not None
            assert value.utcoffset() is not None
            assert value == when
        assert stored_key.expires_at == when + timedelta(days=1)

    async def test_naive_datetimes_are_rejected(self, store: AppStore) -> None:
        """Storing a naive datetime is a ``ValueError`` naming the field; nothing is stored."""
        naive = datetime(2026, 1, 1, 9, 0)
        search = _search(created_at=naive)
        application = _application(updated_at=naive)
        with pytest.raises(ValueError, match="created_at"):
            await store.saved_searches.create(search)
        with pytest.raises(ValueError, match="updated_at"):
            await store.applications.create(application)
        with pytest.raises(ValueError, match="expires_at"):
            await store.accounts.add_api_key(_key(expires_at=naive))
        with pytest.raises(ValueError, match="started_at"):
            await store.ingest_runs.save(_run(started_at=naive))
        assert list(await store.saved_searches.list("t-a")) == []
        assert list(await store.applications.list("t-a")) == []
        assert await store.accounts.list_api_keys("t-a") == []
        assert list(await store.ingest_runs.list()) == []

    async def test_returned_records_are_copies(self, store: AppStore) -> None:
        """Changing a record after storing it, or one that was returned, changes nothing stored."""
        search = _search(filters={"company": ["Acme"]})
        await store.saved_searches.create(search)
        search.filters["company"].append("Globex")
        search.name = "changed by the caller"
        stored = await store.saved_searches.get("t-a", search.id)
        assert stored is not None
        assert stored.filters == {"company": ["Acme"]}
        assert stored.name == "remote data jobs"
        stored.name = "changed again"
        again = await store.saved_searches.get("t-a", search.id)
        assert again is not None
        assert again.name == "remote data jobs"

    async def test_concurrent_writes_all_land(self, store: AppStore) -> None:
        """Many concurrent tasks writing at once lose nothing."""
        searches = [_search(created_at=T0 + timedelta(seconds=n)) for n in range(20)]
        applications = [_application(created_at=T0 + timedelta(seconds=n)) for n in range(20)]
        await asyncio.gather(
            *(store.saved_searches.create(s) for s in searches),
            *(store.applications.create(a) for a in applications),
        )
        assert _ids_of(await store.saved_searches.list("t-a")) == _ids_of(reversed(searches))
        assert _ids_of(await store.applications.list("t-a")) == _ids_of(reversed(applications))
