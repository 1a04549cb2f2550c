"""The relevance benchmark's metric code and its judged query set (benchmarks/relevance.py)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import math
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "relevance.py"


@pytest.fixture(scope="module")
def relevance() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relevance_benchmark", BENCHMARK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_ndcg_and_recall(relevance: ModuleType) -> None:
    judged = {"a": 3, "b": 1, "c": 2}
    assert relevance.ndcg_at(["a", "c", "b"], judged) == pytest.approx(1.0)
    assert relevance.ndcg_at(["x", "y"], judged) == 0.0
    expected = (1 / math.log2(3)) / (7 + 3 / math.log2(3) + 1 / math.log2(4))  # "b" found second
    assert relevance.ndcg_at(["x", "b"], judged) == pytest.approx(expected)
    assert relevance.ndcg_at(["a"], {"z": 0}) == 0.0
    assert relevance.recall_at(["a", "x", "b"], judged) == pytest.approx(2 / 3)
    assert relevance.recall_at(["a", "x", "b"], judged, k=1) == pytest.approx(1 / 3)
    assert relevance.recall_at(["a"], {}) == 0.0


def test_base_roles(relevance: ModuleType) -> None:
    assert relevance.base_role("Senior Data Engineer") == "Data Engineer"
    assert relevance.base_role("Software Engineer II") == "Software Engineer"
    assert relevance.base_role("Staff Accountant") == "Staff Accountant"
    assert relevance.base_role("Senior Staff Accountant") == "Staff Accountant"


def test_the_query_set_covers_every_intent(relevance: ModuleType) -> None:
    queries = relevance.load_queries()
    assert len(queries) >= 40
    intents = Counter(q["intent"] for q in queries)
    assert set(intents) == set(relevance.INTENTS)
    assert min(intents.values()) >= 7
    judgments = json.loads(relevance.JUDGMENTS_FILE.read_text(encoding="utf-8"))
    assert set(judgments) == {q["id"] for q in queries}
    for query in queries:
        grades = judgments[query["id"]].values()
        assert max(grades) == 3, query["id"]  # every query has postings that are exactly what was asked
        assert sum(1 for g in grades if g) >= 10, query["id"]


def test_judgments_match_the_rules_on_the_sample_data(relevance: ModuleType, tmp_path: Path) -> None:
    """The data file is what the hand-written rules select from today's sample data."""

    async def judge() -> dict[str, dict[str, int]]:
        engine = await relevance.build_engine(tmp_path, "hashing")
        try:
            return relevance.judge(relevance.load_queries(), await relevance.all_jobs(engine))
        finally:
            await engine.aclose()

    assert asyncio.run(judge()) == json.loads(relevance.JUDGMENTS_FILE.read_text(encoding="utf-8"))
