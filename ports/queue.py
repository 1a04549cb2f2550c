"""The dispatch queue port: work items delivered at least once.

The alert worker puts one message per (saved search, job) pair to notify;
dispatchers claim messages, deliver them, then acknowledge them. A message
claimed but not acknowledged within its lease (the dispatcher crashed) is
delivered again, so a dispatcher must tolerate repeats (deliveries > 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import msgspec

__all__ = ["DispatchQueue", "QueueMessage"]


class QueueMessage(msgspec.Struct, frozen=True, kw_only=True):
    """A claimed message."""

    id: str
    """Unique within the queue; pass it to :meth:`DispatchQueue.ack`."""
    payload: bytes
    deliveries: int
    """How many times the message has been claimed, this time included."""


@runtime_checkable
class DispatchQueue(Protocol):
    """A FIFO work queue with claim/ack (at-least-once) semantics."""

    async def put(self, payload: bytes) -> str:
        """Append a message; returns its id once it is stored."""
        ...

    async def claim(self, consumer: str, *, count: int = 10, block: float = 0.0) -> list[QueueMessage]:
        """Up to ``count`` messages for ``consumer``: expired leases first, then new messages.

        Waits up to ``block`` seconds when nothing is available (``0`` returns at once).
        """
        ...

    async def ack(self, message_ids: Sequence[str]) -> None:
        """Mark messages done; they are never delivered again. Unknown ids are ignored."""
        ...

    async def pending(self) -> int:
        """How many messages are claimed and not yet acknowledged."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
