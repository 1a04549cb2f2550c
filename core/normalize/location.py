"""Location strings to structured :class:`Location` values and a workplace type.

Job boards write places in many shapes: ``Austin, TX``, ``Sunnyvale, CA, USA``,
``London, England, United Kingdom``, ``Remote - US``, ``Hybrid - London``,
``USA, Canada, Mexico``. :func:`parse_locations` splits such a string into
places and reads each one right to left (country, then region, then city).

Rules worth knowing:

* Two-letter codes after a city are read as US states first, then Canadian
  provinces, then ISO country codes: ``Sunnyvale, CA`` is California and
  ``Munich, DE`` reads as Delaware. Write ``Munich, Germany`` to avoid it.
* A lone two-letter or three-letter upper-case code is a country (``US``,
  ``DEU``); country and state names match case-insensitively.
* US territories written like states (``Juncos, PR``) are a region of the US.
* A region that is not a US state or Canadian province keeps its text as
  written (``England``, ``IDF``).
* Areas larger than a country (``Europe``, ``EMEA``, ``LATAM``) are kept as
  text only, never taken for a city.
* Anything unrecognised stays ``None``; a place in which nothing is recognised
  becomes a :class:`Location` carrying only its ``text``.
"""

from __future__ import annotations

import functools
import re

from jobforge.core.models import Location, WorkplaceType
from jobforge.core.normalize._countries import (
    CA_PROVINCES,
    COUNTRIES,
    MACRO_REGIONS,
    OTHER_SUBDIVISIONS,
    US_STATES,
)
from jobforge.core.normalize._text import fold, squash_spaces

__all__ = ["country_code", "detect_workplace_type", "parse_locations"]

_PIECE_SEPARATORS = re.compile(r"\s*(?:;|\n|\s/\s|\s\|\s|\s[·•]\s)\s*|\s+or\s+")

_WORKPLACE_WORDS: dict[str, WorkplaceType] = {
    "remote": WorkplaceType.REMOTE,
    "fully remote": WorkplaceType.REMOTE,
    "100% remote": WorkplaceType.REMOTE,
    "remote first": WorkplaceType.REMOTE,
    "remote-first": WorkplaceType.REMOTE,
    "remote only": WorkplaceType.REMOTE,
    "work from home": WorkplaceType.REMOTE,
    "work from anywhere": WorkplaceType.REMOTE,
    "wfh": WorkplaceType.REMOTE,
    "telecommute": WorkplaceType.REMOTE,
    "anywhere": WorkplaceType.REMOTE,
    "anywhere in the world": WorkplaceType.REMOTE,
    "worldwide": WorkplaceType.REMOTE,
    "hybrid": WorkplaceType.HYBRID,
    "hybrid remote": WorkplaceType.HYBRID,
    "on-site": WorkplaceType.ONSITE,
    "onsite": WorkplaceType.ONSITE,
    "on site": WorkplaceType.ONSITE,
    "in office": WorkplaceType.ONSITE,
    "in-office": WorkplaceType.ONSITE,
    "office": WorkplaceType.ONSITE,
}
# Markers that mean "no geographic restriction": an unrecognised remainder
# next to them ("Bright Data - Worldwide") is noise, not a city.
_UNRESTRICTED = frozenset({"anywhere", "anywhere in the world", "worldwide", "work from anywhere"})

_WP_ALT = "|".join(
    re.escape(word).replace(r"\ ", r"[\s-]") for word in sorted(_WORKPLACE_WORDS, key=len, reverse=True)
)
_LEADING_MARKER = re.compile(
    rf"^\(?(?P<wp>{_WP_ALT})\)?(?![\w-])\s*(?:[-\u2013\u2014:,/]|\bin\b)?\s*(?P<rest>.*)$", re.IGNORECASE
)
_TRAILING_MARKER = re.compile(
    rf"^(?P<rest>.*?)(?P<sep>\s*[-\u2013\u2014:,/(]\s*|\s+)(?P<wp>{_WP_ALT})\s*\)?$", re.IGNORECASE
)
_ONLY_SUFFIX = re.compile(r"[\s-]*(?:\bonly|\bbased)\s*$", re.IGNORECASE)
_PARENTHESISED = re.compile(r"\s*\([^()]*\)")
_ZIP_TAIL = re.compile(r"\s+\d{5}(?:-\d{4})?$")
_NOISE = re.compile(
    r"^(?:\d+\s+(?:locations?|offices?|sites?)|multiple(?:\s+locations)?|various(?:\s+locations)?|"
    r"n/?a|tbd|tba|unknown|none|-?1|see\s+description|headquarters:?|locations?)$",
    re.IGNORECASE,
)
_CITY_SHAPE = re.compile(r"^[^\W\d_][\w .'\u2019-]*$")
_NOT_CITY_WORDS = frozenset(
    {
        "hours", "hour", "preferred", "time", "timezone", "timezones", "zone", "zones", "required",
        "flexible", "locations", "location", "office", "offices", "available", "only", "based",
        "team", "company", "countries", "country", "states", "overlap", "eligible", "friendly",
    }
)  # fmt: skip
_CITY_ALIASES: dict[str, tuple[str, str, str]] = {
    "nyc": ("New York", "NY", "US"),
    "new york city": ("New York", "NY", "US"),
    "new york": ("New York", "NY", "US"),
    "sf": ("San Francisco", "CA", "US"),
    "washington dc": ("Washington", "DC", "US"),
    "washington d.c.": ("Washington", "DC", "US"),
    "washington, d.c.": ("Washington", "DC", "US"),
}
# Three-letter codes that are far more often a time zone than a country.
_NOT_COUNTRY_CODES = frozenset({"EST"})
_MAX_CITY_WORDS = 5
_MAX_PIECE_LENGTH = 200

_NEGATED_REMOTE = re.compile(
    r"\b(?:not|no|non|never|without)[\s-]+(?:(?:a|an|fully|100%|completely|possible|option(?:\s+for)?)\s+)?"
    r"remote\w*"
    r"|\bremote\w*\s+(?:work\s+)?(?:is\s+)?(?:not|never)\s+(?:possible|available|an\s+option|offered|allowed)"
    r"|\bremote\s+(?:sensing|control\w*|monitoring|patient|access|desktop|support\s+tools)",
    re.IGNORECASE,
)
_HYBRID_SIGNAL = re.compile(r"\bhybrid\b", re.IGNORECASE)
_REMOTE_SIGNAL = re.compile(
    r"\bremote(?:ly)?\b|\bwork(?:ing)?[\s-]+from[\s-]+(?:home|anywhere)\b|\bwfh\b|\btele(?:commut\w*|work\w*)\b"
    r"|\banywhere\s+in\s+the\s+world\b",
    re.IGNORECASE,
)
_ONSITE_SIGNAL = re.compile(r"\bon[\s_-]?site\b|\bin[\s-]office\b|\boffice[\s-]based\b", re.IGNORECASE)


def parse_locations(text: str | None) -> tuple[list[Location], WorkplaceType | None]:
    """Split a location string into places and the workplace type it states.

    Args:
        text: The location as the source wrote it, e.g. ``"Hybrid - Austin, TX"``
            or ``"London; Remote (Europe)"``. Places are separated by ``;``,
            `` / ``, `` | ``, `` or `` or a newline.

    Returns:
        The places (each with ``text`` set to the piece it came from; duplicates
        removed) and the workplace type the string states, or ``None`` when it
        states none or the pieces disagree.
    """
    if text is None or not text.strip():
        return [], None
    locations: list[Location] = []
    stated: set[WorkplaceType] = set()
    for raw_piece in _PIECE_SEPARATORS.split(text):
        piece = squash_spaces(raw_piece)
        if not piece or _NOISE.match(piece):
            continue
        if len(piece) > _MAX_PIECE_LENGTH:
            locations.append(Location(text=piece))  # prose, not a place
            continue
        workplace, places = _parse_piece(piece)
        if workplace is not None:
            stated.add(workplace)
        for place in places:
            if place not in locations:
                locations.append(place)
    workplace = next(iter(stated)) if len(stated) == 1 else None
    return locations, workplace


def detect_workplace_type(*texts: str | None) -> WorkplaceType | None:
    """The workplace type stated by the first text that states one.

    Looks for keywords in titles, descriptions, location strings or flags
    (``remote``, ``work from home``, ``telecommute``, schema.org
    ``TELECOMMUTE``, ``hybrid``, ``on-site``, ``in office``). Negated or
    unrelated uses of "remote" (``not remote``, ``no remote``, ``remote
    sensing``) are ignored. Within one text, hybrid wins over remote (hybrid
    postings usually mention remote days) and remote wins over on-site.

    Args:
        texts: Texts to inspect, most specific first; ``None`` entries are skipped.

    Returns:
        The workplace type, or ``None`` when no text states one.
    """
    for text in texts:
        if not text:
            continue
        cleaned = _NEGATED_REMOTE.sub(" ", text)
        if _HYBRID_SIGNAL.search(cleaned):
            return WorkplaceType.HYBRID
        if _REMOTE_SIGNAL.search(cleaned):
            return WorkplaceType.REMOTE
        if _ONSITE_SIGNAL.search(cleaned):
            return WorkplaceType.ONSITE
    return None


def country_code(name: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name, alias or code.

    Names and aliases (``Germany``, ``Deutschland``, ``UK``, ``USA``) match
    case-insensitively; codes (``DE``, ``DEU``, ``gb``) match in either case.

    Args:
        name: The country as written.

    Returns:
        The upper-case alpha-2 code, or ``None`` when it is not a known country.
    """
    if not name or not name.strip():
        return None
    stripped = name.strip()
    code = _country(stripped)
    if code is None and len(stripped) in (2, 3) and stripped.isalpha():
        code = _country(stripped.upper())
    return code


def _parse_piece(piece: str) -> tuple[WorkplaceType | None, list[Location]]:
    workplace, rest = _split_workplace(piece)
    rest = rest.strip()
    if rest.startswith("(") and rest.endswith(")") and rest.count("(") == 1:
        rest = rest[1:-1]
    else:
        rest = _PARENTHESISED.sub("", rest)
    rest = _ONLY_SUFFIX.sub("", rest.strip(" ()-\u2013\u2014,:")).strip(" ,.-\u2013")
    if workplace is None and not rest:
        return None, [Location(text=piece)]
    if not rest or _NOISE.match(rest):
        return workplace, []
    places = _parse_place(rest, piece)
    if workplace is not None and _unrestricted_marker(piece):
        # Keep only what names a country or region: "Worldwide" means no restriction.
        return workplace, [p for p in places if p.country or p.region]
    return workplace, places or [Location(text=piece)]


def _unrestricted_marker(piece: str) -> bool:
    folded = fold(piece)
    return any(marker in folded for marker in _UNRESTRICTED)


def _split_workplace(piece: str) -> tuple[WorkplaceType | None, str]:
    whole = fold(piece).strip("() ")
    if whole in _WORKPLACE_WORDS:
        return _WORKPLACE_WORDS[whole], ""
    match = _LEADING_MARKER.match(piece)
    if match:
        return _workplace_word(match.group("wp")), match.group("rest")
    match = _TRAILING_MARKER.match(piece)
    # "US Remote" is common; "Head Office" is a place, not a workplace type.
    if match and match.group("rest") and (match.group("sep").strip() or "remote" in fold(match.group("wp"))):
        return _workplace_word(match.group("wp")), match.group("rest")
    return None, piece


def _workplace_word(word: str) -> WorkplaceType | None:
    key = fold(word).replace("-", " ")
    return _WORKPLACE_WORDS.get(key) or _WORKPLACE_WORDS.get(fold(word))


def _parse_place(place: str, text: str) -> list[Location]:
    place = _ZIP_TAIL.sub("", squash_spaces(place))
    parts = [_ZIP_TAIL.sub("", p.strip()).strip(" .") for p in place.split(",")]
    parts = [p for p in parts if p]
    if not parts:
        return []
    listed = _as_country_list(parts)
    if listed is not None:
        return listed
    location = _parse_parts(parts, text)
    return [location] if location is not None else []


def _as_country_list(parts: list[str]) -> list[Location] | None:
    """``USA, Canada, Mexico`` or ``LATAM, Canada, USA``: one place per country."""
    if len(parts) < 2:
        return None
    codes = [_country(p) for p in parts]
    if not all(code is not None or fold(p) in MACRO_REGIONS for p, code in zip(parts, codes, strict=True)):
        return None
    known = [code for code in codes if code is not None]
    if len(set(known)) < len(known):
        return None  # "Singapore, Singapore" is a city in its country
    if len(parts) == 2 and codes[1] is not None and _subdivision(parts[0], codes[1]) is not None:
        return None  # "Georgia, USA" is a state, not two countries
    return [
        Location(country=code, text=p) if code else Location(text=p)
        for p, code in zip(parts, codes, strict=True)
    ]


def _parse_parts(parts: list[str], text: str) -> Location | None:
    alias = _CITY_ALIASES.get(fold(", ".join(parts))) or (
        _CITY_ALIASES.get(fold(parts[0])) if len(parts) == 1 else None
    )
    if alias is not None:
        return Location(city=alias[0], region=alias[1], country=alias[2], text=text)

    rest = list(parts)
    region: str | None = None
    country: str | None = None
    subdivision = _subdivision(rest[-1], None) if len(rest) >= 2 else None
    if subdivision is not None:
        region, country = subdivision
        rest.pop()
    elif (code := _country(rest[-1])) is not None:
        country = code
        rest.pop()
        if rest and (subdivision := _subdivision(rest[-1], country)) is not None:
            region = subdivision[0]
            rest.pop()
    elif len(rest) == 1 and (subdivision := _subdivision(rest[0], None)) is not None:
        region, country = subdivision
        rest.pop()

    city = None
    if rest:
        candidate = rest[0]
        if len(rest) >= 2 and region is None:
            region = rest[-1] if _plausible_name(rest[-1]) else None
        if fold(candidate) in _CITY_ALIASES and country in (None, "US"):
            city, alias_region, country = _CITY_ALIASES[fold(candidate)]
            region = region or alias_region
        elif _plausible_name(candidate) and fold(candidate) not in MACRO_REGIONS:
            city = candidate
    if city is None and region is None and country is None:
        return None
    return Location(city=city, region=region, country=country, text=text)


def _plausible_name(value: str) -> bool:
    if not _CITY_SHAPE.match(value):
        return False
    words = fold(value).split()
    return 0 < len(words) <= _MAX_CITY_WORDS and not any(w in _NOT_CITY_WORDS for w in words)


def _country(value: str) -> str | None:
    value = value.strip()
    if value.isupper() and value.isalpha() and value not in _NOT_COUNTRY_CODES:
        codes = _country_codes()
        if value in codes:
            return codes[value]
    return _country_names().get(fold(value))


def _subdivision(value: str, country: str | None) -> tuple[str, str] | None:
    """``(region, country)`` when ``value`` is a state or province of ``country``."""
    value = value.strip()
    upper = value.upper()
    folded = fold(value).replace(".", "")
    if country in (None, "US"):
        if value.isupper() and upper in US_STATES:
            return upper, "US"
        if (code := _us_state_names().get(folded)) is not None:
            return code, "US"
    if country in (None, "CA"):
        if value.isupper() and upper in CA_PROVINCES:
            return upper, "CA"
        if (code := _ca_province_names().get(folded)) is not None:
            return code, "CA"
    other = _other_subdivisions().get(fold(value))
    if other is not None and country in (None, other):
        return value, other
    return None


@functools.cache
def _country_codes() -> dict[str, str]:
    codes: dict[str, str] = {}
    for alpha2, alpha3, *_ in COUNTRIES:
        codes[alpha2] = alpha2
        codes[alpha3] = alpha2
    return codes


@functools.cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for alpha2, _alpha3, *aliases in COUNTRIES:
        for alias in aliases:
            names[fold(alias)] = alpha2
    return names


@functools.cache
def _us_state_names() -> dict[str, str]:
    names = {fold(name).replace(".", ""): code for code, name in US_STATES.items()}
    names.update({"dc": "DC", "washington dc": "DC", "us virgin islands": "VI"})
    return names


@functools.cache
def _ca_province_names() -> dict[str, str]:
    names = {fold(name): code for code, name in CA_PROVINCES.items()}
    names.update({"quebec": "QC", "newfoundland": "NL", "yukon territory": "YT"})
    return names


@functools.cache
def _other_subdivisions() -> dict[str, str]:
    return {fold(name): country for name, country in OTHER_SUBDIVISIONS.items()}
