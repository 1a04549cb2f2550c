"""The in-memory inverted index: immutable CSR segments of (slot, weighted tf) per term.

New documents arrive as a small segment; segments of similar size are merged
(like an LSM tree), so a term's postings are a few contiguous slices, sorted
by slot. Deleted slots stay in the segments until the index compacts; the
searcher masks them out.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Segment", "add_segment", "merge_segments"]

_MAX_SEGMENTS = 12


class Segment:
    """Postings of a contiguous range of slots, grouped by term id (CSR).

    Args:
        pointers: ``int64[n_terms + 1]``; postings of term ``t`` are ``[pointers[t], pointers[t+1])``.
        slots: ``int32`` slot of each posting, ascending within a term.
        weights: ``float32`` column-weighted term frequency of each posting.
    """

    __slots__ = ("pointers", "slots", "weights")

    def __init__(self, pointers: np.ndarray, slots: np.ndarray, weights: np.ndarray) -> None:
        self.pointers = pointers
        self.slots = slots
        self.weights = weights

    @property
    def size(self) -> int:
        """Number of postings."""
        return int(self.slots.size)

    @classmethod
    def from_documents(
        cls, first_slot: int, counts: np.ndarray, term_ids: np.ndarray, weights: np.ndarray, n_terms: int
    ) -> Segment:
        """Build a segment from the concatenated postings of consecutive documents.

        Args:
            first_slot: slot of the first document; the others follow.
            counts: number of distinct terms of each document.
            term_ids: ``int32`` term ids, document after document.
            weights: ``float32`` weighted frequencies, aligned with ``term_ids``.
            n_terms: size of the vocabulary.
        """
        slots = np.repeat(np.arange(first_slot, first_slot + counts.size, dtype=np.int32), counts)
        order = _stable_order(term_ids)
        pointers = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_ids, minlength=n_terms), out=pointers[1:])
        return cls(pointers, slots[order], weights[order].astype(np.float32, copy=False))

    def postings(self, term_id: int) -> tuple[np.ndarray, np.ndarray]:
        """Slots and weights of one term (views, possibly empty)."""
        if term_id + 1 >= self.pointers.size:
            return self.slots[:0], self.weights[:0]
        start, end = self.pointers[term_id], self.pointers[term_id + 1]
        return self.slots[start:end], self.weights[start:end]

    def remap(self, new_slot: np.ndarray) -> Segment:
        """A copy with slots renumbered by ``new_slot`` (``-1`` drops the posting).

        ``new_slot`` must be increasing where it is not ``-1`` so order is kept.
        """
        mapped = new_slot[self.slots]
        keep = mapped >= 0
        terms = np.repeat(np.arange(self.pointers.size - 1, dtype=np.int64), np.diff(self.pointers))[keep]
        pointers = np.zeros_like(self.pointers)
        np.cumsum(np.bincount(terms, minlength=self.pointers.size - 1), out=pointers[1:])
        return Segment(pointers, mapped[keep].astype(np.int32), self.weights[keep])


def _stable_order(keys: np.ndarray) -> np.ndarray:
    """Stable argsort of non-negative ``int32`` keys, as one or two 16-bit radix passes."""
    low = (keys & 0xFFFF).astype(np.uint16)
    order = np.argsort(low, kind="stable")
    high = (keys >> 16).astype(np.uint16)
    if high.any():
        order = order[np.argsort(high[order], kind="stable")]
    return order


def merge_segments(older: Segment, newer: Segment) -> Segment:
    """One segment holding both; within a term the older postings come first.

    Linear time: each posting is moved to its place with one scatter.
    """
    n_terms = max(older.pointers.size, newer.pointers.size) - 1
    old_counts = np.zeros(n_terms, dtype=np.int64)
    new_counts = np.zeros(n_terms, dtype=np.int64)
    old_counts[: older.pointers.size - 1] = np.diff(older.pointers)
    new_counts[: newer.pointers.size - 1] = np.diff(newer.pointers)
    pointers = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(old_counts + new_counts, out=pointers[1:])
    total = int(pointers[-1])
    slots = np.empty(total, dtype=np.int32)
    weights = np.empty(total, dtype=np.float32)
    # Destination of posting j of term t: pointers[t] + (j - source_pointers[t]), plus the
    # older segment's count of t for postings of the newer segment.
    old_dest = np.repeat(pointers[:-1] - _padded(older.pointers, n_terms), old_counts) + np.arange(older.size)
    new_shift = pointers[:-1] + old_counts - _padded(newer.pointers, n_terms)
    new_dest = np.repeat(new_shift, new_counts) + np.arange(newer.size)
    slots[old_dest] = older.slots
    weights[old_dest] = older.weights
    slots[new_dest] = newer.slots
    weights[new_dest] = newer.weights
    return Segment(pointers, slots, weights)


def _padded(pointers: np.ndarray, n_terms: int) -> np.ndarray:
    """The first ``n_terms`` entries of a pointer array, padded with its last value."""
    out = np.full(n_terms, pointers[-1], dtype=np.int64)
    out[: pointers.size - 1] = pointers[:-1]
    return out


def add_segment(segments: tuple[Segment, ...], segment: Segment) -> tuple[Segment, ...]:
    """Append a segment, merging neighbours of similar size (and any beyond the cap)."""
    merged = [*segments, segment]
    while len(merged) >= 2 and (merged[-2].size <= 2 * merged[-1].size or len(merged) > _MAX_SEGMENTS):
        newer = merged.pop()
        older = merged.pop()
        merged.append(merge_segments(older, newer))
    return tuple(merged)
