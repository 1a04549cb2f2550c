"""Named locks in Redis: two workers never ingest the same source at once.

A lock is a key holding a random token, set with ``NX`` and an expiry
(``ttl``) so a crashed holder cannot block others for longer than that.
While the ``async with`` block runs, a background task renews the expiry
every ``ttl / 3`` seconds; release deletes the key only if it still holds
this holder's token (redis-py's ``Lock``, whose scripts do the compare).
If renewal fails for longer than ``ttl`` (Redis unreachable, the process
stalled), the lease is marked lost: ``lease.check()`` then raises.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from jobforge.adapters.redis._client import RedisConnection
from jobforge.ports.lock import LockLostError, LockUnavailableError

__all__ = ["RedisLease", "RedisLocks"]

log = logging.getLogger("jobforge.adapters.redis.lock")


class RedisLease:
    """A held Redis lock (see :class:`~jobforge.ports.Lease`)."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._lost = False
        self.renewals = 0
        """How many times the expiry was extended."""

    @property
    def name(self) -> str:
        """The lock's name."""
        return self._name

    @property
    def lost(self) -> bool:
        """Whether the lock expired while held."""
        return self._lost

    def check(self) -> None:
        """Raise :class:`LockLostError` if the lock was lost."""
        if self._lost:
            raise LockLostError(self._name)


class RedisLocks:
    """:class:`~jobforge.ports.Locks` shared by every process using the same Redis.

    Args:
        url: ``redis://host:port/db``; or pass ``client``.
        client: A ``redis.asyncio.Redis`` made by the host.
        prefix: Put before every lock name.
        ttl: Seconds a lock outlives a holder that stopped renewing it.
        poll_interval: Seconds between attempts while waiting for a held lock.

    Raises:
        ValueError: ``ttl`` or ``poll_interval`` is not positive.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        client: Any = None,
        prefix: str = "jobforge:lock:",
        ttl: float = 30.0,
        poll_interval: float = 0.1,
    ) -> None:
        if not ttl > 0 or not poll_interval > 0:
            raise ValueError(f"ttl and poll_interval must be positive, got {ttl!r} and {poll_interval!r}")
        self._connection = RedisConnection(url, client=client)
        self.prefix = prefix
        self.ttl = ttl
        self.poll_interval = poll_interval

    @contextlib.asynccontextmanager
    async def lock(self, name: str, *, wait: float | None = None) -> AsyncIterator[RedisLease]:
        """Hold the lock ``name`` for the block (see :meth:`jobforge.ports.Locks.lock`).

        Raises:
            LockUnavailableError: Another holder kept it for ``wait`` seconds, or Redis is unreachable.
        """
        import redis.exceptions

        client = self._connection.client()
        lock = client.lock(
            self.prefix + name,
            timeout=self.ttl,
            sleep=self.poll_interval,
            blocking=wait is None or wait > 0,
            blocking_timeout=wait,
            thread_local=False,
        )
        try:
            acquired = await lock.acquire()
        except (redis.exceptions.RedisError, OSError) as exc:
            raise LockUnavailableError(
                name, f"redis at {self._connection.display_url} failed: {type(exc).__name__}: {exc}"
            ) from exc
        if not acquired:
            raise LockUnavailableError(name, f"held by another worker (waited {wait or 0:g} s)")
        lease = RedisLease(name)
        renewer = asyncio.create_task(self._renew(lock, lease), name=f"renew lock {name}")
        try:
            yield lease
        finally:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer
            await self._release(lock, lease)

    async def close(self) -> None:
        """Close the connection these locks opened."""
        await self._connection.close()

    async def _renew(self, lock: Any, lease: RedisLease) -> None:
        import redis.exceptions

        last_renewed = time.monotonic()
        while True:
            await asyncio.sleep(self.ttl / 3)
            try:
                await lock.reacquire()
            except redis.exceptions.LockNotOwnedError:
                lease._lost = True
                log.error("lock %r expired while held; another worker may hold it now", lease.name)
                return
            except (redis.exceptions.RedisError, OSError) as exc:
                if time.monotonic() - last_renewed > self.ttl:
                    lease._lost = True
                    log.error("lock %r could not be renewed for %.0f s: %s", lease.name, self.ttl, exc)
                    return
                log.warning("renewing lock %r failed, retrying: %s", lease.name, exc)
            else:
                last_renewed = time.monotonic()
                lease.renewals += 1

    async def _release(self, lock: Any, lease: RedisLease) -> None:
        import redis.exceptions

        try:
            await lock.release()
        except redis.exceptions.LockNotOwnedError:
            lease._lost = True
            log.error("lock %r had expired before it was released", lease.name)
        except (redis.exceptions.RedisError, OSError) as exc:
            # It expires by itself after ttl; nothing else to do.
            log.warning(
                "releasing lock %r failed (it expires in at most %.0f s): %s", lease.name, self.ttl, exc
            )
