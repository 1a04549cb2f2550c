"""Saved searches: validation, visibility by user, role and tenant."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jobforge.adapters.memory.store import MemoryAppStore
from jobforge.core.auth import AuthError
from jobforge.core.clock import FixedClock
from jobforge.core.errors import InvalidFilterError, InvalidRequestError, NotFoundError
from jobforge.core.models import Principal, UserRole
from jobforge.core.saved_searches import SavedSearchService

ANN = Principal("acme", "ann", UserRole.MEMBER)
BOB = Principal("acme", "bob", UserRole.MEMBER)
BOSS = Principal("acme", "boss", UserRole.ADMIN)
VIEWER = Principal("acme", "vic", UserRole.VIEWER)
OUTSIDER = Principal("globex", "ann", UserRole.ADMIN)


@pytest.fixture
def store() -> MemoryAppStore:
    return MemoryAppStore()


@pytest.fixture
def service(store: MemoryAppStore) -> SavedSearchService:
    return SavedSearchService(
        store.saved_searches, FixedClock(datetime(2026, 1, 1, tzinfo=UTC)), notifiers=["email", "slack"]
    )


async def test_create_and_get(service: SavedSearchService) -> None:
    saved = await service.create(
        ANN,
        name="  Remote data  ",
        query="data   engineer",
        filters={"remote": "remote", "salary_min": "120k"},
        notifier="email",
        frequency="daily",
    )
    assert len(saved.id) == 32
    assert (saved.tenant_id, saved.user_id, saved.name, saved.query) == (
        "acme",
        "ann",
        "Remote data",
        "data engineer",
    )
    assert saved.filters == {"remote": "remote", "salary_min": "120k"}
    assert saved.created_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert await service.get(ANN, saved.id) == saved


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "n" * 201}, "name"),
        ({"query": "q" * 501}, "query"),
        ({"filters": {"colour": "blue"}}, "colour"),
        ({"filters": {"posted_within_days": "soon"}}, "posted_within_days"),
        ({"frequency": "hourly"}, "frequency"),
        ({"notifier": "pager"}, "notifier"),
    ],
)
async def test_invalid_values_name_the_field(
    service: SavedSearchService, store: MemoryAppStore, kwargs: dict[str, object], field: str
) -> None:
    request: dict[str, object] = {"name": "ok"}
    request.update(kwargs)
    with pytest.raises(InvalidRequestError) as info:
        await service.create(ANN, **request)  # type: ignore[arg-type]
    assert info.value.field == field
    assert store.calls_to("saved_searches") == []


async def test_unknown_filter_is_an_invalid_filter_error(service: SavedSearchService) -> None:
    with pytest.raises(InvalidFilterError, match="colour"):
        await service.create(ANN, name="x", filters={"colour": "blue"})


async def test_users_see_their_own_and_admins_the_tenants(service: SavedSearchService) -> None:
    ann_search = await service.create(ANN, name="ann's")
    bob_search = await service.create(BOB, name="bob's")
    assert await service.list(ANN) == [ann_search]
    assert await service.list(BOB) == [bob_search]
    assert {s.id for s in await service.list(BOSS)} == {ann_search.id, bob_search.id}
    assert await service.get(BOSS, ann_search.id) == ann_search
    with pytest.raises(NotFoundError):
        await service.get(BOB, ann_search.id)
    with pytest.raises(NotFoundError):
        await service.update(BOB, ann_search.id, name="mine")
    with pytest.raises(NotFoundError):
        await service.delete(BOB, ann_search.id)
    assert await service.get(ANN, ann_search.id) == ann_search


async def test_other_tenants_never_see_a_search(service: SavedSearchService) -> None:
    saved = await service.create(ANN, name="ann's")
    assert await service.list(OUTSIDER) == []
    for call in (
        service.get(OUTSIDER, saved.id),
        service.update(OUTSIDER, saved.id, name="x"),
        service.delete(OUTSIDER, saved.id),
    ):
        with pytest.raises(NotFoundError):
            await call
    assert await service.get(ANN, saved.id) == saved


async def test_update_changes_only_given_fields(service: SavedSearchService) -> None:
    saved = await service.create(ANN, name="a", query="python", filters={"country": "DE"}, notifier="email")
    updated = await service.update(ANN, saved.id, name="b", frequency="weekly")
    assert (updated.name, updated.query, updated.filters, updated.notifier, updated.frequency) == (
        "b",
        "python",
        {"country": "DE"},
        "email",
        "weekly",
    )
    cleared = await service.update(ANN, saved.id, notifier="", filters={})
    assert (cleared.notifier, cleared.filters) == (None, {})
    assert await service.get(ANN, saved.id) == cleared
    with pytest.raises(InvalidFilterError, match="remote"):
        await service.update(ANN, saved.id, filters={"remote": "moon"})
    assert await service.get(ANN, saved.id) == cleared


async def test_admin_may_change_a_members_search(service: SavedSearchService) -> None:
    saved = await service.create(ANN, name="a")
    assert (await service.update(BOSS, saved.id, name="renamed")).user_id == "ann"
    await service.delete(BOSS, saved.id)
    assert await service.list(ANN) == []


async def test_delete(service: SavedSearchService) -> None:
    saved = await service.create(ANN, name="a")
    await service.delete(ANN, saved.id)
    with pytest.raises(NotFoundError):
        await service.get(ANN, saved.id)
    with pytest.raises(NotFoundError):
        await service.delete(ANN, saved.id)


async def test_viewers_read_but_do_not_write(service: SavedSearchService) -> None:
    assert await service.list(VIEWER) == []
    with pytest.raises(AuthError) as info:
        await service.create(VIEWER, name="x")
    assert info.value.status == 403
