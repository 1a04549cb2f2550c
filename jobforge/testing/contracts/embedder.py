"""The contract every :class:`~jobforge.ports.Embedder` adapter passes.

Subclass :class:`EmbedderContract` and override the ``embedder`` fixture.
An expensive embedder (a real model) is best built once per module and
handed out by the fixture; the suite never closes it::

    @pytest.fixture(scope="module")
    def loaded():
        embedder = MyEmbedder(...)
        yield embedder
        asyncio.run(embedder.close())

    class TestMyEmbedder(EmbedderContract):
        batch_tolerance = 1e-3  # reduced-precision arithmetic

        @pytest.fixture
        def embedder(self, loaded):
            return loaded

A non-semantic embedder (feature hashing, a fake) sets ``semantic = False``:
it is then held to "texts sharing words are closer than texts sharing none"
instead of "a paraphrase is closer than an unrelated text".
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import AsyncIterator, Sequence
from typing import ClassVar

import pytest

from jobforge.ports import Embedder

__all__ = ["EmbedderContract", "cosine"]


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two vectors (0.0 when either is all zeros)."""
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


_TEXTS = [
    "Senior Python developer to build data pipelines on AWS",
    "Registered nurse for the night shift in a busy emergency department",
    "Forklift operator, warehouse, early mornings",
    "Machine learning engineer: train and deploy recommendation models",
    "Part-time barista wanted; latte art a plus",
]


class EmbedderContract:
    """Behaviour shared by every embedder; subclass and override ``embedder``."""

    pytestmark = [pytest.mark.asyncio]

    semantic: ClassVar[bool] = True
    """Whether meaning (not just shared words) drives similarity."""
    batch_tolerance: ClassVar[float] = 1e-4
    """Largest allowed ``1 - cosine`` between a text's vector embedded in a batch and alone;
    reduced precision (bfloat16) legitimately differs with the batch's padding."""
    norm_tolerance: ClassVar[float] = 1e-3
    """Largest allowed distance of a vector's length from 1."""

    @pytest.fixture
    async def embedder(self) -> AsyncIterator[Embedder]:
        """Yield a ready embedder (override this); the suite does not close it."""
        raise NotImplementedError("override the `embedder` fixture to yield an Embedder")
        yield  # pragma: no cover  # noqa: PT022  (makes this an async generator fixture like its overrides)

    def assert_unit(self, vector: Sequence[float], dimensions: int) -> None:
        """Assert the vector has ``dimensions`` finite floats and length 1."""
        assert len(vector) == dimensions
        assert all(isinstance(x, float) and math.isfinite(x) for x in vector)
        assert abs(math.sqrt(sum(x * x for x in vector)) - 1.0) <= self.norm_tolerance

    async def test_implements_the_port(self, embedder: Embedder) -> None:
        """The adapter satisfies the runtime-checkable ``Embedder`` protocol."""
        assert isinstance(embedder, Embedder)

    async def test_model_id_is_a_stable_non_empty_string(self, embedder: Embedder) -> None:
        """``model_id`` names the vector space and does not change as the embedder is used."""
        before = embedder.model_id
        assert isinstance(before, str)
        assert before.strip()
        await embedder.embed_documents(_TEXTS[:1])
        assert embedder.model_id == before

    async def test_dimensions_are_positive_and_consistent(self, embedder: Embedder) -> None:
        """Every vector, document or query, has ``dimensions`` floats."""
        dimensions = embedder.dimensions
        assert isinstance(dimensions, int)
        assert dimensions > 0
        vectors = await embedder.embed_documents(_TEXTS)
        assert [len(v) for v in vectors] == [dimensions] * len(_TEXTS)
        assert len(await embedder.embed_query("python jobs")) == dimensions

    async def test_vectors_have_unit_length(self, embedder: Embedder) -> None:
        """Document and query vectors are L2-normalised."""
        for vector in await embedder.embed_documents(_TEXTS):
            self.assert_unit(vector, embedder.dimensions)
        self.assert_unit(await embedder.embed_query("remote nursing jobs"), embedder.dimensions)

    async def test_deterministic(self, embedder: Embedder) -> None:
        """The same texts give the same vectors on a second call."""
        first = await embedder.embed_documents(_TEXTS)
        second = await embedder.embed_documents(_TEXTS)
        for a, b in zip(first, second, strict=True):
            assert max(abs(x - y) for x, y in zip(a, b, strict=True)) <= 1e-6
        query = "data engineer"
        q1, q2 = await embedder.embed_query(query), await embedder.embed_query(query)
        assert max(abs(x - y) for x, y in zip(q1, q2, strict=True)) <= 1e-6

    async def test_batch_matches_one_by_one(self, embedder: Embedder) -> None:
        """A text's vector does not depend on the batch it was embedded in."""
        batch = await embedder.embed_documents(_TEXTS)
        for text, vector in zip(_TEXTS, batch, strict=True):
            (alone,) = await embedder.embed_documents([text])
            assert 1.0 - cosine(vector, alone) <= self.batch_tolerance, text

    async def test_order_is_preserved(self, embedder: Embedder) -> None:
        """Vector ``i`` belongs to text ``i``, whatever the texts' lengths and order."""
        texts = ["a", *_TEXTS, "x " * 40]
        forward = await embedder.embed_documents(texts)
        backward = await embedder.embed_documents(texts[::-1])
        for a, b in zip(forward, backward[::-1], strict=True):
            assert 1.0 - cosine(a, b) <= self.batch_tolerance

    async def test_empty_list_gives_empty_list(self, embedder: Embedder) -> None:
        """Embedding no texts returns no vectors."""
        assert await embedder.embed_documents([]) == []

    async def test_empty_and_blank_texts_are_handled(self, embedder: Embedder) -> None:
        """An empty or blank text gets a finite unit vector, never NaN or an error."""
        vectors = await embedder.embed_documents(["", "   ", "ok"])
        assert len(vectors) == 3
        for vector in vectors:
            self.assert_unit(vector, embedder.dimensions)
        self.assert_unit(await embedder.embed_query(""), embedder.dimensions)

    async def test_long_and_unicode_texts_are_handled(self, embedder: Embedder) -> None:
        """A very long text is embedded (truncated if need be); non-ASCII text works."""
        long_text = "Experienced welder needed for shipyard work. " * 400
        vectors = await embedder.embed_documents([long_text, "Développeur logiciel à Zürich — 日本語 ✓"])
        for vector in vectors:
            self.assert_unit(vector, embedder.dimensions)

    async def test_similarity_reflects_the_text(self, embedder: Embedder) -> None:
        """Semantic: a paraphrase beats an unrelated text. Otherwise: shared words beat none."""
        if self.semantic:
            anchor, near, far = await embedder.embed_documents(
                [
                    "Software engineer writing Python code for a web startup",
                    "Developer building web applications in Python",
                    "Truck driver hauling freight across the country",
                ]
            )
        else:
            anchor, near, far = await embedder.embed_documents(
                [
                    "senior python developer remote",
                    "python developer wanted",
                    "nurse night shift hospital",
                ]
            )
        assert cosine(anchor, near) > cosine(anchor, far) + 0.05

    async def test_query_is_consistent_with_documents(self, embedder: Embedder) -> None:
        """A query's vector is closest to the document vector of the same text."""
        documents = await embedder.embed_documents(_TEXTS)
        for position, text in enumerate(_TEXTS):
            query = await embedder.embed_query(text)
            scores = [cosine(query, document) for document in documents]
            assert max(range(len(scores)), key=scores.__getitem__) == position

    async def test_concurrent_calls_give_the_same_vectors(self, embedder: Embedder) -> None:
        """Calls made at once (as a server does) return what sequential calls return."""
        sequential = [await embedder.embed_documents([text]) for text in _TEXTS]
        documents = asyncio.gather(*(embedder.embed_documents([text]) for text in _TEXTS))
        together, query = await asyncio.gather(documents, embedder.embed_query(_TEXTS[0]))
        alone = await embedder.embed_query(_TEXTS[0])
        assert max(abs(x - y) for x, y in zip(query, alone, strict=True)) <= 1e-6
        for (a,), (b,) in zip(sequential, together, strict=True):
            assert max(abs(x - y) for x, y in zip(a, b, strict=True)) <= 1e-6
