"""``example_board``: postings from a JSON API that pages with a ``next`` link.

The API answers ``GET {base_url}/api/jobs`` with::

    {"jobs": [{"id": 1, "title": "...", "company": "...", "location": "Berlin, Germany",
               "remote": false, "url": "...", "description_html": "<p>...</p>",
               "employment_type": "full-time", "posted_at": "2026-09-01T08:00:00Z",
               "salary": {"min": 60000, "max": 80000, "currency": "EUR", "period": "year"}}],
     "next": "/api/jobs?page=2"}

Replace the URL, the mapping and the options with your board's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any
from urllib.parse import urljoin

from jobforge import AdapterContext
from jobforge.core.models import RawJob, RejectedRecord, WorkplaceType
from jobforge.core.normalize import make_salary
from jobforge.net import HttpClient, HttpClientSettings

__all__ = ["DEFAULT_BASE_URL", "ExampleBoardSource", "from_context"]

DEFAULT_BASE_URL = "https://jobs.example.com"


class ExampleBoardSource:
    """Every posting of the example board, following its ``next`` links.

    Args:
        base_url: The board's host.
        max_pages: Pages to follow at most (a guard against a looping API).
        http: Rate limit, retries, timeouts, user agent (shared jobforge manners).
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        max_pages: int = 100,
        http: HttpClientSettings | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.max_pages = max_pages
        self.http = http or HttpClientSettings()

    @property
    def name(self) -> str:
        """The source name recorded on every posting."""
        return "example_board"

    async def fetch(self) -> AsyncIterator[RawJob | RejectedRecord]:
        """Every posting; one that cannot be read is yielded as a :class:`RejectedRecord`."""
        url: str | None = f"{self.base_url}/api/jobs"
        position = 0
        async with HttpClient(self.http) as client:
            for _ in range(self.max_pages):
                if url is None:
                    return
                page = await client.get_json(url)
                for posting in page.get("jobs", []):
                    position += 1
                    yield self._record(posting, position)
                url = urljoin(url, page["next"]) if page.get("next") else None

    def _record(self, posting: Any, position: int) -> RawJob | RejectedRecord:
        if not isinstance(posting, Mapping) or not isinstance(posting.get("id"), str | int):
            return RejectedRecord(
                source=self.name, reason="posting without an id", record=posting, position=position
            )
        salary: Mapping[str, Any] = posting["salary"] if isinstance(posting.get("salary"), Mapping) else {}
        return RawJob(
            source=self.name,
            source_id=str(posting["id"]),
            url=posting.get("url"),
            title=posting.get("title"),
            company=posting.get("company"),
            location_text=posting.get("location"),
            workplace_type=WorkplaceType.REMOTE if posting.get("remote") is True else None,
            employment_type_text=posting.get("employment_type"),
            salary=make_salary(
                salary.get("min"), salary.get("max"), salary.get("currency"), salary.get("period")
            ),
            description=posting.get("description_html"),
            description_is_html=True,
            posted_at=posting.get("posted_at"),
        )


def from_context(context: AdapterContext) -> ExampleBoardSource:
    """Build the source from its options."""
    return ExampleBoardSource(
        str(context.get("base_url") or DEFAULT_BASE_URL),
        max_pages=context.get_int("max_pages", 100),
        http=HttpClientSettings.from_context(context),
    )
