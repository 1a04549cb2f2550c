"""Structured places (city, region, country as APIs give them) to :class:`Location` values."""

from __future__ import annotations

import html

from jobforge.core.models import Location, WorkplaceType
from jobforge.core.normalize import country_code, parse_locations

__all__ = ["html_section", "place", "unique", "workplace_word"]

_COUNTRY_NAMES = {"US": "United States", "CA": "Canada"}


def place(
    city: str | None = None,
    region: str | None = None,
    country: str | None = None,
    *,
    text: str | None = None,
) -> Location | None:
    """A :class:`Location` from separate parts; ``None`` when nothing is known.

    ``country`` may be a code (``ca``, ``DE``, ``USA``) or a name; US and
    Canadian region names become their codes (``California`` -> ``CA``), as
    the core location parser writes them. Other regions stay as written.
    """
    city = (city or "").strip() or None
    region = (region or "").strip() or None
    code = country_code(country) if country and country.strip() else None
    if region and code in _COUNTRY_NAMES:
        region = _region_code(region, code) or region
    shown = text or ", ".join(p for p in (city, region, country.strip() if country else None) if p) or None
    if not (city or region or code):
        return Location(text=shown) if shown else None
    return Location(city=city, region=region, country=code, text=shown)


def _region_code(region: str, country: str) -> str | None:
    parsed, _ = parse_locations(f"Springfield, {region}, {_COUNTRY_NAMES[country]}")
    return parsed[0].region if parsed and parsed[0].country == country else None


def unique(locations: list[Location | None]) -> list[Location]:
    """The known locations, duplicates removed, in order."""
    seen: list[Location] = []
    for location in locations:
        if location is not None and location not in seen:
            seen.append(location)
    return seen


_WORKPLACE_WORDS = {
    "remote": WorkplaceType.REMOTE,
    "fully remote": WorkplaceType.REMOTE,
    "telecommute": WorkplaceType.REMOTE,
    "hybrid": WorkplaceType.HYBRID,
    "onsite": WorkplaceType.ONSITE,
    "on site": WorkplaceType.ONSITE,
    "in office": WorkplaceType.ONSITE,
    "office": WorkplaceType.ONSITE,
    "office based": WorkplaceType.ONSITE,
}


def workplace_word(value: str | None) -> WorkplaceType | None:
    """The workplace type an API enum names (``OnSite``, ``on-site``, ``Remote``, ``HYBRID``...)."""
    if not value:
        return None
    word = value.strip()
    word = word.lower() if word.isupper() else word
    key = "".join(" " + c.lower() if c.isupper() else c for c in word).strip()
    key = key.replace("-", " ").replace("_", " ")
    return _WORKPLACE_WORDS.get(" ".join(key.split()))


def html_section(title: str | None, body_html: str | None) -> str:
    """An HTML section: a heading (escaped) and a body kept as HTML; empty when there is no body."""
    if not body_html or not body_html.strip():
        return ""
    heading = f"<h3>{html.escape(title.strip())}</h3>\n" if title and title.strip() else ""
    return f"{heading}{body_html.strip()}\n"
