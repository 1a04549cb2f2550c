"""Application tracking: creation, ATS hand-off, status transitions, visibility."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jobforge.adapters.memory.repository import MemoryJobRepository
from jobforge.adapters.memory.store import MemoryAppStore
from jobforge.core.applications import ApplicationService, AtsSubmissionError, allowed_transition
from jobforge.core.clock import FixedClock
from jobforge.core.errors import InvalidRequestError, NotFoundError
from jobforge.core.messages import ApplicationSubmission, AtsReceipt
from jobforge.core.models import ApplicationStatus, Job, Principal, UserRole
from jobforge.ports import ATS
from jobforge.testing.factories import make_job
from jobforge.testing.fakes import FakeATS

S = ApplicationStatus
ANN = Principal("acme", "ann", UserRole.MEMBER)
BOB = Principal("acme", "bob", UserRole.MEMBER)
BOSS = Principal("acme", "boss", UserRole.ADMIN)
OUTSIDER = Principal("globex", "ann", UserRole.ADMIN)
SUBMISSION = ApplicationSubmission(
    job_id="?", source="?", source_id="?", first_name="Ann", last_name="Lee", email="ann@example.com"
)


class RefusingATS:
    name = "refusing"

    async def submit(self, submission: ApplicationSubmission) -> AtsReceipt:
        raise ConnectionError("ATS unreachable")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 1, 1, tzinfo=UTC))


@pytest.fixture
def store() -> MemoryAppStore:
    return MemoryAppStore()


@pytest.fixture
async def repository() -> MemoryJobRepository:
    return MemoryJobRepository()


@pytest.fixture
async def job(repository: MemoryJobRepository) -> Job:
    job = make_job(source="greenhouse:acme")
    await repository.upsert([job, make_job(source="board")])
    return job


@pytest.fixture
def ats() -> FakeATS:
    return FakeATS("greenhouse")


@pytest.fixture
def service(
    store: MemoryAppStore, repository: MemoryJobRepository, clock: FixedClock, ats: FakeATS
) -> ApplicationService:
    ats_by_source: dict[str, ATS] = {"greenhouse:acme": ats}
    return ApplicationService(
        store.applications,
        repository,
        clock,
        ats_for_source=lambda source, _tenant: ats_by_source.get(source),
    )


async def test_create_records_the_apply_url(service: ApplicationService, job: Job, clock: FixedClock) -> None:
    application = await service.create(ANN, job_id=job.id, notes="via referral")
    assert (application.tenant_id, application.user_id, application.job_id) == ("acme", "ann", job.id)
    assert application.status is S.APPLIED
    assert application.apply_url == job.apply_url
    assert application.ats is None
    assert application.created_at == application.updated_at == clock.now()
    assert await service.get(ANN, application.id) == application


async def test_unknown_job_is_not_found(service: ApplicationService, store: MemoryAppStore) -> None:
    with pytest.raises(NotFoundError, match="no-such-job"):
        await service.create(ANN, job_id="no-such-job")
    assert store.calls_to("applications", "create") == []


async def test_submission_is_handed_to_the_ats(service: ApplicationService, job: Job, ats: FakeATS) -> None:
    application = await service.create(ANN, job_id=job.id, submission=SUBMISSION)
    (sent,) = ats.submissions
    assert (sent.job_id, sent.source, sent.source_id, sent.email) == (
        job.id,
        job.source,
        job.source_id,
        "ann@example.com",
    )
    assert (application.ats, application.ats_reference) == ("greenhouse", "greenhouse-1")


async def test_ats_failure_stores_nothing(
    store: MemoryAppStore, repository: MemoryJobRepository, clock: FixedClock, job: Job
) -> None:
    service = ApplicationService(
        store.applications, repository, clock, ats_for_source=lambda _source, _tenant: RefusingATS()
    )
    with pytest.raises(AtsSubmissionError, match=r"refusing.*ATS unreachable"):
        await service.create(ANN, job_id=job.id, submission=SUBMISSION)
    assert store.calls_to("applications", "create") == []
    assert await service.list(ANN) == []


async def test_submission_without_an_ats_is_refused(
    service: ApplicationService, repository: MemoryJobRepository, store: MemoryAppStore
) -> None:
    other = make_job(source="board")
    await repository.upsert([other])
    with pytest.raises(InvalidRequestError, match="no applicant tracking system") as info:
        await service.create(ANN, job_id=other.id, submission=SUBMISSION)
    assert info.value.field == "submission"
    with pytest.raises(InvalidRequestError) as status:
        await service.create(ANN, job_id=other.id, submission=SUBMISSION, status=S.SAVED)
    assert status.value.field == "status"
    assert store.calls_to("applications", "create") == []


async def test_one_open_application_per_job(service: ApplicationService, job: Job) -> None:
    first = await service.create(ANN, job_id=job.id, status=S.SAVED)
    with pytest.raises(InvalidRequestError, match=first.id):
        await service.create(ANN, job_id=job.id)
    await service.create(BOB, job_id=job.id)  # another user may track it
    await service.update_status(ANN, first.id, S.WITHDRAWN)
    again = await service.create(ANN, job_id=job.id)
    assert again.id != first.id


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        (S.SAVED, S.APPLIED, True),
        (S.APPLIED, S.OFFER, True),
        (S.OFFER, S.HIRED, True),
        (S.INTERVIEWING, S.APPLIED, False),
        (S.SCREENING, S.REJECTED, True),
        (S.SAVED, S.DISMISSED, True),
        (S.OFFER, S.WITHDRAWN, True),
        (S.DISMISSED, S.APPLIED, True),
        (S.DISMISSED, S.HIRED, False),
        (S.HIRED, S.REJECTED, False),
        (S.REJECTED, S.APPLIED, False),
        (S.WITHDRAWN, S.DISMISSED, False),
        (S.APPLIED, S.APPLIED, True),
    ],
)
def test_transitions(current: ApplicationStatus, new: ApplicationStatus, allowed: bool) -> None:
    assert allowed_transition(current, new) is allowed


async def test_update_status(service: ApplicationService, job: Job, clock: FixedClock) -> None:
    application = await service.create(ANN, job_id=job.id)
    clock.advance(timedelta(days=3))
    moved = await service.update_status(ANN, application.id, S.INTERVIEWING, notes="Tuesday 10:00")
    assert (moved.status, moved.notes, moved.updated_at) == (S.INTERVIEWING, "Tuesday 10:00", clock.now())
    assert moved.created_at == application.created_at
    assert await service.get(ANN, application.id) == moved
    await service.update_status(ANN, application.id, S.REJECTED)
    with pytest.raises(InvalidRequestError, match=r"rejected.*final") as info:
        await service.update_status(ANN, application.id, S.OFFER)
    assert info.value.field == "status"
    with pytest.raises(InvalidRequestError, match="status"):
        await service.update_status(ANN, application.id, "lost")  # type: ignore[arg-type]


async def test_visibility(service: ApplicationService, job: Job) -> None:
    mine = await service.create(ANN, job_id=job.id)
    for who in (BOB, OUTSIDER):
        with pytest.raises(NotFoundError):
            await service.get(who, mine.id)
        with pytest.raises(NotFoundError):
            await service.update_status(who, mine.id, S.WITHDRAWN)
    assert await service.list(BOB) == []
    assert await service.list(OUTSIDER) == []
    assert await service.list(BOSS) == [mine]
    assert await service.get(ANN, mine.id) == mine


async def test_list_by_status_and_excluded_jobs(
    service: ApplicationService, repository: MemoryJobRepository, clock: FixedClock
) -> None:
    applied, dismissed, saved = make_job(), make_job(), make_job()
    await repository.upsert([applied, dismissed, saved])
    a = await service.create(ANN, job_id=applied.id)
    clock.advance(timedelta(minutes=1))
    d = await service.create(ANN, job_id=dismissed.id, status=S.DISMISSED)
    clock.advance(timedelta(minutes=1))
    s = await service.create(ANN, job_id=saved.id, status=S.SAVED)
    assert [x.id for x in await service.list(ANN)] == [s.id, d.id, a.id]
    assert await service.list(ANN, status=S.DISMISSED) == [d]
    assert await service.excluded_job_ids(ANN) == {applied.id, dismissed.id}
    assert await service.excluded_job_ids(BOB) == set()
