"""A query-result cache in front of :class:`SearchService`, through the Cache port.

Entries are keyed by the normalised query, the validated filters, the page,
the ranking mode and a ``variant`` (the feature-flag values that change
results), and expire after a TTL. Ingest invalidates every entry at once by
moving the cache's *generation*: keys embed it, so entries of older
generations are never read again and age out of the cache.

A computed result is stored in the background: the request that computed it
does not wait for the cache (a Redis round trip, another process holding
SQLite's write lock). Until the write is done, the same process serves the
entry from memory, so a repeated search is a hit at once.
"""

from __future__ import annotations

import hashlib
import logging
import uuid

import msgspec

from jobforge.core.background import BackgroundTasks
from jobforge.core.search import SearchService
from jobforge.core.search_types import SearchRequest, SearchResponse
from jobforge.ports import Cache

__all__ = ["CachedSearch"]

log = logging.getLogger(__name__)

_GENERATION_KEY = "search:generation"
_MAX_PENDING = 1000
"""Results waiting for their cache write at most; beyond (a cache that stopped
answering) new results are not stored, so memory stays bounded."""


class CachedSearch:
    """Serves repeated searches from a cache; a miss runs the search and stores it.

    Args:
        search: The search service that answers misses.
        cache: Where results live; losing entries only costs recomputation.
        ttl: Seconds a result is served; ``0`` turns the cache off.
    """

    def __init__(self, search: SearchService, cache: Cache, *, ttl: float) -> None:
        self.search_service = search
        self.cache = cache
        self.ttl = ttl
        self._decoder = msgspec.json.Decoder(SearchResponse)
        self._encoder = msgspec.json.Encoder(order="sorted")
        self._pending: dict[str, bytes] = {}
        self._writes = BackgroundTasks()
        self.skipped_writes = 0
        """Results not stored because too many writes were still waiting."""

    @property
    def enabled(self) -> bool:
        """Whether results are cached at all."""
        return self.ttl > 0

    async def search(self, request: SearchRequest, *, variant: str = "") -> tuple[SearchResponse, bool]:
        """The response to ``request`` and whether it came from the cache.

        Invalid requests raise exactly as :meth:`SearchService.search` does
        (before the cache is read); they are never cached.
        """
        if not self.enabled:
            return await self.search_service.search(request), False
        key = await self._key(request, variant)
        cached = self._pending.get(key)
        if cached is None:
            cached = (await self.cache.get_many([key])).get(key)
        if cached is not None:
            try:
                return self._decoder.decode(cached), True
            except msgspec.DecodeError:
                pass  # an entry from an older format: recompute and overwrite it
        response = await self.search_service.search(request)
        self._store_in_background(key, msgspec.json.encode(response))
        return response, False

    def _store_in_background(self, key: str, value: bytes) -> None:
        if len(self._pending) >= _MAX_PENDING:
            self.skipped_writes += 1
            return
        self._pending[key] = value
        self._writes.start(self._store(key, value))

    async def _store(self, key: str, value: bytes) -> None:
        try:
            await self.cache.set_many({key: value}, ttl=self.ttl)
        except Exception:  # a lost entry only costs recomputation
            log.warning("storing a search result in the cache failed", exc_info=True)
        finally:
            if self._pending.get(key) is value:
                del self._pending[key]

    async def flush(self) -> None:
        """Wait until the results computed so far are stored in the cache."""
        await self._writes.wait()

    async def invalidate(self) -> None:
        """Forget every cached result (after ingest changed the jobs)."""
        await self.cache.set_many({_GENERATION_KEY: uuid.uuid4().hex.encode()})

    async def _key(self, request: SearchRequest, variant: str) -> str:
        found = (await self.cache.get_many([_GENERATION_KEY])).get(_GENERATION_KEY)
        if found is None:
            found = uuid.uuid4().hex.encode()
            await self.cache.set_many({_GENERATION_KEY: found})
        # Keyed on the validated filters, so 100000 and "100k" or "remote" and ["remote"]
        # share an entry; "posted within N days" is kept as N (its instant moves).
        filters = msgspec.structs.replace(self.search_service.validate(request), posted_after=None)
        days = request.filters.get("posted_within_days")
        parts = [
            " ".join(request.query.split()),
            filters,
            None if days is None else int(days),
            request.limit,
            request.offset,
            request.mode,
            variant,
        ]
        digest = hashlib.sha256(self._encoder.encode(parts)).hexdigest()
        return f"search:{found.decode()}:{digest}"
