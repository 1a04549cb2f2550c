"""The search service: validate, embed the query, retrieve, explain, rerank."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import msgspec

from jobforge.core.errors import InvalidRequestError
from jobforge.core.filters import parse_filters
from jobforge.core.search_types import (
    IndexHit,
    IndexQuery,
    SearchFilters,
    SearchHit,
    SearchMode,
    SearchRequest,
    SearchResponse,
)
from jobforge.ports import Clock, Embedder, JobRepository, SearchIndex

__all__ = ["SearchPolicy", "SearchService"]

log = logging.getLogger(__name__)

Reranker = Callable[[SearchRequest, list[SearchHit]], list[SearchHit]]


class SearchPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """Bounds and tuning of searches (from the ``[search]`` config)."""

    default_limit: int = 10
    max_limit: int = 100
    max_offset: int = 10_000
    min_similarity: float = 0.25
    vector_candidates: int = 1000
    rrf_k: int = 60
    default_currency: str = "USD"
    max_query_length: int = 500
    rerank_window: int = 50
    """How many top candidates the ``rerank`` chain sees for a query; pages
    within the window are cut from the reranked list, pages beyond it keep
    the retrieval order. 0 reranks just the requested page."""


class SearchService:
    """Hybrid semantic + keyword search over the index, hydrated from the repository."""

    def __init__(
        self,
        *,
        repository: JobRepository,
        index: SearchIndex,
        embedder: Embedder | Callable[[], Embedder],
        clock: Clock,
        policy: SearchPolicy | None = None,
        rerank: Reranker | None = None,
    ) -> None:
        self.repository = repository
        self.index = index
        self._embedder = embedder
        self.clock = clock
        self.policy = policy or SearchPolicy()
        self.rerank = rerank

    @property
    def embedder(self) -> Embedder:
        """The embedder, built on first use when a factory was given."""
        if callable(self._embedder) and not hasattr(self._embedder, "embed_query"):
            self._embedder = self._embedder()
        return self._embedder  # type: ignore[return-value]

    def validate(self, request: SearchRequest) -> SearchFilters:
        """Check limits and filters; raises :class:`InvalidRequestError` naming the field."""
        policy = self.policy
        if not 1 <= request.limit <= policy.max_limit:
            raise InvalidRequestError(
                "limit", f"must be between 1 and {policy.max_limit}, got {request.limit}"
            )
        if not 0 <= request.offset <= policy.max_offset:
            raise InvalidRequestError(
                "offset", f"must be between 0 and {policy.max_offset}, got {request.offset}"
            )
        if len(request.query) > policy.max_query_length:
            raise InvalidRequestError("query", f"longer than {policy.max_query_length} characters")
        return parse_filters(request.filters, now=self.clock.now(), default_currency=policy.default_currency)

    async def search(self, request: SearchRequest) -> SearchResponse:
        """Run one search and explain every hit."""
        filters = self.validate(request)
        text = " ".join(request.query.split())
        vector = None
        if text and request.mode is not SearchMode.KEYWORD:
            vector = await self.embedder.embed_query(text)
        window = self.policy.rerank_window
        # A reranker sees the whole window so it can lift a candidate onto page one.
        windowed = bool(text) and self.rerank is not None and request.offset + request.limit <= window
        result = await self.index.search(
            IndexQuery(
                text=text,
                vector=vector,
                filters=filters,
                limit=window if windowed else request.limit,
                offset=0 if windowed else request.offset,
                mode=request.mode,
                min_similarity=self.policy.min_similarity,
                vector_candidates=self.policy.vector_candidates,
                rrf_k=self.policy.rrf_k,
            )
        )
        jobs = {job.id: job for job in await self.repository.get_many([h.job_id for h in result.hits])}
        hits: list[SearchHit] = []
        applied = _applied_filters(filters)
        for hit in result.hits:
            job = jobs.get(hit.job_id)
            if job is None:
                log.warning("index returned job %s that the repository does not have", hit.job_id)
                continue
            hits.append(SearchHit(score=hit.score, explanation=_explain(hit, text, applied), job=job))
        if self.rerank is not None and hits:
            hits = self.rerank(request, hits)
        if windowed:
            hits = hits[request.offset : request.offset + request.limit]
        return SearchResponse(
            total=result.total,
            hits=hits,
            facets=result.facets,
            limit=request.limit,
            offset=request.offset,
            query=text,
        )


_FILTER_LABELS = {
    "workplace_types": "remote",
    "location": "location",
    "countries": "country",
    "salary_min": "salary_min",
    "employment_types": "employment_type",
    "seniorities": "seniority",
    "posted_after": "posted_within_days",
    "companies": "company",
    "exclude_companies": "exclude_company",
    "sources": "source",
}


def _applied_filters(filters: SearchFilters) -> str:
    """The "passes filters" reason shared by every hit of a search ("" without filters)."""
    applied = [
        _FILTER_LABELS[name]
        for name, value in msgspec.structs.asdict(filters).items()
        if value not in (None, ()) and name in _FILTER_LABELS
    ]
    return "passes filters: " + ", ".join(applied) if applied else ""


def _explain(hit: IndexHit, text: str, applied: str) -> dict[str, Any]:
    reasons: list[str] = []
    if hit.matched_terms:
        reasons.append("matches " + ", ".join(repr(t) for t in hit.matched_terms))
    if hit.vector_score is not None:
        reasons.append(f"semantically similar ({hit.vector_score:.2f})")
    if not text:
        reasons.append("newest first")
    if applied:
        reasons.append(applied)
    return {
        "summary": "; ".join(reasons),
        "matched_terms": list(hit.matched_terms),
        "semantic_score": hit.vector_score,
        "semantic_rank": hit.vector_rank,
        "keyword_score": hit.keyword_score,
        "keyword_rank": hit.keyword_rank,
    }
