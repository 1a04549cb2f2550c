"""Dates and times in every shape sources use, to timezone-aware UTC datetimes."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

__all__ = ["parse_datetime"]

_EPOCH_MS_THRESHOLD = 1e11
"""Epoch values at or above this are milliseconds (1e11 s is the year 5138; 1e11 ms is 1973)."""
_EPOCH_US_THRESHOLD = 1e14
_EPOCH_MIN = 1e8
"""Smaller numbers (before March 1973) are not posting timestamps: ids, years, counters."""
_MIN_YEAR = 1900
"""Earlier years are placeholders (``0001-01-01``), not real dates."""

_NUMERIC = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_COMPACT_DATE = re.compile(r"^(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$")
_TZ_WORD = re.compile(r"\s*(?:UTC|GMT|Z)$", re.IGNORECASE)
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")
_TODAY = re.compile(r"^(?:posted\s+)?(?:today|just\s+(?:now|posted)|now|heute)$", re.IGNORECASE)
_YESTERDAY = re.compile(r"^(?:posted\s+)?(?:yesterday|gestern)$", re.IGNORECASE)
_AGO = re.compile(
    r"^(?:posted\s+)?(?P<n>\d+|an?|one)\s*(?P<plus>\+)?\s*"
    r"(?P<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|w|months?|mos?|years?|yrs?)"
    r"\s+ago$",
    re.IGNORECASE,
)
_UNIT_SECONDS = {
    "s": 1,
    "m": 60,
    "h": 3600,
    "d": 86400,
    "w": 7 * 86400,
    "mo": 30 * 86400,
    "y": 365 * 86400,
}
_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y%m%d",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M:%S",
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%b %d %Y",
    "%B %d %Y",
)


def parse_datetime(value: datetime | str | int | float | None, *, now: datetime) -> datetime | None:
    """A timezone-aware UTC datetime from whatever a source put in a date field.

    Understands datetimes (naive ones are taken as UTC), ISO 8601 with or
    without offset or ``Z`` and bare dates, ``2026-09-18 12:55:59 UTC``,
    RFC 822 (``Mon, 02 Sep 2024 10:00:00 +0000``), epoch seconds or
    milliseconds as numbers or numeric strings (told apart by magnitude), and
    relative text: ``Posted Today``, ``Posted Yesterday``, ``Posted 3 Days
    Ago``, ``Posted 30+ Days Ago`` (30 days), ``2 weeks ago`` (months count
    as 30 days).

    Args:
        value: The value to read.
        now: The reference instant for relative text.

    Returns:
        The instant in UTC, or ``None`` for empty or unreadable values, epochs
        before 1973 (``0``, ids, years) and placeholder dates before 1900
        (``0001-01-01T00:00:00Z``).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return _checked(value)
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text:
        return None
    if _COMPACT_DATE.match(text):
        return _from_text(text)
    if _NUMERIC.match(text):
        return _from_epoch(float(text))
    relative = _relative(text, _as_utc(now))
    if relative is not None:
        return relative
    return _from_text(text)


def _from_text(text: str) -> datetime | None:
    iso = _LONG_FRACTION.sub(r"\1", _TZ_WORD.sub("", text) if not text.endswith("Z") else text)
    try:
        return _checked(datetime.fromisoformat(iso))
    except ValueError:
        pass
    try:
        return _checked(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    plain = _TZ_WORD.sub("", text).rstrip(".")
    for fmt in _FORMATS:
        try:
            return _checked(datetime.strptime(plain, fmt))
        except ValueError:
            continue
    return None


def _relative(text: str, now: datetime) -> datetime | None:
    if _TODAY.match(text):
        return now
    if _YESTERDAY.match(text):
        return now - timedelta(days=1)
    match = _AGO.match(text)
    if match is None:
        return None
    raw = match.group("n").casefold()
    count = 1 if raw in ("a", "an", "one") else int(raw)
    unit = match.group("unit").casefold()
    key = "mo" if unit.startswith("mo") else "m" if unit.startswith("mi") else unit[0]
    try:
        return now - timedelta(seconds=count * _UNIT_SECONDS[key])
    except OverflowError:
        return None


def _from_epoch(number: float) -> datetime | None:
    if not math.isfinite(number) or number < _EPOCH_MIN:
        return None
    if number >= _EPOCH_US_THRESHOLD:
        number /= 1e6
    elif number >= _EPOCH_MS_THRESHOLD:
        number /= 1e3
    try:
        return _checked(datetime.fromtimestamp(number, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _checked(value: datetime) -> datetime | None:
    try:
        result = _as_utc(value)
    except (OverflowError, ValueError):
        return None
    return result if result.year >= _MIN_YEAR else None


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
