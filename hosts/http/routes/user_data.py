"""The caller's own data: saved searches, applications and recommendations.

Every id is looked up within the caller's tenant (and, below admin, the
caller's own records): another tenant's id answers 404, exactly like an id
that does not exist.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter
from msgspec import UNSET

from jobforge.core.errors import InvalidRequestError
from jobforge.core.messages import ApplicationSubmission
from jobforge.core.models import Application, ApplicationStatus, EventKind, Principal, SavedSearch, UserRole
from jobforge.hosts.http.routes._common import access, prefixed
from jobforge.hosts.http.schemas import (
    ApplicationCreate,
    ApplicationList,
    ApplicationUpdate,
    RecommendationList,
    RecommendationRequest,
    SavedSearchCreate,
    SavedSearchList,
    SavedSearchUpdate,
)
from jobforge.hosts.http.state import HttpState
from jobforge.ports import JobRepository

__all__ = [
    "create_application",
    "create_saved_search",
    "delete_saved_search",
    "get_application",
    "get_saved_search",
    "list_applications",
    "list_saved_searches",
    "recommend",
    "update_application",
    "update_saved_search",
]

_Id = Annotated[str, Parameter(max_length=200, description="The id the create call returned.")]
_SEARCHES = ["saved searches"]
_APPLICATIONS = ["applications"]


@post("/api/v1/saved-searches", tags=_SEARCHES, summary="Save a search", **access(UserRole.MEMBER, 400, 413))
async def create_saved_search(
    data: JSONBody[SavedSearchCreate],
    saved_searches: NamedDependency[Any],
    principal: NamedDependency[Principal | None],
) -> SavedSearch:
    """Create a saved search for the caller."""
    try:
        return await saved_searches.create(  # type: ignore[no-any-return]
            principal,
            name=data.name,
            query=data.query,
            filters=data.filters.as_dict(),
            notifier=data.notifier,
            frequency=data.frequency,
            timezone=data.timezone,
        )
    except InvalidRequestError as exc:
        raise prefixed(exc, "filters") from None


@get("/api/v1/saved-searches", tags=_SEARCHES, summary="List saved searches", **access(UserRole.VIEWER))
async def list_saved_searches(
    saved_searches: NamedDependency[Any], principal: NamedDependency[Principal | None]
) -> SavedSearchList:
    """The caller's saved searches (an admin's: the tenant's), newest first."""
    return SavedSearchList(items=await saved_searches.list(principal))


@get(
    "/api/v1/saved-searches/{search_id:str}",
    tags=_SEARCHES,
    summary="A saved search",
    **access(UserRole.VIEWER, 404),
)
async def get_saved_search(
    saved_searches: NamedDependency[Any], principal: NamedDependency[Principal | None], search_id: _Id
) -> SavedSearch:
    """One saved search of the caller."""
    return await saved_searches.get(principal, search_id)  # type: ignore[no-any-return]


@patch(
    "/api/v1/saved-searches/{search_id:str}",
    tags=_SEARCHES,
    summary="Change a saved search",
    description="Fields left out keep their value.",
    **access(UserRole.MEMBER, 400, 404, 413),
)
async def update_saved_search(
    data: JSONBody[SavedSearchUpdate],
    saved_searches: NamedDependency[Any],
    principal: NamedDependency[Principal | None],
    search_id: _Id,
) -> SavedSearch:
    """Change the given fields of a saved search."""
    changes: dict[str, Any] = {}
    for name in ("name", "query", "notifier", "frequency", "timezone"):
        value = getattr(data, name)
        if value is not UNSET:
            changes[name] = value
    if data.filters is not UNSET:
        changes["filters"] = data.filters.as_dict()
    try:
        return await saved_searches.update(principal, search_id, **changes)  # type: ignore[no-any-return]
    except InvalidRequestError as exc:
        raise prefixed(exc, "filters") from None


@delete(
    "/api/v1/saved-searches/{search_id:str}",
    tags=_SEARCHES,
    summary="Delete a saved search",
    **access(UserRole.MEMBER, 404),
)
async def delete_saved_search(
    saved_searches: NamedDependency[Any], principal: NamedDependency[Principal | None], search_id: _Id
) -> None:
    """Delete a saved search of the caller."""
    await saved_searches.delete(principal, search_id)


@post(
    "/api/v1/applications",
    tags=_APPLICATIONS,
    summary="Record an application",
    description="Records that the caller saved, applied to or dismissed a job, with the job's apply "
    "URL. With `applicant`, the application is handed to the applicant tracking system configured "
    "for the job's source and its reference recorded (422 when that system refuses it).",
    **access(UserRole.MEMBER, 400, 404, 413, 422),
)
async def create_application(
    data: JSONBody[ApplicationCreate],
    applications: NamedDependency[Any],
    principal: NamedDependency[Principal | None],
    jf: NamedDependency[HttpState],
    repository: NamedDependency[JobRepository],
) -> Application:
    """Create an application of the caller."""
    submission = None
    if data.applicant is not None:
        a = data.applicant
        submission = ApplicationSubmission(
            job_id=data.job_id,
            source="",
            source_id="",
            first_name=a.first_name,
            last_name=a.last_name,
            email=a.email,
            phone=a.phone,
            resume_filename=a.resume_filename,
            resume=a.resume,
            cover_letter=a.cover_letter,
            answers=a.answers,
        )
    application: Application = await applications.create(
        principal, job_id=data.job_id, notes=data.notes, submission=submission, status=data.status
    )
    if (
        principal is not None
        and jf.settings.analytics.enabled
        and application.status is not ApplicationStatus.DISMISSED
    ):
        job = await repository.get(application.job_id)
        await jf.container.analytics_service().record_interaction(
            EventKind.APPLICATION_CREATED,
            tenant_id=principal.tenant_id,
            user_id=principal.user_id,
            job_id=application.job_id,
            source=job.source if job is not None else None,
        )
    return application


@get("/api/v1/applications", tags=_APPLICATIONS, summary="List applications", **access(UserRole.VIEWER, 400))
async def list_applications(
    applications: NamedDependency[Any],
    principal: NamedDependency[Principal | None],
    status: Annotated[
        ApplicationStatus | None, Parameter(description="Only applications in this status.")
    ] = None,
) -> ApplicationList:
    """The caller's applications (an admin's: the tenant's), newest first."""
    return ApplicationList(items=await applications.list(principal, status=status))


@get(
    "/api/v1/applications/{application_id:str}",
    tags=_APPLICATIONS,
    summary="An application",
    **access(UserRole.VIEWER, 404),
)
async def get_application(
    applications: NamedDependency[Any], principal: NamedDependency[Principal | None], application_id: _Id
) -> Application:
    """One application of the caller."""
    return await applications.get(principal, application_id)  # type: ignore[no-any-return]


@patch(
    "/api/v1/applications/{application_id:str}",
    tags=_APPLICATIONS,
    summary="Change an application's status",
    description="Moves forward along saved, applied, screening, interviewing, offer, hired, or to "
    "rejected, withdrawn or dismissed; a disallowed transition is a 400 naming `status`.",
    **access(UserRole.MEMBER, 400, 404, 413),
)
async def update_application(
    data: JSONBody[ApplicationUpdate],
    applications: NamedDependency[Any],
    principal: NamedDependency[Principal | None],
    application_id: _Id,
) -> Application:
    """Change an application's status (and notes)."""
    return await applications.update_status(  # type: ignore[no-any-return]
        principal, application_id, data.status, notes=data.notes
    )


@post(
    "/api/v1/recommendations",
    tags=["recommendations"],
    summary="Recommend jobs for a profile",
    description="Ranked jobs for a candidate profile (titles, skills, locations, workplace types, "
    "salary expectation, résumé text), each with the reasons it was chosen. Jobs the caller applied "
    "to or dismissed are left out.",
    status_code=200,
    **access(UserRole.VIEWER, 400, 413),
)
async def recommend(
    data: JSONBody[RecommendationRequest],
    recommendations: NamedDependency[Any],
    principal: NamedDependency[Principal | None],
) -> RecommendationList:
    """Recommendations for the caller's profile."""
    items = await recommendations.recommend(principal, data.profile, limit=data.limit)
    return RecommendationList(items=items)
