"""One ``redis.asyncio`` client per event loop, made on first use.

A redis-py asyncio connection belongs to the loop it was opened on. Hosts
build adapters before their loop runs (and tests run many loops), so each
adapter asks :class:`RedisConnection` for a client from inside a coroutine
and gets one bound to the running loop.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

__all__ = ["RedisConnection", "is_redis_failure", "safe_url"]


def is_redis_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is a failure of Redis or the network (not a programming error)."""
    import redis.exceptions

    return isinstance(exc, redis.exceptions.RedisError | OSError | TimeoutError)


def safe_url(url: str) -> str:
    """``url`` with any password replaced by ``****`` (for logs and errors)."""
    return re.sub(r"(?<=://)([^:/@]*):([^@/]+)@", r"\1:****@", url)


class RedisConnection:
    """Lazily connects to ``url``, or hands out a client the caller made.

    Args:
        url: ``redis://[user:password@]host:port/db`` (``rediss://`` for TLS).
        client: An existing ``redis.asyncio.Redis``; then ``url`` is only for messages,
            and the caller closes the client.
        socket_timeout: Seconds a command may take before it fails (``None``: no limit).
        connect_timeout: Seconds a connection attempt may take.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        client: Any = None,
        socket_timeout: float | None = 1.0,
        connect_timeout: float | None = 1.0,
    ) -> None:
        if url is None and client is None:
            raise ValueError("give a Redis url or a client")
        self.url = url or "redis://(client)"
        self._given = client
        self._socket_timeout = socket_timeout
        self._connect_timeout = connect_timeout
        self._client: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def display_url(self) -> str:
        """The URL without its password."""
        return safe_url(self.url)

    def client(self) -> Any:
        """The client for the running loop (call from a coroutine)."""
        if self._given is not None:
            return self._given
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            import redis.asyncio

            # A client of an earlier loop is abandoned, not closed: its loop may be gone.
            self._client = redis.asyncio.Redis.from_url(
                self.url,
                socket_timeout=self._socket_timeout,
                socket_connect_timeout=self._connect_timeout,
            )
            self._loop = loop
        return self._client

    async def close(self) -> None:
        """Close the client this object made on the running loop (a given client stays open)."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover - close() is a coroutine, so a loop runs
            return
        if self._loop is running:
            await client.aclose()
        self._loop = None
