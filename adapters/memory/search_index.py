"""A plain-Python search index: the obviously-correct fake of the SearchIndex port.

Everything is brute force over a dict of documents: BM25 over a regex
tokenizer (case-folded words, no stemming), cosine similarity over lists,
filters as Python predicates. Use it in unit tests and for small demos; the
SQLite index is the embedded default for real data.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from jobforge.core.matching import passes_filters
from jobforge.core.models import Job
from jobforge.core.search_types import (
    FacetCounts,
    IndexDocument,
    IndexHit,
    IndexQuery,
    IndexResult,
    SearchMode,
)

__all__ = ["MemorySearchIndex"]

_WORD = re.compile(r"[^\W_]+")
_FIELD_WEIGHTS = {"title": 4.0, "company": 2.0, "skills": 2.0, "description": 1.0, "locations": 1.0}
_K1, _B = 1.2, 0.75


@dataclass(frozen=True)
class _Entry:
    job: Job
    vector: tuple[float, ...]
    """Unit length."""
    weighted_tf: dict[str, float]
    """Term to its field-weighted frequency."""
    length: int
    """Number of tokens over all fields."""


def _terms(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _fields(job: Job) -> dict[str, str]:
    places = [part for loc in job.locations for part in (loc.city, loc.region, loc.country, loc.text) if part]
    return {
        "title": job.title,
        "company": job.company,
        "skills": " ".join(job.skills),
        "description": job.description,
        "locations": " ".join(places),
    }


def _unit(vector: Sequence[float], what: str) -> tuple[float, ...]:
    norm = math.sqrt(sum(v * v for v in vector))
    if not math.isfinite(norm) or norm == 0.0:
        raise ValueError(f"{what}: vector must be finite and non-zero")
    return tuple(v / norm for v in vector)


def _timestamp(moment: datetime) -> float:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


class MemorySearchIndex:
    """Keeps documents in a dict and answers every query by brute force.

    Implements :class:`jobforge.ports.SearchIndex` with the semantics
    documented on :class:`jobforge.core.search_types.IndexQuery`.
    """

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._dimensions: int | None = None
        self.closed = False

    @property
    def dimensions(self) -> int | None:
        """Vector dimension, fixed by the first upsert."""
        return self._dimensions

    async def upsert(self, documents: Sequence[IndexDocument]) -> None:
        """Insert or replace documents by job id (later ones in a batch win)."""
        entries = []
        dimensions = self._dimensions
        for doc in documents:
            if dimensions is None:
                dimensions = len(doc.vector)
            if len(doc.vector) != dimensions:
                raise ValueError(
                    f"job {doc.job.id!r}: vector has {len(doc.vector)} dimensions, the index has {dimensions}"
                )
            weighted: dict[str, float] = {}
            length = 0
            for field, text in _fields(doc.job).items():
                terms = _terms(text)
                length += len(terms)
                for term in terms:
                    weighted[term] = weighted.get(term, 0.0) + _FIELD_WEIGHTS[field]
            entries.append(_Entry(doc.job, _unit(doc.vector, f"job {doc.job.id!r}"), weighted, length))
        self._dimensions = dimensions
        for entry in entries:
            self._entries[entry.job.id] = entry

    async def delete(self, job_ids: Sequence[str]) -> None:
        """Remove these jobs; unknown ids are ignored."""
        for job_id in job_ids:
            self._entries.pop(job_id, None)

    async def count(self) -> int:
        """How many documents are indexed."""
        return len(self._entries)

    async def close(self) -> None:
        """Nothing to release; records that it was called."""
        self.closed = True

    async def search(self, query: IndexQuery) -> IndexResult:
        """Run a query (see :class:`IndexQuery` for the semantics)."""
        self._validate(query)
        passing = [e for e in self._entries.values() if passes_filters(e.job, query.filters)]
        if not query.text:
            passing.sort(key=_newest_first)
            page = passing[query.offset : query.offset + query.limit]
            return IndexResult(
                hits=[IndexHit(job_id=e.job.id, score=0.0) for e in page],
                total=len(passing),
                facets=_facets([e.job for e in passing], query.facet_limit),
            )

        words = _query_words(query.text)
        keyword: dict[str, tuple[int, float]] = {}
        vector: dict[str, tuple[int, float]] = {}
        if query.mode is not SearchMode.VECTOR:
            keyword = self._keyword_ranking({term for _, term in words}, passing)
        if query.mode is not SearchMode.KEYWORD:
            assert query.vector is not None
            vector = _vector_ranking(_unit(query.vector, "query"), passing, query)

        def fused(job_id: str) -> float:
            kw = 1.0 / (query.rrf_k + keyword[job_id][0]) if job_id in keyword else 0.0
            vec = 1.0 / (query.rrf_k + vector[job_id][0]) if job_id in vector else 0.0
            return kw + vec

        ranked = sorted(set(keyword) | set(vector), key=lambda job_id: (-fused(job_id), job_id))
        hits = []
        for job_id in ranked[query.offset : query.offset + query.limit]:
            entry = self._entries[job_id]
            kw_rank, kw_score = keyword.get(job_id, (None, None))
            vec_rank, vec_score = vector.get(job_id, (None, None))
            matched = _matched_words(words, entry) if query.mode is not SearchMode.VECTOR else ()
            hits.append(
                IndexHit(
                    job_id=job_id,
                    score=fused(job_id),
                    keyword_score=kw_score,
                    keyword_rank=kw_rank,
                    vector_score=vec_score,
                    vector_rank=vec_rank,
                    matched_terms=matched,
                )
            )
        return IndexResult(
            hits=hits,
            total=len(ranked),
            facets=_facets([self._entries[job_id].job for job_id in ranked], query.facet_limit),
        )

    def _validate(self, query: IndexQuery) -> None:
        if query.limit < 0 or query.offset < 0:
            raise ValueError(f"limit and offset must not be negative, got {query.limit} and {query.offset}")
        filters = query.filters
        if filters.salary_min is not None and filters.salary_currency is None:
            raise ValueError("filters.salary_min needs filters.salary_currency")
        if not query.text or query.mode is SearchMode.KEYWORD:
            return
        if query.vector is None:
            raise ValueError(f"query.vector is required in {query.mode.value} mode")
        if self._dimensions is not None and len(query.vector) != self._dimensions:
            raise ValueError(
                f"query vector has {len(query.vector)} dimensions, the index has {self._dimensions}"
            )

    def _keyword_ranking(self, terms: set[str], passing: list[_Entry]) -> dict[str, tuple[int, float]]:
        """BM25 (FTS5's formula, over field-weighted term frequencies) of jobs with a query term."""
        entries = list(self._entries.values())
        if not entries or not terms:
            return {}
        avg_length = sum(e.length for e in entries) / len(entries) or 1.0
        idf = {}
        for term in terms:
            df = sum(1 for e in entries if term in e.weighted_tf)
            idf[term] = max(math.log((len(entries) - df + 0.5) / (df + 0.5)), 1e-6)
        scores = {}
        for entry in passing:
            score = 0.0
            matched = False
            for term in terms:
                tf = entry.weighted_tf.get(term)
                if tf:
                    matched = True
                    norm = _K1 * (1 - _B + _B * entry.length / avg_length)
                    score += idf[term] * tf * (_K1 + 1) / (tf + norm)
            if matched:
                scores[entry.job.id] = score
        order = sorted(scores, key=lambda job_id: (-scores[job_id], job_id))
        return {job_id: (rank, scores[job_id]) for rank, job_id in enumerate(order, start=1)}


def _matched_words(words: list[tuple[str, str]], entry: _Entry) -> tuple[str, ...]:
    """The query words (first spelling of each term) that the job contains."""
    first_spelling: dict[str, str] = {}
    for word, term in words:
        first_spelling.setdefault(term, word)
    return tuple(word for term, word in first_spelling.items() if term in entry.weighted_tf)


def _query_words(text: str) -> list[tuple[str, str]]:
    return [(match.group(), match.group().casefold()) for match in _WORD.finditer(text)]


def _vector_ranking(
    unit_query: tuple[float, ...], passing: list[_Entry], query: IndexQuery
) -> dict[str, tuple[int, float]]:
    similarities = {e.job.id: sum(a * b for a, b in zip(unit_query, e.vector, strict=True)) for e in passing}
    kept = [job_id for job_id, sim in similarities.items() if sim >= query.min_similarity]
    kept.sort(key=lambda job_id: (-similarities[job_id], job_id))
    return {
        job_id: (rank, similarities[job_id])
        for rank, job_id in enumerate(kept[: query.vector_candidates], start=1)
    }


def _newest_first(entry: _Entry) -> tuple[bool, float, str]:
    posted = entry.job.posted_at
    return (posted is None, -_timestamp(posted) if posted else 0.0, entry.job.id)


def _facets(jobs: list[Job], limit: int) -> FacetCounts:
    counters = {
        "workplace_type": Counter(str(job.workplace_type.value) for job in jobs),
        "employment_type": Counter(str(job.employment_type.value) for job in jobs),
        "company": Counter(job.company for job in jobs),
    }
    return {
        name: dict(sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit])
        for name, counter in counters.items()
    }
