"""Ashby posting API: ``GET /posting-api/job-board/{board}?includeCompensation=true``.

One request lists the board. Locations come from the structured postal
addresses (primary and secondary), the salary from the ``Salary``
component of ``compensation``, the workplace type from ``workplaceType``
(``OnSite``, ``Hybrid``, ``Remote``) or ``isRemote``. Unlisted postings
(``isListed: false``) are skipped.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Mapping
from typing import Any

from jobforge.core.models import Location, RawJob, RejectedRecord, Salary, WorkplaceType
from jobforge.core.normalize import make_salary, parse_salary
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings
from jobforge_sources._base import HttpSource, base_url_option
from jobforge_sources._fields import ident, items, mapping, number, text
from jobforge_sources._places import place, unique, workplace_word

__all__ = ["DEFAULT_BASE_URL", "AshbySource", "from_context"]

DEFAULT_BASE_URL = "https://api.ashbyhq.com"

_INTERVAL = re.compile(r"^\s*1\s+(?P<unit>HOUR|DAY|WEEK|MONTH|YEAR)\s*$", re.IGNORECASE)


class AshbySource(HttpSource):
    """Every listed posting of one Ashby job board.

    Args:
        board: The job board name (``https://jobs.ashbyhq.com/<board>``).
        company: Company name (Ashby does not send one; default: the board).
        name: Source name (default ``ashby:<board>``).
        base_url: API host (default the public one).
        http: HTTP client settings.
    """

    kind = "ashby"

    def __init__(
        self,
        board: str,
        *,
        company: str | None = None,
        name: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        http: HttpClientSettings | None = None,
    ) -> None:
        super().__init__(name=name or f"ashby:{board}", base_url=base_url, http=http)
        self.board = board
        self.company = company or board

    async def _fetch(self, client: HttpClient) -> AsyncIterator[RawJob | RejectedRecord]:
        data = await client.get_json(
            f"{self.base_url}/posting-api/job-board/{self.board}", params={"includeCompensation": "true"}
        )
        for record in self._map_all(
            self._listing(data, "jobs", where=f" for board {self.board!r}"), self._raw_job
        ):
            yield record

    def _raw_job(self, job: Mapping[str, Any]) -> RawJob | None:
        if job.get("isListed") is False:
            return None
        source_id = ident(job, "id")
        primary = text(job, "location")
        secondary = [s for s in items(job, "secondaryLocations") if isinstance(s, Mapping)]
        names = [n for n in [primary, *(text(s, "location") for s in secondary)] if n]
        locations = unique(
            [_address_place(job, primary), *(_address_place(s, text(s, "location")) for s in secondary)]
        )
        workplace = workplace_word(text(job, "workplaceType"))
        if workplace is None and job.get("isRemote") is True:
            workplace = WorkplaceType.REMOTE
        compensation = mapping(job, "compensation")
        extra = {
            k: v
            for k, v in {
                "team": text(job, "team"),
                "compensation_summary": text(compensation, "compensationTierSummary")
                if compensation
                else None,
                "is_remote": job.get("isRemote") if isinstance(job.get("isRemote"), bool) else None,
            }.items()
            if v is not None
        }
        return RawJob(
            source=self.name,
            source_id=source_id,
            url=text(job, "jobUrl"),
            apply_url=text(job, "applyUrl"),
            title=text(job, "title"),
            company=self.company,
            location_text="; ".join(names) or None,
            # Addresses without a city or a known country ("European Union") say less than the text.
            locations=locations if locations and all(loc.city or loc.country for loc in locations) else None,
            workplace_type=workplace,
            employment_type_text=text(job, "employmentType"),
            salary=_salary(compensation) if compensation else None,
            description=text(job, "descriptionHtml") or text(job, "descriptionPlain"),
            description_is_html=bool(text(job, "descriptionHtml")),
            department=text(job, "department") or text(job, "team"),
            posted_at=text(job, "publishedAt"),
            extra=extra,
        )


def _address_place(holder: Mapping[str, Any], name: str | None) -> Location | None:
    address = mapping(holder, "address")
    postal = mapping(address, "postalAddress") if address else None
    if not postal:
        return None
    return place(
        text(postal, "addressLocality"),
        text(postal, "addressRegion"),
        text(postal, "addressCountry"),
        text=name,
    )


def _salary(compensation: Mapping[str, Any]) -> Salary | None:
    """The ``Salary`` component of the summary (or of the first tier), else the summary text."""
    components = [c for c in items(compensation, "summaryComponents") if isinstance(c, Mapping)]
    for tier in items(compensation, "compensationTiers"):
        if isinstance(tier, Mapping):
            components.extend(c for c in items(tier, "components") if isinstance(c, Mapping))
    for component in components:
        if (text(component, "compensationType") or "").casefold() != "salary":
            continue
        match = _INTERVAL.match(text(component, "interval") or "")
        salary = make_salary(
            number(component, "minValue"),
            number(component, "maxValue"),
            text(component, "currencyCode"),
            match.group("unit") if match else None,
            text=text(component, "summary") or text(compensation, "scrapeableCompensationSalarySummary"),
        )
        if salary is not None:
            return salary
    summary = text(compensation, "scrapeableCompensationSalarySummary") or text(
        compensation, "compensationTierSummary"
    )
    return parse_salary(summary) if summary else None


def from_context(context: AdapterContext) -> AshbySource:
    """Build the source from its options (``board`` required)."""
    return AshbySource(
        str(context.require("board")),
        company=context.get("company"),
        name=context.get("name"),
        base_url=base_url_option(context, DEFAULT_BASE_URL),
        http=HttpClientSettings.from_context(context),
    )
