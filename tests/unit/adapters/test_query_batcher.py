"""QueryBatcher: concurrent query embeddings share model calls, and nothing is lost."""

from __future__ import annotations

import asyncio
import threading

import pytest

from jobforge.adapters.sentence_transformers._query_batcher import QueryBatcher


class GatedEncoder:
    """Encodes text to ``[len(text)]``; each call waits for the test to open the gate."""

    def __init__(self, *, fail_on: str | None = None) -> None:
        self.batches: list[list[str]] = []
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.fail_on = fail_on

    def __call__(self, texts: list[str]) -> list[list[float]]:
        self.batches.append(list(texts))
        self.entered.set()
        self.gate.wait(timeout=10)
        if self.fail_on in texts:
            raise ValueError(f"cannot embed {self.fail_on!r}")
        return [[float(len(text))] for text in texts]


async def _first_call(encoder: GatedEncoder) -> None:
    """Wait until the encoder is running its first batch."""
    assert await asyncio.to_thread(encoder.entered.wait, 5)


async def test_an_idle_query_runs_at_once_alone() -> None:
    encoder = GatedEncoder()
    encoder.gate.set()
    batcher = QueryBatcher(encoder)
    assert await batcher.embed("python") == [6.0]
    assert encoder.batches == [["python"]]


async def test_queries_arriving_during_a_call_share_the_next_one() -> None:
    encoder = GatedEncoder()
    batcher = QueryBatcher(encoder)
    first = asyncio.ensure_future(batcher.embed("a"))
    await _first_call(encoder)
    rest = [asyncio.ensure_future(batcher.embed("b" * n)) for n in range(1, 6)]
    await asyncio.sleep(0.01)
    encoder.gate.set()
    assert await first == [1.0]
    assert [await task for task in rest] == [[float(n)] for n in range(1, 6)]
    assert encoder.batches == [["a"], ["b", "bb", "bbb", "bbbb", "bbbbb"]]
    assert batcher.calls == 2


async def test_batches_never_exceed_max_batch() -> None:
    encoder = GatedEncoder()
    batcher = QueryBatcher(encoder, max_batch=2)
    first = asyncio.ensure_future(batcher.embed("first"))
    await _first_call(encoder)
    waiting = [asyncio.ensure_future(batcher.embed(str(n))) for n in range(5)]
    await asyncio.sleep(0.01)
    encoder.gate.set()
    await asyncio.gather(first, *waiting)
    assert [len(batch) for batch in encoder.batches] == [1, 2, 2, 1]


async def test_a_failing_call_fails_its_batch_only() -> None:
    encoder = GatedEncoder(fail_on="bad")
    batcher = QueryBatcher(encoder)
    first = asyncio.ensure_future(batcher.embed("ok"))
    await _first_call(encoder)
    doomed = [asyncio.ensure_future(batcher.embed(text)) for text in ("bad", "fine")]
    await asyncio.sleep(0.01)
    encoder.gate.set()
    assert await first == [2.0]
    for task in doomed:
        with pytest.raises(ValueError, match="cannot embed 'bad'"):
            await task
    assert await batcher.embed("later") == [5.0]


async def test_a_cancelled_caller_does_not_disturb_the_others() -> None:
    encoder = GatedEncoder()
    batcher = QueryBatcher(encoder)
    first = asyncio.ensure_future(batcher.embed("x"))
    await _first_call(encoder)
    gone = asyncio.ensure_future(batcher.embed("gone"))
    kept = asyncio.ensure_future(batcher.embed("kept"))
    await asyncio.sleep(0.01)
    gone.cancel()
    encoder.gate.set()
    assert await first == [1.0]
    assert await kept == [4.0]
    assert gone.cancelled()
    assert encoder.batches == [["x"], ["kept"]]


def test_each_event_loop_gets_its_own_queue() -> None:
    encoder = GatedEncoder()
    encoder.gate.set()
    batcher = QueryBatcher(encoder)
    assert asyncio.run(batcher.embed("one")) == [3.0]
    assert asyncio.run(batcher.embed("three")) == [5.0]


def test_max_batch_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_batch"):
        QueryBatcher(GatedEncoder(), max_batch=0)


# Batches on the event loop's thread (``encode_now``) ------------------------------------


async def test_concurrent_queries_run_together_on_the_loop_thread_when_the_model_is_free() -> None:
    threads: list[int] = []

    def encode_now(texts: list[str]) -> list[list[float]]:
        threads.append(threading.get_ident())
        return [[float(len(text))] for text in texts]

    def never(texts: list[str]) -> list[list[float]]:
        raise AssertionError("no worker thread while the model is free")

    batcher = QueryBatcher(never, encode_now=encode_now)
    results = await asyncio.gather(*(batcher.embed("q" * n) for n in range(1, 6)))
    assert results == [[float(n)] for n in range(1, 6)]
    assert threads == [threading.get_ident()]  # one call, on this thread
    assert batcher.calls == 1


async def test_a_busy_model_sends_the_batch_to_a_worker_thread() -> None:
    encoder = GatedEncoder()
    encoder.gate.set()
    batcher = QueryBatcher(encoder, encode_now=lambda texts: None)
    assert await asyncio.gather(batcher.embed("ab"), batcher.embed("abc")) == [[2.0], [3.0]]
    assert encoder.batches == [["ab", "abc"]]


async def test_batches_on_the_loop_thread_are_capped() -> None:
    from jobforge.adapters.sentence_transformers._query_batcher import MAX_INLINE_BATCH

    sizes: list[int] = []

    def encode_now(texts: list[str]) -> list[list[float]]:
        sizes.append(len(texts))
        return [[1.0] for _ in texts]

    batcher = QueryBatcher(lambda texts: [], max_batch=64, encode_now=encode_now)
    await asyncio.gather(*(batcher.embed(str(n)) for n in range(MAX_INLINE_BATCH + 3)))
    assert sizes == [MAX_INLINE_BATCH, 3]


async def test_an_error_on_the_loop_thread_reaches_every_waiter_of_the_batch() -> None:
    def encode_now(texts: list[str]) -> list[list[float]]:
        if "a" in texts:
            raise ValueError("model broke")
        return [[1.0] for _ in texts]

    batcher = QueryBatcher(lambda texts: [], encode_now=encode_now)
    results = await asyncio.gather(batcher.embed("a"), batcher.embed("b"), return_exceptions=True)
    assert [str(error) for error in results] == ["model broke", "model broke"]
    assert await batcher.embed("c") == [1.0]  # the next batch is served
