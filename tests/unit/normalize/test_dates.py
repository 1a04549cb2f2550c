"""Dates in the shapes sources deliver them, to aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobforge.core.normalize import parse_datetime

NOW = datetime(2026, 9, 26, 12, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ISO 8601 (greenhouse, ashby, landing.jobs, smartrecruiters, hackernews, freehire, remotive)
        ("2026-09-24T13:34:54-04:00", utc(2026, 9, 24, 17, 34, 54)),
        ("2026-01-22T21:44:44.930+00:00", datetime(2026, 1, 22, 21, 44, 44, 930000, tzinfo=UTC)),
        ("2025-02-26T08:53:02.254Z", datetime(2025, 2, 26, 8, 53, 2, 254000, tzinfo=UTC)),
        ("2026-09-22T10:35:21Z", utc(2026, 9, 22, 10, 35, 21)),
        ("2026-09-21T12:55:11", utc(2026, 9, 21, 12, 55, 11)),  # no timezone: UTC
        ("2027-03-02", utc(2027, 3, 2)),  # bare date
        ("2025-11-06T00:00:00+01:00", utc(2025, 11, 5, 23)),  # json-ld datePosted
        ("2026-09-18T12:55:59.123456789Z", datetime(2026, 9, 18, 12, 55, 59, 123456, tzinfo=UTC)),
        # recruitee
        ("2026-09-18 12:55:59 UTC", utc(2026, 9, 18, 12, 55, 59)),
        # RFC 822 (weworkremotely)
        ("Fri, 11 Sep 2026 07:30:48 +0000", utc(2026, 9, 11, 7, 30, 48)),
        ("Mon, 02 Sep 2024 10:00:00 +0000", utc(2024, 9, 2, 10)),
        ("Mon, 02 Sep 2024 10:00:00 GMT", utc(2024, 9, 2, 10)),
        # epoch seconds (arbeitnow, himalayas, remoteok, fourdayweek) and milliseconds (lever)
        (1790412915, utc(2026, 9, 26, 8, 55, 15)),
        (1790412915.5, datetime(2026, 9, 26, 8, 55, 15, 500000, tzinfo=UTC)),
        ("1790412915", utc(2026, 9, 26, 8, 55, 15)),
        (1711403416463, datetime(2024, 3, 25, 21, 50, 16, 463000, tzinfo=UTC)),
        ("1711403416463", datetime(2024, 3, 25, 21, 50, 16, 463000, tzinfo=UTC)),
        # Workday and other relative text
        ("Posted Today", NOW),
        ("Posted Yesterday", NOW - timedelta(days=1)),
        ("Posted 3 Days Ago", NOW - timedelta(days=3)),
        ("Posted 4 Days Ago", NOW - timedelta(days=4)),
        ("Posted 30+ Days Ago", NOW - timedelta(days=30)),
        ("2 weeks ago", NOW - timedelta(weeks=2)),
        ("5 hours ago", NOW - timedelta(hours=5)),
        ("a day ago", NOW - timedelta(days=1)),
        ("1 month ago", NOW - timedelta(days=30)),
        ("just now", NOW),
        # Other written dates
        ("September 18, 2026", utc(2026, 9, 18)),
        ("18 Sep 2026", utc(2026, 9, 18)),
        ("18.09.2026", utc(2026, 9, 18)),
        ("20260918", utc(2026, 9, 18)),
        # datetimes
        (datetime(2024, 1, 1, 9, 30), utc(2024, 1, 1, 9, 30)),  # naive: UTC
        (datetime(2024, 1, 1, 9, 30, tzinfo=timezone(timedelta(hours=2))), utc(2024, 1, 1, 7, 30)),
    ],
)
def test_parse_datetime(value: datetime | str | int | float, expected: datetime) -> None:
    result = parse_datetime(value, now=NOW)
    assert result == expected
    assert result is not None
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "0001-01-01T00:00:00Z",  # fourdayweek's zero date
        "garbage",
        "Posted sometime",
        "2 Locations",
        "2024",  # a year, not an epoch
        0,
        -1,
        "0",
        True,
        float("nan"),
        float("inf"),
        10**30,
        "2026-13-45",
    ],
)
def test_unreadable_dates_are_none(value: datetime | str | int | float | None) -> None:
    assert parse_datetime(value, now=NOW) is None


def test_relative_text_uses_now_in_utc() -> None:
    paris_now = datetime(2026, 9, 26, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert parse_datetime("Posted Today", now=paris_now) == NOW


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=60), st.integers(), st.floats(), st.datetimes(), st.none()))
def test_parse_datetime_never_raises(value: datetime | str | int | float | None) -> None:
    result = parse_datetime(value, now=NOW)
    assert result is None or result.tzinfo is UTC
