"""Greenhouse job board API: ``GET /v1/boards/{board}/jobs?content=true``.

One request lists the whole board (the API has no pagination). ``content``
is entity-escaped HTML (``&lt;p&gt;``); the core normaliser unescapes and
converts it. Pay ranges (``pay_input_ranges``, in cents) become the salary.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from jobforge.core.models import RawJob, RejectedRecord, SalaryPeriod
from jobforge.core.normalize import detect_workplace_type, make_salary
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings
from jobforge_sources._base import HttpSource, base_url_option
from jobforge_sources._fields import MalformedPostingError, ident, items, mapping, text

__all__ = ["DEFAULT_BASE_URL", "GreenhouseSource", "from_context"]

DEFAULT_BASE_URL = "https://boards-api.greenhouse.io"

_EMPLOYMENT_KEYS = ("employment type", "employment_type", "job type", "type of employment", "commitment")
_WORKPLACE_KEYS = ("workplace type", "workplace", "remote", "location type", "work type", "remote status")


class GreenhouseSource(HttpSource):
    """Every posting of one Greenhouse job board.

    Args:
        board: The board token (``https://job-boards.greenhouse.io/<board>``).
        company: Company name when a posting carries none (default: the board).
        name: Source name (default ``greenhouse:<board>``).
        base_url: API host (default the public one).
        http: HTTP client settings.
    """

    kind = "greenhouse"

    def __init__(
        self,
        board: str,
        *,
        company: str | None = None,
        name: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        http: HttpClientSettings | None = None,
    ) -> None:
        super().__init__(name=name or f"greenhouse:{board}", base_url=base_url, http=http)
        self.board = board
        self.company = company or board

    async def _fetch(self, client: HttpClient) -> AsyncIterator[RawJob | RejectedRecord]:
        data = await client.get_json(
            f"{self.base_url}/v1/boards/{self.board}/jobs",
            params={"content": "true", "pay_transparency": "true"},
        )
        for record in self._map_all(
            self._listing(data, "jobs", where=f" for board {self.board!r}"), self._raw_job
        ):
            yield record

    def _raw_job(self, job: Mapping[str, Any]) -> RawJob:
        source_id = ident(job, "id")
        location = mapping(job, "location")
        location_text = text(location, "name") if location else None
        departments = [text(d, "name") for d in items(job, "departments") if isinstance(d, Mapping)]
        offices = [_office(o) for o in items(job, "offices") if isinstance(o, Mapping)]
        metadata = _metadata(items(job, "metadata"))
        employment = next((v for k, v in metadata.items() if k.casefold() in _EMPLOYMENT_KEYS), None)
        workplace_hint = next((v for k, v in metadata.items() if k.casefold() in _WORKPLACE_KEYS), None)
        extra: dict[str, Any] = {
            key: value
            for key, value in {
                "internal_job_id": job.get("internal_job_id"),
                "requisition_id": text(job, "requisition_id"),
                "updated_at": text(job, "updated_at"),
                "language": text(job, "language"),
                "offices": [o for o in offices if o],
                "metadata": metadata,
            }.items()
            if value not in (None, "", [], {})
        }
        return RawJob(
            source=self.name,
            source_id=source_id,
            url=text(job, "absolute_url"),
            title=text(job, "title"),
            company=text(job, "company_name") or self.company,
            location_text=location_text
            or "; ".join(o["location"] for o in offices if o.get("location"))
            or None,
            workplace_type=detect_workplace_type(str(workplace_hint)) if workplace_hint else None,
            employment_type_text=str(employment) if employment else None,
            salary=_salary(items(job, "pay_input_ranges")),
            description=text(job, "content"),
            description_is_html=True,
            department=", ".join(d for d in departments if d) or None,
            posted_at=text(job, "first_published") or text(job, "updated_at"),
            valid_through=text(job, "application_deadline"),
            extra=extra,
        )


def _office(office: Mapping[str, Any]) -> dict[str, str]:
    return {k: v for k, v in (("name", text(office, "name")), ("location", text(office, "location"))) if v}


def _metadata(entries: list[Any]) -> dict[str, Any]:
    """Custom fields as ``{name: value}`` (values may be text, numbers, lists or objects)."""
    result: dict[str, Any] = {}
    for entry in entries:
        if (
            isinstance(entry, Mapping)
            and isinstance(entry.get("name"), str)
            and entry.get("value") is not None
        ):
            result[entry["name"].strip()] = entry["value"]
    return result


def _salary(ranges: list[Any]) -> Any:
    """The first pay range with amounts, in cents; annual unless its title says hourly."""
    for pay in ranges:
        if not isinstance(pay, Mapping):
            raise MalformedPostingError("pay_input_ranges holds a value that is not an object")
        low, high = pay.get("min_cents"), pay.get("max_cents")
        if low is None and high is None:
            continue
        title = text(pay, "title")
        period = SalaryPeriod.HOUR if title and "hour" in title.casefold() else SalaryPeriod.YEAR
        salary = make_salary(_cents(low), _cents(high), text(pay, "currency_type"), period, text=title)
        if salary is not None:
            return salary
    return None


def _cents(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value) / 100
    except (TypeError, ValueError):
        raise MalformedPostingError(f"pay range amount {value!r} is not a number") from None


def from_context(context: AdapterContext) -> GreenhouseSource:
    """Build the source from its options (``board`` required)."""
    return GreenhouseSource(
        str(context.require("board")),
        company=context.get("company"),
        name=context.get("name"),
        base_url=base_url_option(context, DEFAULT_BASE_URL),
        http=HttpClientSettings.from_context(context),
    )
