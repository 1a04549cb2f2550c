"""The contract every :class:`~jobforge.ports.DispatchQueue` adapter passes.

Subclass :class:`DispatchQueueContract` and override the ``queue`` fixture
to yield an empty queue whose lease is :attr:`DispatchQueueContract.lease`
seconds. ``advance`` lets time pass (it sleeps by default; an adapter with
an injectable clock moves it instead).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import ClassVar

import pytest

from jobforge.ports import DispatchQueue
from jobforge.testing.contracts.cache import Advance

__all__ = ["DispatchQueueContract"]


class DispatchQueueContract:
    """At-least-once claim/ack behaviour shared by every dispatch queue."""

    pytestmark = [pytest.mark.asyncio]

    lease: ClassVar[float] = 0.5
    """The lease (seconds) of the queue the ``queue`` fixture yields."""

    @pytest.fixture
    async def queue(self) -> AsyncIterator[DispatchQueue]:
        """Yield an empty queue with a lease of ``lease`` seconds (override this)."""
        raise NotImplementedError("override the `queue` fixture to yield an empty DispatchQueue")
        yield  # pragma: no cover  # noqa: PT022

    @pytest.fixture
    def advance(self) -> Advance:
        """Let time pass for the queue; the default sleeps for real."""

        async def sleep(seconds: float) -> None:
            await asyncio.sleep(seconds)

        return sleep

    async def test_implements_the_port(self, queue: DispatchQueue) -> None:
        """The adapter satisfies the runtime-checkable protocol."""
        assert isinstance(queue, DispatchQueue)

    async def test_empty_queue_gives_nothing(self, queue: DispatchQueue) -> None:
        """Claiming from an empty queue returns at once with nothing."""
        assert await queue.claim("a") == []
        assert await queue.pending() == 0

    async def test_messages_come_out_in_order_once(self, queue: DispatchQueue) -> None:
        """Messages are claimed first in, first out, each by one consumer."""
        ids = [await queue.put(f"m{i}".encode()) for i in range(5)]
        assert len(set(ids)) == 5
        first = await queue.claim("a", count=2)
        second = await queue.claim("b", count=10)
        assert [m.payload for m in first] == [b"m0", b"m1"]
        assert [m.payload for m in second] == [b"m2", b"m3", b"m4"]
        assert [m.id for m in first + second] == ids
        assert all(m.deliveries == 1 for m in first + second)
        assert await queue.claim("c") == []
        assert await queue.pending() == 5

    async def test_acknowledged_messages_are_never_delivered_again(
        self, queue: DispatchQueue, advance: Advance
    ) -> None:
        """After ack, a message is gone even once its lease would have run out."""
        await queue.put(b"x")
        (message,) = await queue.claim("a")
        await queue.ack([message.id, "unknown-id-0"])
        assert await queue.pending() == 0
        await advance(self.lease * 2)
        assert await queue.claim("b") == []

    async def test_unacknowledged_messages_are_redelivered_after_the_lease(
        self, queue: DispatchQueue, advance: Advance
    ) -> None:
        """A consumer that never acks (it crashed) loses the message to the next claim after the lease."""
        await queue.put(b"alert")
        (first,) = await queue.claim("crashing")
        assert await queue.claim("other") == []
        await advance(self.lease * 2)
        (again,) = await queue.claim("other")
        assert (again.id, again.payload, again.deliveries) == (first.id, b"alert", 2)
        await queue.ack([again.id])
        assert await queue.pending() == 0

    async def test_expired_leases_come_before_new_messages(
        self, queue: DispatchQueue, advance: Advance
    ) -> None:
        """Redeliveries are served first."""
        await queue.put(b"old")
        await queue.claim("a")
        await advance(self.lease * 2)
        await queue.put(b"new")
        messages = await queue.claim("b", count=2)
        assert [m.payload for m in messages] == [b"old", b"new"]

    async def test_binary_payloads_round_trip(self, queue: DispatchQueue) -> None:
        """Any bytes, the empty payload included, come back unchanged."""
        payloads = [bytes(range(256)), b"", b"\x00"]
        for payload in payloads:
            await queue.put(payload)
        assert [m.payload for m in await queue.claim("a", count=3)] == payloads

    async def test_block_waits_for_a_message(self, queue: DispatchQueue) -> None:
        """A blocking claim returns a message put while it waits, and nothing after its timeout."""
        assert await queue.claim("a", block=0.05) == []

        async def later() -> None:
            await asyncio.sleep(0.05)
            await queue.put(b"late")

        task = asyncio.create_task(later())
        messages = await queue.claim("a", block=5)
        await task
        assert [m.payload for m in messages] == [b"late"]

    async def test_bad_arguments(self, queue: DispatchQueue) -> None:
        """A count below one and a payload that is not bytes are errors."""
        with pytest.raises(ValueError, match="count"):
            await queue.claim("a", count=0)
        with pytest.raises(TypeError, match="bytes"):
            await queue.put("text")  # type: ignore[arg-type]
