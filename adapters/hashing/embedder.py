"""Signed feature hashing of words and word pairs into a fixed number of buckets."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

__all__ = ["HashingEmbedder"]

_WORD = re.compile(r"\w+")
_SIGN_BIT = 1 << 63


@lru_cache(maxsize=65_536)
def _bucket(feature: str, dimensions: int) -> tuple[int, float]:
    # blake2b, not hash(): the vector of a text must not change between processes.
    value = int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")
    return value % dimensions, (-1.0 if value & _SIGN_BIT else 1.0)


class HashingEmbedder:
    """An :class:`~jobforge.ports.Embedder` for fast unit tests; **not semantic**.

    Each lower-cased word and each pair of adjacent words is hashed (blake2b,
    stable across processes and machines) to a bucket and a sign; the signed
    counts are L2-normalised. Texts that share words are therefore similar,
    and texts that share none are close to orthogonal, but synonyms and
    paraphrases mean nothing to it. A text without words (such as ``""``)
    gets one fixed unit vector, never NaN.

    Args:
        dimensions: Number of buckets, the length of every vector (at least 2).

    Raises:
        ValueError: ``dimensions`` is not an integer of at least 2.
    """

    def __init__(self, dimensions: int = 64) -> None:
        if isinstance(dimensions, bool) or not isinstance(dimensions, int) or dimensions < 2:
            raise ValueError(f"dimensions must be an integer of at least 2, got {dimensions!r}")
        self._dimensions = dimensions
        self._empty = [1.0 / math.sqrt(dimensions)] * dimensions

    @property
    def model_id(self) -> str:
        """``hashing-v1-<dimensions>``: the vector space changes with the bucket count."""
        return f"hashing-v1-{self._dimensions}"

    @property
    def dimensions(self) -> int:
        """Length of every vector."""
        return self._dimensions

    def embed(self, text: str) -> list[float]:
        """The vector of one text (synchronous; the async methods wrap it).

        Raises:
            TypeError: ``text`` is not a string.
        """
        if not isinstance(text, str):
            raise TypeError(f"expected a str to embed, got {type(text).__name__} {text!r}")
        words = _WORD.findall(text.lower())
        features = words + [f"{a} {b}" for a, b in pairwise(words)]
        vector = [0.0] * self._dimensions
        for feature in features:
            index, sign = _bucket(feature, self._dimensions)
            vector[index] += sign
        norm = math.sqrt(sum(x * x for x in vector))
        if norm == 0.0:  # no words, or every feature cancelled another out
            return list(self._empty)
        return [x / norm for x in vector]

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order.

        Raises:
            TypeError: A text is not a string (the message gives its position).
        """
        if isinstance(texts, str):
            raise TypeError("embed_documents expects a sequence of texts, got a single str")
        vectors = []
        for position, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{position}] is {type(text).__name__} {text!r}, expected str")
            vectors.append(self.embed(text))
        return vectors

    async def embed_query(self, text: str) -> list[float]:
        """The vector of a search query (the same as its document vector)."""
        return self.embed(text)

    async def close(self) -> None:
        """Nothing to release."""
