"""Clock implementations (the real one and a settable one for tests) and the aware-time rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import msgspec

__all__ = ["FixedClock", "SystemClock", "require_aware_datetimes"]


def require_aware_datetimes(record: msgspec.Struct) -> None:
    """Refuse a record with a naive datetime field: stores keep instants, not wall times.

    Raises:
        ValueError: Naming the record type and field.
    """
    # __struct_fields__, not msgspec.structs.fields(): that one evaluates type hints on every call.
    for name in record.__struct_fields__:
        value = getattr(record, name)
        if isinstance(value, datetime) and value.utcoffset() is None:
            raise ValueError(
                f"{type(record).__name__}.{name} must be a timezone-aware datetime, got {value!r}"
            )


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
