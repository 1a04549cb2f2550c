"""The Redis cache: embedding and query-result caches shared by every replica.

Size bound, two ways (see ``docs/deployment.md``):

* Recommended: a Redis (or a logical database) used only as a cache, with
  ``maxmemory`` set and ``maxmemory-policy allkeys-lru``; Redis evicts the
  least recently used keys itself. Works on clusters.
* ``max_entries``: an explicit LRU index, for a Redis shared with data that
  must not be evicted. A sorted set ``<prefix>lru`` ranks the cache's keys
  by last use; Lua scripts update it with every read and write and evict
  the least recently used keys beyond the bound, atomically. An expired
  entry keeps its index slot until it is the least recently used. Single
  node (or one hash slot) only: the scripts touch keys they do not declare.

Redis is never the only copy of anything here, so when it is unreachable
the cache degrades to a miss on every read and a no-op on every write: the
first failure of an outage is logged, the rest are counted, and for
``retry_interval`` seconds after a failure Redis is not even tried.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from jobforge.adapters.redis._client import RedisConnection, is_redis_failure
from jobforge.adapters.redis._outage import OutageTracker
from jobforge.core.cache_rules import check_cache_write

__all__ = ["RedisCache"]

log = logging.getLogger("jobforge.adapters.redis.cache")

# KEYS: index, sequence, key... ARGV: ttl in ms (0 = none), max entries, value...
_SET_SCRIPT = """
local n = #KEYS - 2
local ttl = tonumber(ARGV[1])
local seq = redis.call('INCRBY', KEYS[2], n)
for i = 1, n do
  local key = KEYS[i + 2]
  if ttl > 0 then
    redis.call('SET', key, ARGV[i + 2], 'PX', ttl)
  else
    redis.call('SET', key, ARGV[i + 2])
  end
  redis.call('ZADD', KEYS[1], seq - n + i, key)
end
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
if excess > 0 then
  local victims = redis.call('ZPOPMIN', KEYS[1], excess)
  for i = 1, #victims, 2 do
    redis.call('UNLINK', victims[i])
  end
end
return excess
"""

# KEYS: index, sequence, key... Returns the values; present keys become the most recently used.
_GET_SCRIPT = """
local n = #KEYS - 2
local values = redis.call('MGET', unpack(KEYS, 3))
local seq = redis.call('INCRBY', KEYS[2], n)
for i = 1, n do
  if values[i] then
    redis.call('ZADD', KEYS[1], 'XX', seq - n + i, KEYS[i + 2])
  end
end
return values
"""


class RedisCache:
    """A :class:`~jobforge.ports.Cache` in Redis; never raises because Redis is down.

    Args:
        url: ``redis://host:port/db``; or pass ``client``.
        client: A ``redis.asyncio.Redis`` made by the host (e.g. in an app lifespan).
        prefix: Put before every key, so several caches (or deployments) share a server.
        max_entries: Keep at most this many entries with an explicit LRU index
            (``None``: rely on the server's ``maxmemory-policy``).
        socket_timeout: Seconds a command may take; keep it short, a slow cache is worse than none.
        connect_timeout: Seconds a connection attempt may take.
        retry_interval: Seconds to stop trying Redis after a failure.
        clock: Monotonic seconds, for the outage bookkeeping.

    Attributes:
        outage: Counters of failed and skipped operations (``errors``, ``skipped``, ``outages``).

    Raises:
        ValueError: Neither ``url`` nor ``client`` is given, or ``max_entries`` is below 1.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        client: Any = None,
        prefix: str = "jobforge:cache:",
        max_entries: int | None = None,
        socket_timeout: float = 0.5,
        connect_timeout: float = 0.5,
        retry_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_entries is not None and max_entries < 1:
            raise ValueError(f"max_entries must be at least 1, got {max_entries}")
        self._connection = RedisConnection(
            url, client=client, socket_timeout=socket_timeout, connect_timeout=connect_timeout
        )
        self.prefix = prefix
        self.max_entries = max_entries
        self.outage = OutageTracker(
            f"redis cache at {self._connection.display_url}", log, retry_interval=retry_interval, clock=clock
        )
        self._index_keys = [f"{prefix}lru", f"{prefix}lru:seq"]

    def __repr__(self) -> str:
        return f"RedisCache({self._connection.display_url!r}, prefix={self.prefix!r})"

    @property
    def url(self) -> str:
        """The server's URL without its password."""
        return self._connection.display_url

    async def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The cached values of the keys that are present; nothing when Redis is unreachable."""
        keys = list(dict.fromkeys(keys))
        if not keys or not self.outage.should_try():
            return {}
        full = [self.prefix + key for key in keys]
        try:
            client = self._connection.client()
            if self.max_entries is None:
                values = await client.mget(full)
            else:
                values = await client.eval(_GET_SCRIPT, len(full) + 2, *self._index_keys, *full)
        except Exception as exc:
            self._failed(exc)
            return {}
        self.outage.succeeded()
        return {key: bytes(value) for key, value in zip(keys, values, strict=True) if value is not None}

    async def set_many(self, items: Mapping[str, bytes], ttl: float | None = None) -> None:
        """Store values, expiring after ``ttl`` seconds when given; skipped when Redis is unreachable.

        Raises:
            ValueError: ``ttl`` is not positive.
            TypeError: A key is not a string or a value is not bytes (nothing is stored).
        """
        check_cache_write(items, ttl)
        if not items or not self.outage.should_try():
            return
        ttl_ms = None if ttl is None else max(1, math.ceil(ttl * 1000))
        try:
            client = self._connection.client()
            if self.max_entries is None:
                async with client.pipeline(transaction=False) as pipe:
                    for key, value in items.items():
                        pipe.set(self.prefix + key, bytes(value), px=ttl_ms)
                    await pipe.execute()
            else:
                full = [self.prefix + key for key in items]
                await client.eval(
                    _SET_SCRIPT,
                    len(full) + 2,
                    *self._index_keys,
                    *full,
                    ttl_ms or 0,
                    self.max_entries,
                    *(bytes(value) for value in items.values()),
                )
        except Exception as exc:
            self._failed(exc)
            return
        self.outage.succeeded()

    async def delete(self, keys: Sequence[str]) -> None:
        """Drop keys; absent keys are ignored, and so is an unreachable Redis."""
        if not keys or not self.outage.should_try():
            return
        full = [self.prefix + key for key in keys]
        try:
            client = self._connection.client()
            async with client.pipeline(transaction=True) as pipe:
                pipe.unlink(*full)
                if self.max_entries is not None:
                    pipe.zrem(self._index_keys[0], *full)
                await pipe.execute()
        except Exception as exc:
            self._failed(exc)
            return
        self.outage.succeeded()

    async def close(self) -> None:
        """Close the connection this cache opened (a given client stays open)."""
        await self._connection.close()

    def _failed(self, exc: Exception) -> None:
        # Programming errors must surface; only failures of Redis itself degrade.
        if not is_redis_failure(exc):
            raise exc
        self.outage.failed(exc)
