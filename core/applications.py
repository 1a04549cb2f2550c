"""Application tracking: the jobs a user saved, applied to or dismissed.

Status transitions (:func:`allowed_transition`):

* The active pipeline is ``saved -> applied -> screening -> interviewing ->
  offer -> hired``. An active application may move forward any number of
  steps (never back), or to ``rejected``, ``withdrawn`` or ``dismissed``.
* ``hired``, ``rejected`` and ``withdrawn`` are final.
* ``dismissed`` (not interested) may be reconsidered: it may move to any
  active status or to ``withdrawn``.
* Setting the current status again is allowed (to change the notes).

A user has at most one application per job that is not final; once it is
final (say, rejected) a new one may be created for the same job.

Visibility is the same as for saved searches: users see their own
applications, admins their tenant's; anything else is "not found".
Creating and changing applications needs the member role.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable

import msgspec

from jobforge.core.auth import require
from jobforge.core.errors import InvalidRequestError, JobforgeError, NotFoundError
from jobforge.core.messages import ApplicationSubmission
from jobforge.core.models import Application, ApplicationStatus, Job, Principal, UserRole
from jobforge.ports import ATS, ApplicationStore, Clock, JobRepository

__all__ = [
    "ACTIVE_STATUSES",
    "FINAL_STATUSES",
    "ApplicationService",
    "AtsSubmissionError",
    "allowed_transition",
]

_PIPELINE = (
    ApplicationStatus.SAVED,
    ApplicationStatus.APPLIED,
    ApplicationStatus.SCREENING,
    ApplicationStatus.INTERVIEWING,
    ApplicationStatus.OFFER,
    ApplicationStatus.HIRED,
)
ACTIVE_STATUSES = frozenset(_PIPELINE[:-1])
"""Statuses that may still change."""
FINAL_STATUSES = frozenset({ApplicationStatus.HIRED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN})
"""Statuses that never change again."""
_EXITS = frozenset({ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN, ApplicationStatus.DISMISSED})
_NOT_EXCLUDED = frozenset({ApplicationStatus.SAVED})
"""A job only bookmarked is still recommended."""
_MAX_NOTES = 10_000


class AtsSubmissionError(JobforgeError):
    """The applicant tracking system did not accept the application; nothing was stored."""

    def __init__(self, ats: str, job_id: str, reason: str) -> None:
        super().__init__(
            f"the applicant tracking system {ats!r} did not accept the application "
            f"to job {job_id!r}: {reason}"
        )
        self.ats = ats
        self.job_id = job_id
        self.reason = reason


def allowed_transition(current: ApplicationStatus, new: ApplicationStatus) -> bool:
    """Whether an application may move from ``current`` to ``new`` (see the module docs)."""
    if current == new:
        return True
    if current in FINAL_STATUSES:
        return False
    if current is ApplicationStatus.DISMISSED:
        return new in ACTIVE_STATUSES or new is ApplicationStatus.WITHDRAWN
    if new in _EXITS:
        return True
    return _PIPELINE.index(new) > _PIPELINE.index(current)


class ApplicationService:
    """Track applications, handing them to an ATS where one serves the job's source.

    Args:
        store: Where applications are kept.
        repository: Where jobs are looked up.
        clock: Sets ``created_at`` and ``updated_at``.
        ats_for_source: The ATS adapter for a job source name and tenant id (each
            tenant submits with its own keys), or ``None`` when applications to
            that source's jobs go through ``apply_url``.
    """

    def __init__(
        self,
        store: ApplicationStore,
        repository: JobRepository,
        clock: Clock,
        *,
        ats_for_source: Callable[[str, str | None], ATS | None] | None = None,
    ) -> None:
        self.store = store
        self.repository = repository
        self.clock = clock
        self.ats_for_source = ats_for_source

    async def create(
        self,
        principal: Principal,
        *,
        job_id: str,
        notes: str | None = None,
        submission: ApplicationSubmission | None = None,
        status: ApplicationStatus = ApplicationStatus.APPLIED,
    ) -> Application:
        """Record that the principal saved, applied to or dismissed a job.

        With a ``submission``, the application is handed to the ATS that
        serves one of the job's sources (its ``job_id``, ``source`` and
        ``source_id`` are set from the job) and the ATS's name and reference
        are recorded. Without one, the job's ``apply_url`` is recorded for the
        user to apply there.

        Raises:
            AuthError: The principal is below member.
            NotFoundError: No job has this id.
            InvalidRequestError: The job is already tracked, the notes are too
                long, a submission is given with a status other than applied,
                or no ATS serves the job's sources.
            AtsSubmissionError: The ATS refused or failed; nothing is stored.
        """
        require(principal, UserRole.MEMBER)
        status = _status(status)
        notes = _notes(notes)
        job = await self.repository.get(job_id)
        if job is None:
            raise NotFoundError("job", job_id)
        for existing in await self.store.list(principal.tenant_id, user_id=principal.user_id):
            if existing.job_id == job.id and existing.status not in FINAL_STATUSES:
                raise InvalidRequestError(
                    "job_id",
                    f"job {job.id!r} is already tracked as application {existing.id!r} "
                    f"({existing.status.value}); update its status instead",
                )
        ats_name = ats_reference = None
        if submission is not None:
            if status is not ApplicationStatus.APPLIED:
                raise InvalidRequestError("status", "an application with a submission has the status applied")
            ats_name, ats_reference = await self._submit(job, submission, principal.tenant_id)
        now = self.clock.now()
        application = Application(
            id=uuid.uuid4().hex,
            tenant_id=principal.tenant_id,
            user_id=principal.user_id,
            job_id=job.id,
            status=status,
            apply_url=job.apply_url or job.url,
            ats=ats_name,
            ats_reference=ats_reference,
            notes=notes,
            created_at=now,
            updated_at=now,
        )
        await self.store.create(application)
        return application

    async def _submit(
        self, job: Job, submission: ApplicationSubmission, tenant_id: str
    ) -> tuple[str, str | None]:
        keys = dict.fromkeys([(job.source, job.source_id), *((s.source, s.source_id) for s in job.sources)])
        for source, source_id in keys:
            ats = self.ats_for_source(source, tenant_id) if self.ats_for_source is not None else None
            if ats is None:
                continue
            ats_label = str(getattr(ats, "name", None) or source)
            addressed = msgspec.structs.replace(submission, job_id=job.id, source=source, source_id=source_id)
            try:
                receipt = await ats.submit(addressed)
            except Exception as exc:
                raise AtsSubmissionError(ats_label, job.id, f"{type(exc).__name__}: {exc}") from exc
            return receipt.ats, receipt.reference
        sources = ", ".join(source for source, _ in keys)
        where = f"; apply at {job.apply_url or job.url}" if (job.apply_url or job.url) else ""
        raise InvalidRequestError(
            "submission", f"no applicant tracking system serves this job's source ({sources}){where}"
        )

    async def list(
        self, principal: Principal, *, status: ApplicationStatus | None = None
    ) -> builtins.list[Application]:
        """The principal's applications (an admin's: the tenant's), newest first, optionally of one status."""
        require(principal, UserRole.VIEWER)
        wanted = None if status is None else _status(status)
        user_id = None if principal.can(UserRole.ADMIN) else principal.user_id
        found = await self.store.list(principal.tenant_id, user_id=user_id)
        return [a for a in found if wanted is None or a.status == wanted]

    async def get(self, principal: Principal, application_id: str) -> Application:
        """One application the principal may see.

        Raises:
            NotFoundError: It does not exist or belongs to someone the principal may not see.
        """
        require(principal, UserRole.VIEWER)
        application = await self.store.get(principal.tenant_id, application_id)
        if application is None or not (
            application.user_id == principal.user_id or principal.can(UserRole.ADMIN)
        ):
            raise NotFoundError("application", application_id)
        return application

    async def update_status(
        self,
        principal: Principal,
        application_id: str,
        status: ApplicationStatus,
        *,
        notes: str | None = None,
    ) -> Application:
        """Move an application to ``status`` (and replace its notes when given).

        Raises:
            AuthError: The principal is below member.
            NotFoundError: The principal may not see this application.
            InvalidRequestError: ``status``: the transition is not allowed
                (see the module docs); ``notes``: too long.
        """
        require(principal, UserRole.MEMBER)
        new = _status(status)
        application = await self.get(principal, application_id)
        if not allowed_transition(application.status, new):
            final = " (a final status)" if application.status in FINAL_STATUSES else ""
            raise InvalidRequestError(
                "status", f"cannot change from {application.status.value}{final} to {new.value}"
            )
        changes: dict[str, object] = {"status": new, "updated_at": self.clock.now()}
        if notes is not None:
            changes["notes"] = _notes(notes)
        updated = msgspec.structs.replace(application, **changes)
        if not await self.store.update(updated):
            raise NotFoundError("application", application_id)
        return updated

    async def excluded_job_ids(self, principal: Principal) -> set[str]:
        """Ids of the jobs the principal applied to or dismissed, which recommendations leave out.

        Every status but ``saved`` counts: a bookmarked job is still recommended.
        """
        found = await self.store.list(principal.tenant_id, user_id=principal.user_id)
        return {a.job_id for a in found if a.status not in _NOT_EXCLUDED}


def _status(status: ApplicationStatus | str) -> ApplicationStatus:
    try:
        return ApplicationStatus(status)
    except ValueError:
        choices = ", ".join(s.value for s in ApplicationStatus)
        raise InvalidRequestError("status", f"expected one of {choices}, got {status!r}") from None


def _notes(notes: str | None) -> str | None:
    if notes is None:
        return None
    if not isinstance(notes, str):
        raise InvalidRequestError("notes", f"expected text, got {type(notes).__name__}")
    if len(notes) > _MAX_NOTES:
        raise InvalidRequestError("notes", f"longer than {_MAX_NOTES} characters")
    return notes
