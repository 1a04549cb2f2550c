"""The OpenAI embedder against the local OpenAI-compatible server: equality, retries, errors."""

from __future__ import annotations

import logging
import random
from collections.abc import AsyncIterator

import pytest
from servers.embeddings import MODEL, EmbeddingsServer

from jobforge.adapters.openai import EmbeddingDimensionError, EmbeddingServiceError, OpenAIEmbedder
from jobforge.adapters.openai._batching import batches, prepare
from jobforge.adapters.openai._retry import backoff_delay, retry_after_seconds
from jobforge.adapters.sentence_transformers import SentenceTransformerEmbedder
from jobforge.core.errors import ConfigError
from jobforge.core.registry import AdapterContext
from jobforge.hosts.config import load_settings

TEXTS = [
    "Senior data engineer building Spark pipelines, hybrid in Austin",
    "Registered nurse, ICU, nights",
    "Développeur logiciel à Zürich — 日本語",
    "  ",
]


def make(server: EmbeddingsServer, **options: object) -> OpenAIEmbedder:
    settings: dict[str, object] = {
        "model": MODEL,
        "base_url": server.base_url,
        "api_key": server.api_key,
        "dimensions": 384,
        "backoff_base": 0.01,
    }
    settings.update(options)
    return OpenAIEmbedder(**settings)  # type: ignore[arg-type]


class SleepRecorder:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
async def float_and_base64(embeddings_server: EmbeddingsServer) -> AsyncIterator[list[OpenAIEmbedder]]:
    embedders = [make(embeddings_server, encoding_format=fmt) for fmt in ("float", "base64")]
    yield embedders
    for embedder in embedders:
        await embedder.close()


# --- against the server ---------------------------------------------------------------------


@pytest.mark.slow
async def test_vectors_equal_the_local_model_in_both_encodings(
    float_and_base64: list[OpenAIEmbedder],
    minilm_fp32: SentenceTransformerEmbedder,
    embeddings_server: EmbeddingsServer,
) -> None:
    local = await minilm_fp32.embed_documents([text if text.strip() else " " for text in TEXTS])
    for embedder in float_and_base64:
        remote = await embedder.embed_documents(TEXTS)
        for a, b in zip(local, remote, strict=True):
            assert max(abs(x - y) for x, y in zip(a, b, strict=True)) <= 1e-5, embedder.encoding_format
        query = await embedder.embed_query(TEXTS[0])
        assert max(abs(x - y) for x, y in zip(local[0], query, strict=True)) <= 1e-5
    assert {r["encoding_format"] for r in embeddings_server.requests} == {"float", "base64"}


@pytest.mark.slow
async def test_429_with_retry_after_is_retried_then_succeeds(
    embeddings_server: EmbeddingsServer, caplog: pytest.LogCaptureFixture
) -> None:
    sleep = SleepRecorder()
    embedder = make(embeddings_server, sleep=sleep, backoff_base=0.001)
    embeddings_server.fail_next(2, status=429, retry_after="0.25")
    caplog.set_level(logging.WARNING, "jobforge.adapters.openai")
    try:
        (vector,) = await embedder.embed_documents(["Welder, shipyard"])
    finally:
        await embedder.close()
    assert len(vector) == 384
    assert len(embeddings_server.requests) == 3
    assert (embedder.requests, embedder.retries) == (3, 2)
    assert len(sleep.delays) == 2
    assert all(0.25 <= delay <= 0.25 * 1.1 for delay in sleep.delays)  # Retry-After honoured, jittered
    assert "HTTP 429" in caplog.text
    assert "test-key" not in caplog.text


@pytest.mark.slow
async def test_5xx_and_real_sleeps_are_retried(embeddings_server: EmbeddingsServer) -> None:
    embedder = make(embeddings_server, backoff_base=0.01, backoff_cap=0.02)
    embeddings_server.fail_next(1, status=503, retry_after=None)
    embeddings_server.fail_next(1, status=500, retry_after=None)
    try:
        assert len(await embedder.embed_query("Pastry chef")) == 384
    finally:
        await embedder.close()
    assert embedder.retries == 2


async def test_retries_give_up_with_a_clear_error(embeddings_server: EmbeddingsServer) -> None:
    sleep = SleepRecorder()
    embedder = make(embeddings_server, sleep=sleep, max_retries=2)
    embeddings_server.fail_next(5, status=429, retry_after=None)
    try:
        with pytest.raises(EmbeddingServiceError, match=r"failed after 3 attempts: HTTP 429"):
            await embedder.embed_documents(["x"])
    finally:
        await embedder.close()
    assert len(sleep.delays) == 2
    assert sleep.delays[1] > 0


async def test_bad_api_key_fails_at_once_and_is_never_shown(
    embeddings_server: EmbeddingsServer, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "sk-proj-SECRETSECRET123"
    embedder = make(embeddings_server, api_key=secret)
    caplog.set_level(logging.DEBUG)
    try:
        with pytest.raises(EmbeddingServiceError, match="HTTP 401") as caught:
            await embedder.embed_documents(["x"])
    finally:
        await embedder.close()
    assert embedder.requests == 1
    assert secret not in str(caught.value)
    assert secret not in repr(embedder)
    assert secret not in caplog.text


@pytest.mark.slow
async def test_returned_dimensions_must_match_the_configured_ones(
    embeddings_server: EmbeddingsServer,
) -> None:
    embedder = make(embeddings_server, dimensions=256, send_dimensions=False)
    try:
        with pytest.raises(EmbeddingDimensionError, match=r"384 dimensions, expected 256") as caught:
            await embedder.embed_documents(["Forklift operator"])
    finally:
        await embedder.close()
    assert embeddings_server.base_url in str(caught.value)


@pytest.mark.slow
async def test_dimensions_are_requested_and_vectors_renormalised(embeddings_server: EmbeddingsServer) -> None:
    embedder = make(embeddings_server, dimensions=128)
    try:
        (vector,) = await embedder.embed_documents(["Machine learning engineer"])
    finally:
        await embedder.close()
    assert len(vector) == 128
    assert sum(v * v for v in vector) == pytest.approx(1.0, abs=1e-6)
    assert embeddings_server.requests[-1]["dimensions"] == 128
    assert embedder.model_id == f"openai:{MODEL}/128"


@pytest.mark.slow
async def test_batches_respect_input_and_token_limits(embeddings_server: EmbeddingsServer) -> None:
    embedder = make(embeddings_server, batch_size=3, max_batch_tokens=60, max_input_tokens=40)
    texts = [f"job number {i} " * 3 for i in range(7)] + ["a" * 500, "job number 0 " * 3]
    try:
        vectors = await embedder.embed_documents(texts)
    finally:
        await embedder.close()
    assert len(vectors) == 9
    assert vectors[0] == vectors[8]  # a repeated text is sent once and reused
    inputs = [r["input"] for r in embeddings_server.requests]
    assert sum(len(batch) for batch in inputs) == 8
    assert all(len(batch) <= 3 for batch in inputs)
    assert all(sum(len(text.encode()) for text in batch) <= 60 for batch in inputs)
    assert "a" * 40 in [text for batch in inputs for text in batch]


# --- pure parts -------------------------------------------------------------------------------


def test_prepare_truncates_on_a_character_boundary_and_fills_blanks() -> None:
    assert prepare("", 10) == " "
    assert prepare("\n\t", 10) == " "
    assert prepare("abc", 10) == "abc"
    assert prepare("ééééé", 5) == "éé"  # 2 bytes each; the half character is dropped
    assert len(prepare("x" * 9000, 8191)) == 8191


def test_batches_keep_order_and_bounds() -> None:
    texts = ["aaaa", "bb", "cccccc", "d", "ee"]
    assert list(batches(texts, max_inputs=2, max_tokens=100)) == [[0, 1], [2, 3], [4]]
    assert list(batches(texts, max_inputs=10, max_tokens=7)) == [[0, 1], [2, 3], [4]]
    assert list(batches(["x" * 50], max_inputs=10, max_tokens=7)) == [[0]]  # one oversized text alone


def test_retry_after_forms() -> None:
    assert retry_after_seconds({"retry-after": "2"}) == 2.0
    assert retry_after_seconds({"retry-after-ms": "1500", "retry-after": "9"}) == 1.5
    assert retry_after_seconds({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, now=1445412480.0) == 10.0
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None
    assert retry_after_seconds(None) is None


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    delays = [backoff_delay(attempt, base=1.0, cap=8.0, rng=rng) for attempt in range(1, 7)]
    for attempt, delay in enumerate(delays, start=1):
        ceiling = min(8.0, 2 ** (attempt - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert backoff_delay(1, base=1.0, cap=8.0, retry_after=30.0, rng=rng) >= 30.0


def test_constructor_validation() -> None:
    with pytest.raises(ValueError, match="dimensions is required"):
        OpenAIEmbedder(model="my-model", base_url="http://127.0.0.1:1/v1")
    with pytest.raises(ValueError, match="encoding_format"):
        OpenAIEmbedder(encoding_format="int8", api_key="k")
    with pytest.raises(ValueError, match="batch_size"):
        OpenAIEmbedder(batch_size=4096, api_key="k")
    known = OpenAIEmbedder(model="text-embedding-3-large", api_key="k")
    assert (known.dimensions, known.send_dimensions) == (3072, False)
    assert OpenAIEmbedder(api_key="k", dimensions=512).send_dimensions is True


def test_plugin_builds_from_config_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from jobforge.adapters.openai.plugin import _build

    env = {
        "JOBFORGE_EMBEDDER": "openai",
        "JOBFORGE_OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
        "JOBFORGE_OPENAI_API_KEY": "sk-test-123456",
        "JOBFORGE_OPENAI_MODEL": MODEL,
        "JOBFORGE__EMBEDDER__DIMENSIONS": "384",
    }
    settings = load_settings(env=env, overrides={"data_dir": "/tmp/jobforge-test"})
    assert settings.embedder.name == "openai"
    ctx = AdapterContext(name="openai", options=settings.embedder.options, key="embedder")
    embedder = _build(ctx)
    assert isinstance(embedder, OpenAIEmbedder)
    assert (embedder.base_url, embedder.model, embedder.dimensions) == ("http://127.0.0.1:9/v1", MODEL, 384)
    with pytest.raises(ConfigError, match=r"embedder\.dimensions"):
        _build(
            AdapterContext(
                name="openai", options={"model": "custom", "base_url": "http://x/v1"}, key="embedder"
            )
        )
    with pytest.raises(ConfigError, match=r"embedder\.colour"):
        _build(AdapterContext(name="openai", options={"colour": "red"}, key="embedder"))
