"""CachingEmbedder: content-hash keys, one cache read and one inner call per batch, counters."""

from __future__ import annotations

import hashlib
import sys
from array import array
from collections.abc import Mapping, Sequence

import pytest

from jobforge.adapters.hashing.embedder import HashingEmbedder
from jobforge.adapters.memory.cache import MemoryCache
from jobforge.core.embedding_cache import CachingEmbedder
from jobforge.ports import Embedder


class RecordingEmbedder:
    """Hashing vectors, recording each call's texts."""

    def __init__(self, model_id: str = "fake-model", dimensions: int = 8) -> None:
        self._inner = HashingEmbedder(dimensions=dimensions)
        self._model_id = model_id
        self.document_calls: list[list[str]] = []
        self.query_calls: list[str] = []
        self.closed = False

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def dimensions(self) -> int:
        return self._inner.dimensions

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.document_calls.append(list(texts))
        return await self._inner.embed_documents(texts)

    async def embed_query(self, text: str) -> list[float]:
        self.query_calls.append(text)
        return await self._inner.embed_query(text)

    async def close(self) -> None:
        self.closed = True


class CountingCache(MemoryCache):
    """A memory cache that counts round trips."""

    def __init__(self) -> None:
        super().__init__(max_entries=1000)
        self.gets: list[list[str]] = []
        self.sets: list[tuple[dict[str, bytes], float | None]] = []

    async def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        self.gets.append(list(keys))
        return await super().get_many(keys)

    async def set_many(self, items: Mapping[str, bytes], ttl: float | None = None) -> None:
        self.sets.append((dict(items), ttl))
        await super().set_many(items, ttl)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def as_float32(vector: Sequence[float]) -> list[float]:
    return array("f", vector).tolist()


@pytest.fixture
def inner() -> RecordingEmbedder:
    return RecordingEmbedder()


@pytest.fixture
def cache() -> CountingCache:
    return CountingCache()


@pytest.fixture
def embedder(inner: RecordingEmbedder, cache: CountingCache) -> CachingEmbedder:
    return CachingEmbedder(inner, cache)


def test_it_is_an_embedder_of_the_inner_space(embedder: CachingEmbedder) -> None:
    assert isinstance(embedder, Embedder)
    assert embedder.model_id == "fake-model"
    assert embedder.dimensions == 8


async def test_only_misses_reach_the_inner_embedder_deduplicated_in_one_call(
    embedder: CachingEmbedder, inner: RecordingEmbedder, cache: CountingCache
) -> None:
    await embedder.embed_documents(["a", "b"])
    cache.gets.clear()
    cache.sets.clear()
    vectors = await embedder.embed_documents(["c", "a", "c", "d", "b"])
    assert inner.document_calls == [["a", "b"], ["c", "d"]]
    assert len(cache.gets) == 1
    assert len(cache.sets) == 1
    assert set(cache.sets[0][0]) == {f"emb:fake-model:{sha('c')}", f"emb:fake-model:{sha('d')}"}
    expected = [as_float32(v) for v in await HashingEmbedder(8).embed_documents(["c", "a", "c", "d", "b"])]
    assert vectors == expected
    assert (embedder.hits, embedder.misses) == (2, 4)


async def test_values_are_little_endian_float32_keyed_by_content_hash(
    embedder: CachingEmbedder, cache: CountingCache
) -> None:
    text = "Data engineer, Berlin"
    (vector,) = await embedder.embed_documents([text])
    raw = (await cache.get_many([f"emb:fake-model:{sha(text)}"]))[f"emb:fake-model:{sha(text)}"]
    floats = array("f")
    floats.frombytes(raw)
    if sys.byteorder == "big":
        floats.byteswap()
    assert len(raw) == 4 * 8
    assert floats.tolist() == vector


async def test_a_fully_cached_batch_makes_no_inner_call_and_no_write(
    embedder: CachingEmbedder, inner: RecordingEmbedder, cache: CountingCache
) -> None:
    first = await embedder.embed_documents(["x", "y"])
    cache.sets.clear()
    second = await embedder.embed_documents(["y", "x"])
    assert second == first[::-1]
    assert inner.document_calls == [["x", "y"]]
    assert cache.sets == []
    assert (embedder.hits, embedder.misses) == (2, 2)


async def test_results_do_not_depend_on_whether_they_were_cached(embedder: CachingEmbedder) -> None:
    fresh = await embedder.embed_documents(["same text"])
    cached = await embedder.embed_documents(["same text"])
    assert fresh == cached


async def test_the_model_id_separates_vector_spaces(cache: CountingCache) -> None:
    one = RecordingEmbedder(model_id="model-one")
    two = RecordingEmbedder(model_id="model-two")
    await CachingEmbedder(one, cache).embed_documents(["t"])
    await CachingEmbedder(two, cache).embed_documents(["t"])
    assert one.document_calls == [["t"]]
    assert two.document_calls == [["t"]]


async def test_ttl_is_passed_to_the_cache(inner: RecordingEmbedder, cache: CountingCache) -> None:
    embedder = CachingEmbedder(inner, cache, ttl=3600)
    await embedder.embed_documents(["t"])
    await embedder.embed_query("q")
    assert [ttl for _, ttl in cache.sets] == [3600, 3600]


async def test_a_lost_entry_is_recomputed(
    embedder: CachingEmbedder, inner: RecordingEmbedder, cache: CountingCache
) -> None:
    await embedder.embed_documents(["t"])
    await cache.delete([f"emb:fake-model:{sha('t')}"])
    await embedder.embed_documents(["t"])
    assert inner.document_calls == [["t"], ["t"]]


async def test_an_entry_of_the_wrong_size_is_a_miss(
    embedder: CachingEmbedder, inner: RecordingEmbedder, cache: CountingCache
) -> None:
    await cache.set_many({f"emb:fake-model:{sha('t')}": b"\x00\x00\x80\x3f"})
    (vector,) = await embedder.embed_documents(["t"])
    assert len(vector) == 8
    assert inner.document_calls == [["t"]]
    assert embedder.misses == 1


async def test_queries_are_cached_apart_from_documents(
    embedder: CachingEmbedder, inner: RecordingEmbedder, cache: CountingCache
) -> None:
    await embedder.embed_documents(["python"])
    first = await embedder.embed_query("python")
    second = await embedder.embed_query("python")
    assert first == second
    assert inner.query_calls == ["python"]
    assert f"embq:fake-model:{sha('python')}" in cache.sets[-1][0]
    assert (embedder.hits, embedder.misses) == (1, 2)


async def test_queries_can_bypass_the_cache(inner: RecordingEmbedder, cache: CountingCache) -> None:
    embedder = CachingEmbedder(inner, cache, cache_queries=False)
    await embedder.embed_query("q")
    await embedder.embed_query("q")
    assert inner.query_calls == ["q", "q"]
    assert cache.gets == []


async def test_empty_input_touches_nothing(
    embedder: CachingEmbedder, inner: RecordingEmbedder, cache: CountingCache
) -> None:
    assert await embedder.embed_documents([]) == []
    assert inner.document_calls == []
    assert cache.gets == []


async def test_bad_input_is_rejected_with_its_position(embedder: CachingEmbedder) -> None:
    with pytest.raises(TypeError, match=r"texts\[1\] is int"):
        await embedder.embed_documents(["ok", 3])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="single str"):
        await embedder.embed_documents("not a list")
    with pytest.raises(TypeError, match="query"):
        await embedder.embed_query(None)  # type: ignore[arg-type]


def test_ttl_must_be_positive(inner: RecordingEmbedder, cache: CountingCache) -> None:
    with pytest.raises(ValueError, match="ttl"):
        CachingEmbedder(inner, cache, ttl=0)


class WrongCountEmbedder(RecordingEmbedder):
    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return (await super().embed_documents(texts))[:-1]


async def test_an_inner_embedder_returning_too_few_vectors_is_an_error(cache: CountingCache) -> None:
    embedder = CachingEmbedder(WrongCountEmbedder(), cache)
    with pytest.raises(ValueError, match="returned 1 vectors for 2 texts"):
        await embedder.embed_documents(["a", "b"])
    assert cache.sets == []


async def test_close_closes_the_inner_embedder(embedder: CachingEmbedder, inner: RecordingEmbedder) -> None:
    await embedder.close()
    assert inner.closed
