"""An immutable view of the in-memory index, and the query algorithm over it.

A writer publishes a new :class:`Snapshot` after each change; a search uses
the snapshot it started with, without locks. Snapshots share append-only
arrays with their successors and only ever read the first ``n`` slots.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from jobforge.adapters.sqlite_search._ann import HnswIndex
from jobforge.adapters.sqlite_search._columns import Columns
from jobforge.adapters.sqlite_search._postings import Segment
from jobforge.adapters.sqlite_search._quantized import QuantizedVectors
from jobforge.adapters.sqlite_search._ranking import exact_ranks, sorted_unique, top_counts, top_k
from jobforge.adapters.sqlite_search.tokenizer import query_words
from jobforge.core.search_types import (
    FacetCounts,
    IndexHit,
    IndexQuery,
    IndexResult,
    SearchFilters,
    SearchMode,
)

__all__ = ["Snapshot", "VectorPolicy"]

K1, B = 1.2, 0.75
"""BM25 parameters (FTS5's)."""
_MIN_IDF = 1e-6
_MASK_CACHE_SIZE = 64
_OVERFETCH = 1.25
_KEYWORD_DEPTH = 1000
_PARALLEL_MIN_DOCS = 50_000
_LIGHT_VECTOR_WORK = 8_000_000
"""Multiply-adds of an exact vector scan below which a search is light (about 2 ms here).

A light search runs on the caller's thread in one piece: handing its many
small numpy steps to worker threads costs more in GIL hand-offs than it
saves once a server has many searches in flight (measured: 113 against
162 searches/s at 16 in flight, docs/performance.md)."""
_EXECUTOR: ThreadPoolExecutor | None = None
_EXECUTOR_LOCK = threading.Lock()
_BROWSE_DEPTH = 200
"""Newest jobs kept per filter set, enough for the first pages."""
_SCAN_COST_RATIO = 10.0
"""Scanning one quantised vector costs about a tenth of one HNSW candidate (measured)."""
_RESCORE_POOL = 2.0
"""Candidates of a quantised scan rescored exactly, per vector asked for."""
_SUBSET_CACHE_BYTES = 64 << 20
"""Budget per snapshot for the vectors of filtered candidate sets kept between searches."""
_EMPTY_SLOTS = np.empty(0, dtype=np.int32)
_EMPTY_SCORES = np.empty(0, dtype=np.float32)


@dataclass(frozen=True)
class VectorPolicy:
    """When the vector retriever uses the ANN index and how.

    Args:
        ann_threshold: use the ANN index when more documents than this are indexed.
        subset_scan_limit: with the ANN index in use, answer a filter leaving at most
            this many documents by scanning them (quantised, then rescored exactly);
            ``None`` decides by estimated cost.
    """

    ann_threshold: int = 200_000
    subset_scan_limit: int | None = None


@dataclass
class _Keyword:
    slots: np.ndarray
    """Matching slots, ascending."""
    scores: np.ndarray
    by_term: dict[int, np.ndarray] = field(default_factory=dict)
    """Term id to its matching (filtered) slots, ascending."""

    def score_of(self, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(found, score) of each slot."""
        if self.slots.size == 0:
            return np.zeros(slots.size, dtype=bool), np.zeros(slots.size, dtype=np.float32)
        pos = np.minimum(np.searchsorted(self.slots, slots), self.slots.size - 1)
        found = self.slots[pos] == slots
        return found, np.where(found, self.scores[pos], 0.0).astype(np.float32)


class Snapshot:
    """Everything a search reads, frozen at one moment (see the module docstring)."""

    def __init__(
        self,
        *,
        n: int,
        alive: np.ndarray,
        ids: list[str],
        rows: np.ndarray,
        columns: Columns,
        vectors: np.ndarray | None,
        lengths: np.ndarray,
        segments: tuple[Segment, ...],
        terms: dict[str, int],
        ann: HnswIndex | None,
        quantized: QuantizedVectors | None,
        policy: VectorPolicy,
        previous: Snapshot | None = None,
    ) -> None:
        self.n = n
        self.alive = alive
        self.n_alive = int(np.count_nonzero(alive[:n]))
        self.ids = ids
        # The ids as a numpy array, for tie-breaking in bulk; built on first use, from the
        # previous snapshot's when its slots are still a prefix of these (no compaction since).
        self._id_keys: np.ndarray | None = None
        self._id_keys_base = (
            previous._id_keys if previous is not None and previous.ids is ids and previous.n <= n else None
        )
        self._id_keys_lock = threading.Lock()
        self.rows = rows
        self.columns = columns
        self.vectors = vectors
        self.lengths = lengths
        self.segments = segments
        self.terms = terms
        self.ann = ann
        self.quantized = quantized
        self.policy = policy
        self._masks: dict[SearchFilters, tuple[np.ndarray | None, int]] = {}
        self._slots: dict[object, tuple[np.ndarray | None, np.ndarray]] = {}
        self._browsed: dict[tuple[SearchFilters, int], tuple[np.ndarray, FacetCounts]] = {}
        self._subsets: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self._subset_lock = threading.Lock()
        self._norms: np.ndarray | None = None

    @property
    def id_keys(self) -> np.ndarray:
        """``ids[:n]`` as a numpy string array (sorting it orders as the strings do)."""
        keys = self._id_keys
        if keys is None:
            with self._id_keys_lock:
                keys = self._id_keys
                if keys is None:
                    base = self._id_keys_base
                    start = 0 if base is None else base.size
                    fresh = np.array(self.ids[start : self.n], dtype=str)
                    keys = fresh if base is None else np.concatenate([base, fresh])
                    self._id_keys, self._id_keys_base = keys, None
        return keys

    @property
    def dimensions(self) -> int | None:
        """Vector dimension, once known."""
        return None if self.vectors is None else int(self.vectors.shape[1])

    # --- entry point ---------------------------------------------------------------------

    def is_light(self, query: IndexQuery) -> bool:
        """Whether answering ``query`` is cheap enough not to be worth a worker thread."""
        if self.ann is not None and self.n_alive > self.policy.ann_threshold:
            return False
        if not query.text or query.mode is SearchMode.KEYWORD:
            return True
        try:
            _, count = self._mask(query.filters)
        except ValueError:
            return True  # search() reports the bad filter
        return count * (self.dimensions or 1) <= _LIGHT_VECTOR_WORK

    def search(self, query: IndexQuery) -> IndexResult:
        """Answer a query with the semantics of :class:`IndexQuery`."""
        unit = self._validate(query)
        mask, count = self._mask(query.filters)
        if not query.text:
            return self._browse(query, mask, count)
        mode = query.mode
        words = query_words(query.text) if mode is not SearchMode.VECTOR else []
        vectors: tuple[np.ndarray, np.ndarray] = (_EMPTY_SLOTS, _EMPTY_SCORES)
        pending: Future[tuple[np.ndarray, np.ndarray]] | None = None
        if unit is not None:
            if mode is SearchMode.HYBRID and self.n >= _PARALLEL_MIN_DOCS and not self.is_light(query):
                # On a large index the two retrievers run side by side (numpy releases the GIL).
                pending = _executor().submit(self._vector, unit, query, mask, count)
            else:
                vectors = self._vector(unit, query, mask, count)
        keyword = _Keyword(_EMPTY_SLOTS, _EMPTY_SCORES)
        if mode is not SearchMode.VECTOR:
            keyword = self._keyword({term for _, term in words}, mask, count)
        if pending is not None:
            vectors = pending.result()
        return self._fuse(query, words, keyword, *vectors)

    def _validate(self, query: IndexQuery) -> np.ndarray | None:
        if query.limit < 0 or query.offset < 0:
            raise ValueError(f"limit and offset must not be negative, got {query.limit} and {query.offset}")
        filters = query.filters
        if filters.salary_min is not None and filters.salary_currency is None:
            raise ValueError("filters.salary_min needs filters.salary_currency")
        if not query.text or query.mode is SearchMode.KEYWORD:
            return None
        if query.vector is None:
            raise ValueError(f"query.vector is required in {query.mode.value} mode")
        dims = self.dimensions
        if dims is not None and len(query.vector) != dims:
            raise ValueError(f"query vector has {len(query.vector)} dimensions, the index has {dims}")
        vector = np.asarray(query.vector, dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        if not math.isfinite(norm) or norm == 0.0:
            raise ValueError("query vector must be finite and non-zero")
        return vector / norm

    # --- filters -------------------------------------------------------------------------

    def _mask(self, filters: SearchFilters) -> tuple[np.ndarray | None, int]:
        """Slots passing the filters and alive (``None``: every slot), and their count."""
        cached = self._masks.get(filters)
        if cached is not None:
            return cached
        mask = self.columns.filter_mask(filters, self.n)
        if mask is None:
            result = (None, self.n) if self.n_alive == self.n else (self.alive[: self.n], self.n_alive)
        else:
            if self.n_alive != self.n:
                mask &= self.alive[: self.n]
            result = (mask, int(np.count_nonzero(mask)))
        if len(self._masks) >= _MASK_CACHE_SIZE:
            self._masks.clear()
        self._masks[filters] = result
        return result

    def _filtered_ranks(self, mask: np.ndarray) -> np.ndarray:
        """Position of each slot among the slots the mask keeps (cached with the mask)."""
        key = ("ranks", id(mask))
        cached = self._slots.get(key)
        if cached is None or cached[0] is not mask:
            ranks = (np.cumsum(mask, dtype=np.int32) - 1).astype(np.int32)
            cached = self._slots[key] = (mask, ranks)
        return cached[1]

    def _candidate_slots(self, mask: np.ndarray | None) -> np.ndarray:
        """The slots a mask keeps, ascending (cached with the mask)."""
        key = id(mask)
        cached = self._slots.get(key)
        if cached is None or cached[0] is not mask:
            slots = (
                np.arange(self.n, dtype=np.int32) if mask is None else np.flatnonzero(mask).astype(np.int32)
            )
            if len(self._slots) >= _MASK_CACHE_SIZE:
                self._slots.clear()
            cached = self._slots[key] = (mask, slots)
        return cached[1]

    # --- browsing ------------------------------------------------------------------------

    def _browse(self, query: IndexQuery, mask: np.ndarray | None, count: int) -> IndexResult:
        # Browsing is the landing page: the newest jobs and the facets of a filter set
        # are cached for the life of the snapshot.
        page_end = query.offset + query.limit
        key = (query.filters, query.facet_limit)
        cached = self._browsed.get(key)
        if cached is None or cached[0].size < min(page_end, count):
            slots = self._candidate_slots(mask)
            posted = self.columns.arrays["posted"][slots]
            keys = np.where(np.isnan(posted), -np.inf, posted)
            newest = slots[top_k(slots, keys, max(page_end, _BROWSE_DEPTH), self.id_keys)]
            facets = cached[1] if cached is not None else self._facets(slots, query.facet_limit)
            if len(self._browsed) >= _MASK_CACHE_SIZE:
                self._browsed.clear()
            cached = self._browsed[key] = (newest, facets)
        newest, facets = cached
        hits = [
            IndexHit(job_id=self.ids[slot], score=0.0) for slot in newest[query.offset : page_end].tolist()
        ]
        return IndexResult(
            hits=hits, total=count, facets={name: dict(counts) for name, counts in facets.items()}
        )

    # --- keyword retriever ---------------------------------------------------------------

    def _bm25_norms(self) -> np.ndarray:
        """``k1 * (1 - b + b * length / avgdl)`` of every slot (cached per snapshot)."""
        if self._norms is None:
            lengths = self.lengths[: self.n]
            alive = self.alive[: self.n]
            average = float(lengths[alive].sum()) / self.n_alive if self.n_alive else 1.0
            average = average or 1.0
            self._norms = (K1 * (1.0 - B + B * lengths / average)).astype(np.float32)
        return self._norms

    def _postings(self, term_id: int) -> tuple[np.ndarray, np.ndarray]:
        parts = [segment.postings(term_id) for segment in self.segments]
        parts = [part for part in parts if part[0].size]
        if not parts:
            return _EMPTY_SLOTS, _EMPTY_SCORES
        if len(parts) == 1:
            return parts[0]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def _keyword(self, terms: set[str], mask: np.ndarray | None, count: int) -> _Keyword:
        """BM25 exactly as FTS5's ``bm25()`` computes it, over the in-memory postings."""
        if self.n_alive == 0:
            return _Keyword(_EMPTY_SLOTS, _EMPTY_SCORES)
        norms = self._bm25_norms()
        n_docs = self.n_alive
        has_dead = self.n_alive != self.n
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        by_term: dict[int, np.ndarray] = {}
        for term in sorted(terms):
            term_id = self.terms.get(term)
            if term_id is None:
                continue
            slots, weights = self._postings(term_id)
            if has_dead and slots.size:
                live = self.alive[slots]
                slots, weights = slots[live], weights[live]
            df = slots.size
            if df == 0:
                continue
            idf = math.log((n_docs - df + 0.5) / (df + 0.5))
            idf = idf if idf > 0 else _MIN_IDF
            if mask is not None:
                keep = mask[slots]
                slots, weights = slots[keep], weights[keep]
                if slots.size == 0:
                    continue
            contribution = np.float32(idf * (K1 + 1.0)) * weights / (weights + norms[slots])
            parts.append((slots, contribution))
            by_term[term_id] = slots
        if not parts:
            return _Keyword(_EMPTY_SLOTS, _EMPTY_SCORES, by_term)
        if len(parts) == 1:
            return _Keyword(parts[0][0], parts[0][1].astype(np.float32), by_term)
        if mask is not None and count * 4 < self.n:
            # Accumulate over the filtered slots only (their ranks), not over every slot.
            ranks = self._filtered_ranks(mask)
            total = np.zeros(count, dtype=np.float32)
            for slots, contribution in parts:
                total[ranks[slots]] += contribution
            hit = np.flatnonzero(total)
            return _Keyword(self._candidate_slots(mask)[hit], total[hit], by_term)
        total = np.zeros(self.n, dtype=np.float32)
        for slots, contribution in parts:
            total[slots] += contribution
        matched = np.flatnonzero(total).astype(np.int32)
        return _Keyword(matched, total[matched], by_term)

    # --- vector retriever ----------------------------------------------------------------

    def _vector(
        self, unit: np.ndarray, query: IndexQuery, mask: np.ndarray | None, count: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ranked (slots, cosines) of the vector retriever."""
        wanted = query.vector_candidates
        if wanted <= 0 or count == 0 or self.vectors is None:
            return _EMPTY_SLOTS, _EMPTY_SCORES
        if self.ann is not None and self.n_alive > self.policy.ann_threshold:
            fetch = min(self.n_alive, math.ceil(wanted * self.n_alive / count * _OVERFETCH) + 32)
            limit = self.policy.subset_scan_limit
            scan = count <= limit if limit is not None else count <= _SCAN_COST_RATIO * fetch
            found = None if scan else self._vector_ann(unit, query, mask, fetch)
            if found is not None:
                return found
            if self.quantized is not None:
                return self._vector_scan(unit, query, mask)
        return self._vector_exact(unit, query, mask)

    def _vector_exact(
        self, unit: np.ndarray, query: IndexQuery, mask: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        assert self.vectors is not None
        matrix = self.vectors[: self.n]
        slots = self._candidate_slots(mask)
        if mask is None or slots.size * 2 > self.n:
            scores = _cosines(matrix, unit)
            if mask is not None:
                scores = scores[slots]
        else:
            scores = _cosines(self._subset_vectors(slots), unit)
        keep = scores >= query.min_similarity
        slots, scores = slots[keep], scores[keep]
        order = top_k(slots, scores, query.vector_candidates, self.id_keys)
        return slots[order], scores[order]

    def _subset_vectors(self, slots: np.ndarray) -> np.ndarray:
        """The vectors of a filtered candidate set, contiguous.

        Gathering them costs about three times the dot products over them
        (measured), and a filter set recurs from search to search, so the
        copy is kept with the snapshot, within :data:`_SUBSET_CACHE_BYTES`.
        """
        assert self.vectors is not None
        cached = self._subsets.get(id(slots))
        if cached is not None and cached[0] is slots:
            return cached[1]
        subset = np.take(self.vectors, slots, axis=0)
        if subset.nbytes <= _SUBSET_CACHE_BYTES // 4:
            with self._subset_lock:
                used = sum(vectors.nbytes for _, vectors in self._subsets.values())
                if used + subset.nbytes > _SUBSET_CACHE_BYTES:
                    self._subsets.clear()
                # Keyed by the identity of the cached slot array (kept alive by the entry).
                self._subsets[id(slots)] = (slots, subset)
        return subset

    def _vector_scan(
        self, unit: np.ndarray, query: IndexQuery, mask: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Scan the quantised vectors of the candidates, rescore the best exactly."""
        assert self.quantized is not None
        assert self.vectors is not None
        slots = self._candidate_slots(mask)
        approximate = self.quantized.scores(slots, unit)
        pool = math.ceil(query.vector_candidates * _RESCORE_POOL) + 64
        if pool < slots.size:
            slots = slots[np.argpartition(-approximate, pool - 1)[:pool]]
        cosines = _cosines(np.take(self.vectors, slots, axis=0), unit)
        keep = cosines >= query.min_similarity
        slots, cosines = slots[keep], cosines[keep]
        order = top_k(slots, cosines, query.vector_candidates, self.id_keys)
        return slots[order], cosines[order]

    def _vector_ann(
        self, unit: np.ndarray, query: IndexQuery, mask: np.ndarray | None, fetch: int
    ) -> tuple[np.ndarray, np.ndarray] | None:
        """Over-fetch from the ANN index and filter exactly; ``None`` when it falls short."""
        assert self.ann is not None
        assert self.vectors is not None
        rows = self.rows[: self.n]
        allowed = mask if mask is not None else (self.alive[: self.n] if self.n_alive != self.n else None)
        while True:
            labels = self.ann.search(unit, fetch)
            slots = np.searchsorted(rows, labels).astype(np.int64)
            slots = np.minimum(slots, self.n - 1)
            known = rows[slots] == labels
            slots = slots[known]
            cosines = _cosines(np.take(self.vectors, slots, axis=0), unit)
            exhausted = labels.size < fetch or fetch >= self.n_alive
            below = cosines.size > 0 and float(cosines.min()) < query.min_similarity
            if allowed is not None:
                keep = allowed[slots]
                slots, cosines = slots[keep], cosines[keep]
            keep = cosines >= query.min_similarity
            slots, cosines = slots[keep].astype(np.int32), cosines[keep]
            if slots.size >= query.vector_candidates or exhausted or below:
                order = top_k(slots, cosines, query.vector_candidates, self.id_keys)
                return slots[order], cosines[order]
            if fetch * 4 > self.n_alive // 2:
                return None
            fetch *= 4

    # --- fusion --------------------------------------------------------------------------

    def _fuse(
        self,
        query: IndexQuery,
        words: Sequence[tuple[str, str]],
        keyword: _Keyword,
        v_slots: np.ndarray,
        v_scores: np.ndarray,
    ) -> IndexResult:
        """Reciprocal rank fusion of the two rankings, with exact ranks for the page."""
        k = query.rrf_k
        page_size = query.offset + query.limit
        # Ranking the keyword list this deep leaves only vector candidates ranked
        # near the top (1/(k+rank) above what depth can add) needing an exact rank.
        top = top_k(keyword.slots, keyword.scores, max(page_size, _KEYWORD_DEPTH), self.id_keys)
        top_slots = keyword.slots[top]
        v_in_keyword, _ = keyword.score_of(v_slots)

        slots = sorted_unique(top_slots.astype(np.int32), v_slots.astype(np.int32))
        kw_rank = np.zeros(slots.size, dtype=np.int64)
        vec_rank = np.zeros(slots.size, dtype=np.int64)
        kw_rank[np.searchsorted(slots, top_slots)] = np.arange(1, top_slots.size + 1)
        vec_rank[np.searchsorted(slots, v_slots)] = np.arange(1, v_slots.size + 1)
        in_keyword, kw_scores = keyword.score_of(slots)
        # Vector candidates that match keywords below that depth have an unknown keyword
        # rank (> len(top)); compute it only where it could reach the page.
        unresolved = in_keyword & (kw_rank == 0)
        if unresolved.any():
            resolved = ~unresolved
            fused = _rrf(kw_rank, k) + _rrf(vec_rank, k)
            known = np.sort(fused[resolved])[::-1]
            threshold = known[page_size - 1] if known.size >= page_size else -np.inf
            bound = 1.0 / (k + top_slots.size + 1)
            needed = unresolved & (fused + bound >= threshold)
            if needed.any():
                kw_rank[needed] = exact_ranks(
                    keyword.slots, keyword.scores, slots[needed], kw_scores[needed], self.id_keys
                )
            unresolved &= ~needed
        fused = _rrf(kw_rank, k) + _rrf(vec_rank, k)
        eligible = np.flatnonzero(~unresolved)
        order = eligible[top_k(slots[eligible], fused[eligible], page_size, self.id_keys)][query.offset :]

        v_cosine = np.zeros(slots.size, dtype=np.float32)
        v_cosine[np.searchsorted(slots, v_slots)] = v_scores
        page = slots[order]
        matched = (
            self._matched(words, keyword, page) if query.mode is not SearchMode.VECTOR else [()] * page.size
        )
        # Plain lists: indexing numpy arrays item by item costs more than the whole page.
        columns = zip(
            page.tolist(),
            fused[order].tolist(),
            in_keyword[order].tolist(),
            kw_scores[order].tolist(),
            kw_rank[order].tolist(),
            v_cosine[order].tolist(),
            vec_rank[order].tolist(),
            matched,
            strict=True,
        )
        hits = [
            IndexHit(
                job_id=self.ids[slot],
                score=score,
                keyword_score=kw_score if keyworded else None,
                keyword_rank=kw_at if keyworded else None,
                vector_score=cosine if vec_at else None,
                vector_rank=vec_at or None,
                matched_terms=terms,
            )
            for slot, score, keyworded, kw_score, kw_at, cosine, vec_at, terms in columns
        ]
        candidates = np.concatenate([keyword.slots, v_slots[~v_in_keyword]])
        return IndexResult(
            hits=hits, total=int(candidates.size), facets=self._facets(candidates, query.facet_limit)
        )

    def _matched(
        self, words: Sequence[tuple[str, str]], keyword: _Keyword, page: np.ndarray
    ) -> list[tuple[str, ...]]:
        """The query words (first spelling of each term) each page slot contains."""
        first_spelling: dict[str, str] = {}
        for word, term in words:
            first_spelling.setdefault(term, word)
        names: list[str] = []
        columns: list[np.ndarray] = []
        for term, word in first_spelling.items():
            term_slots = keyword.by_term.get(self.terms.get(term, -1))
            if term_slots is None or not term_slots.size:
                continue
            # One vectorised membership test per term (its slots are ascending), not one per hit.
            found = np.minimum(np.searchsorted(term_slots, page), term_slots.size - 1)
            names.append(word)
            columns.append(term_slots[found] == page)
        if not columns:
            return [()] * page.size
        rows: list[list[bool]] = np.stack(columns, axis=1).tolist()
        return [tuple(name for name, hit in zip(names, row, strict=True) if hit) for row in rows]

    # --- facets --------------------------------------------------------------------------

    def _facets(self, slots: np.ndarray, limit: int) -> FacetCounts:
        columns = self.columns
        arrays = columns.arrays
        return {
            "workplace_type": top_counts(
                arrays["workplace"][slots], len(columns.workplaces), columns.workplaces.values, limit
            ),
            "employment_type": top_counts(
                arrays["employment"][slots], len(columns.employments), columns.employments.values, limit
            ),
            "company": top_counts(
                arrays["company"][slots], len(columns.companies), columns.companies.values, limit
            ),
        }


def _executor() -> ThreadPoolExecutor:
    global _EXECUTOR  # noqa: PLW0603 - created on first use: no threads at import time
    with _EXECUTOR_LOCK:
        if _EXECUTOR is None:
            _EXECUTOR = ThreadPoolExecutor(max_workers=4, thread_name_prefix="jobforge-search")
        return _EXECUTOR


def _cosines(matrix: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """Dot product of each row with ``unit`` (cosines, rows being unit vectors).

    Not ``matrix @ unit``: OpenBLAS runs that matrix-vector product on several
    threads, which on a busy machine is up to 20 times slower than numpy's own
    single-threaded SIMD loop (measured on the 2-core benchmark machine).
    """
    return np.asarray(np.einsum("ij,j->i", matrix, unit))


def _rrf(ranks: np.ndarray, k: int) -> np.ndarray:
    """``1 / (k + rank)`` where ranked, else 0."""
    return np.where(ranks > 0, 1.0 / (k + np.maximum(ranks, 1)), 0.0)
