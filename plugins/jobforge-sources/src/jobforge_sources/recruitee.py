"""Recruitee careers site API: ``GET https://{company}.recruitee.com/api/offers/``.

One request lists every published offer. Salaries are objects with string
amounts (``{"min": "3750", "max": "5250", "period": "month", "currency":
"EUR"}``); dates look like ``2026-09-18 12:55:59 UTC``; the description is
the ``description`` and ``requirements`` HTML.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from jobforge.core.models import Location, RawJob, RejectedRecord, Salary, Seniority, WorkplaceType
from jobforge.core.normalize import make_salary
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings
from jobforge_sources._base import HttpSource, base_url_option
from jobforge_sources._fields import ident, items, mapping, number, text, texts
from jobforge_sources._places import html_section, place, unique

__all__ = ["RecruiteeSource", "from_context"]

_SENIORITY = {
    "student_college": Seniority.INTERN,
    "student": Seniority.INTERN,
    "entry_level": Seniority.JUNIOR,
    "junior": Seniority.JUNIOR,
    "mid_level": Seniority.MID,
    "experienced": Seniority.SENIOR,
    "senior": Seniority.SENIOR,
    "manager": Seniority.MANAGER,
    "senior_manager": Seniority.MANAGER,
    "director": Seniority.DIRECTOR,
    "executive": Seniority.EXECUTIVE,
}


class RecruiteeSource(HttpSource):
    """Every published offer of one Recruitee company.

    Args:
        company: The company subdomain (``https://<company>.recruitee.com``).
        name: Source name (default ``recruitee:<company>``).
        base_url: The careers site host (default ``https://<company>.recruitee.com``).
        http: HTTP client settings.
    """

    kind = "recruitee"

    def __init__(
        self,
        company: str,
        *,
        name: str | None = None,
        base_url: str | None = None,
        http: HttpClientSettings | None = None,
    ) -> None:
        super().__init__(
            name=name or f"recruitee:{company}",
            base_url=base_url or f"https://{company}.recruitee.com",
            http=http,
        )
        self.company = company

    async def _fetch(self, client: HttpClient) -> AsyncIterator[RawJob | RejectedRecord]:
        data = await client.get_json(f"{self.base_url}/api/offers/")
        for record in self._map_all(self._listing(data, "offers"), self._raw_job):
            yield record

    def _raw_job(self, offer: Mapping[str, Any]) -> RawJob | None:
        status = text(offer, "status")
        if status is not None and status != "published":
            return None
        source_id = ident(offer, "id")
        places = [p for p in items(offer, "locations") if isinstance(p, Mapping)]
        locations = unique([_place(p) for p in places]) or unique(
            [
                place(
                    text(offer, "city"),
                    text(offer, "state_name"),
                    text(offer, "country_code") or text(offer, "country"),
                )
            ]
        )
        extra = {
            k: v
            for k, v in {
                "guid": text(offer, "guid"),
                "slug": text(offer, "slug"),
                "experience_code": text(offer, "experience_code"),
                "education_code": text(offer, "education_code"),
                "category_code": text(offer, "category_code"),
                "min_hours_per_week": text(offer, "min_hours_per_week"),
                "max_hours_per_week": text(offer, "max_hours_per_week"),
                "updated_at": text(offer, "updated_at"),
                "open_questions": [
                    q
                    for q in (
                        text(q, "body") for q in items(offer, "open_questions") if isinstance(q, Mapping)
                    )
                    if q
                ],
            }.items()
            if v
        }
        return RawJob(
            source=self.name,
            source_id=source_id,
            url=text(offer, "careers_url") or text(offer, "url"),
            apply_url=text(offer, "careers_apply_url"),
            title=text(offer, "title"),
            company=text(offer, "company_name") or self.company,
            location_text=text(offer, "location"),
            locations=[loc for loc in locations if loc.city or loc.country] or None,
            workplace_type=_workplace(offer),
            employment_type_text=text(offer, "employment_type_code"),
            seniority=_SENIORITY.get(text(offer, "experience_code") or ""),
            salary=_salary(mapping(offer, "salary")),
            description="\n".join(
                s
                for s in (
                    html_section(None, text(offer, "description")),
                    html_section(None, text(offer, "requirements")),
                )
                if s
            )
            or None,
            description_is_html=True,
            skills=texts(offer, "tags") or None,
            department=text(offer, "department"),
            posted_at=text(offer, "published_at") or text(offer, "created_at"),
            valid_through=text(offer, "close_at"),
            extra=extra,
        )


def _place(location: Mapping[str, Any]) -> Location | None:
    return place(
        text(location, "city"),
        text(location, "state"),
        text(location, "country_code") or text(location, "country"),
        text=", ".join(
            p for p in (text(location, "city"), text(location, "state"), text(location, "country")) if p
        )
        or None,
    )


def _workplace(offer: Mapping[str, Any]) -> WorkplaceType | None:
    if offer.get("remote") is True:
        return WorkplaceType.REMOTE
    if offer.get("hybrid") is True:
        return WorkplaceType.HYBRID
    if offer.get("on_site") is True:
        return WorkplaceType.ONSITE
    return None


def _salary(salary: Mapping[str, Any] | None) -> Salary | None:
    if not salary:
        return None
    return make_salary(
        number(salary, "min"), number(salary, "max"), text(salary, "currency"), text(salary, "period")
    )


def from_context(context: AdapterContext) -> RecruiteeSource:
    """Build the source from its options (``company`` required)."""
    company = str(context.require("company"))
    return RecruiteeSource(
        company,
        name=context.get("name"),
        base_url=base_url_option(context, f"https://{company}.recruitee.com"),
        http=HttpClientSettings.from_context(context),
    )
