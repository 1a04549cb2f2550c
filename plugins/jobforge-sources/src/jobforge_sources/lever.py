"""Lever postings API: ``GET /v0/postings/{site}?mode=json&skip=N&limit=M``.

Pages are requested with ``skip``/``limit`` until a short page. ``createdAt``
is epoch milliseconds. The description is composed from the opening and
body HTML, the ``lists`` sections (requirements, benefits...) and the
closing ``additional`` HTML. ``salaryRange`` becomes the salary.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from jobforge.core.models import Location, RawJob, RejectedRecord, SalaryPeriod
from jobforge.core.normalize import make_salary, parse_locations
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings
from jobforge_sources._base import HttpSource, base_url_option
from jobforge_sources._fields import ident, items, mapping, number, text, texts
from jobforge_sources._places import html_section, workplace_word

__all__ = ["DEFAULT_BASE_URL", "LeverSource", "from_context"]

DEFAULT_BASE_URL = "https://api.lever.co"
"""The global instance; EU accounts use ``https://api.eu.lever.co``."""

_INTERVALS = {
    "year": SalaryPeriod.YEAR,
    "month": SalaryPeriod.MONTH,
    "week": SalaryPeriod.WEEK,
    "day": SalaryPeriod.DAY,
    "hour": SalaryPeriod.HOUR,
}


class LeverSource(HttpSource):
    """Every published posting of one Lever site.

    Args:
        site: The site name (``https://jobs.lever.co/<site>``).
        company: Company name (Lever does not send one; default: the site).
        page_size: Postings per request.
        name: Source name (default ``lever:<site>``).
        base_url: API host (default the global instance).
        http: HTTP client settings.
    """

    kind = "lever"

    def __init__(
        self,
        site: str,
        *,
        company: str | None = None,
        page_size: int = 100,
        name: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        http: HttpClientSettings | None = None,
    ) -> None:
        super().__init__(name=name or f"lever:{site}", base_url=base_url, http=http)
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self.site = site
        self.company = company or site
        self.page_size = page_size

    async def _fetch(self, client: HttpClient) -> AsyncIterator[RawJob | RejectedRecord]:
        skip = 0
        while True:
            page = await client.get_json(
                f"{self.base_url}/v0/postings/{self.site}",
                params={"mode": "json", "skip": skip, "limit": self.page_size},
            )
            if not isinstance(page, list):
                raise ValueError(f"{self.kind}: expected an array of postings for site {self.site!r}")
            for record in self._map_all(page, self._raw_job, start=skip + 1):
                yield record
            if len(page) < self.page_size:
                return
            skip += len(page)

    def _raw_job(self, posting: Mapping[str, Any]) -> RawJob:
        source_id = ident(posting, "id")
        categories = mapping(posting, "categories") or {}
        all_locations = texts(categories, "allLocations") or texts(categories, "location")
        country = text(posting, "country")
        department, team = text(categories, "department"), text(categories, "team")
        salary_range = mapping(posting, "salaryRange")
        extra = {
            k: v
            for k, v in {
                "team": team,
                "level": text(categories, "level"),
                "country": country,
                "all_locations": all_locations,
                "salary_description": text(posting, "salaryDescriptionPlain"),
            }.items()
            if v
        }
        return RawJob(
            source=self.name,
            source_id=source_id,
            url=text(posting, "hostedUrl"),
            apply_url=text(posting, "applyUrl"),
            title=text(posting, "text"),
            company=self.company,
            location_text="; ".join(all_locations) or None,
            locations=_locations(all_locations, country),
            workplace_type=workplace_word(text(posting, "workplaceType")),
            employment_type_text=text(categories, "commitment"),
            salary=_salary(salary_range, text(posting, "salaryDescriptionPlain")) if salary_range else None,
            description=_description(posting),
            description_is_html=True,
            department=department or team,
            posted_at=number(posting, "createdAt"),
            extra=extra,
        )


def _description(posting: Mapping[str, Any]) -> str:
    body = text(posting, "description") or "".join(
        part for part in (text(posting, "opening"), text(posting, "descriptionBody")) if part
    )
    sections = [body or ""]
    for entry in items(posting, "lists"):
        if isinstance(entry, Mapping):
            content = text(entry, "content")
            sections.append(html_section(text(entry, "text"), f"<ul>{content}</ul>" if content else None))
    sections.append(text(posting, "additional") or "")
    sections.append(html_section("Salary", text(posting, "salaryDescription")))
    return "\n".join(s for s in sections if s)


def _locations(names: list[str], country: str | None) -> list[Location] | None:
    """Each location parsed; the posting's country fills in a single location that names none."""
    found: list[Location] = []
    for name in names:
        parsed, _ = parse_locations(name)
        found.extend(p for p in parsed if p not in found)
    if country and len(found) == 1 and found[0].country is None and (found[0].city or found[0].region):
        only = found[0]
        found = [Location(city=only.city, region=only.region, country=country.upper(), text=only.text)]
    return found or None


def _salary(salary_range: Mapping[str, Any], description: str | None) -> Any:
    interval = (text(salary_range, "interval") or "").casefold()
    period = next((p for word, p in _INTERVALS.items() if word in interval), None)
    return make_salary(
        number(salary_range, "min"),
        number(salary_range, "max"),
        text(salary_range, "currency"),
        period,
        text=description,
    )


def from_context(context: AdapterContext) -> LeverSource:
    """Build the source from its options (``site`` required)."""
    return LeverSource(
        str(context.require("site")),
        company=context.get("company"),
        page_size=context.get_int("page_size", 100),
        name=context.get("name"),
        base_url=base_url_option(context, DEFAULT_BASE_URL),
        http=HttpClientSettings.from_context(context),
    )
