"""Careers pages that embed schema.org ``JobPosting`` JSON-LD.

Many career sites and job boards put a ``<script type="application/ld+json">``
``JobPosting`` on each job page (Google for Jobs reads it). This source
fetches job pages given by ``urls``, or discovers them from a ``listing``
page (links matching ``link_pattern``, following ``rel="next"`` pages),
and maps every ``JobPosting`` it finds, in ``@graph`` arrays and nested
objects included. robots.txt (and its ``Crawl-delay``) is obeyed: pages it
disallows are skipped and counted in :attr:`CareersPageSource.skipped`.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import AsyncIterator, Iterator, Mapping
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import msgspec

from jobforge.core.models import Location, RawJob, RejectedRecord, Salary, WorkplaceType
from jobforge.core.normalize import make_salary
from jobforge.core.registry import AdapterContext
from jobforge.net import HttpClient, HttpClientSettings, HttpError, RobotsDisallowedError
from jobforge_sources._base import HttpSource
from jobforge_sources._fields import MalformedPostingError, number, text
from jobforge_sources._places import html_section, place

__all__ = ["DEFAULT_LINK_PATTERN", "CareersPageSource", "from_context"]

logger = logging.getLogger(__name__)

DEFAULT_LINK_PATTERN = r"/(?:jobs?|careers?|positions?|openings?|offers?|vacanc(?:y|ies)|stellen\w*)/[^/?#]+"
"""Links on a listing page that look like job pages (same host only)."""

_SECTIONS = (
    ("responsibilities", "Responsibilities"),
    ("qualifications", "Qualifications"),
    ("skills", "Skills"),
    ("educationRequirements", "Education"),
    ("experienceRequirements", "Experience"),
    ("jobBenefits", "Benefits"),
    ("incentiveCompensation", "Compensation"),
)
_NBSP_RUN = re.compile(r"(?:&nbsp;|\u00a0)+")
_TAG = re.compile(r"<[a-zA-Z/][^>]*>")
_EXCERPT = 2000


class CareersPageSource(HttpSource):
    """Job postings from schema.org JSON-LD on careers pages.

    Args:
        urls: Job page URLs (absolute, or relative to ``base_url``).
        listing: A careers index page whose job links are followed.
        link_pattern: Regular expression a link's URL must match to be followed.
        company: Company when a posting names no hiring organisation.
        max_pages: Pages fetched at most (listing pages included).
        name: Source name (default ``careers:<host>``).
        base_url: The site, for relative ``urls`` and ``listing``.
        http: HTTP client settings (``respect_robots`` is honoured here).
    """

    kind = "careers_page"

    def __init__(
        self,
        *,
        urls: list[str] | None = None,
        listing: str | None = None,
        link_pattern: str = DEFAULT_LINK_PATTERN,
        company: str | None = None,
        max_pages: int = 500,
        name: str | None = None,
        base_url: str | None = None,
        http: HttpClientSettings | None = None,
    ) -> None:
        base = base_url or next((u for u in [*(urls or []), listing or ""] if "://" in u), "")
        if not base:
            raise ValueError("give base_url, or absolute urls or listing")
        self.urls = [urljoin(base.rstrip("/") + "/", u) for u in urls or []]
        self.listing = urljoin(base.rstrip("/") + "/", listing) if listing else None
        if not self.urls and not self.listing:
            raise ValueError("give urls, a listing page, or both")
        first = self.urls[0] if self.urls else self.listing or base
        super().__init__(name=name or f"careers:{urlsplit(first).netloc}", base_url=base, http=http)
        self.link_pattern = re.compile(link_pattern)
        self.company = company
        self.max_pages = max_pages
        self.skipped: list[str] = []
        """URLs robots.txt disallowed in the last fetch."""

    async def _fetch(self, client: HttpClient) -> AsyncIterator[RawJob | RejectedRecord]:
        self.skipped = []
        budget = [self.max_pages]
        pages: list[tuple[str, bool]] = [(url, True) for url in self.urls]
        if self.listing:
            pages += [(url, False) async for url in self._discover(client, budget)]
        seen: set[str] = set()
        position = 0
        for url, explicit in pages:
            if url in seen or budget[0] <= 0:
                continue
            seen.add(url)
            budget[0] -= 1
            async for record in self._page(client, url, explicit):
                position += 1
                if isinstance(record, RejectedRecord):
                    # Positions count records across all pages, not within one.
                    yield msgspec.structs.replace(record, position=position)
                else:
                    yield record

    async def _discover(self, client: HttpClient, budget: list[int]) -> AsyncIterator[str]:
        """Job links of the listing page and its ``rel="next"`` pages, in page order."""
        url: str | None = self.listing
        visited: set[str] = set()
        found: set[str] = set()
        while url and url not in visited and budget[0] > 0:
            visited.add(url)
            budget[0] -= 1
            try:
                html_text, final = await client.get_text(url)
            except RobotsDisallowedError:
                self.skipped.append(url)
                logger.warning("%s: robots.txt disallows the listing page %s", self.name, url)
                return
            scan = _scan(html_text, final)
            host = urlsplit(final).netloc
            for link in scan.links:
                if link not in found and urlsplit(link).netloc == host and self.link_pattern.search(link):
                    found.add(link)
                    yield link
            url = scan.next_page

    async def _page(
        self, client: HttpClient, url: str, explicit: bool
    ) -> AsyncIterator[RawJob | RejectedRecord]:
        try:
            html_text, final = await client.get_text(url)
        except RobotsDisallowedError:
            self.skipped.append(url)
            logger.info("%s: robots.txt disallows %s; skipped", self.name, url)
            return
        except HttpError as exc:
            yield self._reject(str(exc), {"url": url})
            return
        scan = _scan(html_text, final)
        postings: list[Any] = []
        for block in scan.json_ld:
            try:
                data = json.loads(block, strict=False)
            except json.JSONDecodeError as exc:
                yield self._reject(
                    f"{url}: invalid JSON-LD: {exc}", {"url": url, "json_ld": block[:_EXCERPT]}
                )
                continue
            postings.extend(_job_postings(data))
        if not postings:
            if explicit:
                yield self._reject(f"{url}: no schema.org JobPosting on the page", {"url": url})
            else:
                logger.debug("%s: no JobPosting on %s", self.name, url)
            return
        for index, posting in enumerate(postings):
            suffix = f"#{index + 1}" if len(postings) > 1 else ""
            mapper = functools.partial(self._raw_job, page_url=final, suffix=suffix)
            record = self._map(posting, index + 1, mapper)
            if record is not None:
                yield record

    def _raw_job(self, posting: Mapping[str, Any], page_url: str, suffix: str) -> RawJob:
        organisation = posting.get("hiringOrganization")
        company = _name(organisation) or self.company
        url = _url(posting.get("url"), page_url) or page_url
        identifier = _identifier(posting.get("identifier"))
        texts, locations = _places(posting.get("jobLocation"))
        remote = str(posting.get("jobLocationType") or "").upper() == "TELECOMMUTE"
        if not texts and remote:
            texts = [
                n for n in (_name(a) for a in _as_list(posting.get("applicantLocationRequirements"))) if n
            ]
        employment = posting.get("employmentType")
        extra = {
            k: v
            for k, v in {
                "page_url": page_url,
                "identifier": identifier,
                "occupational_category": _plain(posting.get("occupationalCategory")),
                "industry": _plain(posting.get("industry")),
                "work_hours": _plain(posting.get("workHours")),
                "employment_types": _as_strings(employment) if len(_as_strings(employment)) > 1 else None,
                "direct_apply": posting.get("directApply")
                if isinstance(posting.get("directApply"), bool)
                else None,
                "company_url": _url(_organisation_url(organisation), page_url),
            }.items()
            if v not in (None, "")
        }
        return RawJob(
            source=self.name,
            source_id=identifier or (url + suffix if url != page_url or suffix else url),
            url=url,
            title=text(posting, "title") or text(posting, "name"),
            company=company,
            location_text="; ".join(texts) or None,
            locations=locations or None,
            workplace_type=WorkplaceType.REMOTE if remote else None,
            employment_type_text=next(iter(_as_strings(employment)), None),
            salary=_salary(posting.get("baseSalary")) or _salary(posting.get("estimatedSalary")),
            description=_description(posting),
            description_is_html=True,
            skills=_skills(posting.get("skills")),
            posted_at=text(posting, "datePosted"),
            valid_through=text(posting, "validThrough"),
            extra=extra,
        )


class _Scan:
    def __init__(self) -> None:
        self.json_ld: list[str] = []
        self.links: list[str] = []
        self.next_page: str | None = None


class _PageScanner(HTMLParser):
    """Collects JSON-LD blocks, link targets and the ``rel="next"`` page of an HTML page."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = url
        self.result = _Scan()
        self._in_json_ld = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and values.get("href"):
            self.base = urljoin(self.base, values["href"])
        elif (
            tag == "script" and values.get("type", "").split(";")[0].strip().lower() == "application/ld+json"
        ):
            self._in_json_ld = True
            self._buffer = []
        elif tag in ("a", "link") and values.get("href"):
            target = urldefrag(urljoin(self.base, values["href"].strip()))[0]
            if "next" in values.get("rel", "").lower().split():
                self.result.next_page = self.result.next_page or target
            elif tag == "a" and target.startswith(("http://", "https://")):
                self.result.links.append(target)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_json_ld:
            self._in_json_ld = False
            block = "".join(self._buffer).strip()
            if block:
                self.result.json_ld.append(block)

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self._buffer.append(data)


def _scan(html_text: str, url: str) -> _Scan:
    scanner = _PageScanner(url)
    scanner.feed(html_text)
    scanner.close()
    return scanner.result


def _is_job_posting(value: Mapping[str, Any]) -> bool:
    kind = value.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == "JobPosting" for k in kinds)


def _job_postings(data: Any) -> Iterator[Any]:
    """Every JobPosting object in a JSON-LD document, nested ones included."""
    if isinstance(data, list):
        for item in data:
            yield from _job_postings(item)
    elif isinstance(data, Mapping):
        if _is_job_posting(data):
            yield data
            return
        for value in data.values():
            if isinstance(value, Mapping | list):
                yield from _job_postings(value)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _as_strings(value: Any) -> list[str]:
    return [v.strip() for v in _as_list(value) if isinstance(v, str) and v.strip()]


def _plain(value: Any) -> str | None:
    """A display string from a string, a list of strings or a named object."""
    if isinstance(value, Mapping):
        return _name(value)
    strings = _as_strings(value)
    return ", ".join(strings) or None


def _name(value: Any) -> str | None:
    """``name`` of a schema.org object, or the value itself when it is a string."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, Mapping):
        name = value.get("name")
        names = _as_strings(name)
        return names[0] if names else None
    if isinstance(value, list):
        return next((n for n in (_name(v) for v in value) if n), None)
    return None


def _url(value: Any, base: str) -> str | None:
    if isinstance(value, str) and value.strip():
        return urljoin(base, value.strip())
    return None


def _organisation_url(organisation: Any) -> Any:
    if isinstance(organisation, Mapping):
        return organisation.get("url") or (
            organisation.get("sameAs") if isinstance(organisation.get("sameAs"), str) else None
        )
    return None


def _identifier(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("value") if value.get("value") is not None else value.get("@id")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value).strip() or None
    return None


def _places(value: Any) -> tuple[list[str], list[Location]]:
    """Display texts of the places, and structured locations when every place has an address.

    A place's ``name`` wins over its address when the address's locality is
    not in the name: sites copy one address onto every place of a
    multi-location posting while the names stay right.
    """
    texts: list[str] = []
    locations: list[Location] = []
    structured = True
    for item in _as_list(value):
        if isinstance(item, str):
            texts.append(item.strip())
            structured = False
            continue
        if not isinstance(item, Mapping):
            raise MalformedPostingError("jobLocation holds a value that is neither text nor a Place")
        name = _name(item)
        address = item.get("address")
        if isinstance(address, str):
            address = {"streetAddress": address}
        address = address if isinstance(address, Mapping) else {}
        city, region = text(address, "addressLocality"), text(address, "addressRegion")
        country = _name(address.get("addressCountry"))
        address_text = ", ".join(p for p in (city, region, country) if p)
        if name and (not city or city.casefold() not in name.casefold()):
            texts.append(name)
            structured = False
        elif address_text:
            found = place(city, region, country, text=address_text)
            texts.append(address_text)
            if found is not None and found not in locations:
                locations.append(found)
        elif name:
            texts.append(name)
            structured = False
    unique_texts = list(dict.fromkeys(t for t in texts if t))
    return unique_texts, locations if structured else []


def _section_html(value: Any) -> str | None:
    """A section body as HTML: lists become bullets, ``&nbsp;``-separated runs too."""
    if isinstance(value, Mapping):
        value = _name(value) or _plain(value.get("credentialCategory")) or _plain(value.get("description"))
    items = _as_strings(value)
    if not items:
        return None
    if len(items) == 1:
        only = items[0]
        parts = [p.strip() for p in _NBSP_RUN.split(only) if p.strip()]
        if len(parts) > 1 and not _TAG.search(only):
            items = parts
        else:
            return only
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _description(posting: Mapping[str, Any]) -> str | None:
    parts = [text(posting, "description") or ""]
    for key, title in _SECTIONS:
        if key == "skills" and isinstance(posting.get(key), str) and "," in posting[key]:
            continue  # a comma-separated keyword list: kept as skills, not prose
        parts.append(html_section(title, _section_html(posting.get(key))))
    return "\n".join(p for p in parts if p) or None


def _skills(value: Any) -> list[str] | None:
    if isinstance(value, str):
        items = [s.strip() for s in value.split(",")] if "," in value else []
    else:
        items = [s for s in _as_strings(value) if len(s) <= 60]
    return [s for s in items if s] or None


def _salary(value: Any) -> Salary | None:
    """A schema.org ``MonetaryAmount`` (value a number or a ``QuantitativeValue``)."""
    if not isinstance(value, Mapping):
        return None
    currency = text(value, "currency")
    amount = value.get("value")
    if isinstance(amount, Mapping):
        low = number(amount, "minValue")
        high = number(amount, "maxValue")
        exact = number(amount, "value")
        return make_salary(low or exact, high or exact, currency, text(amount, "unitText"))
    if isinstance(amount, int | float | str) and not isinstance(amount, bool):
        return make_salary(amount, amount, currency, text(value, "unitText"))
    return None


def _urls(value: Any) -> list[str]:
    if isinstance(value, str):
        return [u for u in re.split(r"[\s,]+", value) if u]
    return [str(u).strip() for u in _as_list(value) if str(u).strip()]


def from_context(context: AdapterContext) -> CareersPageSource:
    """Build the source from its options (``urls`` or ``listing`` required)."""
    from jobforge import ConfigError

    prefix = f"{context.key}." if context.key else ""
    try:
        return CareersPageSource(
            urls=_urls(context.get("urls")),
            listing=context.get("listing") or None,
            link_pattern=str(context.get("link_pattern") or DEFAULT_LINK_PATTERN),
            company=context.get("company") or None,
            max_pages=context.get_int("max_pages", 500),
            name=context.get("name"),
            base_url=context.get("base_url") or None,
            http=HttpClientSettings.from_context(context),
        )
    except re.error as exc:
        raise ConfigError(prefix + "link_pattern", f"not a regular expression: {exc}") from None
    except ValueError as exc:
        raise ConfigError(prefix + "urls", str(exc)) from None
