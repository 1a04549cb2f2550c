"""An embedder wrapper that remembers vectors by content hash in a cache.

Ingest embeds only what changed: a text whose vector is cached (under the
same model) costs one cache read instead of a model call.
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from collections.abc import Sequence

from jobforge.ports import Cache, Embedder

__all__ = ["CachingEmbedder"]


class CachingEmbedder:
    """An :class:`~jobforge.ports.Embedder` that consults a cache before its inner one.

    Keys are ``emb:<model_id>:<sha256 hex of the text>`` for documents and
    ``embq:<model_id>:<sha256 hex>`` for queries (kept apart because some
    models embed queries differently); values are the vector as
    little-endian float32 bytes. Every returned vector has been through that
    float32 form, so a result never depends on whether it was cached.

    ``hits`` and ``misses`` count distinct texts per call: a text found in
    the cache is a hit, a text that had to be embedded is a miss.

    Args:
        inner: The embedder that computes vectors on a miss.
        cache: Where vectors are kept; losing entries only costs recomputation.
        ttl: Seconds an entry lives, or ``None`` for as long as the cache keeps it.
        cache_queries: Whether :meth:`embed_query` goes through the cache too.

    Raises:
        ValueError: ``ttl`` is given and not positive.
    """

    def __init__(
        self,
        inner: Embedder,
        cache: Cache,
        *,
        ttl: float | None = None,
        cache_queries: bool = True,
    ) -> None:
        if ttl is not None and not ttl > 0:
            raise ValueError(f"ttl must be a positive number of seconds or None, got {ttl!r}")
        self.inner = inner
        self.cache = cache
        self.ttl = ttl
        self.cache_queries = cache_queries
        self.hits = 0
        self.misses = 0

    @property
    def model_id(self) -> str:
        """The inner embedder's vector space."""
        return self.inner.model_id

    @property
    def dimensions(self) -> int:
        """The inner embedder's vector length."""
        return self.inner.dimensions

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order; only uncached distinct texts reach the inner embedder.

        Raises:
            TypeError: A text is not a string (the message gives its position).
            ValueError: The inner embedder returned the wrong number or length of vectors.
        """
        if isinstance(texts, str):
            raise TypeError("embed_documents expects a sequence of texts, got a single str")
        for position, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{position}] is {type(text).__name__} {text!r}, expected str")
        if not texts:
            return []
        model_id = self.inner.model_id
        key_of = {text: f"emb:{model_id}:{_digest(text)}" for text in texts}
        found = await self.cache.get_many(list(key_of.values()))
        vectors: dict[str, list[float]] = {}
        for text, key in key_of.items():
            raw = found.get(key)
            vector = None if raw is None else self._decode(raw)
            if vector is not None:
                vectors[text] = vector
        missing = [text for text in key_of if text not in vectors]
        self.hits += len(key_of) - len(missing)
        self.misses += len(missing)
        if missing:
            computed = await self.inner.embed_documents(missing)
            if len(computed) != len(missing):
                raise ValueError(
                    f"embedder {model_id!r} returned {len(computed)} vectors for {len(missing)} texts"
                )
            items: dict[str, bytes] = {}
            for text, vector in zip(missing, computed, strict=True):
                data = self._encode(vector)
                items[key_of[text]] = data
                vectors[text] = _decode_floats(data)
            await self.cache.set_many(items, ttl=self.ttl)
        return [vectors[text] for text in texts]

    async def embed_query(self, text: str) -> list[float]:
        """The query vector, from the cache when ``cache_queries`` is on.

        Raises:
            TypeError: ``text`` is not a string.
        """
        if not isinstance(text, str):
            raise TypeError(f"expected a str query, got {type(text).__name__} {text!r}")
        if not self.cache_queries:
            return await self.inner.embed_query(text)
        key = f"embq:{self.inner.model_id}:{_digest(text)}"
        raw = (await self.cache.get_many([key])).get(key)
        vector = None if raw is None else self._decode(raw)
        if vector is not None:
            self.hits += 1
            return vector
        self.misses += 1
        data = self._encode(await self.inner.embed_query(text))
        await self.cache.set_many({key: data}, ttl=self.ttl)
        return _decode_floats(data)

    async def close(self) -> None:
        """Close the inner embedder (the cache is shared and closed by its owner)."""
        await self.inner.close()

    def _encode(self, vector: Sequence[float]) -> bytes:
        if len(vector) != self.inner.dimensions:
            raise ValueError(
                f"embedder {self.inner.model_id!r} returned a vector of {len(vector)} floats, "
                f"expected {self.inner.dimensions}"
            )
        floats = array("f", vector)
        if sys.byteorder == "big":
            floats.byteswap()
        return floats.tobytes()

    def _decode(self, raw: bytes) -> list[float] | None:
        # An entry of the wrong size (another writer, a truncated value) is a miss, not an error.
        if len(raw) != 4 * self.inner.dimensions:
            return None
        return _decode_floats(raw)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _decode_floats(raw: bytes) -> list[float]:
    floats = array("f")
    floats.frombytes(raw)
    if sys.byteorder == "big":
        floats.byteswap()
    return floats.tolist()
