"""Source schedules: an interval (``15m``, ``1h30m``, ``every 1d``) or a cron expression.

``[sources.<name>] schedule`` takes either form::

    [sources.acme]
    type = "greenhouse"
    board = "acme"
    schedule = "30m"            # every 30 minutes

    [sources.nightly]
    type = "file"
    path = "/data/export.csv"
    schedule = "0 3 * * *"      # cron: 03:00 UTC every day

Intervals are counted from the start of the previous run; cron expressions
(five fields, evaluated in UTC by ``croniter``) name wall-clock times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["Schedule", "parse_schedule"]

_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*(s|m|h|d|w)")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}
_MIN_INTERVAL = 1.0


@dataclass(frozen=True)
class Schedule:
    """When a source runs: every ``interval`` or at the times of ``cron``."""

    text: str
    interval: timedelta | None = None
    cron: str | None = None

    def next_after(self, moment: datetime) -> datetime:
        """The first run time after ``moment`` (timezone-aware).

        For intervals ``moment`` is when the previous run started.
        """
        if self.interval is not None:
            return moment + self.interval
        from croniter import croniter

        nxt: datetime = croniter(self.cron, moment).get_next(datetime)
        return nxt


def parse_schedule(text: str) -> Schedule:
    """Read ``15m``/``1h30m``/``1d``-style intervals (``every 1h`` too) or five-field cron expressions.

    Raises:
        ValueError: Neither form, or an interval under one second.
    """
    value = " ".join(str(text).split())
    compact = value.replace(" ", "").lower().removeprefix("every")
    if compact and _INTERVAL.sub("", compact) == "" and not compact[0].isalpha():
        seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in _INTERVAL.findall(compact))
        if seconds < _MIN_INTERVAL:
            raise ValueError(f"interval {value!r} is shorter than one second")
        return Schedule(text=value, interval=timedelta(seconds=seconds))
    if len(value.split(" ")) == 5:
        from croniter import croniter

        if croniter.is_valid(value):
            return Schedule(text=value, cron=value)
    raise ValueError(
        f"expected an interval such as 15m, 1h or 1d, or a cron expression such as '0 3 * * *'; got {value!r}"
    )
