"""A rate-limit store in Redis, so every replica of the HTTP host counts together.

The same GCRA arithmetic as the in-process store, in one Lua script per
request (atomic on the server) with the server's clock, so replicas with
skewed clocks still agree. Each key holds one float (the theoretical
arrival time) and expires when its bucket would be full again.

A rate limiter must not take the API down with it: when Redis is
unreachable, requests are allowed (``fail_open``, the default) and the
outage is logged once; ``fail_open=False`` refuses them instead.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from jobforge.adapters.redis._client import RedisConnection, is_redis_failure
from jobforge.adapters.redis._outage import OutageTracker
from jobforge.ports.rate_limit import RateLimitDecision

__all__ = ["RedisRateLimitStore"]

log = logging.getLogger("jobforge.adapters.redis.rate_limit")

# KEYS: the bucket. ARGV: limit, period. Returns allowed, remaining, retry_after, reset_after.
_GCRA_SCRIPT = """
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = period / limit
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then
  tat = now
end
local new_tat = tat + interval
local allow_at = new_tat - period
if allow_at > now + 1e-6 then
  return {0, 0, tostring(allow_at - now), tostring(tat - now)}
end
redis.call('SET', KEYS[1], string.format('%.6f', new_tat), 'PX', math.ceil((new_tat - now) * 1000) + 1)
local remaining = math.max(0, math.floor((now - allow_at) / interval + 1e-9))
if remaining > limit - 1 then
  remaining = limit - 1
end
return {1, remaining, '0', tostring(new_tat - now)}
"""


class RedisRateLimitStore:
    """A :class:`~jobforge.ports.RateLimitStore` shared through Redis.

    Args:
        url: ``redis://host:port/db``; or pass ``client``.
        client: A ``redis.asyncio.Redis`` made by the host.
        prefix: Put before every key.
        fail_open: Allow requests while Redis is unreachable (else refuse them).
        socket_timeout: Seconds a command may take.
        retry_interval: Seconds to stop trying Redis after a failure.
        clock: Monotonic seconds, for the outage bookkeeping.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        client: Any = None,
        prefix: str = "jobforge:ratelimit:",
        fail_open: bool = True,
        socket_timeout: float = 0.5,
        retry_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connection = RedisConnection(
            url, client=client, socket_timeout=socket_timeout, connect_timeout=socket_timeout
        )
        self.prefix = prefix
        self.fail_open = fail_open
        self.outage = OutageTracker(
            f"redis rate-limit store at {self._connection.display_url}",
            log,
            retry_interval=retry_interval,
            clock=clock,
        )

    async def hit(self, key: str, *, limit: int, period: float) -> RateLimitDecision:
        """Record one request for ``key`` unless that would exceed ``limit`` per ``period``.

        Raises:
            ValueError: ``limit`` or ``period`` is not positive.
        """
        if limit < 1 or not period > 0:
            raise ValueError(f"limit and period must be positive, got {limit!r} and {period!r}")
        if self.outage.should_try():
            try:
                reply = await self._connection.client().eval(
                    _GCRA_SCRIPT, 1, self.prefix + key, limit, period
                )
            except Exception as exc:
                if not is_redis_failure(exc):
                    raise
                self.outage.failed(exc)
            else:
                self.outage.succeeded()
                allowed, remaining, retry_after, reset_after = reply
                return RateLimitDecision(
                    allowed=bool(allowed),
                    limit=limit,
                    remaining=int(remaining),
                    retry_after=max(0.0, float(retry_after)),
                    reset_after=max(0.0, float(reset_after)),
                )
        if self.fail_open:
            return RateLimitDecision(
                allowed=True, limit=limit, remaining=limit - 1, retry_after=0.0, reset_after=0.0
            )
        return RateLimitDecision(
            allowed=False, limit=limit, remaining=0, retry_after=self.outage.retry_interval, reset_after=0.0
        )

    async def close(self) -> None:
        """Close the connection this store opened."""
        await self._connection.close()
