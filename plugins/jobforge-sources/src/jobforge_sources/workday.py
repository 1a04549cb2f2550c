"""Workday CXS career-site endpoints.

Listing: ``POST /wday/cxs/{tenant}/{site}/jobs`` with ``{"limit": 20, "offset": N,
"appliedFacets": {...}, "searchText": ...}``. Workday serves at most 20
postings per request and at most 2000 per search (its ``total`` is capped at
2000, and it is only reliable on the first page); a listing at the cap is
logged, and narrowing it with ``facets`` or ``search_text`` fetches the rest.

Details: ``GET /wday/cxs/{tenant}/{site}{externalPath}`` per posting (on by
default) adds the HTML description, every location, the time type, the
start date and the hiring organisation. The listing alone has only the
title, a relative ``postedOn`` ("Posted 30+ Days Ago") and "2 Locations".
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Mapping
from typing import Any

from jobforge.core.models import Location, RawJob, RejectedRecord, WorkplaceType
from jobforge.core.normalize import country_code, detect_workplace_type
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings, HttpError
from jobforge_sources._base import HttpSource, base_url_option
from jobforge_sources._fields import MalformedPostingError, mapping, text, texts
from jobforge_sources._places import place, unique

__all__ = ["MAX_PAGE_SIZE", "MAX_POSTINGS", "WorkdaySource", "from_context"]

logger = logging.getLogger(__name__)

MAX_PAGE_SIZE = 20
"""Workday rejects larger pages."""
MAX_POSTINGS = 2000
"""Workday returns no postings past this offset for one search."""

_COUNT_ONLY = re.compile(r"^\d+\s+locations?$", re.IGNORECASE)
_REQ_ID = re.compile(r"_(?P<id>[A-Za-z0-9-]*\d[A-Za-z0-9-]*)$")


class WorkdaySource(HttpSource):
    """Every posting of one Workday career site (up to Workday's 2000 per search).

    Args:
        tenant: The tenant (``https://<tenant>.wd5.myworkdayjobs.com``).
        site: The career site (the path after the host, e.g. ``External``).
        base_url: The tenant's host, e.g. ``https://acme.wd5.myworkdayjobs.com``.
        company: Company name when the details carry none (default: the tenant).
        details: Fetch each posting's details (description, locations...).
        facets: ``appliedFacets`` of the search (facet id to list of value ids).
        search_text: Free-text filter of the search.
        page_size: Postings per listing request (at most 20).
        max_postings: Stop after this many (at most Workday's 2000).
        name: Source name (default ``workday:<tenant>/<site>``).
        http: HTTP client settings.
    """

    kind = "workday"

    def __init__(
        self,
        tenant: str,
        site: str,
        *,
        base_url: str,
        company: str | None = None,
        details: bool = True,
        facets: Mapping[str, list[str]] | None = None,
        search_text: str = "",
        page_size: int = MAX_PAGE_SIZE,
        max_postings: int = MAX_POSTINGS,
        name: str | None = None,
        http: HttpClientSettings | None = None,
    ) -> None:
        super().__init__(name=name or f"workday:{tenant}/{site}", base_url=base_url, http=http)
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
        self.tenant = tenant
        self.site = site
        self.company = company or tenant
        self.details = details
        self.facets = dict(facets or {})
        self.search_text = search_text
        self.page_size = page_size
        self.max_postings = min(max_postings, MAX_POSTINGS)
        self.capped = False
        """Whether the last fetch hit Workday's cap (more postings exist than were listed)."""

    @property
    def _api(self) -> str:
        return f"{self.base_url}/wday/cxs/{self.tenant}/{self.site}"

    async def _fetch(self, client: HttpClient) -> AsyncIterator[RawJob | RejectedRecord]:
        self.capped = False
        offset, total = 0, None
        seen: set[str] = set()
        while offset < self.max_postings:
            page = await client.post_json(
                f"{self._api}/jobs",
                {
                    "appliedFacets": self.facets,
                    "limit": min(self.page_size, self.max_postings - offset),
                    "offset": offset,
                    "searchText": self.search_text,
                },
                idempotent=True,  # a search, despite the POST
            )
            postings = self._listing(page, "jobPostings")
            if total is None and isinstance(page.get("total"), int) and page["total"] > 0:
                total = page["total"]
            paths = {p.get("externalPath") for p in postings if isinstance(p, Mapping)} - {None}
            if postings and paths and paths <= seen:
                break  # the same page again: the server ignores the offset; stop rather than loop
            seen |= {str(p) for p in paths}
            for index, posting in enumerate(postings, start=1):
                record = await self._record(client, posting, offset + index)
                if record is not None:
                    yield record
            offset += len(postings)
            if not postings or (total is not None and offset >= total):
                break
        if total is not None and total >= MAX_POSTINGS and offset >= MAX_POSTINGS:
            self.capped = True
            logger.warning(
                "%s: Workday lists at most %d postings per search and this one has at least that many; "
                "narrow it with the facets or search_text options to fetch the rest",
                self.name,
                MAX_POSTINGS,
            )

    async def _record(
        self, client: HttpClient, posting: Any, position: int
    ) -> RawJob | RejectedRecord | None:
        if not self.details or not isinstance(posting, Mapping) or not text(posting, "externalPath"):
            return self._map(posting, position, self._raw_job)
        path = text(posting, "externalPath")
        try:
            detail = await client.get_json(f"{self._api}{path}")
        except HttpError as exc:
            # Usually a posting closed between listing and details.
            return self._reject(f"details: {exc}", dict(posting), position=position)
        return self._map(posting, position, lambda p: self._raw_job(p, detail))

    def _raw_job(self, posting: Mapping[str, Any], detail: Any = None) -> RawJob:
        path = text(posting, "externalPath")
        if not path:
            raise MalformedPostingError("field 'externalPath' is missing")
        match = _REQ_ID.search(path.rstrip("/"))
        source_id = match.group("id") if match else path
        info: Mapping[str, Any] = {}
        organisation: Mapping[str, Any] = {}
        if detail is not None:
            if not isinstance(detail, Mapping) or not isinstance(detail.get("jobPostingInfo"), Mapping):
                raise MalformedPostingError("details have no 'jobPostingInfo' object")
            info = detail["jobPostingInfo"]
            organisation = mapping(detail, "hiringOrganization") or {}
        listed_location = text(posting, "locationsText")
        if listed_location and _COUNT_ONLY.match(listed_location):
            listed_location = None  # "2 Locations": the details name them
        place_names = [n for n in [text(info, "location"), *texts(info, "additionalLocations")] if n]
        if not place_names and listed_location:
            place_names = [listed_location]
        country = mapping(info, "country")
        locations = unique(
            [_workday_place(n, text(country, "descriptor") if country else None) for n in place_names]
        )
        remote_type = text(info, "remoteType")
        workplace = detect_workplace_type(remote_type, *place_names)
        extra = {
            k: v
            for k, v in {
                "bullet_fields": texts(posting, "bulletFields"),
                "job_req_id": text(info, "jobReqId"),
                "external_path": path,
                "time_type": text(info, "timeType"),
                "remote_type": remote_type,
                "posted_on": text(posting, "postedOn"),
            }.items()
            if v
        }
        return RawJob(
            source=self.name,
            source_id=source_id,
            url=text(info, "externalUrl") or f"{self.base_url}/{self.site}{path}",
            title=text(info, "title") or text(posting, "title"),
            company=text(organisation, "name") or self.company,
            location_text="; ".join(place_names) or None,
            locations=locations if locations and len(locations) == len(place_names) else None,
            workplace_type=workplace,
            employment_type_text=text(info, "timeType"),
            description=text(info, "jobDescription"),
            description_is_html=True if text(info, "jobDescription") else None,
            posted_at=text(info, "startDate") or text(info, "postedOn") or text(posting, "postedOn"),
            valid_through=text(info, "endDate"),
            extra=extra,
        )


def _workday_place(name: str, country_name: str | None) -> Location | None:
    """Workday writes places country first: ``US, CA, Santa Clara`` or ``Vietnam-Hanoi``."""
    if ", " in name:
        parts = [p.strip() for p in name.split(",")]
        if country_code(parts[0]) and len(parts) in (2, 3):
            city = parts[-1]
            region = parts[1] if len(parts) == 3 else None
            return _with_workplace(place(city, region, parts[0], text=name))
        return None
    head, dash, tail = name.partition("-")
    if dash and country_code(head.strip()):
        return _with_workplace(place(tail.strip(), None, head.strip(), text=name))
    if country_name and country_code(country_name):
        return place(name, None, country_name, text=name)
    return None


def _with_workplace(location: Location | None) -> Location | None:
    """A place whose "city" is a workplace word (``Poland-Remote``) names only the country."""
    if (
        location is not None
        and location.city
        and detect_workplace_type(location.city)
        in (
            WorkplaceType.REMOTE,
            WorkplaceType.HYBRID,
        )
    ):
        return Location(region=location.region, country=location.country, text=location.text)
    return location


def _facets(value: Any, key: str) -> dict[str, list[str]]:
    from jobforge import ConfigError

    if value in (None, ""):
        return {}
    if isinstance(value, str):
        import json

        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ConfigError(key, f"expected a JSON object of facet id to value ids: {exc}") from None
    if not isinstance(value, Mapping) or not all(
        isinstance(v, list) and all(isinstance(i, str) for i in v) for v in value.values()
    ):
        raise ConfigError(key, 'expected facet id to a list of value ids, e.g. {"locations": ["abc123"]}')
    return {str(k): list(v) for k, v in value.items()}


def from_context(context: AdapterContext) -> WorkdaySource:
    """Build the source from its options (``tenant`` and ``site`` required)."""
    tenant = str(context.require("tenant"))
    pod = str(context.get("pod") or "wd5")
    prefix = f"{context.key}." if context.key else ""
    return WorkdaySource(
        tenant,
        str(context.require("site")),
        base_url=base_url_option(context, f"https://{tenant}.{pod}.myworkdayjobs.com"),
        company=context.get("company"),
        details=context.get_bool("details", True),
        facets=_facets(context.get("facets"), prefix + "facets"),
        search_text=str(context.get("search_text") or ""),
        page_size=min(context.get_int("page_size", MAX_PAGE_SIZE), MAX_PAGE_SIZE),
        max_postings=context.get_int("max_postings", MAX_POSTINGS),
        name=context.get("name"),
        http=HttpClientSettings.from_context(context),
    )
