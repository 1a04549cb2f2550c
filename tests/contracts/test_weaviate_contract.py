"""The SearchIndex contract on the Weaviate adapter, against a live Weaviate at ``WEAVIATE_URL``.

No Weaviate can run on the project's machines, so this module is skipped
unless ``WEAVIATE_URL`` is set (the only skip in the suite); see
``docs/deployment.md`` for running it against a local Weaviate::

    docker run -d --name weaviate -p 8080:8080 -p 50051:50051 \\
      -e AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED=true -e DEFAULT_VECTORIZER_MODULE=none \\
      -e PERSISTENCE_DATA_PATH=/var/lib/weaviate cr.weaviate.io/semitechnologies/weaviate:1.32.4
    WEAVIATE_URL=http://127.0.0.1:8080 pytest tests/contracts/test_weaviate_contract.py

Each test gets a collection of its own, deleted afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest

from jobforge.adapters.weaviate import WeaviateSearchIndex
from jobforge.testing.contracts import SearchIndexContract

WEAVIATE_URL = os.environ.get("WEAVIATE_URL", "")
GRPC_PORT = int(os.environ.get("WEAVIATE_GRPC_PORT", "50051"))

pytestmark = [
    pytest.mark.weaviate,
    pytest.mark.skipif(
        not WEAVIATE_URL, reason="set WEAVIATE_URL to run the contract against a live Weaviate"
    ),
]


class TestWeaviateSearchIndex(SearchIndexContract):
    @pytest.fixture
    async def search_index(self) -> AsyncIterator[WeaviateSearchIndex]:
        index = WeaviateSearchIndex(
            WEAVIATE_URL, grpc_port=GRPC_PORT, collection=f"JobforgeContract{uuid.uuid4().hex[:12]}"
        )
        yield index
        await index.drop_collection()
        await index.close()


class TestWeaviateSearchIndexWithTenant(SearchIndexContract):
    """The same contract inside a Weaviate tenant (multi-tenancy)."""

    @pytest.fixture
    async def search_index(self) -> AsyncIterator[WeaviateSearchIndex]:
        index = WeaviateSearchIndex(
            WEAVIATE_URL,
            grpc_port=GRPC_PORT,
            collection=f"JobforgeContract{uuid.uuid4().hex[:12]}",
            tenant="deployment-a",
        )
        yield index
        await index.drop_collection()
        await index.close()
