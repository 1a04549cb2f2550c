"""Remote OK API: ``GET /api``, an array of postings.

The first element is a legal notice (``last_updated``, ``legal``), not a
posting, and is skipped. ``epoch`` is seconds and ``date`` ISO;
``salary_min``/``salary_max`` are yearly US dollars, 0 when unknown. Every
posting is remote. Remote OK asks API users to link back to the posting,
which the ``url`` field does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

from jobforge.core.models import RawJob, RejectedRecord, Salary, SalaryPeriod, WorkplaceType
from jobforge.core.normalize import make_salary
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings
from jobforge_sources._base import HttpSource, base_url_option
from jobforge_sources._fields import ident, number, text, texts

__all__ = ["DEFAULT_BASE_URL", "RemoteOkSource", "from_context"]

DEFAULT_BASE_URL = "https://remoteok.com"


class RemoteOkSource(HttpSource):
    """Every posting of the Remote OK API (optionally one tag's).

    Args:
        tag: Only postings with this tag (``/api?tag=python``).
        name: Source name (default ``remoteok``).
        base_url: API host (default the public one).
        http: HTTP client settings.
    """

    kind = "remoteok"

    def __init__(
        self,
        *,
        tag: str | None = None,
        name: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        http: HttpClientSettings | None = None,
    ) -> None:
        super().__init__(name=name or "remoteok", base_url=base_url, http=http)
        self.tag = tag

    async def _fetch(self, client: HttpClient) -> AsyncIterator[RawJob | RejectedRecord]:
        data = await client.get_json(f"{self.base_url}/api", params={"tag": self.tag} if self.tag else None)
        if not isinstance(data, list):
            raise ValueError(f"{self.kind}: expected an array of postings")
        for record in self._map_all(data, self._raw_job):
            yield record

    def _raw_job(self, posting: Mapping[str, Any]) -> RawJob | None:
        if "legal" in posting and "position" not in posting:
            return None  # the terms-of-service notice that leads the array
        source_id = ident(posting, "id")
        location = text(posting, "location")
        return RawJob(
            source=self.name,
            source_id=source_id,
            url=text(posting, "url"),
            apply_url=text(posting, "apply_url"),
            title=text(posting, "position"),
            company=text(posting, "company"),
            location_text=location,
            workplace_type=WorkplaceType.REMOTE,
            salary=_salary(posting),
            description=text(posting, "description"),
            description_is_html=True,
            skills=texts(posting, "tags") or None,
            posted_at=text(posting, "date") or number(posting, "epoch"),
            extra={
                k: v for k, v in {"slug": text(posting, "slug"), "epoch": posting.get("epoch")}.items() if v
            },
        )


def _salary(posting: Mapping[str, Any]) -> Salary | None:
    low, high = number(posting, "salary_min"), number(posting, "salary_max")
    # 0 means "not stated" here; make_salary reads zero as unknown.
    return make_salary(low, high, "USD", SalaryPeriod.YEAR) if (low or high) else None


def from_context(context: AdapterContext) -> RemoteOkSource:
    """Build the source from its options."""
    return RemoteOkSource(
        tag=context.get("tag") or None,
        name=context.get("name"),
        base_url=base_url_option(context, DEFAULT_BASE_URL),
        http=HttpClientSettings.from_context(context),
    )
