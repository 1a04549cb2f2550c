"""Alerts on the real services and memory adapters: matching, the outbox, digests, retries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import msgspec
import pytest

from jobforge.adapters.hashing.embedder import HashingEmbedder
from jobforge.adapters.memory.repository import MemoryJobRepository
from jobforge.adapters.memory.search_index import MemorySearchIndex
from jobforge.adapters.memory.store import MemoryAppStore
from jobforge.core.alerts import INBOX, AlertPolicy, AlertService, InboxNotifier, digest_time
from jobforge.core.clock import FixedClock, time_zone
from jobforge.core.errors import InvalidRequestError
from jobforge.core.ingest import IngestService
from jobforge.core.models import AlertStatus, Principal, RawJob, User, UserRole, WorkplaceType
from jobforge.core.saved_searches import SavedSearchService
from jobforge.ports import Notifier
from jobforge.testing.fakes import FakeNotifier, FakeSource

NOW = datetime(2026, 6, 1, 10, 30, tzinfo=UTC)  # a Monday
ANN = Principal("acme", "ann", UserRole.MEMBER)
BOB = Principal("globex", "bob", UserRole.MEMBER)


def _raw(source_id: str, title: str, **fields: object) -> RawJob:
    return RawJob(
        source="board",
        source_id=source_id,
        url=f"https://jobs.example.com/{source_id}",
        title=title,
        company=fields.pop("company", "Acme"),  # type: ignore[arg-type]
        description=fields.pop("description", f"{title}. We build things."),  # type: ignore[arg-type]
        posted_at="2026-05-30",
        **fields,  # type: ignore[arg-type]
    )


@dataclass
class World:
    clock: FixedClock
    store: MemoryAppStore
    ingest: IngestService
    searches: SavedSearchService
    alerts: AlertService
    email: FakeNotifier
    steps: list[str]

    async def feed(self, *raws: RawJob) -> None:
        report = await self.ingest.ingest(FakeSource(list(raws), name="board"))
        assert report.status == "completed", report.error


@pytest.fixture
def world() -> World:
    clock = FixedClock(NOW)
    store = MemoryAppStore()
    repository, index = MemoryJobRepository(), MemorySearchIndex()
    embedder = HashingEmbedder(dimensions=256)
    email = FakeNotifier()
    inbox = InboxNotifier(store.alerts, clock)
    notifiers: dict[str, Notifier] = {INBOX: inbox, "email": email}
    steps: list[str] = []
    alerts = AlertService(
        saved_searches=store.saved_searches,
        alerts=store.alerts,
        accounts=store.accounts,
        repository=repository,
        embedder=embedder,
        notifiers=notifiers.get,
        clock=clock,
        policy=AlertPolicy(min_similarity=0.95, max_attempts=3, retry_seconds=60),
        checkpoint=steps.append,
    )

    async def journal(jobs: object) -> None:
        await alerts.journal(jobs)  # type: ignore[arg-type]

    ingest = IngestService(
        repository=repository, index=index, embedder=embedder, clock=clock, on_changed=journal
    )
    searches = SavedSearchService(store.saved_searches, clock, notifiers=[INBOX, "email"])
    return World(clock, store, ingest, searches, alerts, email, steps)


async def test_new_jobs_matching_a_saved_search_land_in_the_inbox_once(world: World) -> None:
    saved = await world.searches.create(
        ANN, name="data jobs", query="data engineer", filters={"remote": "remote"}
    )
    world.clock.advance(timedelta(minutes=1))
    await world.feed(
        _raw("a", "Senior Data Engineer", workplace_type=WorkplaceType.REMOTE),
        _raw("b", "Data Engineer", workplace_type=WorkplaceType.ONSITE),  # fails the filter
        _raw("c", "Registered Nurse", workplace_type=WorkplaceType.REMOTE),  # not relevant
    )
    match, delivery = await world.alerts.run_once()
    assert (match.jobs, match.saved_searches, match.recorded) == (3, 1, 1)
    assert (delivery.notifications, delivery.delivered) == (1, 1)
    (item,) = await world.store.alerts.list_inbox("acme", "ann")
    assert item.subject == "New job for 'data jobs': Senior Data Engineer at Acme"
    assert item.id == f"{saved.id}:{item.job_ids[0]}"
    assert "https://jobs.example.com/a" in item.text
    assert world.steps == ["alerts.recorded", "alerts.sent"]
    # Running again, or the job changing, alerts nobody twice.
    assert await world.alerts.run_once() == (
        msgspec.convert({}, type(match)),
        msgspec.convert({}, type(delivery)),
    )
    world.clock.advance(timedelta(minutes=1))
    await world.feed(
        _raw("a", "Senior Data Engineer", workplace_type=WorkplaceType.REMOTE, description="Changed.")
    )
    match, delivery = await world.alerts.run_once()
    assert (match.jobs, match.recorded, delivery.notifications) == (1, 0, 0)
    assert len(await world.store.alerts.list_inbox("acme", "ann")) == 1


async def test_a_change_can_make_a_job_match(world: World) -> None:
    await world.searches.create(ANN, name="well paid", query="", filters={"salary_min": "150k"})
    world.clock.advance(timedelta(seconds=1))
    await world.feed(_raw("a", "Data Engineer", salary_text="$100,000 a year"))
    assert (await world.alerts.run_once())[0].recorded == 0
    world.clock.advance(timedelta(seconds=1))
    await world.feed(_raw("a", "Data Engineer", salary_text="$160,000 a year"))
    match, delivery = await world.alerts.run_once()
    assert (match.recorded, delivery.delivered) == (1, 1)


async def test_query_relevance_every_word_or_similarity(world: World) -> None:
    await world.searches.create(ANN, name="kafka", query="kafka engineer")
    world.clock.advance(timedelta(seconds=1))
    await world.feed(
        _raw("a", "Backend Engineer", skills=["Kafka"]),  # every word: title + listed skill
        _raw("b", "Platform Engineer", description="We run Apache Kafka at scale."),  # skill found in text
        _raw("c", "Backend Engineer", description="Streams and queues, written by an engineer."),
        _raw("d", "Kafka Scholar", description="Literature."),
    )
    await world.alerts.match()
    alerted = sorted(a.job_id for a in await world.store.alerts.list_alerts("acme"))
    jobs = {j.source_id: j.id for j in [await world.ingest.repository.get(i) for i in alerted] if j}
    assert sorted(jobs) == ["a", "b"]


async def test_saved_searches_only_hear_of_later_jobs_and_other_tenants_are_apart(world: World) -> None:
    await world.feed(_raw("old", "Data Engineer"))
    world.clock.advance(timedelta(seconds=1))
    await world.searches.create(ANN, name="data", query="data engineer")
    await world.searches.create(BOB, name="data", query="data engineer", notifier="email")
    world.clock.advance(timedelta(seconds=1))
    await world.feed(_raw("new", "Data Engineer II"))
    match, delivery = await world.alerts.run_once()
    assert (match.recorded, delivery.notifications) == (2, 2)  # one per tenant, the old job for nobody
    assert [i.subject for i in await world.store.alerts.list_inbox("acme", "ann")] == [
        "New job for 'data': Data Engineer II at Acme"
    ]
    assert await world.store.alerts.list_inbox("globex", "bob") == []
    (sent,) = world.email.sent
    assert sent.recipient == "bob"  # no e-mail address known: the user id
    assert sent.data["tenant_id"] == "globex"


async def test_digests_wait_for_their_hour_and_go_out_together(world: World) -> None:
    await world.store.accounts.upsert_user(User(id="ann", tenant_id="acme", email="ann@example.com"))
    saved = await world.searches.create(ANN, name="daily", query="", notifier="email", frequency="daily")
    world.clock.advance(timedelta(seconds=1))
    await world.feed(*(_raw(f"j{n}", f"Engineer {n}") for n in range(3)))
    match, delivery = await world.alerts.run_once()
    assert (match.recorded, delivery.notifications) == (3, 0)
    pending = await world.store.alerts.list_alerts("acme", status=AlertStatus.PENDING)
    assert {a.due_at for a in pending} == {datetime(2026, 6, 2, 8, 0, tzinfo=UTC)}
    assert {a.digest_key for a in pending} == {f"{saved.id}:daily:2026-06-02T08:00Z"}
    world.clock.advance(timedelta(days=1))  # 2026-06-02 10:30
    _, delivery = await world.alerts.run_once()
    assert (delivery.notifications, delivery.delivered) == (1, 3)
    (digest,) = world.email.sent
    assert digest.subject == "3 new jobs for 'daily'"
    assert digest.recipient == "ann@example.com"
    assert digest.key == f"{saved.id}:daily:2026-06-02T08:00Z"
    assert digest.html is not None
    assert digest.html.count("<li>") == 3


def test_digest_times() -> None:
    monday_morning = datetime(2026, 6, 1, 7, 0, tzinfo=UTC)
    assert digest_time("immediate", NOW, hour=8, weekday=0) == NOW
    assert digest_time("daily", monday_morning, hour=8, weekday=0) == datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    assert digest_time("daily", NOW, hour=8, weekday=0) == datetime(2026, 6, 2, 8, 0, tzinfo=UTC)
    assert digest_time("weekly", monday_morning, hour=8, weekday=0) == datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    assert digest_time("weekly", NOW, hour=8, weekday=0) == datetime(2026, 6, 8, 8, 0, tzinfo=UTC)
    assert digest_time("weekly", NOW, hour=8, weekday=4) == datetime(2026, 6, 5, 8, 0, tzinfo=UTC)


def test_digest_times_follow_a_time_zone_across_daylight_saving_changes() -> None:
    berlin = ZoneInfo("Europe/Berlin")  # CET -> CEST on Sunday 2026-03-29
    saturday_noon = datetime(2026, 3, 28, 11, 0, tzinfo=UTC)
    # Daily: 08:00 Berlin on the Sunday is already summer time (06:00 UTC), the day before winter time.
    assert digest_time("daily", saturday_noon, hour=8, weekday=0, zone=berlin) == datetime(
        2026, 3, 29, 6, 0, tzinfo=UTC
    )
    friday_early = datetime(2026, 3, 27, 5, 0, tzinfo=UTC)  # 06:00 in Berlin
    assert digest_time("daily", friday_early, hour=8, weekday=0, zone=berlin) == datetime(
        2026, 3, 27, 7, 0, tzinfo=UTC
    )
    # Weekly on Monday: counted on the local calendar, across the change.
    assert digest_time("weekly", saturday_noon, hour=8, weekday=0, zone=berlin) == datetime(
        2026, 3, 30, 6, 0, tzinfo=UTC
    )
    # Exactly at the hour: the next one. New York: 08:00 EDT is 12:00 UTC.
    new_york = ZoneInfo("America/New_York")
    at_eight = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    assert digest_time("daily", at_eight, hour=8, weekday=0, zone=new_york) == datetime(
        2026, 6, 2, 12, 0, tzinfo=UTC
    )
    # Late evening UTC is already the next local day in Tokyo (UTC+9).
    tokyo_next_day = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)  # 05:00 on 2026-06-02 in Tokyo
    assert digest_time("daily", tokyo_next_day, hour=8, weekday=0, zone=ZoneInfo("Asia/Tokyo")) == datetime(
        2026, 6, 1, 23, 0, tzinfo=UTC
    )


async def test_a_saved_search_time_zone_sets_its_digest_hour(world: World) -> None:
    saved = await world.searches.create(ANN, name="daily", query="", frequency="daily", timezone="Asia/Tokyo")
    assert saved.timezone == "Asia/Tokyo"
    world.clock.advance(timedelta(seconds=1))  # 2026-06-01 10:30 UTC = 19:30 in Tokyo
    await world.feed(_raw("t1", "Engineer"))
    match, _ = await world.alerts.run_once()
    assert match.recorded == 1
    (pending,) = await world.store.alerts.list_alerts("acme", status=AlertStatus.PENDING)
    assert pending.due_at == datetime(2026, 6, 1, 23, 0, tzinfo=UTC)  # 08:00 on 2026-06-02 in Tokyo
    assert pending.digest_key == f"{saved.id}:daily:2026-06-01T23:00Z"


@pytest.mark.parametrize(
    "name", ["Mars/Olympus_Mons", "Europe", "utc", "", "../../etc/passwd", "a" * 300, "a\x00b"]
)
def test_a_bad_time_zone_name_is_a_value_error_naming_it(name: str) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        time_zone(name)


async def test_a_saved_search_time_zone_is_checked_and_can_be_cleared(world: World) -> None:
    with pytest.raises(InvalidRequestError) as error:
        await world.searches.create(ANN, name="x", frequency="daily", timezone="Mars/Olympus_Mons")
    assert error.value.field == "timezone"
    assert "Mars/Olympus_Mons" in str(error.value)
    saved = await world.searches.create(ANN, name="x", frequency="daily", timezone="Europe/Berlin")
    cleared = await world.searches.update(ANN, saved.id, timezone="")
    assert cleared.timezone is None
    with pytest.raises(InvalidRequestError):
        await world.searches.update(ANN, saved.id, timezone="Europe/Atlantis")


async def test_failed_deliveries_are_retried_then_given_up(world: World) -> None:
    await world.searches.create(ANN, name="data", query="", notifier="email")
    world.email.fail_times = 5
    world.clock.advance(timedelta(seconds=1))
    await world.feed(_raw("a", "Data Engineer"))
    _, delivery = await world.alerts.run_once()
    assert delivery.retrying == 1
    (alert,) = await world.store.alerts.list_alerts("acme")
    assert (alert.attempts, alert.next_attempt_at) == (1, world.clock.now() + timedelta(seconds=60))
    assert alert.last_error == "ConnectionError: fake notifier failure"
    assert (await world.alerts.deliver()).retrying == 0  # not due again yet
    world.clock.advance(timedelta(seconds=60))
    assert (await world.alerts.deliver()).retrying == 1  # second attempt; next in 120 s
    world.clock.advance(timedelta(seconds=120))
    assert (await world.alerts.deliver()).failed == 1  # third attempt: max_attempts reached
    (alert,) = await world.store.alerts.list_alerts("acme")
    assert (alert.status, alert.attempts) == (AlertStatus.FAILED, 3)
    assert world.email.sent == []


async def test_a_recovered_notifier_delivers_on_retry(world: World) -> None:
    await world.searches.create(ANN, name="data", query="", notifier="email")
    world.email.fail_times = 1
    world.clock.advance(timedelta(seconds=1))
    await world.feed(_raw("a", "Data Engineer"))
    await world.alerts.run_once()
    world.clock.advance(timedelta(minutes=5))
    _, delivery = await world.alerts.run_once()
    assert delivery.delivered == 1
    assert len(world.email.sent) == 1
    (alert,) = await world.store.alerts.list_alerts("acme")
    assert (alert.status, alert.attempts, alert.notifier) == (AlertStatus.DELIVERED, 2, "email")


async def test_gone_searches_and_jobs_cancel_their_alerts(world: World) -> None:
    first = await world.searches.create(ANN, name="one", query="", frequency="daily")
    await world.searches.create(ANN, name="two", query="", frequency="daily")
    world.clock.advance(timedelta(seconds=1))
    await world.feed(_raw("a", "Data Engineer"), _raw("b", "Nurse"))
    await world.alerts.run_once()
    await world.searches.delete(ANN, first.id)
    job_b = (await world.store.alerts.list_alerts("acme"))[0].job_id
    await world.ingest.repository.delete([job_b])
    world.clock.advance(timedelta(days=1))
    _, delivery = await world.alerts.run_once()
    assert (delivery.cancelled, delivery.delivered, delivery.notifications) == (3, 1, 1)
    statuses = sorted(a.status.value for a in await world.store.alerts.list_alerts("acme"))
    assert statuses == ["cancelled", "cancelled", "cancelled", "delivered"]


async def test_an_unknown_notifier_is_a_failed_delivery(world: World) -> None:
    saved = await world.searches.create(ANN, name="x", query="")
    await world.store.saved_searches.update(msgspec.structs.replace(saved, notifier="pager"))
    world.clock.advance(timedelta(seconds=1))
    await world.feed(_raw("a", "Data Engineer"))
    _, delivery = await world.alerts.run_once()
    assert delivery.retrying == 1
    (alert,) = await world.store.alerts.list_alerts("acme")
    assert alert.last_error == "LookupError: no notifier named 'pager' is configured"


async def test_invalid_saved_filters_are_skipped_not_fatal(world: World) -> None:
    bad = await world.searches.create(ANN, name="bad", query="")
    await world.store.saved_searches.update(msgspec.structs.replace(bad, filters={"colour": "red"}))
    await world.searches.create(ANN, name="good", query="")
    world.clock.advance(timedelta(seconds=1))
    await world.feed(_raw("a", "Data Engineer"))
    match, _ = await world.alerts.run_once()
    assert match.recorded == 1
