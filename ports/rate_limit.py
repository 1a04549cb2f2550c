"""The rate-limit store port: shared request counters for the HTTP host's limiter."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import msgspec

__all__ = ["RateLimitDecision", "RateLimitStore"]


class RateLimitDecision(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of one request against a limit."""

    allowed: bool
    limit: int
    remaining: int
    """Requests still allowed right now."""
    retry_after: float
    """Seconds until the next request is allowed (0 when allowed)."""
    reset_after: float
    """Seconds until the bucket is full again."""


@runtime_checkable
class RateLimitStore(Protocol):
    """Counts requests per key; must be safe under concurrent callers (and replicas, when shared).

    The limiter is GCRA: ``limit`` requests per ``period`` seconds with bursts
    of up to ``limit``; a store keeps one theoretical arrival time per key.
    """

    async def hit(self, key: str, *, limit: int, period: float) -> RateLimitDecision:
        """Record one request for ``key`` unless that would exceed ``limit`` per ``period``."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
