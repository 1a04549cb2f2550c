"""Outage bookkeeping for adapters that keep working while Redis is away.

The first failure of an outage is logged as a warning with the cause,
later ones only counted; the first success afterwards logs the recovery.
For ``retry_interval`` seconds after a failure, calls skip Redis entirely,
so a down server costs one timeout per interval, not one per request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

__all__ = ["OutageTracker"]


class OutageTracker:
    """Counts failures and decides when to try Redis again.

    Attributes:
        errors: Operations that failed against Redis.
        skipped: Operations not attempted because an outage was in progress.
        outages: Outages begun.
    """

    def __init__(
        self,
        what: str,
        logger: logging.Logger,
        *,
        retry_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what = what
        self.log = logger
        self.retry_interval = retry_interval
        self.clock = clock
        self.errors = 0
        self.skipped = 0
        self.outages = 0
        self._down_since: float | None = None
        self._retry_at = 0.0
        self._failed_in_outage = 0

    @property
    def down(self) -> bool:
        """Whether an outage is in progress."""
        return self._down_since is not None

    def should_try(self) -> bool:
        """Whether to call Redis now; counts a skip when not."""
        if self._down_since is None or self.clock() >= self._retry_at:
            return True
        self.skipped += 1
        return False

    def failed(self, error: BaseException) -> None:
        """Record a failed operation."""
        now = self.clock()
        self.errors += 1
        self._retry_at = now + self.retry_interval
        if self._down_since is None:
            self._down_since = now
            self._failed_in_outage = 1
            self.outages += 1
            self.log.warning(
                "%s unavailable, carrying on without it: %s: %s", self.what, type(error).__name__, error
            )
        else:
            self._failed_in_outage += 1
            self.log.debug("%s still unavailable: %s", self.what, error)

    def succeeded(self) -> None:
        """Record a successful operation (ends an outage)."""
        if self._down_since is not None:
            self.log.warning(
                "%s is back after %.1f s (%d operations failed, %d skipped so far)",
                self.what,
                self.clock() - self._down_since,
                self._failed_in_outage,
                self.skipped,
            )
            self._down_since = None
