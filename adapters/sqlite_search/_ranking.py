"""Ranking helpers: exact top-k with ties by id, exact ranks, and facet counts.

All of them work on numpy arrays of slots and scores; only ties (rare) and
the final few hundred items ever reach Python-level sorting.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["Ids", "exact_ranks", "sorted_unique", "top_counts", "top_k"]

Ids = Sequence[str] | np.ndarray
"""Ids by slot: a list, or a numpy string array (ties are then broken in bulk)."""


def sorted_unique(*arrays: np.ndarray) -> np.ndarray:
    """The distinct values of the arrays, ascending.

    What ``np.union1d``/``np.unique`` return, by sorting: for the few thousand
    values of a query their hash-based path is about five times slower.
    """
    values = np.concatenate(arrays) if len(arrays) > 1 else arrays[0].copy()
    if values.size < 2:
        return values
    values.sort()
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def top_k(slots: np.ndarray, scores: np.ndarray, k: int, ids: Ids) -> np.ndarray:
    """Positions (into ``slots``) of the ``k`` best, ordered by score descending then id.

    Scores may be ``-inf`` (ranked last); they must not be NaN.
    """
    m = int(slots.size)
    k = min(k, m)
    if k <= 0:
        return np.empty(0, dtype=np.int64)
    if k < m:
        part = np.argpartition(-scores, k - 1)[:k]
        kth = scores[part].min()
        above = np.flatnonzero(scores > kth)
        tied = np.flatnonzero(scores == kth)
        need = k - above.size
        if tied.size > need:
            tied = tied[np.argsort(_names(ids, slots[tied]))[:need]]
        chosen = np.concatenate([above, tied])
    else:
        chosen = np.arange(m)
    order = chosen[np.argsort(-scores[chosen], kind="stable")]
    return _ties_by_id(order, scores, slots, ids)


def _ties_by_id(order: np.ndarray, scores: np.ndarray, slots: np.ndarray, ids: Ids) -> np.ndarray:
    """Reorder runs of equal scores in ``order`` by id (looking up only the ids of tied items)."""
    ranked = scores[order]
    if ranked.size < 2:
        return order
    equal = ranked[1:] == ranked[:-1]
    if not equal.any():
        return order
    tied = np.zeros(ranked.size, dtype=bool)
    tied[:-1] |= equal
    tied[1:] |= equal
    positions = np.flatnonzero(tied)
    run = np.concatenate(([0], np.cumsum(~equal)))[positions]
    names = _names(ids, slots[order[positions]])
    # Each run is contiguous, so sorting the tied positions by (run, id) and
    # writing them back in place orders every run by id.
    result = order.copy()
    result[positions] = order[positions[np.lexsort((names, run))]]
    return result


def _names(ids: Ids, slots: np.ndarray) -> np.ndarray:
    """The ids of these slots as a numpy array (gathered in bulk when ``ids`` is one)."""
    if isinstance(ids, np.ndarray):
        return np.asarray(ids[slots])
    return np.array([ids[slot] for slot in slots.tolist()])


def exact_ranks(
    all_slots: np.ndarray, all_scores: np.ndarray, slots: np.ndarray, scores: np.ndarray, ids: Ids
) -> np.ndarray:
    """1-based rank of each ``(slots[i], scores[i])`` within the whole ranking (score desc, then id).

    ``all_slots``/``all_scores`` is the full candidate list that contains them.
    One pass over it, whatever the number of items asked for.
    """
    if slots.size == 0:
        return np.empty(0, dtype=np.int64)
    thresholds = sorted_unique(scores)
    position = np.searchsorted(thresholds, all_scores, side="left")
    histogram = np.bincount(position, minlength=thresholds.size + 1)
    # greater[m]: how many candidates score above thresholds[m].
    greater = np.cumsum(histogram[::-1])[::-1][1:]
    equal_right = np.searchsorted(thresholds, all_scores, side="right")
    equal = np.bincount(equal_right[equal_right != position] - 1, minlength=thresholds.size)
    index = np.searchsorted(thresholds, scores)
    ranks = 1 + greater[index]
    for i in np.flatnonzero(equal[index] > 1).tolist():
        peers = all_slots[all_scores == scores[i]]
        peer_ids = _names(ids, peers)
        ranks[i] += int(np.count_nonzero(peer_ids < ids[slots[i]]))
    return ranks


def top_counts(codes: np.ndarray, n_values: int, names: Sequence[str], limit: int) -> dict[str, int]:
    """The ``limit`` most frequent codes as ``{name: count}``, by count then name."""
    if limit <= 0 or codes.size == 0:
        return {}
    counts = np.bincount(codes, minlength=n_values)
    present = np.flatnonzero(counts)
    best = top_k(present, counts[present].astype(np.float64), limit, names)
    return {names[present[i]]: int(counts[present[i]]) for i in best.tolist()}
