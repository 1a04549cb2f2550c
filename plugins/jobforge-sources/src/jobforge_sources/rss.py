"""RSS 2.0 and Atom job feeds (We Work Remotely style).

Each ``<item>`` (or Atom ``<entry>``) is a posting: ``guid``/``id`` is the
source id, ``link`` the URL, ``description``/``content:encoded`` the
(entity-escaped) HTML, ``pubDate`` (RFC 822) or ``published``/``updated``
the date. Job-board extensions are read when present: ``region`` or
``location`` (place), ``company``, ``type``/``job_type`` (employment type),
``category`` (kept in ``extra``). Titles written "Company: Title" are split
when the feed has no company element and no ``company`` option is set.
Paged feeds (RFC 5005 ``<atom:link rel="next">``) are followed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from jobforge.core.models import RawJob, RejectedRecord, WorkplaceType
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings
from jobforge_sources._base import HttpSource, base_url_option

__all__ = ["DEFAULT_BASE_URL", "RssSource", "from_context"]

DEFAULT_BASE_URL = "https://weworkremotely.com"

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC = "{http://purl.org/dc/elements/1.1/}"
_EXCERPT = 2000


class RssSource(HttpSource):
    """Every item of one RSS or Atom job feed (following ``rel="next"`` pages).

    Args:
        feed: The feed URL, or its path on ``base_url``.
        company: Company of every item (single-employer feeds); default: read per item.
        workplace: Workplace type of every item (e.g. remote for remote-only boards).
        max_pages: Feed pages to follow at most.
        name: Source name (default ``rss:<host><path>``).
        base_url: Host the feed path is relative to.
        http: HTTP client settings.
    """

    kind = "rss"

    def __init__(
        self,
        feed: str,
        *,
        company: str | None = None,
        workplace: WorkplaceType | None = None,
        max_pages: int = 50,
        name: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        http: HttpClientSettings | None = None,
    ) -> None:
        url = urljoin(base_url.rstrip("/") + "/", feed)
        parts = urlsplit(url)
        default_name = (
            f"rss:{parts.netloc}{parts.path.rsplit('.', 1)[0] if '.' in parts.path else parts.path}"
        )
        super().__init__(name=name or default_name, base_url=base_url, http=http)
        self.feed_url = url
        self.company = company
        self.workplace = workplace
        self.max_pages = max_pages

    async def _fetch(self, client: HttpClient) -> AsyncIterator[RawJob | RejectedRecord]:
        url: str | None = self.feed_url
        seen: set[str] = set()
        position = 0
        for _ in range(self.max_pages):
            if url is None or url in seen:
                return
            seen.add(url)
            response = await client.request(
                "GET", url, headers={"Accept": "application/rss+xml, application/atom+xml, */*"}
            )
            try:
                # The standard library parser (expat >= 2.4.1) refuses entity-expansion bombs.
                root = ET.fromstring(response.content)  # noqa: S314
            except ET.ParseError as exc:
                raise ValueError(f"{self.kind}: {url} is not a readable feed: {exc}") from None
            entries = (
                root.findall("./channel/item") or root.findall(f"{_ATOM}entry") or root.findall(".//item")
            )
            for entry in entries:
                position += 1
                yield self._entry(entry, position)
            url = _next_page(root, str(response.url))

    def _entry(self, entry: ET.Element, position: int) -> RawJob | RejectedRecord:
        title = _child(entry, "title")
        link = _link(entry)
        guid = _child(entry, "guid") or _child(entry, "id")
        if not title or not (guid or link):
            excerpt = ET.tostring(entry, encoding="unicode")[:_EXCERPT]
            missing = "title" if not title else "guid and link"
            return self._reject(f"item without {missing}", excerpt, position=position)
        company = self.company or _child(entry, "company") or _child(entry, "company_name")
        if company is None and ": " in title:
            company, title = (part.strip() for part in title.split(": ", 1))
        categories = [c for c in (_text(el) for el in entry.findall("category")) if c]
        categories += [el.get("term", "") for el in entry.findall(f"{_ATOM}category") if el.get("term")]
        return RawJob(
            source=self.name,
            source_id=guid or link,
            url=link,
            title=title,
            company=company,
            location_text=_child(entry, "region") or _child(entry, "location") or _child(entry, "country"),
            workplace_type=self.workplace,
            employment_type_text=_child(entry, "type") or _child(entry, "job_type"),
            description=_child(entry, _CONTENT)
            or _child(entry, "description")
            or _child(entry, "content")
            or _child(entry, "summary"),
            description_is_html=True,
            posted_at=_child(entry, "pubDate")
            or _child(entry, f"{_DC}date")
            or _child(entry, "published")
            or _child(entry, "updated"),
            valid_through=_child(entry, "expires") or _child(entry, "expiry_date"),
            extra={"categories": categories} if categories else {},
        )


def _text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    value = "".join(element.itertext()).strip()
    return value or None


def _child(entry: ET.Element, tag: str) -> str | None:
    """The text of the first ``tag`` child; a tag without namespace also matches its Atom form."""
    found = entry.find(tag)
    if found is None and not tag.startswith("{"):
        found = entry.find(_ATOM + tag)
    return _text(found)


def _link(entry: ET.Element) -> str | None:
    link = _child(entry, "link")
    if link:
        return link
    for element in entry.findall(f"{_ATOM}link"):
        if element.get("rel", "alternate") == "alternate" and element.get("href"):
            return element.get("href")
    return None


def _next_page(root: ET.Element, base: str) -> str | None:
    for element in root.iter(f"{_ATOM}link"):
        if element.get("rel") == "next" and element.get("href"):
            return urljoin(base, element.get("href", ""))
    return None


def _workplace(value: Any, key: str) -> WorkplaceType | None:
    from jobforge import ConfigError

    if value in (None, ""):
        return None
    try:
        return WorkplaceType(str(value).strip().lower())
    except ValueError:
        raise ConfigError(key, f"expected remote, hybrid or onsite, got {value!r}") from None


def from_context(context: AdapterContext) -> RssSource:
    """Build the source from its options (``feed`` required)."""
    return RssSource(
        str(context.require("feed")),
        company=context.get("company") or None,
        workplace=_workplace(
            context.get("workplace"), f"{context.key}.workplace" if context.key else "workplace"
        ),
        max_pages=context.get_int("max_pages", 50),
        name=context.get("name"),
        base_url=base_url_option(context, DEFAULT_BASE_URL),
        http=HttpClientSettings.from_context(context),
    )
