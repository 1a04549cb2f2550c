"""top_k and exact_ranks of the embedded index against a plain sort by (score desc, id)."""

from __future__ import annotations

import numpy as np
import pytest

from jobforge.adapters.sqlite_search._ranking import exact_ranks, sorted_unique, top_k


def _case(seed: int, size: int, distinct: int) -> tuple[np.ndarray, np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    ids = [f"job-{rng.integers(1_000_000):07d}-{i}" for i in range(size * 2)]
    slots = np.sort(rng.choice(size * 2, size=size, replace=False)).astype(np.int32)
    scores = rng.integers(0, distinct, size=size).astype(np.float32) / 7  # many ties
    return slots, scores, ids


@pytest.mark.parametrize("as_array", [False, True])
@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize(("size", "distinct", "k"), [(1, 1, 1), (50, 3, 10), (500, 40, 100), (300, 300, 300)])
def test_top_k_orders_by_score_then_id(seed: int, size: int, distinct: int, k: int, as_array: bool) -> None:
    slots, scores, ids = _case(seed, size, distinct)
    expected = sorted(range(size), key=lambda i: (-float(scores[i]), ids[slots[i]]))[:k]
    assert top_k(slots, scores, k, np.array(ids) if as_array else ids).tolist() == expected


@pytest.mark.parametrize("as_array", [False, True])
@pytest.mark.parametrize("seed", range(4))
def test_exact_ranks_agree_with_the_full_order(seed: int, as_array: bool) -> None:
    slots, scores, ids = _case(seed, 400, 25)
    full = sorted(range(400), key=lambda i: (-float(scores[i]), ids[slots[i]]))
    rank_of = {position: rank for rank, position in enumerate(full, start=1)}
    asked = np.array([3, 77, 150, 399])
    ranks = exact_ranks(slots, scores, slots[asked], scores[asked], np.array(ids) if as_array else ids)
    assert ranks.tolist() == [rank_of[int(i)] for i in asked]


@pytest.mark.parametrize("seed", range(4))
def test_sorted_unique_is_union1d(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = rng.integers(0, 50, size=40).astype(np.int32), rng.integers(0, 50, size=7).astype(np.int32)
    assert sorted_unique(a, b).tolist() == np.union1d(a, b).tolist()
    floats = rng.integers(0, 9, size=30).astype(np.float32) / 3
    assert sorted_unique(floats).tolist() == np.unique(floats).tolist()
    assert sorted_unique(np.empty(0, dtype=np.int32)).tolist() == []
