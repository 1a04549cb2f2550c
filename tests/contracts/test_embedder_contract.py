"""The embedder contract, run against every built-in embedder.

The real model (marked ``slow``; CI runs it) is loaded once per backend for
the whole module.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from jobforge.adapters.hashing.embedder import HashingEmbedder
from jobforge.adapters.memory.cache import MemoryCache
from jobforge.adapters.sentence_transformers import SentenceTransformerEmbedder
from jobforge.core.embedding_cache import CachingEmbedder
from jobforge.testing.contracts import EmbedderContract
from jobforge.testing.contracts.embedder import cosine


class TestHashingEmbedder(EmbedderContract):
    semantic = False

    @pytest.fixture
    async def embedder(self) -> AsyncIterator[HashingEmbedder]:
        embedder = HashingEmbedder(dimensions=64)
        yield embedder
        await embedder.close()


class TestCachingHashingEmbedder(EmbedderContract):
    semantic = False

    @pytest.fixture
    async def embedder(self) -> AsyncIterator[CachingEmbedder]:
        embedder = CachingEmbedder(HashingEmbedder(dimensions=64), MemoryCache(max_entries=1000))
        yield embedder
        await embedder.close()


# The real model, once per backend and module: loading is the slow part.


@pytest.fixture(scope="module")
def model_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


def _loaded(backend: str, query_backend: str, cache_dir: Path) -> Iterator[SentenceTransformerEmbedder]:
    embedder = SentenceTransformerEmbedder(backend=backend, query_backend=query_backend, cache_dir=cache_dir)
    asyncio.run(embedder.load())
    yield embedder
    asyncio.run(embedder.close())


@pytest.fixture(scope="module")
def torch_fp32(minilm_fp32: SentenceTransformerEmbedder) -> SentenceTransformerEmbedder:
    """The session's torch fp32 model (``tests/servers/embeddings.py``), shared with the embeddings server."""
    return minilm_fp32


@pytest.fixture(scope="module")
def torch_bf16(model_cache_dir: Path) -> Iterator[SentenceTransformerEmbedder]:
    yield from _loaded("torch-bf16", "torch-bf16", model_cache_dir)


@pytest.fixture(scope="module")
def onnx(model_cache_dir: Path) -> Iterator[SentenceTransformerEmbedder]:
    yield from _loaded("onnx", "onnx", model_cache_dir)


@pytest.fixture(scope="module")
def default(model_cache_dir: Path) -> Iterator[SentenceTransformerEmbedder]:
    """What users get: ``auto`` for documents (bf16 on this CPU) and queries (ONNX)."""
    yield from _loaded("auto", "auto", model_cache_dir)


@pytest.mark.slow
class TestSentenceTransformerTorchFp32(EmbedderContract):
    @pytest.fixture
    def embedder(self, torch_fp32: SentenceTransformerEmbedder) -> SentenceTransformerEmbedder:
        return torch_fp32


@pytest.mark.slow
class TestSentenceTransformerTorchBf16(EmbedderContract):
    # bfloat16 results depend slightly on the batch's padding length.
    batch_tolerance = 1e-3

    @pytest.fixture
    def embedder(self, torch_bf16: SentenceTransformerEmbedder) -> SentenceTransformerEmbedder:
        return torch_bf16


@pytest.mark.slow
class TestSentenceTransformerOnnx(EmbedderContract):
    @pytest.fixture
    def embedder(self, onnx: SentenceTransformerEmbedder) -> SentenceTransformerEmbedder:
        return onnx


@pytest.mark.slow
class TestSentenceTransformerDefault(EmbedderContract):
    batch_tolerance = 1e-3

    @pytest.fixture
    def embedder(self, default: SentenceTransformerEmbedder) -> SentenceTransformerEmbedder:
        return default


@pytest.mark.slow
class TestCachingSentenceTransformer(EmbedderContract):
    batch_tolerance = 1e-3

    @pytest.fixture
    async def embedder(self, default: SentenceTransformerEmbedder) -> CachingEmbedder:
        return CachingEmbedder(default, MemoryCache(max_entries=1000))


@pytest.mark.slow
async def test_backends_share_one_vector_space(
    torch_fp32: SentenceTransformerEmbedder,
    torch_bf16: SentenceTransformerEmbedder,
    onnx: SentenceTransformerEmbedder,
) -> None:
    texts = [
        "Senior data engineer building Spark pipelines, hybrid in Austin",
        "Registered nurse, ICU, nights",
        "",
    ]
    reference = await torch_fp32.embed_documents(texts)
    for other, floor in ((onnx, 0.99999), (torch_bf16, 0.999)):
        assert other.model_id == torch_fp32.model_id
        for a, b in zip(reference, await other.embed_documents(texts), strict=True):
            assert cosine(a, b) >= floor, other.backend
