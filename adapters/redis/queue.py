"""The alert dispatch queue as a Redis stream with a consumer group.

``put`` is ``XADD``; ``claim`` first takes over messages whose lease ran
out (``XAUTOCLAIM`` of entries idle for longer than ``lease``: their
dispatcher died), then reads new ones (``XREADGROUP``); ``ack`` is
``XACK`` plus ``XDEL``, so the stream holds only undelivered and
unacknowledged messages. A message is never lost: it leaves the stream
only when a dispatcher acknowledges it.
"""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import Sequence
from typing import Any

from jobforge.adapters.redis._client import RedisConnection
from jobforge.ports.queue import QueueMessage

__all__ = ["RedisDispatchQueue"]

_STREAM_ID = re.compile(r"\d+-\d+")


class RedisDispatchQueue:
    """A :class:`~jobforge.ports.DispatchQueue` on a Redis stream.

    Args:
        url: ``redis://host:port/db``; or pass ``client``.
        client: A ``redis.asyncio.Redis`` made by the host.
        stream: The stream's key.
        group: The consumer group every dispatcher joins.
        lease: Seconds a claimed message stays with its consumer before others may claim it.

    Raises:
        ValueError: ``lease`` is not positive.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        client: Any = None,
        stream: str = "jobforge:alerts",
        group: str = "dispatchers",
        lease: float = 60.0,
    ) -> None:
        if not lease > 0:
            raise ValueError(f"lease must be a positive number of seconds, got {lease!r}")
        self._connection = RedisConnection(url, client=client, socket_timeout=None)
        self.stream = stream
        self.group = group
        self.lease = lease
        self._group_ready: set[int] = set()

    async def put(self, payload: bytes) -> str:
        """Append a message; returns its stream id once Redis stored it."""
        if not isinstance(payload, bytes | bytearray | memoryview):
            raise TypeError(f"payload must be bytes, got {type(payload).__name__}")
        client = await self._client()
        message_id = await client.xadd(self.stream, {b"payload": bytes(payload)})
        return _text(message_id)

    async def claim(self, consumer: str, *, count: int = 10, block: float = 0.0) -> list[QueueMessage]:
        """Up to ``count`` messages: expired leases first, then new ones (waiting up to ``block`` s)."""
        if count < 1:
            raise ValueError(f"count must be at least 1, got {count}")
        client = await self._client()
        messages: list[QueueMessage] = []
        _next, reclaimed, deleted = await client.xautoclaim(
            self.stream, self.group, consumer, min_idle_time=math.ceil(self.lease * 1000), count=count
        )
        if deleted:
            # Entries deleted while pending can never be delivered; drop them from the pending list.
            await client.xack(self.stream, self.group, *deleted)
        for message_id, fields in reclaimed:
            if fields is None:
                continue
            info = await client.xpending_range(
                self.stream, self.group, min=message_id, max=message_id, count=1
            )
            deliveries = int(info[0]["times_delivered"]) if info else 2
            messages.append(_message(message_id, fields, deliveries))
        if len(messages) < count:
            wait = math.ceil(block * 1000) if block > 0 and not messages else None
            replies = await client.xreadgroup(
                self.group, consumer, {self.stream: ">"}, count=count - len(messages), block=wait
            )
            for _stream, entries in replies or []:
                messages.extend(_message(message_id, fields, 1) for message_id, fields in entries)
        return messages

    async def ack(self, message_ids: Sequence[str]) -> None:
        """Mark messages done and remove them from the stream; unknown ids are ignored."""
        # An id that is not a stream id cannot be one of ours; Redis would reject the whole call.
        message_ids = [m for m in message_ids if _STREAM_ID.fullmatch(m)]
        if not message_ids:
            return
        client = await self._client()
        async with client.pipeline(transaction=True) as pipe:
            pipe.xack(self.stream, self.group, *message_ids)
            pipe.xdel(self.stream, *message_ids)
            await pipe.execute()

    async def pending(self) -> int:
        """How many messages are claimed and not acknowledged."""
        client = await self._client()
        summary = await client.xpending(self.stream, self.group)
        return int(summary["pending"])

    async def close(self) -> None:
        """Close the connection this queue opened."""
        await self._connection.close()

    async def _client(self) -> Any:
        import redis.exceptions

        client = self._connection.client()
        loop_id = id(asyncio.get_running_loop())
        if loop_id not in self._group_ready:
            try:
                await client.xgroup_create(self.stream, self.group, id="0", mkstream=True)
            except redis.exceptions.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise
            self._group_ready.add(loop_id)
        return client


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _message(message_id: bytes | str, fields: dict[Any, Any], deliveries: int) -> QueueMessage:
    payload = fields.get(b"payload", fields.get("payload", b""))
    return QueueMessage(id=_text(message_id), payload=bytes(payload), deliveries=deliveries)
