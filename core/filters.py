"""Validation of user-supplied search filters into :class:`SearchFilters`.

Unknown filter names and bad values are errors that name the filter;
nothing is silently dropped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from jobforge.core.errors import InvalidFilterError
from jobforge.core.models import EmploymentType, Seniority, WorkplaceType
from jobforge.core.normalize import country_code, parse_employment_type
from jobforge.core.search_types import SearchFilters

__all__ = ["FILTER_NAMES", "parse_filters"]

FILTER_NAMES: Mapping[str, str] = {
    "remote": "workplace type: remote, hybrid or onsite (several allowed)",
    "location": "text found in a job's city, region, country or location text",
    "country": "ISO 3166-1 alpha-2 code or country name (several allowed)",
    "salary_min": "minimum annual salary, optionally with a currency: 120000, 120k, 90000 EUR",
    "employment_type": "full_time, part_time, contract, temporary, internship, volunteer, other",
    "seniority": "intern, junior, mid, senior, lead, principal, manager, director, executive",
    "posted_within_days": "whole number of days, 1 to 3650",
    "company": "company name, case-insensitive (several allowed)",
    "exclude_company": "company name to leave out (several allowed)",
    "source": "source name, e.g. file:postings (several allowed)",
}
"""Every accepted filter and what it takes."""

_WORKPLACE_WORDS = {
    "remote": WorkplaceType.REMOTE,
    "hybrid": WorkplaceType.HYBRID,
    "onsite": WorkplaceType.ONSITE,
    "on-site": WorkplaceType.ONSITE,
    "on_site": WorkplaceType.ONSITE,
    "office": WorkplaceType.ONSITE,
}
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
_SALARY = re.compile(
    r"^\s*(?P<pre>[A-Za-z]{3}|[$€£¥₹])?\s*(?P<num>\d[\d,._ ]*)\s*(?P<k>[kK])?\s*(?P<post>[A-Za-z]{3})?\s*$"
)
_MAX_SALARY = 100_000_000
_MAX_TEXT = 200


def parse_filters(
    raw: Mapping[str, Any] | None, *, now: datetime, default_currency: str = "USD"
) -> SearchFilters:
    """Validate raw filter values (strings, lists of strings, or JSON values).

    Multi-valued filters accept a list or a comma-separated string (except
    company names, which may contain commas: repeat those instead).
    """
    if not raw:
        return SearchFilters()
    unknown = sorted(set(raw) - set(FILTER_NAMES))
    if unknown:
        raise InvalidFilterError(unknown[0], f"unknown filter; the filters are: {', '.join(FILTER_NAMES)}")
    fields: dict[str, Any] = {}
    for name, value in raw.items():
        if value is None or value in ("", []):
            continue
        if name == "remote":
            fields["workplace_types"] = _enum_values(
                name, value, _WORKPLACE_WORDS.get, "remote, hybrid, onsite"
            )
        elif name == "location":
            fields["location"] = _single_text(name, value)
        elif name == "country":
            fields["countries"] = _countries(name, value)
        elif name == "salary_min":
            amount, currency = _salary(name, value, default_currency)
            fields["salary_min"], fields["salary_currency"] = amount, currency
        elif name == "employment_type":
            fields["employment_types"] = _enum_values(name, value, _employment, _choices(EmploymentType))
        elif name == "seniority":
            fields["seniorities"] = _enum_values(name, value, _seniority, _choices(Seniority))
        elif name == "posted_within_days":
            days = _integer(name, value, 1, 3650)
            fields["posted_after"] = now - timedelta(days=days)
        elif name in ("company", "exclude_company", "source"):
            key = {"company": "companies", "exclude_company": "exclude_companies", "source": "sources"}[name]
            fields[key] = tuple(dict.fromkeys(_texts(name, value, split=name == "source")))
    return SearchFilters(**fields)


def _choices(enum: Iterable[Any]) -> str:
    return ", ".join(str(member.value) for member in enum if member.value != "unknown")


def _employment(word: str) -> EmploymentType | None:
    try:
        return EmploymentType(word)
    except ValueError:
        parsed = parse_employment_type(word)
        return None if parsed is EmploymentType.UNKNOWN else parsed


def _seniority(word: str) -> Seniority | None:
    try:
        value = Seniority(word)
    except ValueError:
        return None
    return None if value is Seniority.UNKNOWN else value


def _enum_values(name: str, value: Any, lookup: Any, choices: str) -> tuple[Any, ...]:
    result = []
    for word in _texts(name, value, split=True):
        member = lookup(word.lower().replace(" ", "_"))
        if member is None:
            raise InvalidFilterError(name, f"expected one of {choices}; got {word!r}")
        result.append(member)
    return tuple(dict.fromkeys(result))


def _texts(name: str, value: Any, *, split: bool) -> list[str]:
    items = value if isinstance(value, list | tuple) else [value]
    texts: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise InvalidFilterError(name, f"expected text, got {type(item).__name__}")
        parts = item.split(",") if split else [item]
        for part in parts:
            text = part.strip()
            if len(text) > _MAX_TEXT:
                raise InvalidFilterError(name, f"longer than {_MAX_TEXT} characters")
            if text:
                texts.append(text)
    if not texts:
        raise InvalidFilterError(name, "is empty")
    return texts


def _single_text(name: str, value: Any) -> str:
    texts = _texts(name, value, split=False)
    if len(texts) > 1:
        raise InvalidFilterError(name, "takes one value")
    return texts[0]


def _countries(name: str, value: Any) -> tuple[str, ...]:
    codes = []
    for word in _texts(name, value, split=True):
        code = country_code(word)
        if code is None:
            raise InvalidFilterError(name, f"unknown country {word!r}; use an ISO code such as US or DE")
        codes.append(code)
    return tuple(dict.fromkeys(codes))


def _integer(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise InvalidFilterError(name, f"expected a whole number, got {value!r}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value):
        number = int(value)
    else:
        raise InvalidFilterError(name, f"expected a whole number, got {value!r}")
    if not low <= number <= high:
        raise InvalidFilterError(name, f"must be between {low} and {high}, got {number}")
    return number


def _salary(name: str, value: Any, default_currency: str) -> tuple[float, str]:
    if isinstance(value, bool):
        raise InvalidFilterError(name, f"expected an amount, got {value!r}")
    if isinstance(value, int | float):
        amount, currency = float(value), default_currency
    elif isinstance(value, str):
        match = _SALARY.match(value)
        if not match:
            raise InvalidFilterError(
                name, f"expected an amount such as 120000, 120k or 90000 EUR; got {value!r}"
            )
        digits = re.sub(r"[,._ ]", "", match.group("num"))
        if not digits.isdigit():
            raise InvalidFilterError(name, f"expected an amount, got {value!r}")
        amount = float(digits) * (1000 if match.group("k") else 1)
        pre, post = match.group("pre"), match.group("post")
        if pre and post:
            raise InvalidFilterError(name, "give the currency once")
        code = pre or post
        currency = (_CURRENCY_SYMBOLS.get(code) or code.upper()) if code else default_currency
    else:
        raise InvalidFilterError(name, f"expected an amount, got {type(value).__name__}")
    if math.isnan(amount) or not 0 <= amount <= _MAX_SALARY:
        raise InvalidFilterError(name, f"must be between 0 and {_MAX_SALARY}, got {amount:g}")
    return amount, currency
