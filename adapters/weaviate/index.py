"""The Weaviate search index: BYO vectors, exact filters, hybrid ranking.

Ranking (``fusion``):

* ``rrf`` (default): Weaviate runs both retrievers natively -- BM25 over
  the text properties and HNSW cosine search -- each with the filters
  pushed down, and the two candidate lists are fused here with reciprocal
  rank fusion exactly as :class:`~jobforge.core.search_types.IndexQuery`
  specifies (the query's ``rrf_k``, ties by id), so results, scores, totals
  and facets match every other index.
* ``ranked`` / ``relative_score``: Weaviate's own ``hybrid`` operator with
  ``alpha`` (from config, or per search from the feature flag
  ``search.alpha`` when flags are given). Scores are Weaviate's; per-retriever
  ranks are not reported. Keyword and vector modes still use one retriever.

Tenant isolation: jobs are shared by every tenant of one deployment, so the
index itself has no tenant filter. Several deployments (or environments)
can share one Weaviate cluster through ``tenant``: the collection is then
created with Weaviate multi-tenancy and every read and write goes to that
tenant's shard, which Weaviate keeps apart physically.

Totals and facets count all candidates. The keyword retriever returns at
most ``keyword_candidates`` jobs (Weaviate's ``QUERY_MAXIMUM_RESULTS``,
10,000 by default, bounds it too); browsing counts with aggregations.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from jobforge.adapters.weaviate.translate import (
    PROPERTY_SCHEMA,
    TEXT_PROPERTIES,
    bm25_arguments,
    build_filter,
    hybrid_arguments,
    job_uuid,
    near_vector_arguments,
    query_terms,
    to_properties,
)
from jobforge.core.search_types import (
    FacetCounts,
    IndexDocument,
    IndexHit,
    IndexQuery,
    IndexResult,
    SearchMode,
)
from jobforge.ports import FeatureFlags

__all__ = ["FUSIONS", "WeaviateSearchIndex", "WeaviateUnavailableError"]

log = logging.getLogger("jobforge.adapters.weaviate")

FUSIONS = ("rrf", "ranked", "relative_score")
_FACETS = {
    "workplace_type": "workplace_type",
    "employment_type": "employment_type",
    "company": "company_name",
}


class WeaviateUnavailableError(ConnectionError):
    """Weaviate could not be reached; the message names the URL."""


@dataclass
class _Candidate:
    job_id: str
    properties: dict[str, Any]
    keyword: tuple[int, float] | None = None
    vector: tuple[int, float] | None = None
    native_score: float | None = None


class WeaviateSearchIndex:
    """A :class:`~jobforge.ports.SearchIndex` in a Weaviate collection.

    Args:
        url: The REST endpoint, e.g. ``http://127.0.0.1:8080``.
        api_key: Weaviate API key (never logged).
        grpc_port: The gRPC port (Weaviate's default 50051).
        grpc_host: The gRPC host; by default the URL's host.
        collection: The collection's name (capitalised, as Weaviate requires).
        tenant: Keep this deployment's jobs in its own Weaviate tenant (see the module docs).
        fusion: ``rrf`` (exact, default), ``ranked`` or ``relative_score`` (native hybrid).
        alpha: Native hybrid weight of the vector side (0..1).
        flags: Feature flags (or a callable returning them) consulted for ``search.alpha``.
        batch_size: Objects per batch insert.
        max_retries: Retries of the objects of a batch that failed.
        keyword_candidates: Most keyword candidates per query.
        facet_groups: Most distinct values an aggregation returns per facet when browsing.
        timeout: Seconds per request.
        headers: Extra HTTP headers.
        client: A connected ``weaviate.WeaviateAsyncClient`` to use (the caller closes it).

    Raises:
        ValueError: An argument is invalid.
    """

    def __init__(
        self,
        url: str = "http://127.0.0.1:8080",
        *,
        api_key: str | None = None,
        grpc_port: int = 50051,
        grpc_host: str | None = None,
        collection: str = "JobforgeJobs",
        tenant: str | None = None,
        fusion: str = "rrf",
        alpha: float = 0.5,
        flags: FeatureFlags | Callable[[], FeatureFlags] | None = None,
        batch_size: int = 200,
        max_retries: int = 3,
        keyword_candidates: int = 10_000,
        facet_groups: int = 10_000,
        timeout: float = 30.0,
        headers: dict[str, str] | None = None,
        client: Any = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"url must be http(s)://host:port, got {url!r}")
        if fusion not in FUSIONS:
            raise ValueError(f"fusion must be one of {', '.join(FUSIONS)}, got {fusion!r}")
        if not 0.0 <= alpha <= 1.0:
            raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
        if not collection[:1].isupper() or not collection.replace("_", "").isalnum():
            raise ValueError(
                f"collection must be a capitalised name of letters, digits and _, got {collection!r}"
            )
        for name, value in (
            ("batch_size", batch_size),
            ("keyword_candidates", keyword_candidates),
            ("facet_groups", facet_groups),
        ):
            if value < 1:
                raise ValueError(f"{name} must be at least 1, got {value}")
        self.url = url.rstrip("/")
        self._secure = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port or (443 if self._secure else 8080)
        self._grpc_host = grpc_host or parts.hostname
        self._grpc_port = grpc_port
        self._api_key = api_key
        self.collection_name = collection
        self.tenant = tenant
        self.fusion = fusion
        self.alpha = alpha
        self._flags = flags
        self.batch_size = batch_size
        self.max_retries = max_retries
        self.keyword_candidates = keyword_candidates
        self.facet_groups = facet_groups
        self.timeout = timeout
        self._headers = dict(headers or {})
        self._given_client = client
        self._client: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._collection: Any = None
        self._dimensions: int | None = None
        self._dimensions_known = False
        self._ready_lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        return (
            f"WeaviateSearchIndex({self.url!r}, collection={self.collection_name!r}, tenant={self.tenant!r})"
        )

    # --- port ------------------------------------------------------------------------------

    async def upsert(self, documents: Sequence[IndexDocument]) -> None:
        """Insert or replace documents by job id (the last of a repeated id wins), in batches with retries.

        Raises:
            ValueError: A vector's dimension differs from the indexed vectors' (nothing is written).
            RuntimeError: Objects still failed after every retry.
        """
        latest: dict[str, IndexDocument] = {}
        for doc in documents:
            latest.pop(doc.job.id, None)
            latest[doc.job.id] = doc
        if not latest:
            return
        collection = await self._ready()
        dimensions = await self._indexed_dimensions(collection)
        for doc in latest.values():
            if dimensions is None:
                dimensions = len(doc.vector)
            if len(doc.vector) != dimensions:
                raise ValueError(
                    f"job {doc.job.id!r}: vector has {len(doc.vector)} dimensions, the index has {dimensions}"
                )
        from weaviate.classes.data import DataObject

        objects = [
            DataObject(
                properties=to_properties(doc.job),
                uuid=job_uuid(doc.job.id),
                vector=[float(v) for v in doc.vector],
            )
            for doc in latest.values()
        ]
        for start in range(0, len(objects), self.batch_size):
            await self._insert_with_retries(collection, objects[start : start + self.batch_size])
        self._dimensions, self._dimensions_known = dimensions, True

    async def delete(self, job_ids: Sequence[str]) -> None:
        """Remove these jobs; unknown ids are ignored."""
        ids = list(dict.fromkeys(job_ids))
        if not ids:
            return
        from weaviate.classes.query import Filter

        collection = await self._ready()
        for start in range(0, len(ids), 1000):
            chunk = [job_uuid(job_id) for job_id in ids[start : start + 1000]]
            await self._call(collection.data.delete_many(where=Filter.by_id().contains_any(chunk)))

    async def count(self) -> int:
        """How many documents are indexed."""
        collection = await self._ready()
        result = await self._call(collection.aggregate.over_all(total_count=True))
        return int(result.total_count or 0)

    async def search(self, query: IndexQuery) -> IndexResult:
        """Run a query (see :class:`IndexQuery` for the semantics)."""
        if query.limit < 0 or query.offset < 0:
            raise ValueError(f"limit and offset must not be negative, got {query.limit} and {query.offset}")
        where = build_filter(query.filters)  # validates the filters before any request
        ranking = bool(query.text)
        if ranking and query.mode is not SearchMode.KEYWORD and query.vector is None:
            raise ValueError(f"query.vector is required in {query.mode.value} mode")
        collection = await self._ready()
        if ranking and query.mode is not SearchMode.KEYWORD:
            dimensions = await self._indexed_dimensions(collection)
            if dimensions is not None and query.vector is not None and len(query.vector) != dimensions:
                raise ValueError(
                    f"query vector has {len(query.vector)} dimensions, the index has {dimensions}"
                )
        if not ranking:
            return await self._browse(collection, query, where)
        candidates = await self._candidates(collection, query)
        if self.fusion == "rrf" or query.mode is not SearchMode.HYBRID:
            ranked = sorted(candidates.values(), key=lambda c: (-_rrf(c, query.rrf_k), c.job_id))
        else:
            ranked = sorted(candidates.values(), key=lambda c: (-(c.native_score or 0.0), c.job_id))
        page = ranked[query.offset : query.offset + query.limit]
        texts = (
            await self._texts(collection, [c.job_id for c in page])
            if query.mode is not SearchMode.VECTOR
            else {}
        )
        words = query_terms(query.text)
        hits = [
            IndexHit(
                job_id=c.job_id,
                score=_rrf(c, query.rrf_k) if c.native_score is None else c.native_score,
                keyword_score=c.keyword[1] if c.keyword else None,
                keyword_rank=c.keyword[0] if c.keyword else None,
                vector_score=c.vector[1] if c.vector else None,
                vector_rank=c.vector[0] if c.vector else None,
                matched_terms=_matched(words, texts.get(c.job_id, "")),
            )
            for c in page
        ]
        return IndexResult(
            hits=hits, total=len(ranked), facets=_facets([c.properties for c in ranked], query.facet_limit)
        )

    async def drop_collection(self) -> None:
        """Delete the whole collection (every tenant's objects); the next call recreates it empty.

        For tests and for re-indexing with another vector size.
        """
        await self._ready()
        client = self._given_client or self._client
        await self._call(client.collections.delete(self.collection_name))
        self._collection, self._dimensions, self._dimensions_known = None, None, False

    async def close(self) -> None:
        """Close the client this index opened."""
        client, self._client = self._client, None
        self._collection = None
        if client is not None and self._loop is asyncio.get_running_loop():
            await client.close()
        self._loop = None

    # --- retrieval -------------------------------------------------------------------------

    async def _candidates(self, collection: Any, query: IndexQuery) -> dict[str, _Candidate]:
        candidates: dict[str, _Candidate] = {}

        def candidate(obj: Any) -> _Candidate:
            props = dict(obj.properties)
            return candidates.setdefault(str(props["job_id"]), _Candidate(str(props["job_id"]), props))

        if query.mode is SearchMode.HYBRID and self.fusion != "rrf":
            arguments = hybrid_arguments(
                query, alpha=self._alpha(), fusion=self.fusion, limit=self.keyword_candidates
            )
            result = await self._call(collection.query.hybrid(**arguments))
            for obj in result.objects:
                candidate(obj).native_score = float(obj.metadata.score or 0.0)
            return candidates
        keyword_call = vector_call = None
        if query.mode is not SearchMode.VECTOR and query_terms(query.text):
            keyword_call = self._call(
                collection.query.bm25(**bm25_arguments(query, limit=self.keyword_candidates))
            )
        if query.mode is not SearchMode.KEYWORD and query.vector_candidates > 0:
            arguments = near_vector_arguments(query)
            arguments["limit"] = min(arguments["limit"], self.keyword_candidates)  # Weaviate's result cap
            vector_call = self._call(collection.query.near_vector(**arguments))
        keyword_result, vector_result = await asyncio.gather(_maybe(keyword_call), _maybe(vector_call))
        if keyword_result is not None:
            scored = [
                (-float(o.metadata.score or 0.0), str(o.properties["job_id"]), o)
                for o in keyword_result.objects
            ]
            for rank, (negative, _job_id, obj) in enumerate(sorted(scored, key=lambda s: s[:2]), start=1):
                candidate(obj).keyword = (rank, -negative)
        if vector_result is not None:
            near = [
                (float(o.metadata.distance), str(o.properties["job_id"]), o) for o in vector_result.objects
            ]
            near = [n for n in near if 1.0 - n[0] >= query.min_similarity - 1e-6]
            for rank, (distance, _job_id, obj) in enumerate(sorted(near, key=lambda n: n[:2]), start=1):
                candidate(obj).vector = (rank, 1.0 - distance)
        return candidates

    async def _browse(self, collection: Any, query: IndexQuery, where: Any) -> IndexResult:
        from weaviate.classes.aggregate import GroupByAggregate
        from weaviate.classes.query import Sort

        total_call = self._call(collection.aggregate.over_all(filters=where, total_count=True))
        facet_calls = [
            self._call(
                collection.aggregate.over_all(
                    filters=where,
                    total_count=True,
                    group_by=GroupByAggregate(prop=prop, limit=self.facet_groups),
                )
            )
            for prop in _FACETS.values()
        ]
        page_call = None
        if query.limit > 0:
            page_call = self._call(
                collection.query.fetch_objects(
                    filters=where,
                    sort=Sort.by_property("posted_sort", ascending=False).by_property(
                        "job_id", ascending=True
                    ),
                    limit=query.limit,
                    offset=query.offset,
                    return_properties=["job_id"],
                )
            )
        total, *grouped, page = await asyncio.gather(total_call, *facet_calls, _maybe(page_call))
        facets: FacetCounts = {}
        for name, result in zip(_FACETS, grouped, strict=True):
            counts = {str(g.grouped_by.value): int(g.total_count or 0) for g in result.groups}
            facets[name] = _top(counts, query.facet_limit)
        hits = [
            IndexHit(job_id=str(o.properties["job_id"]), score=0.0) for o in (page.objects if page else [])
        ]
        return IndexResult(hits=hits, total=int(total.total_count or 0), facets=facets)

    async def _texts(self, collection: Any, job_ids: list[str]) -> dict[str, str]:
        if not job_ids:
            return {}
        from weaviate.classes.query import Filter

        result = await self._call(
            collection.query.fetch_objects(
                filters=Filter.by_id().contains_any([job_uuid(job_id) for job_id in job_ids]),
                limit=len(job_ids),
                return_properties=list(TEXT_PROPERTIES),
            )
        )
        texts = {}
        for obj in result.objects:
            props = obj.properties
            skills = " ".join(props.get("skills") or [])
            fields = (
                props.get("title"),
                props.get("company"),
                skills,
                props.get("description"),
                props.get("location_text"),
            )
            texts[str(props["job_id"])] = " ".join(f for f in fields if f)
        return texts

    def _alpha(self) -> float:
        if self._flags is None:
            return self.alpha
        flags = self._flags if isinstance(self._flags, FeatureFlags) else self._flags()
        value = flags.get("search.alpha", self.alpha)
        if isinstance(value, int | float) and not isinstance(value, bool) and 0.0 <= value <= 1.0:
            return float(value)
        log.warning("flag search.alpha = %r is not a number in 0..1; using %s", value, self.alpha)
        return self.alpha

    # --- connection and schema -------------------------------------------------------------

    async def _ready(self) -> Any:
        if self._given_client is not None:
            if self._collection is None:
                self._collection = await self._ensure_collection(self._given_client)
            return self._collection
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            # First use, or a new event loop: a client of another loop cannot be used (nor closed) here.
            self._client, self._collection, self._loop = None, None, loop
            self._ready_lock = asyncio.Lock()
        assert self._ready_lock is not None
        async with self._ready_lock:
            if self._collection is None:
                self._collection = await self._ensure_collection(self._client or await self._connect())
        return self._collection

    async def _connect(self) -> Any:
        import weaviate
        from weaviate.classes.init import AdditionalConfig, Auth, Timeout

        client = weaviate.use_async_with_custom(
            http_host=self._host,
            http_port=self._port,
            http_secure=self._secure,
            grpc_host=self._grpc_host,
            grpc_port=self._grpc_port,
            grpc_secure=self._secure,
            headers=self._headers or None,
            auth_credentials=Auth.api_key(self._api_key) if self._api_key else None,
            additional_config=AdditionalConfig(
                timeout=Timeout(init=min(self.timeout, 10), query=self.timeout, insert=self.timeout)
            ),
        )
        try:
            await client.connect()
        except Exception as exc:
            await _close_quietly(client)
            raise WeaviateUnavailableError(
                f"cannot reach Weaviate at {self.url} (gRPC {self._grpc_host}:{self._grpc_port}): "
                f"{type(exc).__name__}: {_first_line(exc)}"
            ) from None
        self._client = client
        return client

    async def _ensure_collection(self, client: Any) -> Any:
        from weaviate.classes.config import (
            Configure,
            Property,
            StopwordsPreset,
            VectorDistances,
        )
        from weaviate.exceptions import UnexpectedStatusCodeError

        name = self.collection_name
        if not await self._call(client.collections.exists(name)):
            try:
                await self._call(
                    client.collections.create(
                        name,
                        description="jobforge job postings (BYO vectors)",
                        properties=[_property(Property, spec) for spec in PROPERTY_SCHEMA],
                        vector_config=Configure.Vectors.self_provided(
                            vector_index_config=Configure.VectorIndex.hnsw(
                                distance_metric=VectorDistances.COSINE
                            )
                        ),
                        inverted_index_config=Configure.inverted_index(stopwords_preset=StopwordsPreset.NONE),
                        multi_tenancy_config=(
                            Configure.multi_tenancy(enabled=True, auto_tenant_creation=True)
                            if self.tenant
                            else None
                        ),
                    )
                )
                log.info("created Weaviate collection %s at %s", name, self.url)
            except UnexpectedStatusCodeError as exc:
                if "already exists" not in str(exc):  # another replica created it first
                    raise
        collection = client.collections.get(name)
        config = await self._call(collection.config.get())
        existing = {prop.name for prop in config.properties}
        for spec in PROPERTY_SCHEMA:
            if spec[0] not in existing:
                await self._call(collection.config.add_property(_property(Property, spec)))
                log.info("added property %s to Weaviate collection %s", spec[0], name)
        if self.tenant:
            from weaviate.classes.tenants import Tenant

            if not config.multi_tenancy_config.enabled:
                raise ValueError(
                    f"Weaviate collection {name} at {self.url} exists without multi-tenancy; "
                    "use another collection name for tenant isolation"
                )
            if await self._call(collection.tenants.get_by_name(self.tenant)) is None:
                await self._call(collection.tenants.create([Tenant(name=self.tenant)]))
            collection = collection.with_tenant(self.tenant)
        return collection

    async def _indexed_dimensions(self, collection: Any) -> int | None:
        if not self._dimensions_known:
            result = await self._call(
                collection.query.fetch_objects(limit=1, include_vector=True, return_properties=[])
            )
            if result.objects:
                vector = result.objects[0].vector
                values = vector.get("default") if isinstance(vector, dict) else vector
                self._dimensions, self._dimensions_known = len(values or []), True
        return self._dimensions

    async def _insert_with_retries(self, collection: Any, objects: list[Any]) -> None:
        pending = objects
        for attempt in range(self.max_retries + 1):
            result = await self._call(collection.data.insert_many(pending))
            if not result.errors:
                return
            failed = sorted(result.errors)
            messages = {result.errors[i].message for i in failed}
            if attempt == self.max_retries:
                raise RuntimeError(
                    f"Weaviate at {self.url} rejected {len(failed)} of {len(objects)} objects after "
                    f"{attempt + 1} attempts: {'; '.join(sorted(messages))[:500]}"
                )
            log.warning(
                "Weaviate batch: %d objects failed (%s); retrying", len(failed), "; ".join(messages)[:200]
            )
            pending = [pending[i] for i in failed]
            await asyncio.sleep(min(5.0, 0.2 * 2**attempt) * (0.5 + random.random() / 2))

    async def _call(self, awaitable: Any) -> Any:
        from weaviate.exceptions import WeaviateConnectionError, WeaviateGRPCUnavailableError

        try:
            return await awaitable
        except (WeaviateConnectionError, WeaviateGRPCUnavailableError, OSError) as exc:
            raise WeaviateUnavailableError(
                f"Weaviate at {self.url} failed: {type(exc).__name__}: {_first_line(exc)}"
            ) from exc


async def _maybe(awaitable: Any) -> Any:
    return None if awaitable is None else await awaitable


async def _close_quietly(client: Any) -> None:
    try:
        await client.close()
    except Exception:
        log.debug("closing a Weaviate client that never connected failed", exc_info=True)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else ""


def _property(property_class: Any, spec: tuple[str, str, str | None, bool]) -> Any:
    from weaviate.classes.config import DataType, Tokenization

    name, data_type, tokenization, searchable = spec
    types = {"text": DataType.TEXT, "text[]": DataType.TEXT_ARRAY, "number": DataType.NUMBER}
    return property_class(
        name=name,
        data_type=types[data_type],
        tokenization={"word": Tokenization.WORD, "field": Tokenization.FIELD}.get(tokenization or ""),
        index_filterable=True,
        index_searchable=searchable if data_type != "number" else None,
        index_range_filters=data_type == "number",
        skip_vectorization=True,
    )


def _rrf(candidate: _Candidate, rrf_k: int) -> float:
    score = 0.0
    for found in (candidate.keyword, candidate.vector):
        if found is not None:
            score += 1.0 / (rrf_k + found[0])
    return score


def _matched(words: list[tuple[str, str]], text: str) -> tuple[str, ...]:
    if not text:
        return ()
    present = {term for _, term in query_terms(text)}
    first: dict[str, str] = {}
    for word, term in words:
        first.setdefault(term, word)
    return tuple(word for term, word in first.items() if term in present)


def _top(counts: dict[str, int], limit: int) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit])


def _facets(properties: list[dict[str, Any]], limit: int) -> FacetCounts:
    counters = {name: Counter(str(p.get(prop) or "") for p in properties) for name, prop in _FACETS.items()}
    return {name: _top(dict(counter), limit) for name, counter in counters.items()}
