"""Redis adapters: the cache, ingest locks, the rate-limit store and the alert dispatch queue.

Importing this package is cheap; the ``redis`` client library is imported
when an adapter first talks to the server.
"""

from jobforge.adapters.redis.cache import RedisCache
from jobforge.adapters.redis.lock import RedisLocks
from jobforge.adapters.redis.queue import RedisDispatchQueue
from jobforge.adapters.redis.rate_limit import RedisRateLimitStore

__all__ = ["RedisCache", "RedisDispatchQueue", "RedisLocks", "RedisRateLimitStore"]
