"""Value types of search: validated filters, index queries and results."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import msgspec

from jobforge.core.models import EmploymentType, Job, Seniority, WorkplaceType

__all__ = [
    "FacetCounts",
    "IndexDocument",
    "IndexHit",
    "IndexQuery",
    "IndexResult",
    "SearchFilters",
    "SearchHit",
    "SearchMode",
    "SearchRequest",
    "SearchResponse",
]


class SearchMode(enum.StrEnum):
    """Which retrievers a search uses."""

    HYBRID = "hybrid"
    KEYWORD = "keyword"
    VECTOR = "vector"


class SearchFilters(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Validated, typed filters. Empty tuples and ``None`` mean "no filter".

    Built from user input by :func:`jobforge.core.filters.parse_filters`,
    which rejects unknown names and bad values. Every index must apply
    every field exactly (never approximately, never silently ignored).
    """

    workplace_types: tuple[WorkplaceType, ...] = ()
    location: str | None = None
    """Case-insensitive substring of any location's city, region, country or text."""
    countries: tuple[str, ...] = ()
    """ISO 3166-1 alpha-2 codes, upper case."""
    salary_min: float | None = None
    """Annual amount: a job matches when its annual maximum (or minimum when no
    maximum is known) is at least this, in ``salary_currency``. Jobs without
    a salary or in another currency do not match. Requires ``salary_currency``
    (an index rejects ``salary_min`` without it with a ``ValueError``); a
    currency alone keeps the jobs with an annual salary in that currency."""
    salary_currency: str | None = None
    employment_types: tuple[EmploymentType, ...] = ()
    seniorities: tuple[Seniority, ...] = ()
    posted_after: datetime | None = None
    """Jobs posted at or after this instant (timezone-aware, UTC)."""
    companies: tuple[str, ...] = ()
    """Case-insensitive exact company names."""
    exclude_companies: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    """Jobs seen on any of these sources (``Job.source`` or any ``Job.sources`` entry)."""

    def is_empty(self) -> bool:
        """True when no filter is set."""
        return self == SearchFilters()


class IndexDocument(msgspec.Struct, frozen=True, kw_only=True):
    """What the search index stores for one job: the job and its vector."""

    job: Job
    vector: list[float]


class IndexQuery(msgspec.Struct, frozen=True, kw_only=True):
    """A query as a search index receives it.

    Semantics every index implements:

    * ``text`` empty: every job passing ``filters`` matches, newest first
      (``posted_at`` descending, jobs without a date last, ties by id);
      ``total`` is their count.
    * ``text`` given: two retrievers run under the same ``filters``. The
      keyword retriever returns every job containing at least one query term,
      ranked by BM25 (ties by id). The vector retriever returns the (up to)
      ``vector_candidates`` jobs most similar to ``vector`` whose cosine
      similarity is at least ``min_similarity``; large indexes may use an
      approximate nearest-neighbour search here (recall@10 >= 0.95) but the
      filters are always exact. Candidates are the union, ranked by reciprocal
      rank fusion (``1/(rrf_k + rank)`` summed over the retrievers that
      returned the job, ranks starting at 1), ties by id; a hit's ``score`` is
      that sum (``0.0`` when browsing). ``total`` is the number of candidates.
    * ``mode`` keyword or vector uses only that retriever (``vector`` may be
      ``None`` in keyword mode; ``text`` is ignored in vector mode except that
      it must be non-empty to select ranking rather than browsing).
    * ``facets`` count all candidates (not only the page): keys
      ``workplace_type``, ``employment_type`` and ``company`` (top
      ``facet_limit`` values by count, ties by value, in that order; every
      key is present, empty when nothing matched).
    * ``offset``/``limit`` page through the ranked candidates.
    * A negative ``limit`` or ``offset``, a missing ``vector`` when the vector
      retriever runs, or a vector whose dimension differs from the indexed
      vectors is a ``ValueError`` naming the problem.
    """

    text: str = ""
    vector: list[float] | None = None
    filters: SearchFilters = SearchFilters()
    limit: int = 10
    offset: int = 0
    mode: SearchMode = SearchMode.HYBRID
    min_similarity: float = 0.25
    vector_candidates: int = 1000
    rrf_k: int = 60
    facet_limit: int = 20


class IndexHit(msgspec.Struct, frozen=True, kw_only=True):
    """One ranked job id with the evidence for its rank."""

    job_id: str
    score: float
    keyword_score: float | None = None
    """BM25 score (higher is better) when the keyword retriever returned the job."""
    keyword_rank: int | None = None
    vector_score: float | None = None
    """Cosine similarity when the vector retriever returned the job."""
    vector_rank: int | None = None
    matched_terms: tuple[str, ...] = ()
    """Query terms found in the job's indexed text."""


FacetCounts = dict[str, dict[str, int]]
"""Facet name (``workplace_type``, ``employment_type``, ``company``) to value counts."""


class IndexResult(msgspec.Struct, frozen=True, kw_only=True):
    """A page of hits, the total number of candidates and facet counts."""

    hits: list[IndexHit]
    total: int
    facets: FacetCounts = msgspec.field(default_factory=dict)


class SearchRequest(msgspec.Struct, frozen=True, kw_only=True):
    """A search as callers express it: free text plus raw filter values."""

    query: str = ""
    filters: dict[str, Any] = msgspec.field(default_factory=dict)
    limit: int = 10
    offset: int = 0
    mode: SearchMode = SearchMode.HYBRID
    tenant_id: str | None = None
    """Who searches (set by hosts): per-tenant ranking flags and analytics read it;
    it never changes which jobs match."""
    user_id: str | None = None


class SearchHit(msgspec.Struct, kw_only=True):
    """A job in a search response, with its score and why it matched."""

    score: float
    explanation: dict[str, Any]
    job: Job


class SearchResponse(msgspec.Struct, kw_only=True):
    """The stable search result shape printed by ``search --json`` and served by the API."""

    total: int
    hits: list[SearchHit]
    facets: FacetCounts
    limit: int
    offset: int
    query: str = ""
