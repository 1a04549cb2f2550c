"""``GET``/``POST /api/v1/search`` and ``GET /api/v1/jobs/{job_id}``."""

from __future__ import annotations

import logging
import time
from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, Parameter

from jobforge.core.errors import InvalidFilterError, InvalidRequestError, NotFoundError
from jobforge.core.filters import FILTER_NAMES
from jobforge.core.models import Job, Principal
from jobforge.core.search_types import SearchMode, SearchRequest
from jobforge.hosts.http.auth import PUBLIC_SEARCH
from jobforge.hosts.http.dependencies import SearchCaller
from jobforge.hosts.http.routes._common import access, prefixed
from jobforge.hosts.http.schemas import SearchBody, SearchPage
from jobforge.hosts.http.state import HttpState
from jobforge.ports import FeatureFlags, JobRepository

__all__ = ["MODE_FLAG", "get_job", "search_get", "search_post"]

log = logging.getLogger(__name__)

MODE_FLAG = "search.mode"
"""Feature flag choosing the ranking mode per tenant or user: hybrid, keyword or vector."""

_QUERY_KEYS = frozenset({"q", "limit", "offset", "mode", *FILTER_NAMES})
_TAGS = ["search"]

_Multi = Annotated[list[str] | None, Parameter(max_items=50)]


def resolve_mode(
    jf: NamedDependency[HttpState],
    flags: NamedDependency[FeatureFlags],
    principal: NamedDependency[Principal | None],
    requested: SearchMode | None,
) -> SearchMode:
    """The request's mode, else the ``search.mode`` flag for this tenant and user, else ``[search] mode``."""
    if requested is not None:
        return requested
    default = jf.settings.search.mode
    value = flags.get(
        MODE_FLAG,
        default.value,
        tenant_id=principal.tenant_id if principal else None,
        user_id=principal.user_id if principal else None,
    )
    try:
        return SearchMode(value)
    except ValueError:
        log.warning("flag %s has the invalid value %r; using %s", MODE_FLAG, value, default.value)
        return default


async def run_search(
    caller: SearchCaller,
    *,
    q: str,
    filters: dict[str, Any],
    limit: int | None,
    offset: int,
    mode: SearchMode | None,
    filter_prefix: str,
) -> Response[SearchPage]:
    """Run one search through the query-result cache, record its metrics and its analytics event."""
    jf, principal = caller.jf, caller.principal
    resolved = resolve_mode(jf, caller.flags, principal, mode)
    tenant_id = principal.tenant_id if principal else None
    user_id = principal.user_id if principal else None
    request = SearchRequest(
        query=q,
        filters=filters,
        limit=limit if limit is not None else jf.settings.search.default_limit,
        offset=offset,
        mode=resolved,
        tenant_id=tenant_id,
        user_id=user_id,
    )
    cache = jf.cached_search()
    started = time.perf_counter()
    try:
        # The ranking a tenant gets (weights from flags) is part of the cache key.
        variant = jf.container.ranking().variant(tenant_id, user_id)
        response, cached = await cache.search(request, variant=variant)
    except InvalidRequestError as exc:
        raise prefixed(exc, filter_prefix, {"query": "q"}) from None
    elapsed = time.perf_counter() - started
    jf.metrics.observe_search(
        resolved.value, elapsed, response.total, cached=cached if cache.enabled else None
    )
    headers = {"X-Search-Cache": "hit" if cached else "miss"}
    search_id = await record_search_event(jf, request, response.total, elapsed)
    if search_id is not None:
        headers["X-Search-Id"] = search_id
    page = SearchPage(
        total=response.total,
        limit=response.limit,
        offset=response.offset,
        query=response.query,
        mode=resolved,
        hits=response.hits,
        facets=response.facets,
    )
    return Response(page, headers=headers)


async def record_search_event(
    jf: HttpState, request: SearchRequest, total: int, seconds: float
) -> str | None:
    """Record the search for analytics (never failing the search); its event id, or ``None``."""
    settings = jf.settings.analytics
    if not settings.enabled:
        return None
    try:
        search_id: str = await jf.container.analytics_service().record_search(
            tenant_id=request.tenant_id or settings.anonymous_tenant,
            user_id=request.user_id,
            query=request.query,
            filters=request.filters,
            mode=request.mode.value,
            result_count=total,
            latency_ms=seconds * 1000,
        )
    except Exception:
        log.exception("recording a search event failed")
        return None
    return search_id


@get(
    "/api/v1/search",
    tags=_TAGS,
    summary="Search jobs",
    description="Hybrid semantic and keyword search with filters. Every query parameter other than "
    "`q`, `limit`, `offset` and `mode` is a filter; an unknown parameter is a 400 naming it. "
    "Public when `[auth] public_search` is true.",
    **access(PUBLIC_SEARCH, 400),
)
async def search_get(
    *,
    request: Request[Any, Any, Any],
    caller: NamedDependency[SearchCaller],
    q: Annotated[
        str, Parameter(max_length=2000, description="Free text; empty lists jobs newest first.")
    ] = "",
    limit: Annotated[
        int | None, Parameter(ge=1, le=1000, description="Hits per page (max `[search] max_limit`).")
    ] = None,
    offset: Annotated[int, Parameter(ge=0, le=1_000_000, description="Hits to skip.")] = 0,
    mode: Annotated[
        SearchMode | None, Parameter(description="Ranking mode (default: the `search.mode` flag).")
    ] = None,
    remote: Annotated[_Multi, Parameter(description=FILTER_NAMES["remote"])] = None,
    location: Annotated[str | None, Parameter(max_length=200, description=FILTER_NAMES["location"])] = None,
    country: Annotated[_Multi, Parameter(description=FILTER_NAMES["country"])] = None,
    salary_min: Annotated[
        str | None, Parameter(max_length=50, description=FILTER_NAMES["salary_min"])
    ] = None,
    employment_type: Annotated[_Multi, Parameter(description=FILTER_NAMES["employment_type"])] = None,
    seniority: Annotated[_Multi, Parameter(description=FILTER_NAMES["seniority"])] = None,
    posted_within_days: Annotated[
        int | None, Parameter(ge=1, le=3650, description=FILTER_NAMES["posted_within_days"])
    ] = None,
    company: Annotated[_Multi, Parameter(description=FILTER_NAMES["company"])] = None,
    exclude_company: Annotated[_Multi, Parameter(description=FILTER_NAMES["exclude_company"])] = None,
    source: Annotated[_Multi, Parameter(description=FILTER_NAMES["source"])] = None,
) -> Response[SearchPage]:
    """Search with the query string."""
    unknown = sorted(set(request.query_params) - _QUERY_KEYS)
    if unknown:
        raise InvalidFilterError(unknown[0], f"unknown filter; the filters are: {', '.join(FILTER_NAMES)}")
    values = {
        "remote": remote,
        "location": location,
        "country": country,
        "salary_min": salary_min,
        "employment_type": employment_type,
        "seniority": seniority,
        "posted_within_days": posted_within_days,
        "company": company,
        "exclude_company": exclude_company,
        "source": source,
    }
    filters = {name: value for name, value in values.items() if value is not None}
    return await run_search(
        caller, q=q, filters=filters, limit=limit, offset=offset, mode=mode, filter_prefix=""
    )


@post(
    "/api/v1/search",
    tags=_TAGS,
    summary="Search jobs (JSON body)",
    description="The same search as `GET /api/v1/search`, with the fields in a JSON body and the "
    "filters in `filters`.",
    status_code=200,
    **access(PUBLIC_SEARCH, 400, 413),
)
async def search_post(
    data: JSONBody[SearchBody], caller: NamedDependency[SearchCaller]
) -> Response[SearchPage]:
    """Search with a JSON body."""
    return await run_search(
        caller,
        q=data.q,
        filters=data.filters.as_dict(),
        limit=data.limit,
        offset=data.offset,
        mode=data.mode,
        filter_prefix="filters",
    )


@get(
    "/api/v1/jobs/{job_id:str}",
    tags=["jobs"],
    summary="One job",
    description="A job with every normalised field and the sources it was seen on. "
    "Public when `[auth] public_search` is true.",
    **access(PUBLIC_SEARCH, 404),
)
async def get_job(
    repository: NamedDependency[JobRepository],
    job_id: Annotated[str, Parameter(max_length=500, description="The job id (from search hits).")],
) -> Job:
    """One job by id."""
    job = await repository.get(job_id)
    if job is None:
        raise NotFoundError("job", job_id)
    return job
