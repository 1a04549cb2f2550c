"""Clock implementations (the real one and a settable one for tests) and the aware-time rule."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta, tzinfo

import msgspec

__all__ = [
    "FixedClock",
    "SystemClock",
    "from_utc_text",
    "optional_utc_text",
    "require_aware",
    "require_aware_datetimes",
    "time_zone",
    "utc_text",
]

_UTC_TEXT = "%Y-%m-%dT%H:%M:%S.%fZ"


def require_aware(value: object, what: str) -> datetime:
    """``value``, checked to be a timezone-aware datetime.

    Raises:
        ValueError: Naming ``what``.
    """
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{what} must be a timezone-aware datetime, got {value!r}")
    return value


def utc_text(value: datetime, what: str = "datetime") -> str:
    """An instant as fixed-width UTC text (microseconds), which sorts as time does.

    Raises:
        ValueError: ``value`` is naive (the message names ``what``).
    """
    return require_aware(value, what).astimezone(UTC).strftime(_UTC_TEXT)


def optional_utc_text(value: datetime | None, what: str = "datetime") -> str | None:
    """:func:`utc_text`, or ``None`` for no value."""
    return None if value is None else utc_text(value, what)


def from_utc_text(text: str) -> datetime:
    """The instant :func:`utc_text` wrote."""
    return datetime.strptime(text, _UTC_TEXT).replace(tzinfo=UTC)


def require_aware_datetimes(record: msgspec.Struct) -> None:
    """Refuse a record with a naive datetime field: stores keep instants, not wall times.

    Raises:
        ValueError: Naming the record type and field.
    """
    # __struct_fields__, not msgspec.structs.fields(): that one evaluates type hints on every call.
    for name in record.__struct_fields__:
        value = getattr(record, name)
        if isinstance(value, datetime):
            require_aware(value, f"{type(record).__name__}.{name}")


class SystemClock:
    """The wall clock, in UTC."""

    def now(self) -> datetime:
        """The current time."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to (tests, replays)."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._now = now

    def now(self) -> datetime:
        """The set time."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self._now += delta


def time_zone(name: str) -> tzinfo:
    """The IANA time zone ``name`` (``"UTC"``, ``"Europe/Berlin"``, ``"America/New_York"``).

    Raises:
        ValueError: ``name`` is not a time zone (the message names it).
    """
    if name == "UTC":
        return UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Europe" is a directory
        raise ValueError(
            f"unknown time zone {name!r}; expected an IANA name such as 'Europe/Berlin'"
        ) from None
