"""Coalesces concurrent query embeddings into one model call.

A server with many searches in flight would otherwise run the model once
per query. Here the first query starts a model call at once (no added
latency when idle); queries arriving while it runs wait and go together in
the next call. On the 2-core benchmark machine a batch of 8 short queries
costs 2.2 ms per query against 3.3-4.6 ms one at a time (docs/performance.md).

With ``encode_now`` a batch runs on the event loop's own thread whenever
that function can take the model at once: under load a hand-off to a worker
thread and back costs more than it saves (its thread competes with the loop
for the same core; measured 6.5 against 7.0 ms of CPU per search over HTTP).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable

from jobforge.core.background import BackgroundTasks

__all__ = ["MAX_INLINE_BATCH", "QueryBatcher"]

MAX_INLINE_BATCH = 16
"""The most texts of a batch run on the event loop (16 short queries: about 35 ms)."""

_Pending = list[tuple[str, "asyncio.Future[list[float]]"]]


class QueryBatcher:
    """Runs ``encode`` on batches of the texts passed to :meth:`embed` concurrently.

    Args:
        encode: Embeds a list of texts (blocking; run in a worker thread).
        max_batch: The most texts in one call.
        encode_now: Embeds a list of texts on the calling thread, or returns ``None``
            at once when it cannot (the model is busy): the batch then goes to
            ``encode`` in a worker thread. Such batches hold at most
            :data:`MAX_INLINE_BATCH` texts (the event loop waits for them).
    """

    def __init__(
        self,
        encode: Callable[[list[str]], list[list[float]]],
        *,
        max_batch: int = 32,
        encode_now: Callable[[list[str]], list[list[float]] | None] | None = None,
    ) -> None:
        if max_batch < 1:
            raise ValueError(f"max_batch must be positive, got {max_batch}")
        self._encode = encode
        self._encode_now = encode_now
        self._max_batch = min(max_batch, MAX_INLINE_BATCH) if encode_now is not None else max_batch
        # Per event loop: futures belong to the loop that made them.
        self._queues: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Pending] = (
            weakref.WeakKeyDictionary()
        )
        self._draining: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()
        self._tasks = BackgroundTasks()
        self.calls = 0
        """Model calls made (for tests and metrics)."""

    async def embed(self, text: str) -> list[float]:
        """The vector of ``text``, computed together with whatever else is waiting."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[list[float]] = loop.create_future()
        self._queues.setdefault(loop, []).append((text, future))
        if loop not in self._draining:
            self._draining.add(loop)
            self._tasks.start(self._drain(loop))
        return await future

    async def _drain(self, loop: asyncio.AbstractEventLoop) -> None:
        queue = self._queues[loop]
        batch: _Pending = []
        try:
            while queue:
                if self._encode_now is not None:
                    await asyncio.sleep(0)  # one more turn: requests already read join this batch
                batch = [item for item in queue[: self._max_batch] if not item[1].done()]
                del queue[: self._max_batch]
                if not batch:
                    continue
                self.calls += 1
                texts = [text for text, _ in batch]
                try:
                    vectors = self._encode_now(texts) if self._encode_now is not None else None
                    if vectors is None:
                        vectors = await asyncio.to_thread(self._encode, texts)
                except Exception as exc:  # every waiter of the batch gets the error
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, future), vector in zip(batch, vectors, strict=True):
                    if not future.done():
                        future.set_result(vector)
                batch = []
        finally:
            self._draining.discard(loop)
            for _, future in [*batch, *queue]:  # left only when cancelled (the loop is closing)
                if not future.done():
                    future.cancel()
            queue.clear()
