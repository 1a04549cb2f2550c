"""``SqliteSearchIndex``: the embedded default search index.

Durable state lives in SQLite (an FTS5 table plus per-document postings,
fields and vectors, see :mod:`._store`); queries run against numpy
structures rebuilt from it at open (see :mod:`._snapshot`). Writes are
serialised by a lock and publish a new snapshot; searches never wait for
them.

Processes may share the directory (``jobforge serve`` beside ``jobforge
worker`` or ``ingest``): a write first catches up with what other processes
committed, under SQLite's write lock, and a search that finds the file
changed (``PRAGMA data_version``, a few microseconds) catches up before it
runs. Catching up loads the new rows and drops the deleted ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from jobforge.adapters.sqlite_search._analysis import Analysed, analyse
from jobforge.adapters.sqlite_search._ann import DEFAULT_EF_SEARCH, HnswIndex
from jobforge.adapters.sqlite_search._columns import Columns
from jobforge.adapters.sqlite_search._postings import Segment, add_segment, merge_segments
from jobforge.adapters.sqlite_search._quantized import QuantizedVectors
from jobforge.adapters.sqlite_search._snapshot import Snapshot, VectorPolicy
from jobforge.adapters.sqlite_search._store import NewDoc, Store, StoredDoc
from jobforge.commit_watch import DataVersion
from jobforge.core.search_types import IndexDocument, IndexQuery, IndexResult

__all__ = ["SqliteSearchIndex"]

_DB_FILE = "index.sqlite3"
_ANN_FILE = "vectors.hnsw"
_COMPACT_MIN_DEAD = 1_000
_COMPACT_DEAD_SHARE = 0.25


class SqliteSearchIndex:
    """Hybrid BM25 + vector search with exact filters, stored in one directory.

    Implements :class:`jobforge.ports.SearchIndex` with the semantics documented
    on :class:`jobforge.core.search_types.IndexQuery`. Keyword scores are
    FTS5's ``bm25()`` (title weighted 4, company and skills 2, description and
    locations 1) computed from an in-memory inverted index; vector search is
    exact up to ``ann_threshold`` documents and uses an HNSW graph above.

    Args:
        directory: where the SQLite file (and the saved HNSW graph) live; created if missing.
        dimensions: vector size; fixed by the first upsert when ``None``.
        ann_threshold: above this many documents the vector retriever uses the HNSW index.
        subset_scan_limit: with HNSW in use, a filter leaving at most this many documents
            is answered by scanning them (``int8`` copies, best candidates rescored exactly)
            instead of the graph; ``None`` (default) decides by estimated cost.
        ann_connectivity: HNSW graph degree ``M``.
        ann_ef_construction: HNSW candidate list size while inserting.
        ann_ef_search: minimum HNSW candidate list size while searching.
        ann_build_threads: threads used when the graph is built in bulk.
    """

    def __init__(
        self,
        directory: Path | str,
        *,
        dimensions: int | None = None,
        ann_threshold: int = 200_000,
        subset_scan_limit: int | None = None,
        ann_connectivity: int = 16,
        ann_ef_construction: int = 128,
        ann_ef_search: int = DEFAULT_EF_SEARCH,
        ann_build_threads: int = 2,
    ) -> None:
        if dimensions is not None and dimensions < 1:
            raise ValueError(f"dimensions must be positive, got {dimensions}")
        if ann_threshold < 0:
            raise ValueError(f"ann_threshold must not be negative, got {ann_threshold}")
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._policy = VectorPolicy(ann_threshold=ann_threshold, subset_scan_limit=subset_scan_limit)
        self._ann_options = {"connectivity": ann_connectivity, "ef_construction": ann_ef_construction}
        self._ef_search = ann_ef_search
        self._build_threads = max(1, ann_build_threads)
        self._lock = threading.Lock()
        self._closed = False
        self._store = Store(self.directory / _DB_FILE)
        stored = self._store.get_meta("dimensions")
        if stored is not None and dimensions is not None and int(stored) != dimensions:
            self._store.close()
            raise ValueError(
                f"{self.directory}: the index has {stored} dimensions, {dimensions} were asked for"
            )
        if stored is None and dimensions is not None:
            self._store.set_meta("dimensions", str(dimensions))
        self._dimensions = int(stored) if stored is not None else dimensions
        # Sees commits of other connections (other processes and this index's writer).
        self._commits = DataVersion(self.directory / _DB_FILE)
        self._seen_version = self._commits.read()
        self._load()

    # --- state ---------------------------------------------------------------------------

    def _reset(self, capacity: int) -> None:
        self._n = 0
        self._max_row = 0
        self._ids: list[str] = []
        self._slot_of: dict[str, int] = {}
        self._rows = np.zeros(capacity, dtype=np.int64)
        self._alive = np.zeros(capacity, dtype=bool)
        self._lengths = np.zeros(capacity, dtype=np.float32)
        self._columns = Columns(capacity)
        self._vectors = np.zeros((capacity, self._dimensions), np.float32) if self._dimensions else None
        self._segments: tuple[Segment, ...] = ()
        self._ann: HnswIndex | None = None
        self._quantized: QuantizedVectors | None = None

    def _load(self) -> None:
        store = self._store
        store.begin(write=False)  # one consistent view of terms, documents and generation
        try:
            terms = store.terms()
            self._terms = {term: term_id for term_id, term in enumerate(terms)}
            count = store.count()
            self._reset(max(1024, count + count // 4))
            self._generation = store.generation()
            self._deletion_seq = store.deletion_seq()
            postings = [self._append(batch, _matrix(batch)) for batch in store.documents()]
        finally:
            store.rollback()
        if postings:
            # One segment for everything loaded: cheaper than merging batch by batch.
            counts, term_ids, weights = (np.concatenate(parts) for parts in zip(*postings, strict=True))
            self._segments = (Segment.from_documents(0, counts, term_ids, weights, len(self._terms)),)
        if self._n_alive() > self._policy.ann_threshold and self._vectors is not None:
            self._ann = self._load_ann() or self._build_ann()
            self._quantized = QuantizedVectors.build(self._vectors[: self._n], self._rows.size)
        self._publish()

    def _load_ann(self) -> HnswIndex | None:
        path = self.directory / _ANN_FILE
        if not path.exists() or self._store.get_meta("ann_generation") != str(self._generation):
            return None
        assert self._dimensions is not None
        return HnswIndex.load(path, self._dimensions, self._n_alive(), ef_search=self._ef_search)

    def _build_ann(self) -> HnswIndex:
        assert self._dimensions is not None
        assert self._vectors is not None
        ann = HnswIndex(self._dimensions, ef_search=self._ef_search, **self._ann_options)
        live = np.flatnonzero(self._alive[: self._n])
        ann.add(self._rows[live], self._vectors[live], threads=self._build_threads)
        return ann

    def _n_alive(self) -> int:
        return int(np.count_nonzero(self._alive[: self._n]))

    def _ensure_capacity(self, needed: int) -> None:
        capacity = self._rows.size
        if needed <= capacity:
            return
        capacity = max(needed, capacity + capacity // 2)
        self._rows = _grown(self._rows, capacity)
        self._alive = _grown(self._alive, capacity)
        self._lengths = _grown(self._lengths, capacity)
        if self._vectors is not None:
            self._vectors = _grown(self._vectors, capacity)
        if self._quantized is not None:
            self._quantized.grow(capacity)
        self._columns.ensure_capacity(capacity)

    def _append(
        self, docs: Sequence[StoredDoc], vectors: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Add stored documents as new slots (searchers cannot see them until published).

        Returns their postings (term counts, term ids, weights) for a new segment.
        """
        if self._vectors is None:
            self._dimensions = int(vectors.shape[1])
            self._vectors = np.zeros((self._rows.size, self._dimensions), dtype=np.float32)
        start = self._n
        end = start + len(docs)
        self._ensure_capacity(end)
        self._vectors[start:end] = vectors
        if self._quantized is not None:
            self._quantized.set(start, vectors)
        self._rows[start:end] = [d.row for d in docs]
        if docs:
            self._max_row = max(self._max_row, docs[-1].row)
        self._lengths[start:end] = [d.length for d in docs]
        self._alive[start:end] = True
        self._columns.set_many(start, [d.fields for d in docs])
        for slot, doc in enumerate(docs, start=start):
            self._ids.append(doc.job_id)
            self._slot_of[doc.job_id] = slot
        counts = np.fromiter((len(d.term_ids) // 4 for d in docs), dtype=np.int64, count=len(docs))
        term_ids = np.frombuffer(b"".join(d.term_ids for d in docs), dtype=np.int32)
        weights = np.frombuffer(b"".join(d.term_weights for d in docs), dtype=np.float32)
        self._n = end
        return counts, term_ids, weights

    def _publish(self) -> None:
        self._snapshot = Snapshot(
            n=self._n,
            alive=self._alive[: self._n].copy(),
            ids=self._ids,
            rows=self._rows,
            columns=self._columns,
            vectors=self._vectors,
            lengths=self._lengths,
            segments=self._segments,
            terms=self._terms,
            ann=self._ann,
            quantized=self._quantized,
            policy=self._policy,
            previous=getattr(self, "_snapshot", None),
        )

    # --- writes --------------------------------------------------------------------------

    async def upsert(self, documents: Sequence[IndexDocument]) -> None:
        """Insert or replace documents by job id (later ones in a batch win).

        Raises:
            ValueError: a vector whose size differs from the index's, or that is zero or not finite.
        """
        self._check_open()
        if documents:
            await asyncio.to_thread(self._upsert, list(documents))

    async def delete(self, job_ids: Sequence[str]) -> None:
        """Remove these jobs; unknown ids are ignored."""
        self._check_open()
        if job_ids:
            await asyncio.to_thread(self._delete, list(job_ids))

    def _prepare(self, documents: list[IndexDocument]) -> tuple[list[Analysed], np.ndarray]:
        latest = {doc.job.id: doc for doc in documents}
        docs = list(latest.values())
        dimensions = self._dimensions or len(docs[0].vector)
        for doc in docs:
            if len(doc.vector) != dimensions:
                raise ValueError(
                    f"job {doc.job.id!r}: vector has {len(doc.vector)} dimensions, the index has {dimensions}"
                )
        matrix = np.asarray([doc.vector for doc in docs], dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1)
        bad = ~np.isfinite(norms) | (norms == 0.0)
        if bad.any():
            raise ValueError(f"job {docs[int(np.argmax(bad))].job.id!r}: vector must be finite and non-zero")
        return [analyse(doc.job) for doc in docs], matrix / norms[:, None]

    def _upsert(self, documents: list[IndexDocument]) -> None:
        analysed, matrix = self._prepare(documents)
        with self._lock, self._transaction(write=True):
            if self._dimensions is None:
                self._dimensions = int(matrix.shape[1])
                self._store.set_meta("dimensions", str(self._dimensions))
            elif matrix.shape[1] != self._dimensions:
                raise ValueError(
                    f"job {analysed[0].job_id!r}: vector has {matrix.shape[1]} dimensions, "
                    f"the index has {self._dimensions}"
                )
            new_terms: list[tuple[int, str]] = []
            new_docs = []
            terms = self._terms
            for doc, vector in zip(analysed, matrix, strict=True):
                ids = [terms.get(term) for term in doc.term_weights]
                if None in ids:
                    for i, term in enumerate(doc.term_weights):
                        if ids[i] is None:
                            ids[i] = terms.get(term)
                            if ids[i] is None:
                                ids[i] = terms[term] = len(terms)
                                new_terms.append((len(terms) - 1, term))
                new_docs.append(
                    NewDoc(
                        job_id=doc.job_id,
                        fields=doc.fields,
                        term_ids=np.array(ids, dtype=np.int32).tobytes(),
                        term_weights=np.fromiter(doc.term_weights.values(), np.float32, len(ids)).tobytes(),
                        length=doc.length,
                        vector=vector.tobytes(),
                        texts=doc.texts,
                    )
                )
            old_slots = [self._slot_of[doc.job_id] for doc in analysed if doc.job_id in self._slot_of]
            try:
                rows, generation = self._store.write(
                    delete_rows=[int(self._rows[slot]) for slot in old_slots],
                    new_terms=new_terms,
                    docs=new_docs,
                )
                self._commit(generation)
            except BaseException:
                for _, term in new_terms:
                    del self._terms[term]
                raise
            self._kill(old_slots)
            stored = [
                StoredDoc(row, d.job_id, d.fields, d.term_ids, d.term_weights, d.length, d.vector)
                for row, d in zip(rows, new_docs, strict=True)
            ]
            self._add(stored, matrix)
            self._maybe_compact()
            self._publish()

    def _delete(self, job_ids: list[str]) -> None:
        with self._lock, self._transaction(write=True):
            slots = sorted({self._slot_of[job_id] for job_id in job_ids if job_id in self._slot_of})
            if not slots:
                return
            _, generation = self._store.write(
                delete_rows=[int(self._rows[slot]) for slot in slots], new_terms=[], docs=[]
            )
            self._commit(generation)
            self._kill(slots)
            self._maybe_compact()
            self._publish()

    @contextlib.contextmanager
    def _transaction(self, *, write: bool) -> Iterator[None]:
        """A transaction, opened after catching up with other processes' commits.

        Called with the lock held. A write takes the database's write lock
        first, so no other process commits between catching up and writing:
        new rows and term ids cannot collide with theirs.
        """
        self._check_open()
        self._store.begin(write=write)
        try:
            if self._catch_up():
                self._publish()
            yield
        finally:
            self._store.rollback()  # a no-op after a commit

    def _commit(self, generation: int) -> None:
        """Commit a write that produced ``generation``."""
        logged = self._store.deletion_seq()
        self._store.commit()
        # Only once committed: the log positions of a rolled-back write are reused.
        self._generation, self._deletion_seq = generation, logged

    def _add(self, stored: Sequence[StoredDoc], matrix: np.ndarray) -> None:
        """Append stored documents as a new postings segment (and to the HNSW graph)."""
        start = self._n
        counts, term_ids, weights = self._append(stored, matrix)
        segment = Segment.from_documents(start, counts, term_ids, weights, len(self._terms))
        self._segments = add_segment(self._segments, segment)
        rows = np.asarray([d.row for d in stored], dtype=np.int64)
        self._update_ann(rows, self._vectors[start : self._n])  # type: ignore[index]

    def _catch_up(self) -> bool:
        """Apply what other processes committed since this index last read or wrote.

        Called with the lock held; returns whether anything changed.
        """
        store = self._store
        generation = store.generation()
        if generation == self._generation:
            return False
        if self._dimensions is None:
            stored = store.get_meta("dimensions")
            self._dimensions = int(stored) if stored is not None else None
        for term_id, term in store.terms_from(len(self._terms)):
            self._terms[term] = term_id
        known = np.flatnonzero(self._alive[: self._n])
        deleted = store.deleted_since(self._deletion_seq)
        if deleted is None:  # fell behind the deletion log: compare every row
            gone = known[~np.isin(self._rows[known], store.rows(), assume_unique=True)]
            self._deletion_seq = store.deletion_seq()
        else:
            rows, self._deletion_seq = deleted
            gone = known[np.isin(self._rows[known], rows)]
        self._kill(gone.tolist())
        for batch in store.documents(after_row=self._max_row):
            self._add(batch, _matrix(batch))
        self._generation = generation
        self._maybe_compact()
        return True

    def _refresh(self, version: int) -> None:
        """Catch up and publish (a search found the file changed at ``version``)."""
        with self._lock, self._transaction(write=False):
            self._seen_version = version

    def _kill(self, slots: Sequence[int]) -> None:
        """Mark slots deleted (published snapshots keep their own copy of the flags)."""
        if not slots:
            return
        index = np.asarray(slots, dtype=np.int64)
        self._alive[index] = False
        for slot in slots:
            if self._slot_of.get(self._ids[slot]) == slot:
                del self._slot_of[self._ids[slot]]
        if self._ann is not None:
            self._ann.remove(self._rows[index])

    def _update_ann(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        if self._ann is not None:
            self._ann.add(rows, vectors, threads=self._build_threads)
        elif self._n_alive() > self._policy.ann_threshold:
            self._ann = self._build_ann()
            assert self._vectors is not None
            self._quantized = QuantizedVectors.build(self._vectors[: self._n], self._rows.size)

    def _maybe_compact(self) -> None:
        """Drop deleted slots once they are many (renumbering slots; HNSW labels are rows)."""
        dead = self._n - self._n_alive()
        if dead < max(_COMPACT_MIN_DEAD, _COMPACT_DEAD_SHARE * self._n):
            return
        keep = np.flatnonzero(self._alive[: self._n])
        new_slot = np.full(self._n, -1, dtype=np.int64)
        new_slot[keep] = np.arange(keep.size)
        capacity = max(1024, keep.size + keep.size // 2)
        self._rows = _take(self._rows, keep, capacity)
        self._lengths = _take(self._lengths, keep, capacity)
        self._alive = _take(self._alive, keep, capacity)
        if self._vectors is not None:
            self._vectors = _take(self._vectors, keep, capacity)
        if self._quantized is not None:
            self._quantized = self._quantized.take(keep, capacity)
        self._columns = self._columns.take(keep)
        self._columns.ensure_capacity(capacity)
        self._ids = [self._ids[i] for i in keep.tolist()]
        self._slot_of = {job_id: slot for slot, job_id in enumerate(self._ids)}
        merged: Segment | None = None
        for segment in self._segments:
            merged = segment if merged is None else merge_segments(merged, segment)
        self._segments = () if merged is None else (merged.remap(new_slot),)
        self._n = int(keep.size)

    # --- reads ---------------------------------------------------------------------------

    async def search(self, query: IndexQuery) -> IndexResult:
        """Run a query (see :class:`IndexQuery` for the semantics).

        Raises:
            ValueError: a negative limit or offset, a missing or mis-sized query vector,
                or ``salary_min`` without ``salary_currency``.
        """
        snapshot = await self._current()
        if snapshot.is_light(query):
            return snapshot.search(query)
        return await asyncio.to_thread(snapshot.search, query)

    async def count(self) -> int:
        """How many documents are indexed."""
        return (await self._current()).n_alive

    async def _current(self) -> Snapshot:
        """The latest snapshot, after catching up if another process has written."""
        self._check_open()
        version = self._commits.read()
        if version != self._seen_version:
            await asyncio.to_thread(self._refresh, version)
        return self._snapshot

    @property
    def dimensions(self) -> int | None:
        """Vector size, once fixed."""
        return self._dimensions

    # --- lifecycle -----------------------------------------------------------------------

    async def close(self) -> None:
        """Save the HNSW graph (so the next open need not rebuild it) and close the database."""
        if self._closed:
            return
        await asyncio.to_thread(self._close)

    def _close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._ann is not None:
                self._ann.save(self.directory / _ANN_FILE)
                # The generation the graph holds, not the file's: another process may be ahead.
                self._store.set_meta("ann_generation", str(self._generation))
            self._store.close()
            self._commits.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"the search index in {self.directory} is closed")


def _grown(array: np.ndarray, capacity: int) -> np.ndarray:
    grown = np.zeros((capacity, *array.shape[1:]), dtype=array.dtype)
    grown[: array.shape[0]] = array
    return grown


def _take(array: np.ndarray, keep: np.ndarray, capacity: int) -> np.ndarray:
    taken = np.zeros((capacity, *array.shape[1:]), dtype=array.dtype)
    taken[: keep.size] = array[keep]
    return taken


def _matrix(docs: Sequence[StoredDoc]) -> np.ndarray:
    """The stored vectors of ``docs`` as one float32 matrix."""
    return np.frombuffer(b"".join(d.vector for d in docs), dtype=np.float32).reshape(len(docs), -1)
