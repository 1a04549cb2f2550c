"""SmartRecruiters postings API: ``GET /v1/companies/{company}/postings?offset=N&limit=M``.

Pages are requested until ``totalFound`` is reached (or a short page). The
listing has no description; the details (``GET .../postings/{id}``, on by
default) add the job ad sections (company, job description,
qualifications, additional information) as HTML and the public URLs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from jobforge.core.models import RawJob, RejectedRecord, Salary, Seniority, WorkplaceType
from jobforge.core.normalize import make_salary
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings, HttpError
from jobforge_sources._base import HttpSource, base_url_option
from jobforge_sources._fields import ident, items, mapping, number, text
from jobforge_sources._places import html_section, place

__all__ = ["DEFAULT_BASE_URL", "MAX_PAGE_SIZE", "SmartRecruitersSource", "from_context"]

DEFAULT_BASE_URL = "https://api.smartrecruiters.com"
MAX_PAGE_SIZE = 100

_SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")
_SENIORITY = {
    "internship": Seniority.INTERN,
    "entry_level": Seniority.JUNIOR,
    "associate": Seniority.JUNIOR,
    "director": Seniority.DIRECTOR,
    "executive": Seniority.EXECUTIVE,
}


class SmartRecruitersSource(HttpSource):
    """Every public posting of one SmartRecruiters company.

    Args:
        company: The company identifier (``https://jobs.smartrecruiters.com/<company>``).
        details: Fetch each posting's job ad (description, URLs).
        page_size: Postings per listing request (at most 100).
        name: Source name (default ``smartrecruiters:<company>``).
        base_url: API host (default the public one).
        http: HTTP client settings.
    """

    kind = "smartrecruiters"

    def __init__(
        self,
        company: str,
        *,
        details: bool = True,
        page_size: int = MAX_PAGE_SIZE,
        name: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        http: HttpClientSettings | None = None,
    ) -> None:
        super().__init__(name=name or f"smartrecruiters:{company}", base_url=base_url, http=http)
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
        self.company = company
        self.details = details
        self.page_size = page_size

    @property
    def _api(self) -> str:
        return f"{self.base_url}/v1/companies/{self.company}/postings"

    async def _fetch(self, client: HttpClient) -> AsyncIterator[RawJob | RejectedRecord]:
        offset = 0
        while True:
            page = await client.get_json(self._api, params={"offset": offset, "limit": self.page_size})
            postings = self._listing(page, "content")
            for index, posting in enumerate(postings, start=1):
                record = await self._record(client, posting, offset + index)
                if record is not None:
                    yield record
            offset += len(postings)
            total = page.get("totalFound")
            if not postings or (isinstance(total, int) and offset >= total) or len(postings) < self.page_size:
                return

    async def _record(
        self, client: HttpClient, posting: Any, position: int
    ) -> RawJob | RejectedRecord | None:
        if not self.details or not isinstance(posting, Mapping) or not text(posting, "id"):
            return self._map(posting, position, self._raw_job)
        try:
            detail = await client.get_json(f"{self._api}/{text(posting, 'id')}")
        except HttpError as exc:
            return self._reject(f"details: {exc}", dict(posting), position=position)
        merged = {**posting, **detail} if isinstance(detail, Mapping) else posting
        return self._map(merged, position, self._raw_job)

    def _raw_job(self, posting: Mapping[str, Any]) -> RawJob:
        source_id = ident(posting, "id")
        company = mapping(posting, "company") or {}
        location = mapping(posting, "location") or {}
        function, department = mapping(posting, "function"), mapping(posting, "department")
        employment = mapping(posting, "typeOfEmployment")
        experience = mapping(posting, "experienceLevel")
        custom = {
            label: value
            for field in items(posting, "customField")
            if isinstance(field, Mapping)
            and (label := text(field, "fieldLabel"))
            and (value := text(field, "valueLabel"))
        }
        extra = {
            k: v
            for k, v in {
                "ref_number": text(posting, "refNumber"),
                "uuid": text(posting, "uuid"),
                "industry": text(mapping(posting, "industry") or {}, "label"),
                "function": text(function, "label") if function else None,
                "department": text(department, "label") if department else None,
                "experience_level": text(experience, "label") if experience else None,
                "language": text(mapping(posting, "language") or {}, "code"),
                "custom_fields": custom,
                "latitude": text(location, "latitude"),
                "longitude": text(location, "longitude"),
            }.items()
            if v
        }
        return RawJob(
            source=self.name,
            source_id=source_id,
            url=text(posting, "postingUrl") or f"https://jobs.smartrecruiters.com/{self.company}/{source_id}",
            apply_url=text(posting, "applyUrl"),
            title=text(posting, "name"),
            company=text(company, "name") or self.company,
            location_text=text(location, "fullLocation"),
            locations=_locations(location),
            workplace_type=_workplace(location),
            employment_type_text=text(employment, "label") if employment else None,
            seniority=_SENIORITY.get(text(experience, "id") or "") if experience else None,
            salary=_salary(mapping(posting, "compensation")),
            description=_description(posting),
            description_is_html=True,
            department=(text(function, "label") if function else None)
            or (text(department, "label") if department else None),
            posted_at=text(posting, "releasedDate"),
            extra=extra,
        )


def _locations(location: Mapping[str, Any]) -> Any:
    found = place(
        text(location, "city"),
        text(location, "region"),
        text(location, "country"),
        text=text(location, "fullLocation"),
    )
    return [found] if found is not None and (found.city or found.country) else None


def _workplace(location: Mapping[str, Any]) -> WorkplaceType | None:
    if location.get("remote") is True:
        return WorkplaceType.REMOTE
    if location.get("hybrid") is True:
        return WorkplaceType.HYBRID
    if location.get("remote") is False and location.get("hybrid") in (False, None):
        return WorkplaceType.ONSITE
    return None


def _salary(compensation: Mapping[str, Any] | None) -> Salary | None:
    if not compensation:
        return None
    return make_salary(
        number(compensation, "min"),
        number(compensation, "max"),
        text(compensation, "currency"),
        text(compensation, "period") or text(compensation, "interval"),
    )


def _description(posting: Mapping[str, Any]) -> str | None:
    job_ad = mapping(posting, "jobAd")
    sections = mapping(job_ad, "sections") if job_ad else None
    if not sections:
        return None
    parts = []
    for key in _SECTIONS:
        section = mapping(sections, key)
        if section:
            parts.append(html_section(text(section, "title"), text(section, "text")))
    return "\n".join(p for p in parts if p) or None


def from_context(context: AdapterContext) -> SmartRecruitersSource:
    """Build the source from its options (``company`` required)."""
    return SmartRecruitersSource(
        str(context.require("company")),
        details=context.get_bool("details", True),
        page_size=min(context.get_int("page_size", MAX_PAGE_SIZE), MAX_PAGE_SIZE),
        name=context.get("name"),
        base_url=base_url_option(context, DEFAULT_BASE_URL),
        http=HttpClientSettings.from_context(context),
    )
