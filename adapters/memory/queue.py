"""An in-process dispatch queue with the same claim/ack semantics as the Redis stream."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from jobforge.ports.queue import QueueMessage

__all__ = ["MemoryDispatchQueue"]


@dataclass
class _Pending:
    payload: bytes
    consumer: str
    deadline: float
    deliveries: int


class MemoryDispatchQueue:
    """A :class:`~jobforge.ports.DispatchQueue` in this process's memory (lost on exit).

    Args:
        lease: Seconds a claimed message stays with its consumer before others may claim it.
        clock: Monotonic seconds; tests pass a fake one.
    """

    def __init__(self, *, lease: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        if not lease > 0:
            raise ValueError(f"lease must be a positive number of seconds, got {lease!r}")
        self.lease = lease
        self._clock = clock
        self._ids = itertools.count(1)
        self._waiting: OrderedDict[str, bytes] = OrderedDict()
        self._pending: dict[str, _Pending] = {}
        self._arrived = asyncio.Event()

    async def put(self, payload: bytes) -> str:
        """Append a message; returns its id."""
        if not isinstance(payload, bytes | bytearray | memoryview):
            raise TypeError(f"payload must be bytes, got {type(payload).__name__}")
        message_id = f"{next(self._ids):020d}"
        self._waiting[message_id] = bytes(payload)
        self._arrived.set()
        return message_id

    async def claim(self, consumer: str, *, count: int = 10, block: float = 0.0) -> list[QueueMessage]:
        """Up to ``count`` messages: expired leases first, then new ones (waiting up to ``block`` s)."""
        if count < 1:
            raise ValueError(f"count must be at least 1, got {count}")
        messages = self._take(consumer, count)
        if not messages and block > 0:
            self._arrived.clear()
            try:
                async with asyncio.timeout(block):
                    await self._arrived.wait()
            except TimeoutError:
                return []
            messages = self._take(consumer, count)
        return messages

    async def ack(self, message_ids: Sequence[str]) -> None:
        """Mark messages done; unknown ids are ignored."""
        for message_id in message_ids:
            self._pending.pop(message_id, None)

    async def pending(self) -> int:
        """How many messages are claimed and not acknowledged."""
        return len(self._pending)

    async def close(self) -> None:
        """Nothing to release."""

    def _take(self, consumer: str, count: int) -> list[QueueMessage]:
        now = self._clock()
        messages: list[QueueMessage] = []
        for message_id in sorted(self._pending):
            if len(messages) == count:
                return messages
            entry = self._pending[message_id]
            if entry.deadline <= now:
                entry.consumer, entry.deadline = consumer, now + self.lease
                entry.deliveries += 1
                messages.append(
                    QueueMessage(id=message_id, payload=entry.payload, deliveries=entry.deliveries)
                )
        while self._waiting and len(messages) < count:
            message_id, payload = self._waiting.popitem(last=False)
            self._pending[message_id] = _Pending(payload, consumer, now + self.lease, 1)
            messages.append(QueueMessage(id=message_id, payload=payload, deliveries=1))
        return messages
