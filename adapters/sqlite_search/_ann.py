"""Approximate nearest-neighbour search over unit vectors with hnswlib (HNSW graph).

hnswlib was chosen over usearch by measurement on 200k synthetic MiniLM-like
vectors (384 dimensions, M=16, ef_construction=128, 2 threads, float32):
build 20 s against 37 s; a 1000-neighbour query 0.9 ms against 1.7 ms, both
with recall@10 0.99; 5000 neighbours 4 ms against 7 ms.

Labels are the SQLite row numbers of the documents, which never change, so
the graph survives the in-memory compaction that renumbers slots.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

__all__ = ["DEFAULT_EF_SEARCH", "HnswIndex"]

_ADD_CHUNK = 512
DEFAULT_EF_SEARCH = 4000
"""Minimum HNSW candidate list while searching. Measured on a million clustered MiniLM-like
vectors (M=16): recall@10 0.91 at 1282 (the list a default query needs anyway), 0.955 at 2500,
0.963 at 4000, 0.975 at 6000; each doubling costs a few milliseconds."""


class HnswIndex:
    """A thread-safe HNSW index (inner product on unit vectors = cosine).

    Args:
        dimensions: vector size.
        connectivity: graph degree ``M``.
        ef_construction: candidate list size while inserting.
        ef_search: minimum candidate list size while searching.
    """

    def __init__(
        self,
        dimensions: int,
        *,
        connectivity: int = 16,
        ef_construction: int = 128,
        ef_search: int = DEFAULT_EF_SEARCH,
    ) -> None:
        import hnswlib

        self.dimensions = dimensions
        self.ef_search = ef_search
        self._index = hnswlib.Index(space="ip", dim=dimensions)
        self._index.init_index(max_elements=1024, ef_construction=ef_construction, M=connectivity)
        self._index.set_num_threads(1)
        self._lock = threading.Lock()
        self._live = 0

    @classmethod
    def load(cls, path: Path, dimensions: int, live: int, *, ef_search: int = DEFAULT_EF_SEARCH) -> HnswIndex:
        """Load a saved index holding ``live`` undeleted vectors."""
        import hnswlib

        self = cls.__new__(cls)
        self.dimensions = dimensions
        self.ef_search = ef_search
        self._index = hnswlib.Index(space="ip", dim=dimensions)
        self._index.load_index(str(path))
        self._index.set_num_threads(1)
        self._lock = threading.Lock()
        self._live = live
        return self

    def __len__(self) -> int:
        """Vectors not marked deleted."""
        return self._live

    def add(self, labels: np.ndarray, vectors: np.ndarray, *, threads: int = 1) -> None:
        """Insert vectors under new labels, in chunks so that searches interleave."""
        step = _ADD_CHUNK * threads
        for start in range(0, labels.size, step):
            end = min(start + step, labels.size)
            with self._lock:
                needed = self._index.element_count + (end - start)
                if needed > self._index.get_max_elements():
                    self._index.resize_index(max(needed, 2 * self._index.get_max_elements()))
                self._index.add_items(vectors[start:end], labels[start:end], num_threads=threads)
                self._live += end - start

    def remove(self, labels: np.ndarray) -> None:
        """Mark labels deleted (unknown labels are ignored)."""
        with self._lock:
            for label in labels.tolist():
                try:
                    self._index.mark_deleted(label)
                except RuntimeError:
                    continue
                self._live -= 1

    def search(self, vector: np.ndarray, k: int) -> np.ndarray:
        """Labels of (about) the ``k`` most similar vectors, best first."""
        with self._lock:
            k = min(k, self._live)
            if k <= 0:
                return np.empty(0, dtype=np.int64)
            self._index.set_ef(max(k, self.ef_search))
            try:
                labels, _ = self._index.knn_query(vector, k=k, num_threads=1)
            except RuntimeError:
                # The graph search found fewer than k live vectors (many deletions
                # near the query); a wider search finds them.
                self._index.set_ef(max(4 * k, self.ef_search))
                labels, _ = self._index.knn_query(vector, k=k, num_threads=1)
        return np.asarray(labels[0], dtype=np.int64)

    def save(self, path: Path) -> None:
        """Write the index to ``path`` atomically."""
        tmp = path.with_name(path.name + ".tmp")
        with self._lock:
            self._index.save_index(str(tmp))
        tmp.replace(path)
