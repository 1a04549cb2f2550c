"""Analytics and the in-app inbox.

* ``GET /api/v1/analytics`` (admin): the tenant's report.
* ``POST /api/v1/events``: a job view, apply click or alert opening, from the
  page or an app (``application_created`` is recorded by the server itself).
* ``GET /api/v1/inbox`` and ``POST /api/v1/inbox/read``: the caller's alert
  inbox; reading an item records ``alert_opened``.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter
from msgspec import Meta

from jobforge.core.analytics import AnalyticsReport
from jobforge.core.errors import InvalidRequestError, NotFoundError
from jobforge.core.models import EventKind, InboxItem, Principal, UserRole
from jobforge.hosts.http.auth import PUBLIC_SEARCH
from jobforge.hosts.http.routes._common import access
from jobforge.hosts.http.state import HttpState
from jobforge.ports import JobRepository

__all__ = [
    "EventAccepted",
    "EventIn",
    "InboxList",
    "InboxRead",
    "InboxReadResult",
    "analytics_report",
    "list_inbox",
    "read_inbox",
    "record_event",
]

_Id = Annotated[str, Meta(min_length=1, max_length=200)]


class EventIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An interaction to record."""

    kind: Literal["job_viewed", "apply_clicked", "alert_opened"]
    job_id: _Id | None = None
    """The job viewed or applied to (required for those kinds)."""
    search_id: _Id | None = None
    """The search the user came from: the ``X-Search-Id`` header of its response."""


class EventAccepted(msgspec.Struct, kw_only=True):
    """The recorded event's id."""

    id: str


class InboxList(msgspec.Struct, kw_only=True):
    """The caller's inbox, newest first."""

    items: list[InboxItem]
    unread: int


class InboxRead(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Items to mark read."""

    ids: Annotated[list[_Id], Meta(min_length=1, max_length=100)]


class InboxReadResult(msgspec.Struct, kw_only=True):
    """How many items were unread and are read now."""

    marked: int


@get(
    "/api/v1/analytics",
    tags=["analytics"],
    summary="Analytics report (admin)",
    description="Top queries with click-through and apply rates, queries that found nothing, "
    "interactions by job source, alert deliveries by notifier and status, and ingest health per "
    "source, over the last `days` days (default `[analytics] window_days`).",
    **access(UserRole.ADMIN),
)
async def analytics_report(
    jf: NamedDependency[HttpState],
    principal: NamedDependency[Principal | None],
    days: Annotated[int | None, Parameter(ge=1, le=366, description="Days covered.")] = None,
    limit: Annotated[int, Parameter(ge=1, le=100, description="Rows per table.")] = 10,
) -> AnalyticsReport:
    """The caller's tenant's report."""
    report: AnalyticsReport = await jf.container.analytics_service().report(principal, days=days, limit=limit)
    return report


@post(
    "/api/v1/events",
    tags=["analytics"],
    summary="Record an interaction",
    description="Records that the caller viewed a job, clicked its apply link or opened an alert. "
    "Give `search_id` (the `X-Search-Id` header of the search response) so click-through is "
    "counted per query. Public when `[auth] public_search` is true (anonymous events count under "
    "`[analytics] anonymous_tenant`).",
    status_code=202,
    **access(PUBLIC_SEARCH, 404, 413),
)
async def record_event(
    data: JSONBody[EventIn],
    jf: NamedDependency[HttpState],
    repository: NamedDependency[JobRepository],
    principal: NamedDependency[Principal | None],
) -> EventAccepted:
    """Record one interaction."""
    source = None
    if data.kind != "alert_opened":
        if data.job_id is None:
            raise InvalidRequestError("job_id", f"is required for {data.kind}")
        job = await repository.get(data.job_id)
        if job is None:
            raise NotFoundError("job", data.job_id)
        source = job.source
    tenant = principal.tenant_id if principal else jf.settings.analytics.anonymous_tenant
    event_id = await jf.container.analytics_service().record_interaction(
        EventKind(data.kind),
        tenant_id=tenant,
        user_id=principal.user_id if principal else None,
        job_id=data.job_id,
        source=source,
        search_id=data.search_id,
    )
    return EventAccepted(id=event_id)


@get("/api/v1/inbox", tags=["alerts"], summary="The caller's alert inbox", **access(UserRole.VIEWER))
async def list_inbox(
    jf: NamedDependency[HttpState],
    principal: NamedDependency[Principal | None],
    unread: Annotated[bool, Parameter(description="Only unread items.")] = False,
    limit: Annotated[int, Parameter(ge=1, le=200, description="Most items returned.")] = 50,
) -> InboxList:
    """Alerts delivered to the caller's in-app inbox, newest first."""
    assert principal is not None  # the guard requires a viewer
    alerts = jf.container.store().alerts
    items = await alerts.list_inbox(principal.tenant_id, principal.user_id, unread_only=unread, limit=limit)
    unread_items = await alerts.list_inbox(
        principal.tenant_id, principal.user_id, unread_only=True, limit=1000
    )
    return InboxList(items=items, unread=len(unread_items))


@post(
    "/api/v1/inbox/read",
    tags=["alerts"],
    summary="Mark inbox items read",
    description="Marks the caller's items read and records an `alert_opened` event for each that was unread.",
    status_code=200,
    **access(UserRole.VIEWER, 413),
)
async def read_inbox(
    data: JSONBody[InboxRead], jf: NamedDependency[HttpState], principal: NamedDependency[Principal | None]
) -> InboxReadResult:
    """Mark items read."""
    assert principal is not None
    container = jf.container
    alerts = container.store().alerts
    unread = {
        item.id: item
        for item in await alerts.list_inbox(
            principal.tenant_id, principal.user_id, unread_only=True, limit=1000
        )
    }
    marked = await alerts.mark_read(principal.tenant_id, principal.user_id, data.ids, container.clock().now())
    if jf.settings.analytics.enabled:
        analytics = container.analytics_service()
        for item_id in dict.fromkeys(data.ids):
            if item_id in unread:
                await analytics.record_interaction(
                    EventKind.ALERT_OPENED, tenant_id=principal.tenant_id, user_id=principal.user_id
                )
    return InboxReadResult(marked=marked)
