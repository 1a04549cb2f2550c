"""The embedder contract on the OpenAI adapter, against a real local OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from servers.embeddings import MODEL, EmbeddingsServer

from jobforge.adapters.openai import OpenAIEmbedder
from jobforge.testing.contracts import EmbedderContract

pytestmark = pytest.mark.slow


def make_embedder(server: EmbeddingsServer, **options: object) -> OpenAIEmbedder:
    settings: dict[str, object] = {
        "model": MODEL,
        "base_url": server.base_url,
        "api_key": server.api_key,
        "dimensions": 384,
        "backoff_base": 0.01,
    }
    settings.update(options)
    return OpenAIEmbedder(**settings)  # type: ignore[arg-type]


class TestOpenAIEmbedderBase64(EmbedderContract):
    @pytest.fixture
    async def embedder(self, embeddings_server: EmbeddingsServer) -> AsyncIterator[OpenAIEmbedder]:
        embedder = make_embedder(embeddings_server)
        yield embedder
        await embedder.close()


class TestOpenAIEmbedderFloat(EmbedderContract):
    @pytest.fixture
    async def embedder(self, embeddings_server: EmbeddingsServer) -> AsyncIterator[OpenAIEmbedder]:
        embedder = make_embedder(embeddings_server, encoding_format="float")
        yield embedder
        await embedder.close()
