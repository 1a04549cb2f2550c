"""Salary text and structured salary fields to :class:`Salary`.

:func:`parse_salary` reads the forms job boards really print (``$56K-$97K
(Glassdoor est.)``, ``€45,000 - €55,000 a year``, ``CHF 100'000``,
``₹12,00,000 - ₹18,00,000 per annum``, ``Up to $150k``...). Its guiding rule
is that an unknown value stays unknown: when the text does not make an amount,
its currency or its period clear, that part is ``None`` rather than a guess.

How the period is decided, in order:

1. A period stated next to the amount (``per hour``, ``/yr``, ``a month``,
   ``p.a.``, ``daily``...).
2. ``period_hint`` given by the caller (a source that knows its salaries are
   monthly, say).
3. Lakh/crore amounts (``12 LPA``, ``18 lakh``) are annual, as is every
   Glassdoor-style estimate without a period.
4. Magnitude, only for currencies whose salaries are quoted in similar
   magnitudes (USD, EUR, GBP, CHF, CAD, AUD, NZD, SGD) and for an unknown
   currency: a lowest figure of at least 20,000 is annual;
   figures all between 1,000 and 12,000 are monthly (a yearly salary that low
   is implausible, a weekly or daily one that high is rare); anything else is
   ambiguous and the period stays ``None``, so do the annual figures.

In texts longer than 120 characters (a description rather than a salary
field) only an amount with a currency that follows a word such as "salary",
"pay", "compensation", "base" or "range" counts.

A text is rejected (``None``) when it holds no amount, when the amounts look
like a year (``2024``) or a phone number, when ``401k`` is the only figure,
or when the maximum is more than 50 times the minimum.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

import msgspec

from jobforge.core.models import Salary, SalaryPeriod
from jobforge.core.normalize._text import fold

__all__ = [
    "ANNUAL_FACTORS",
    "MAX_RANGE_RATIO",
    "annualise",
    "make_salary",
    "normalize_currency",
    "parse_salary",
    "parse_salary_period",
]

ANNUAL_FACTORS: dict[SalaryPeriod, int] = {
    SalaryPeriod.HOUR: 2080,
    SalaryPeriod.DAY: 260,
    SalaryPeriod.WEEK: 52,
    SalaryPeriod.MONTH: 12,
    SalaryPeriod.YEAR: 1,
}
"""How many of each period make a working year (40-hour weeks, 52 weeks)."""

MAX_RANGE_RATIO = 50
"""A range whose maximum exceeds this multiple of its minimum is rejected."""

_CODES = (
    "USD|EUR|GBP|CHF|CAD|AUD|NZD|JPY|CNY|RMB|INR|SEK|NOK|DKK|PLN|CZK|HUF|RON|BGN|BRL|MXN|ARS|CLP|"
    "COP|ZAR|SGD|HKD|KRW|TWD|ILS|AED|SAR|RUB|UAH|IDR|MYR|THB|VND|NGN|KES|EGP|PKR|ISK|LKR|BDT|QAR"
)
_CODE_ALIASES = {"RMB": "CNY"}
_DOLLAR_PREFIXES = {
    "US": "USD", "USD": "USD", "CA": "CAD", "C": "CAD", "CAD": "CAD", "A": "AUD", "AU": "AUD",
    "AUD": "AUD", "NZ": "NZD", "NZD": "NZD", "HK": "HKD", "HKD": "HKD", "S": "SGD", "SG": "SGD",
    "SGD": "SGD", "MX": "MXN", "R": "BRL",
}  # fmt: skip
_SYMBOLS = {
    "$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "₪": "ILS",
    "₺": "TRY", "฿": "THB", "₱": "PHP", "₦": "NGN", "₴": "UAH", "₫": "VND", "zł": "PLN",
}  # fmt: skip
# Currencies in which one figure can be read as annual or monthly by size alone.
_INFERABLE_CURRENCIES = frozenset({None, "USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "SGD"})
_ANNUAL_FLOOR = 20_000
_MONTHLY_BAND = (1_000, 12_000)
_MAX_UNLABELLED = 10_000_000  # a bare figure above this is an id or a phone number
_MAX_AMOUNT = 1e12
_SHORT_TEXT = 120  # longer texts (descriptions) only yield amounts with a currency...
_SALARY_WORDS = re.compile(  # ...shortly after one of these words ("raised $20M" is no salary)
    r"\b(?:salary|salaries|compensation|pay|paid|wage|base|ote|rate|range|earn\w*|gehalt|salaire"
    r"|r[eé]mun[eé]ration|sueldo|salario)\b",
    re.IGNORECASE,
)
_SALARY_WORD_DISTANCE = 80
_WEAK_TEXT = 40

_PREFIX = (
    r"(?:(?<![A-Za-z])(?P<dpre>US|USD|CAD|CA|C|AUD|AU|A|NZD|NZ|HKD|HK|SGD|SG|S|MX|R)\s?\$"
    rf"|(?P<sym>[$£€¥₹₩₽₪₺฿₱₦₴₫])|(?<![A-Za-z])(?P<pcode>{_CODES})(?![A-Za-z])\.?)"
)
_NUMBER = r"(?<![\d.,'\u2019])(?:\d{1,3}(?:[ \u202f]\d{3})+(?![\d.,])|\d(?:[\d,.'\u2019]*\d)?)"
_MULTIPLIER = r"(?i:thousand|million|mio|mn|lakhs?|lacs?|crores?|cr)|LPA|L|k|K|M"
_AMOUNT = re.compile(
    rf"(?:{_PREFIX}\s?)?(?P<num>{_NUMBER})(?:\s?(?P<mult>{_MULTIPLIER})(?![A-Za-z]))?"
    rf"(?P<plus>\s?\+)?(?:\s?(?:(?P<ssym>zł|[€£¥₹])|(?<![A-Za-z])(?P<scode>{_CODES})(?![A-Za-z])))?"
)
_MULTIPLIERS = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mio": 1e6, "mn": 1e6, "l": 1e5,
    "lpa": 1e5, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "cr": 1e7, "crore": 1e7,
    "crores": 1e7,
}  # fmt: skip
_INDIAN_UNITS = frozenset({"l", "lpa", "lakh", "lakhs", "lac", "lacs", "cr", "crore", "crores"})
_CURRENCY_MENTION = re.compile(
    rf"(?<![A-Za-z])(?P<dpre>US|CAD|CA|C|AUD|AU|A|NZ|HK|SG|S|MX|R)\$|(?P<sym>zł|[$£€¥₹₩₽₪₺฿₱₦₴₫])"
    rf"|(?<![A-Za-z])(?P<code>{_CODES})(?![A-Za-z])"
)
_RANGE_GAP = re.compile(
    r"^\s*(?:[-\u2013\u2014\u2212\u2012~]+|to|and|bis|à|a|au|till|until|through)\s*$", re.IGNORECASE
)
_MAX_ONLY = re.compile(
    r"(?<![A-Za-z])(?:up\s*to|max(?:imum)?\.?|bis\s+zu|jusqu'?\s?(?:à|a)|hasta|under|less\s+than|<|≤)\s*:?\s*$",
    re.IGNORECASE,
)
_MIN_ONLY = re.compile(
    r"(?<![A-Za-z])(?:from|starting\s+(?:at|from)|starts\s+at|min(?:imum)?\.?|at\s+least|ab|à\s+partir\s+de|desde|"
    r"over|more\s+than|>|≥)\s*:?\s*$",
    re.IGNORECASE,
)
_NOT_SALARY = re.compile(r"\b40[13]\s?\(?[kb]\)?|\b457\s?\(?b\)?", re.IGNORECASE)
_PHONE = re.compile(
    r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b|\b\d{3}-\d{4}\b"
)
_ESTIMATED = re.compile(r"\b(?:glassdoor|employer)\s+est\b|\bestimated?\b", re.IGNORECASE)
_PER = r"(?:\bper|\ban?|\beach|\bevery)\s+"
_PERIOD_PATTERNS: tuple[tuple[SalaryPeriod, re.Pattern[str]], ...] = (
    (
        SalaryPeriod.HOUR,
        re.compile(
            rf"{_PER}(?:hour|hr)s?\b|/\s*(?:hour|hr|h|std|heure)s?\b|\bhourly\b|(?<=\d)\s?p\.?/?h\b"
            r"|\bper\s+hora\b|\bpor\s+hora\b|\bpro\s+stunde\b|\bstündlich\b|\bpar\s+heure\b",
            re.IGNORECASE,
        ),
    ),
    (
        SalaryPeriod.DAY,
        re.compile(
            rf"{_PER}day\b|/\s*(?:day|d|tag|jour|día|dia)\b|\bdaily\b|\bday\s+rate\b|(?<=\d)\s?p\.?/?d\b"
            r"|\bpro\s+tag\b|\bpar\s+jour\b|\bpor\s+d[ií]a\b|\bal\s+d[ií]a\b",
            re.IGNORECASE,
        ),
    ),
    (
        SalaryPeriod.WEEK,
        re.compile(
            rf"{_PER}week\b|/\s*(?:week|wk|w|woche|semaine|semana)\b|\bweekly\b|(?<=\d)\s?p\.?/?w\b"
            r"|\bpro\s+woche\b|\bpar\s+semaine\b|\bpor\s+semana\b|\ba\s+la\s+semana\b",
            re.IGNORECASE,
        ),
    ),
    (
        SalaryPeriod.MONTH,
        re.compile(
            rf"{_PER}(?:month|mensem)\b|/\s*(?:month|mo|mth|m|monat|mois|mes)\b|\bmonthly\b|\bmonatlich\b"
            r"|\b(?:pro|im)\s+monat\b|\bpar\s+mois\b|\bmensuel(?:le)?\b|\b(?:al|por)\s+mes\b|\bmensual\b",
            re.IGNORECASE,
        ),
    ),
    (
        SalaryPeriod.YEAR,
        re.compile(
            rf"{_PER}(?:year|yr|annum)\b|/\s*(?:year|yr|y|annum|a|jahr|an|año|ano)\b|\bannual(?:ly)?\b"
            r"|\byearly\b|\bp\.\s?a\.|(?<=[\dkK])\s?pa\b|\bLPA\b|\bjährlich\b|\b(?:pro|im)\s+jahr\b"
            r"|\bpar\s+an\b|\bannuel(?:le)?\b|\b(?:al|por)\s+año\b|\banual\b|\bbrutto\s*/?\s*jahr\b",
            re.IGNORECASE,
        ),
    ),
)
_PERIOD_AFTER = 60
_PERIOD_BEFORE = 40
_PERIOD_WORDS: dict[str, SalaryPeriod] = {
    **dict.fromkeys(("hour", "hourly", "hours", "hr", "h", "per hour"), SalaryPeriod.HOUR),
    **dict.fromkeys(("day", "daily", "days", "d", "per day"), SalaryPeriod.DAY),
    **dict.fromkeys(("week", "weekly", "weeks", "wk", "w", "per week"), SalaryPeriod.WEEK),
    **dict.fromkeys(("month", "monthly", "months", "mo", "mth", "m", "per month"), SalaryPeriod.MONTH),
    **dict.fromkeys(
        ("year", "yearly", "years", "annual", "annually", "annum", "per annum", "yr", "y", "pa", "per year"),
        SalaryPeriod.YEAR,
    ),
}


class _Token(NamedTuple):
    """One amount found in the text."""

    start: int
    end: int
    number: float
    multiplier: float | None
    unit: str | None
    currency: str | None
    explicit_currency: bool
    """False when the only currency sign is a bare ``$``."""
    plus: bool
    plain: bool
    """Written without separators or decimals (``2024`` can be a year)."""


class _Candidate(NamedTuple):
    """A single amount or a range, with what the text says about it."""

    start: int
    end: int
    low: float | None
    high: float | None
    currency: str | None
    tokens: tuple[_Token, ...]


def parse_salary(
    text: str | None,
    *,
    default_currency: str | None = None,
    period_hint: SalaryPeriod | None = None,
) -> Salary | None:
    """Read a salary from free text.

    Args:
        text: The salary as a job board prints it, e.g. ``"$56K-$97K (Glassdoor est.)"``.
        default_currency: ISO 4217 code to assume when the text names no currency.
        period_hint: Period to assume when the text states none (before magnitude
            inference, see the module docs).

    Returns:
        The salary with ``text`` set to the original and annual figures filled
        in when the period is known, or ``None`` when the text holds no salary.
    """
    if text is None:
        return None
    cleaned = _NOT_SALARY.sub(" ", text.replace("\u00a0", " "))
    if not any(ch.isdigit() for ch in cleaned) or cleaned.strip() in ("-1", "0"):
        return None
    mentions = _period_mentions(cleaned)
    candidate = _pick_candidate(cleaned, mentions)
    if candidate is None:
        return None
    currency = candidate.currency or _sole_currency(cleaned) or normalize_currency(default_currency)
    period = _stated_period(mentions, candidate) or period_hint
    if period is None:
        period = _inferred_period(cleaned, candidate, currency)
    low, high = candidate.low, candidate.high
    return annualise(
        Salary(
            min=None if low is None else _tidy(low),
            max=None if high is None else _tidy(high),
            currency=currency,
            period=period,
            text=text,
            estimated=bool(_ESTIMATED.search(cleaned)),
        )
    )


def annualise(salary: Salary) -> Salary:
    """The salary with ``annual_min``/``annual_max`` computed from its period.

    Factors: hour 2080, day 260, week 52, month 12, year 1. Without a period
    the annual figures are ``None``.
    """
    factor = ANNUAL_FACTORS.get(salary.period) if salary.period is not None else None
    if factor is None:
        return msgspec.structs.replace(salary, annual_min=None, annual_max=None)
    return msgspec.structs.replace(
        salary,
        annual_min=None if salary.min is None else _tidy(salary.min * factor),
        annual_max=None if salary.max is None else _tidy(salary.max * factor),
    )


def make_salary(
    min_amount: float | str | None,
    max_amount: float | str | None,
    currency: str | None,
    period: SalaryPeriod | str | None,
    text: str | None = None,
) -> Salary | None:
    """A salary from structured fields (as ATS APIs deliver them).

    Amounts may be numbers or numeric strings (``"3750"``, ``"120,000"``,
    ``"150k"``); zero, negative or unreadable amounts count as unknown. A
    minimum above the maximum is swapped. Period words such as ``hourly``,
    ``annual``, ``yearly``, ``monthly`` or ``per_hour`` are understood.

    Args:
        min_amount: Lowest amount.
        max_amount: Highest amount.
        currency: ISO 4217 code or a currency symbol.
        period: The period the amounts are quoted for.
        text: Display text to keep with the salary.

    Returns:
        The annualised salary, or ``None`` when neither amount is known or the
        range is implausible (maximum over 50 times the minimum).
    """
    low, high = _structured_amount(min_amount), _structured_amount(max_amount)
    if low is None and high is None:
        return None
    if low is not None and high is not None:
        low, high = min(low, high), max(low, high)
        if high > MAX_RANGE_RATIO * low:
            return None
    return annualise(
        Salary(
            min=low,
            max=high,
            currency=normalize_currency(currency),
            period=parse_salary_period(period),
            text=text,
        )
    )


def parse_salary_period(value: SalaryPeriod | str | None) -> SalaryPeriod | None:
    """A period from words like ``hourly``, ``per_hour``, ``annual``, ``YEAR``, ``monthly``.

    Returns:
        The period, or ``None`` for anything else (including ``biweekly``).
    """
    if value is None or isinstance(value, SalaryPeriod):
        return value
    key = fold(value.replace("_", " ").replace("-", " ")).strip(" .")
    key = key.removeprefix("per ").removeprefix("a ").strip()
    return _PERIOD_WORDS.get(key)


def normalize_currency(value: str | None) -> str | None:
    """An ISO 4217 code from a code or symbol (``usd`` -> ``USD``, ``€`` -> ``EUR``).

    Returns:
        The upper-case code, or ``None`` when ``value`` is neither.
    """
    if value is None:
        return None
    stripped = value.strip()
    if stripped in _SYMBOLS:
        return _SYMBOLS[stripped]
    upper = stripped.upper()
    if upper.endswith("$") and upper[:-1] in _DOLLAR_PREFIXES:
        return _DOLLAR_PREFIXES[upper[:-1]]
    if len(upper) == 3 and upper.isascii() and upper.isalpha():
        return _CODE_ALIASES.get(upper, upper)
    return None


def _pick_candidate(text: str, mentions: list[tuple[int, SalaryPeriod]]) -> _Candidate | None:
    tokens = _tokens(text)
    if not tokens:
        return None
    phones = [m.span() for m in _PHONE.finditer(text)]
    short = len(text.strip()) <= _SHORT_TEXT
    weak_ok = len(text.strip()) <= _WEAK_TEXT
    by_strength: dict[int, list[_Candidate]] = {2: [], 1: [], 0: []}
    for candidate in _candidates(text, tokens):
        strength = _strength(mentions, candidate)
        if strength < 2 and any(s <= candidate.start < e for s, e in phones):
            continue
        if _plausible(candidate, strength):
            by_strength[strength].append(candidate)
    if short and by_strength[2]:
        return by_strength[2][0]
    for candidate in by_strength[2]:
        window = text[max(0, candidate.start - _SALARY_WORD_DISTANCE) : candidate.start]
        if _SALARY_WORDS.search(window):
            return candidate
    if short and by_strength[1]:
        return by_strength[1][0]
    if weak_ok and by_strength[0]:
        return by_strength[0][0]
    return None


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _AMOUNT.finditer(text):
        num = match.group("num")
        has_prefix = bool(match.group("dpre") or match.group("sym") or match.group("pcode"))
        before = text[match.start("num") - 1] if match.start("num") > 0 else " "
        after = text[match.end() : match.end() + 4]
        if not has_prefix and before.isalpha():
            continue  # Q4, H1B, W2
        if after[:1] == "%" or (after[:1].isalpha() and not _period_suffix(after)):
            continue
        number = _parse_number(num)
        if number is None:
            continue
        unit = match.group("mult")
        multiplier = _MULTIPLIERS.get(unit.casefold()) if unit else None
        currency, explicit = _token_currency(match)
        tokens.append(
            _Token(
                start=match.start(),
                end=match.end(),
                number=number,
                multiplier=multiplier,
                unit=unit.casefold() if unit else None,
                currency=currency,
                explicit_currency=explicit,
                plus=bool(match.group("plus")),
                plain=num.isdigit(),
            )
        )
    return tokens


_PERIOD_SUFFIX = re.compile(r"^(?:p\.?/?[hdwa]|hr|h\b|yr|mo\b)", re.IGNORECASE)


def _period_suffix(after: str) -> bool:
    return bool(_PERIOD_SUFFIX.match(after))


def _token_currency(match: re.Match[str]) -> tuple[str | None, bool]:
    code = match.group("pcode") or match.group("scode")
    if code:
        return _CODE_ALIASES.get(code, code), True
    if match.group("dpre"):
        return _DOLLAR_PREFIXES[match.group("dpre")], True
    symbol = match.group("sym") or match.group("ssym")
    if symbol:
        return _SYMBOLS[symbol], symbol != "$"
    return None, False


def _candidates(text: str, tokens: list[_Token]) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    index = 0
    while index < len(tokens):
        first = tokens[index]
        second = tokens[index + 1] if index + 1 < len(tokens) else None
        if second is not None and _RANGE_GAP.match(text[first.end : second.start]):
            candidates.append(_range(first, second))
            index += 2
            continue
        candidates.append(_single(text, first))
        index += 1
    return candidates


def _range(first: _Token, second: _Token) -> _Candidate:
    low, high = _value(first), _value(second)
    # "45-55k", "$150 - 210K": one multiplier serves both ends when that reads sensibly.
    if first.multiplier is None and second.multiplier is not None:
        scaled = first.number * second.multiplier
        low = scaled if scaled <= high else low
    elif second.multiplier is None and first.multiplier is not None:
        scaled = second.number * first.multiplier
        high = scaled if scaled >= low else high
    low, high = min(low, high), max(low, high)
    return _Candidate(
        start=first.start,
        end=second.end,
        low=low,
        high=high,
        currency=_range_currency(first, second),
        tokens=(first, second),
    )


def _single(text: str, token: _Token) -> _Candidate:
    value = _value(token)
    before = text[max(0, token.start - 25) : token.start]
    low: float | None = value
    high: float | None = value
    if token.plus or _MIN_ONLY.search(before):
        high = None
    elif _MAX_ONLY.search(before):
        low = None
    return _Candidate(
        start=token.start, end=token.end, low=low, high=high, currency=token.currency, tokens=(token,)
    )


def _range_currency(first: _Token, second: _Token) -> str | None:
    for token in (first, second):
        if token.explicit_currency:
            return token.currency
    return first.currency or second.currency


def _value(token: _Token) -> float:
    return token.number * (token.multiplier or 1.0)


def _strength(mentions: list[tuple[int, SalaryPeriod]], candidate: _Candidate) -> int:
    """2: a currency is attached; 1: a multiplier or a period is; 0: bare numbers."""
    if candidate.currency is not None:
        return 2
    if any(t.multiplier is not None for t in candidate.tokens):
        return 1
    return 1 if _stated_period(mentions, candidate) is not None else 0


def _plausible(candidate: _Candidate, strength: int) -> bool:
    values = [v for v in (candidate.low, candidate.high) if v is not None]
    if not values or min(values) <= 0 or max(values) > _MAX_AMOUNT:
        return False
    if (
        candidate.low is not None
        and candidate.high is not None
        and candidate.high > MAX_RANGE_RATIO * candidate.low
    ):
        return False
    if strength == 2:
        return True
    if max(values) > _MAX_UNLABELLED:
        return False
    if any(t.plain and t.multiplier is None and 1900 <= t.number <= 2100 for t in candidate.tokens):
        return False  # a year, or a span of years
    return strength == 1 or min(values) >= _MONTHLY_BAND[0]


def _period_mentions(text: str) -> list[tuple[int, SalaryPeriod]]:
    """Every stated period with its position, in text order."""
    found = [(m.start(), period) for period, pattern in _PERIOD_PATTERNS for m in pattern.finditer(text)]
    return sorted(found, key=lambda item: item[0])


def _stated_period(mentions: list[tuple[int, SalaryPeriod]], candidate: _Candidate) -> SalaryPeriod | None:
    """The first period stated just after the amount, else the nearest one just before it."""
    for position, period in mentions:
        if candidate.start <= position <= candidate.end + _PERIOD_AFTER:
            return period
    before = [p for pos, p in mentions if candidate.start - _PERIOD_BEFORE <= pos < candidate.start]
    return before[-1] if before else None


def _inferred_period(text: str, candidate: _Candidate, currency: str | None) -> SalaryPeriod | None:
    if any(t.unit in _INDIAN_UNITS for t in candidate.tokens):
        return SalaryPeriod.YEAR
    if _ESTIMATED.search(text):
        return SalaryPeriod.YEAR  # Glassdoor-style estimates without a period are annual
    if currency not in _INFERABLE_CURRENCIES:
        return None
    values = [v for v in (candidate.low, candidate.high) if v is not None]
    low, high = min(values), max(values)
    if low >= _ANNUAL_FLOOR:
        return SalaryPeriod.YEAR
    if _MONTHLY_BAND[0] <= low and high <= _MONTHLY_BAND[1]:
        return SalaryPeriod.MONTH
    return None


def _sole_currency(text: str) -> str | None:
    found: set[str] = set()
    for match in _CURRENCY_MENTION.finditer(text):
        if match.group("dpre"):
            found.add(_DOLLAR_PREFIXES[match.group("dpre")])
        elif match.group("sym"):
            found.add(_SYMBOLS[match.group("sym")])
        else:
            code = match.group("code")
            found.add(_CODE_ALIASES.get(code, code))
    return found.pop() if len(found) == 1 else None


def _parse_number(raw: str) -> float | None:
    """A number written with any common grouping: ``120,000.00``, ``100.000``, ``12,00,000``, ``100'000``."""
    text = raw.replace("\u202f", " ")
    if " " in text:
        return float(text.replace(" ", ""))
    text = text.replace("'", "").replace("\u2019", "")
    has_comma, has_dot = "," in text, "." in text
    if has_comma and has_dot:
        decimal_sep = "," if text.rfind(",") > text.rfind(".") else "."
        group_sep = "." if decimal_sep == "," else ","
        whole, _, fraction = text.rpartition(decimal_sep)
        if decimal_sep in whole or not _grouped(whole, group_sep):
            return None
        return float(whole.replace(group_sep, "") + "." + fraction)
    if has_comma or has_dot:
        sep = "," if has_comma else "."
        parts = text.split(sep)
        if len(parts) == 2 and len(parts[1]) != 3:
            return float(parts[0] + "." + parts[1])
        return float(text.replace(sep, "")) if _grouped(text, sep) else None
    return float(text)


def _grouped(number: str, sep: str) -> bool:
    """Thousands groups of three (``1,234,567``) or Indian lakh grouping (``12,34,567``)."""
    parts = number.split(sep)
    if len(parts) == 1:
        return number.isdigit()
    if not all(p.isdigit() for p in parts) or not 1 <= len(parts[0]) <= 3:
        return False
    if all(len(p) == 3 for p in parts[1:]):
        return True
    return sep == "," and len(parts[-1]) == 3 and len(parts[0]) <= 2 and all(len(p) == 2 for p in parts[1:-1])


def _structured_amount(value: float | str | None) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        stripped = value.strip()
        match = _AMOUNT.fullmatch(stripped)
        if not match:
            return None
        number = _parse_number(match.group("num"))
        unit = match.group("mult")
        if number is None:
            return None
        amount = number * (_MULTIPLIERS.get(unit.casefold(), 1.0) if unit else 1.0)
    else:
        amount = float(value)
    if not math.isfinite(amount) or amount <= 0:
        return None
    return _tidy(amount)


def _tidy(value: float) -> float:
    return round(value, 2)
