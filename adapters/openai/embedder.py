"""The OpenAI embedder: the embeddings API, or any server that speaks it.

Batches are cut to the API's limits (see :mod:`._batching`), sent a few at
a time, and retried on 429, 5xx, timeouts and dropped connections with
exponential backoff and jitter, honouring ``Retry-After``. Other errors
(401, 400...) fail at once. Vectors are L2-normalised, and a server that
returns vectors of another length than configured is an
:class:`EmbeddingDimensionError` naming both lengths. The API key is
never logged, shown in ``repr`` or put in an error message.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import math
import os
import random
import re
import sys
from array import array
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from jobforge.adapters.openai._batching import batches, prepare
from jobforge.adapters.openai._retry import backoff_delay, retry_after_seconds

__all__ = ["KNOWN_DIMENSIONS", "EmbeddingDimensionError", "EmbeddingServiceError", "OpenAIEmbedder"]

log = logging.getLogger("jobforge.adapters.openai")

KNOWN_DIMENSIONS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}
"""Native vector lengths of OpenAI's embedding models."""

DEFAULT_BASE_URL = "https://api.openai.com/v1"
_RETRYABLE_STATUS = frozenset({408, 409, 429})


class EmbeddingServiceError(RuntimeError):
    """The embeddings service rejected a request or kept failing after every retry."""


class EmbeddingDimensionError(ValueError):
    """The service returned vectors of another length than configured (and indexed)."""


class OpenAIEmbedder:
    """An :class:`~jobforge.ports.Embedder` calling ``POST {base_url}/embeddings``.

    Args:
        model: The embedding model.
        api_key: Sent as a bearer token; ``None`` uses ``OPENAI_API_KEY``. A compatible
            server (``base_url`` given) may need none.
        base_url: The API root, e.g. ``http://127.0.0.1:8000/v1``; ``None`` is OpenAI's.
        dimensions: Vector length. Required for models not in :data:`KNOWN_DIMENSIONS`;
            for text-embedding-3 models a smaller value shortens the vectors server-side.
        send_dimensions: Send ``dimensions`` in requests (default: when it was given);
            turn off for servers that reject the parameter.
        encoding_format: ``base64`` (compact; the default) or ``float``.
        batch_size: Most inputs per request (the API allows 2048).
        max_batch_tokens: Upper bound of tokens per request (counted as UTF-8 bytes).
        max_input_tokens: Longer inputs are truncated to this many bytes.
        max_retries: Retries of a failing request before giving up.
        backoff_base: Seconds of the first backoff; doubled on each retry.
        backoff_cap: Longest backoff in seconds (a server's Retry-After may ask for more).
        timeout: Seconds one request may take.
        max_concurrency: Requests in flight at once for one call.
        model_id: The vector-space id; by default ``openai:<model>/<dimensions>``. Give the
            local model's id when a compatible server runs the same model, so caches are shared.
        client: An ``openai.AsyncOpenAI`` to use instead of making one.
        sleep: Awaited for backoffs (tests pass a recorder).
        rng: Random source of the jitter.

    Raises:
        ValueError: An argument is invalid; the message names it.
    """

    def __init__(
        self,
        *,
        model: str = "text-embedding-3-small",
        api_key: str | None = None,
        base_url: str | None = None,
        dimensions: int | None = None,
        send_dimensions: bool | None = None,
        encoding_format: str = "base64",
        batch_size: int = 2048,
        max_batch_tokens: int = 300_000,
        max_input_tokens: int = 8191,
        max_retries: int = 6,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        timeout: float = 60.0,
        max_concurrency: int = 4,
        model_id: str | None = None,
        client: Any = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        if not model:
            raise ValueError("model must be a non-empty model name")
        if dimensions is None:
            if model not in KNOWN_DIMENSIONS:
                raise ValueError(
                    f"dimensions is required for model {model!r} (known models: {', '.join(KNOWN_DIMENSIONS)})"
                )
            dimensions = KNOWN_DIMENSIONS[model]
            send_dimensions = bool(send_dimensions)
        elif send_dimensions is None:
            send_dimensions = True
        if dimensions < 1:
            raise ValueError(f"dimensions must be at least 1, got {dimensions}")
        if encoding_format not in ("base64", "float"):
            raise ValueError(f"encoding_format must be base64 or float, got {encoding_format!r}")
        if not 1 <= batch_size <= 2048:
            raise ValueError(f"batch_size must be between 1 and 2048, got {batch_size}")
        for name, value in (
            ("max_batch_tokens", max_batch_tokens),
            ("max_input_tokens", max_input_tokens),
            ("max_concurrency", max_concurrency),
        ):
            if value < 1:
                raise ValueError(f"{name} must be at least 1, got {value}")
        if max_retries < 0:
            raise ValueError(f"max_retries must not be negative, got {max_retries}")
        if not (backoff_base > 0 and backoff_cap > 0 and timeout > 0):
            raise ValueError("backoff_base, backoff_cap and timeout must be positive")
        if api_key is None and base_url is None and client is None and not os.environ.get("OPENAI_API_KEY"):
            raise ValueError("api_key is required for the OpenAI API (or set OPENAI_API_KEY)")
        self.model = model
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self._api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY") or "unused"
        self._dimensions = dimensions
        self.send_dimensions = send_dimensions
        self.encoding_format = encoding_format
        self.batch_size = batch_size
        self.max_batch_tokens = max(max_batch_tokens, max_input_tokens)
        self.max_input_tokens = max_input_tokens
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.timeout = timeout
        self.max_concurrency = max_concurrency
        self._model_id = model_id or f"openai:{model}/{dimensions}"
        self._given_client = client
        self._client: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._sleep = sleep
        self._rng = rng or random.Random()
        self.requests = 0
        """Requests sent, retries included."""
        self.retries = 0
        """Requests that were retried."""

    def __repr__(self) -> str:
        return (
            f"OpenAIEmbedder(model={self.model!r}, base_url={self.base_url!r}, dimensions={self._dimensions})"
        )

    @property
    def model_id(self) -> str:
        """The vector space: ``openai:<model>/<dimensions>`` unless configured."""
        return self._model_id

    @property
    def dimensions(self) -> int:
        """Length of every vector."""
        return self._dimensions

    async def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit vector per text, in order; each distinct text is sent once.

        Raises:
            TypeError: A text is not a string (the message gives its position).
            EmbeddingServiceError: The service rejected a request or kept failing.
            EmbeddingDimensionError: The service returned vectors of another length.
        """
        if isinstance(texts, str):
            raise TypeError("embed_documents expects a sequence of texts, got a single str")
        for position, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{position}] is {type(text).__name__} {text!r}, expected str")
        prepared = [prepare(text, self.max_input_tokens) for text in texts]
        distinct = list(dict.fromkeys(prepared))
        if not distinct:
            return []
        groups = list(batches(distinct, max_inputs=self.batch_size, max_tokens=self.max_batch_tokens))
        limit = asyncio.Semaphore(self.max_concurrency)

        async def run(group: list[int]) -> list[list[float]]:
            async with limit:
                return await self._request([distinct[i] for i in group])

        results = await asyncio.gather(*(run(group) for group in groups))
        vectors: dict[str, list[float]] = {}
        for group, computed in zip(groups, results, strict=True):
            for position, vector in zip(group, computed, strict=True):
                vectors[distinct[position]] = vector
        return [vectors[text] for text in prepared]

    async def embed_query(self, text: str) -> list[float]:
        """The vector of a search query (the same space as documents).

        Raises:
            TypeError: ``text`` is not a string.
        """
        if not isinstance(text, str):
            raise TypeError(f"expected a str query, got {type(text).__name__} {text!r}")
        (vector,) = await self.embed_documents([text])
        return vector

    async def close(self) -> None:
        """Close the HTTP client this embedder made."""
        client, self._client = self._client, None
        if client is not None and self._loop is asyncio.get_running_loop():
            await client.close()
        self._loop = None

    def _get_client(self) -> Any:
        if self._given_client is not None:
            return self._given_client
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            import openai

            # Retries are ours (jitter, Retry-After, counting); the SDK's are turned off.
            self._client = openai.AsyncOpenAI(
                api_key=self._api_key, base_url=self.base_url, max_retries=0, timeout=self.timeout
            )
            self._loop = loop
        return self._client

    async def _request(self, batch: list[str]) -> list[list[float]]:
        import openai

        extra: dict[str, Any] = {"dimensions": self._dimensions} if self.send_dimensions else {}
        attempt = 0
        while True:
            self.requests += 1
            try:
                response = await self._get_client().embeddings.create(
                    model=self.model, input=batch, encoding_format=self.encoding_format, **extra
                )
            except (openai.APIConnectionError, openai.APIStatusError) as exc:
                status = getattr(exc, "status_code", None)
                retryable = status is None or status in _RETRYABLE_STATUS or status >= 500
                what = f"HTTP {status}" if status is not None else type(exc).__name__
                if not retryable or attempt >= self.max_retries:
                    tries = f" after {attempt + 1} attempts" if retryable else ""
                    raise EmbeddingServiceError(
                        f"embeddings request to {self.base_url} (model {self.model!r}) failed{tries}: "
                        f"{what}: {self._scrub(str(exc))}"
                    ) from None
                attempt += 1
                self.retries += 1
                response_headers = getattr(getattr(exc, "response", None), "headers", None)
                delay = backoff_delay(
                    attempt,
                    base=self.backoff_base,
                    cap=self.backoff_cap,
                    retry_after=retry_after_seconds(response_headers),
                    rng=self._rng,
                )
                log.warning(
                    "embeddings request to %s failed (%s); retry %d of %d in %.2f s",
                    self.base_url,
                    what,
                    attempt,
                    self.max_retries,
                    delay,
                )
                await self._sleep(delay)
                continue
            return self._vectors(response, len(batch))

    def _vectors(self, response: Any, expected: int) -> list[list[float]]:
        data = sorted(response.data, key=lambda item: item.index)
        if len(data) != expected:
            raise EmbeddingServiceError(
                f"{self.base_url} returned {len(data)} embeddings for {expected} inputs (model {self.model!r})"
            )
        vectors = []
        for item in data:
            raw = item.embedding
            values = _decode_base64(raw) if isinstance(raw, str) else [float(x) for x in raw]
            if len(values) != self._dimensions:
                raise EmbeddingDimensionError(
                    f"{self.base_url} model {self.model!r} returned vectors of {len(values)} dimensions, "
                    f"expected {self._dimensions} (the configured [embedder] dimensions, which the search "
                    f"index was built with); fix the model or dimensions, or re-index with the new size"
                )
            norm = math.sqrt(math.fsum(v * v for v in values))
            if not math.isfinite(norm) or norm == 0.0:
                raise EmbeddingServiceError(f"{self.base_url} returned a zero or non-finite vector")
            vectors.append([v / norm for v in values])
        return vectors

    def _scrub(self, text: str) -> str:
        if self._api_key and self._api_key != "unused":
            text = text.replace(self._api_key, "****")
        return re.sub(r"\bsk-[A-Za-z0-9_*\-]{6,}", "sk-****", text)


def _decode_base64(data: str) -> list[float]:
    floats = array("f")
    floats.frombytes(base64.b64decode(data))
    if sys.byteorder == "big":
        floats.byteswap()
    return floats.tolist()
