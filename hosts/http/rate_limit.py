"""Request rate limits: a small store interface and its in-process implementation.

The limiter is GCRA (the generic cell rate algorithm, a token bucket kept as
one timestamp per client): ``limit`` requests per ``period`` seconds, with
bursts of up to ``limit`` requests. A store only has to keep one float per
key and update it atomically, so a shared store (Redis, with the same
arithmetic in a Lua script) plugs in through :class:`RateLimitStore`.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable

from jobforge.core.errors import ConfigError
from jobforge.ports.rate_limit import RateLimitDecision, RateLimitStore

__all__ = [
    "RATE_LIMIT_STORES",
    "MemoryRateLimitStore",
    "RateLimitDecision",
    "RateLimitStore",
    "create_rate_limit_store",
]


def gcra(
    tat: float | None, now: float, *, limit: int, period: float
) -> tuple[float | None, RateLimitDecision]:
    """One GCRA step: the new theoretical arrival time (``None`` when refused) and the decision.

    ``tat`` is the stored theoretical arrival time of the key (``None`` when unseen).
    """
    interval = period / limit
    tat = max(tat if tat is not None else now, now)
    new_tat = tat + interval
    allow_at = new_tat - period
    # (now + interval) - period may land a rounding error above now when interval == period.
    if allow_at > now + 1e-9:
        return None, RateLimitDecision(
            allowed=False,
            limit=limit,
            remaining=0,
            retry_after=allow_at - now,
            reset_after=tat - now,
        )
    remaining = max(0, math.floor((now - allow_at) / interval + 1e-9))
    return new_tat, RateLimitDecision(
        allowed=True,
        limit=limit,
        remaining=min(remaining, limit - 1),
        retry_after=0.0,
        reset_after=new_tat - now,
    )


class MemoryRateLimitStore:
    """Rate-limit state in this process: one float per key, bounded by LRU eviction.

    Each replica limits on its own; configure a shared store to limit across replicas.
    """

    def __init__(self, *, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self._tats: OrderedDict[str, float] = OrderedDict()
        self._max_keys = max_keys
        self._clock = clock

    async def hit(self, key: str, *, limit: int, period: float) -> RateLimitDecision:
        """Record one request for ``key``; no await between read and write, so it is atomic."""
        now = self._clock()
        new_tat, decision = gcra(self._tats.get(key), now, limit=limit, period=period)
        if new_tat is not None:
            self._tats[key] = new_tat
            self._tats.move_to_end(key)
            while len(self._tats) > self._max_keys:
                self._tats.popitem(last=False)
        return decision

    async def close(self) -> None:
        """Nothing to release."""


def _redis_store(options: dict[str, object]) -> RateLimitStore:
    from jobforge.adapters.redis import RedisRateLimitStore

    url = options.get("url")
    if not isinstance(url, str) or not url.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError("http.rate_limit.options.url", "expected redis://host:port/db")
    return RedisRateLimitStore(url, fail_open=bool(options.get("fail_open", True)))


RATE_LIMIT_STORES: dict[str, Callable[[dict[str, object]], RateLimitStore]] = {
    "memory": lambda options: MemoryRateLimitStore(max_keys=int(options.get("max_keys", 100_000))),  # type: ignore[call-overload]
    "redis": _redis_store,
}
"""Rate-limit store factories by ``[http.rate_limit] store`` name; a plugin or host may add one."""


def create_rate_limit_store(name: str, options: dict[str, object]) -> RateLimitStore:
    """Build the store that ``[http.rate_limit] store`` names."""
    factory = RATE_LIMIT_STORES.get(name)
    if factory is None:
        raise ConfigError(
            "http.rate_limit.store",
            f"unknown store {name!r}; available: {', '.join(sorted(RATE_LIMIT_STORES))}",
        )
    return factory(options)
