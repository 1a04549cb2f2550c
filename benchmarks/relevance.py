"""Offline relevance evaluation: nDCG@10 and recall@50 on a judged query set.

The corpus is the deterministic sample data (``jobforge.hosts.sample_data``,
1500 postings, seed 7, generated as of 2026-01-15T00:00Z). The queries and
their graded judgments were written by hand against it and live in
``relevance_queries.toml``: each query states, per grade (3 = exactly what
was asked, 2 = close, 1 = partly relevant), which postings earn it -- by
role, level, skills, place, workplace type or salary, read from the
postings. ``relevance_judgments.json`` holds the judged job ids those rules
select (rebuild it with ``--rebuild-judgments`` after changing a rule; the
run stops if the file and the rules disagree).

Four rankings are compared on the same index:

* ``bm25``: the keyword retriever alone;
* ``vector``: the vector retriever alone (all-MiniLM-L6-v2 by default);
* ``hybrid``: both, fused by reciprocal rank fusion;
* ``hybrid+rerank``: hybrid, then the built-in feature reranker over the
  top ``[ranking] window`` candidates.

Metrics: nDCG@10 with gains ``2**grade - 1`` against the ideal ordering of
every judged posting, and recall@50 of the postings with grade >= 1, each
averaged over the queries; also per intent (title, skills, seniority,
location, salary).

Usage::

    .venv/bin/python benchmarks/relevance.py                       # real MiniLM embedder
    .venv/bin/python benchmarks/relevance.py --embedder hashing    # fast, lexical vectors
    .venv/bin/python benchmarks/relevance.py --index-dir /tmp/rel  # reuse an ingested corpus
    .venv/bin/python benchmarks/relevance.py --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import statistics
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

HERE = Path(__file__).resolve().parent
QUERIES_FILE = HERE / "relevance_queries.toml"
JUDGMENTS_FILE = HERE / "relevance_judgments.json"
SAMPLE_COUNT = 1500
SAMPLE_SEED = 7
SAMPLE_NOW = datetime(2026, 1, 15, tzinfo=UTC)
INTENTS = ("title", "skills", "seniority", "location", "salary")
CONFIGS = ("bm25", "vector", "hybrid", "hybrid+rerank")

_LEVEL_PREFIXES = (
    "Junior ",
    "Senior ",
    "Staff ",
    "Lead ",
    "Principal ",
    "Associate ",
    "Enterprise ",
    "Charge ",
)
_LEVEL_SUFFIXES = (" II", " Intern")
_CRITERIA = {
    "roles",
    "levels",
    "departments",
    "skills_all",
    "skills_any",
    "min_skills",
    "cities",
    "regions",
    "countries",
    "workplace",
    "salary_min",
    "salary_currency",
    "salary",
}


# --- metrics ---------------------------------------------------------------------


def dcg(gains: Sequence[float]) -> float:
    """Discounted cumulative gain of gains in rank order (rank 1 first)."""
    return sum(g / math.log2(rank + 1) for rank, g in enumerate(gains, start=1))


def ndcg_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k with gains ``2**grade - 1``; 0 when nothing is relevant."""
    gains = [2 ** judged.get(job_id, 0) - 1 for job_id in ranked[:k]]
    ideal = sorted((2**g - 1 for g in judged.values() if g > 0), reverse=True)[:k]
    best = dcg(ideal)
    return dcg(gains) / best if best > 0 else 0.0


def recall_at(ranked: Sequence[str], judged: Mapping[str, int], k: int = 50) -> float:
    """Share of the postings with grade >= 1 found in the top ``k``."""
    relevant = {job_id for job_id, grade in judged.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranked[:k])) / len(relevant)


# --- judging -----------------------------------------------------------------------


def base_role(title: str) -> str:
    """A sample title without its level word (``Senior Data Engineer`` -> ``Data Engineer``)."""
    for prefix in _LEVEL_PREFIXES:
        if title.startswith(prefix) and title[len(prefix) :] != "Accountant":  # "Staff Accountant" is a role
            title = title[len(prefix) :]
            break
    for suffix in _LEVEL_SUFFIXES:
        if title.endswith(suffix):
            title = title[: -len(suffix)]
            break
    return title


def _folded(values: Iterable[str]) -> set[str]:
    return {v.casefold() for v in values}


def matches(job: Any, rule: Mapping[str, Any], normalize_skill: Any) -> bool:
    """Whether a job meets every criterion of one grade rule (see relevance_queries.toml)."""
    unknown = set(rule) - _CRITERIA - {"grade"}
    if unknown:
        raise ValueError(f"unknown criteria {sorted(unknown)}")
    if "roles" in rule and base_role(job.title).casefold() not in _folded(rule["roles"]):
        return False
    if "levels" in rule and job.seniority.value not in rule["levels"]:
        return False
    if "departments" in rule and (job.department or "").casefold() not in _folded(rule["departments"]):
        return False
    skills = {normalize_skill(s) for s in job.skills}
    if "skills_all" in rule and not all(normalize_skill(s) in skills for s in rule["skills_all"]):
        return False
    if "skills_any" in rule:
        count = sum(1 for s in rule["skills_any"] if normalize_skill(s) in skills)
        if count < rule.get("min_skills", 1):
            return False
    if "cities" in rule and not _folded(loc.city or "" for loc in job.locations) & _folded(rule["cities"]):
        return False
    if "regions" in rule and not {loc.region or "" for loc in job.locations} & set(rule["regions"]):
        return False
    if "countries" in rule and not {loc.country or "" for loc in job.locations} & set(rule["countries"]):
        return False
    if "workplace" in rule and job.workplace_type.value not in rule["workplace"]:
        return False
    if "salary_min" in rule or "salary" in rule:
        currency = rule.get("salary_currency", "USD")
        salary = job.salary
        top = None
        if salary is not None and salary.currency == currency:
            top = salary.annual_max if salary.annual_max is not None else salary.annual_min
        wanted = rule.get("salary", "at_least")
        minimum = rule.get("salary_min", 0)
        if wanted == "at_least" and (top is None or top < minimum):
            return False
        if wanted == "unknown" and top is not None:
            return False
        if wanted == "below" and (top is None or top >= minimum):
            return False
    return True


def judge(queries: Sequence[Mapping[str, Any]], jobs: Sequence[Any]) -> dict[str, dict[str, int]]:
    """Every query's judged job ids and grades, from its rules."""
    from jobforge.core.skills import normalize_skill

    judgments: dict[str, dict[str, int]] = {}
    for query in queries:
        graded: dict[str, int] = {}
        for rule in query["grades"]:
            for job in jobs:
                if matches(job, rule, normalize_skill):
                    graded[job.id] = max(graded.get(job.id, 0), int(rule["grade"]))
        judgments[query["id"]] = dict(sorted(graded.items()))
    return judgments


def load_queries(path: Path = QUERIES_FILE) -> list[dict[str, Any]]:
    """The judged queries; checks ids are unique and intents known."""
    with path.open("rb") as handle:
        queries: list[dict[str, Any]] = tomllib.load(handle)["queries"]
    ids = [q["id"] for q in queries]
    if len(ids) != len(set(ids)):
        raise ValueError("query ids must be unique")
    for query in queries:
        if query["intent"] not in INTENTS:
            raise ValueError(f"{query['id']}: unknown intent {query['intent']!r}")
        if not query["grades"]:
            raise ValueError(f"{query['id']}: no grades")
    return queries


# --- running -------------------------------------------------------------------------


async def build_engine(data_dir: Path, embedder: str, query_backend: str | None = None) -> Any:
    from dependency_injector import providers

    from jobforge.core.clock import FixedClock
    from jobforge.hosts.engine import build_engine as build
    from jobforge.hosts.sample_data import write_sample_file

    engine = build(
        overrides={
            "data_dir": str(data_dir),
            "embedder": {"name": embedder} | ({"query_backend": query_backend} if query_backend else {}),
            "repository": "sqlite",
            "search_index": "sqlite",
            "store": "memory",
            "search": {"max_limit": 100},
        }
    )
    engine.container.clock.override(providers.Object(FixedClock(SAMPLE_NOW)))
    sample = data_dir / "relevance-sample.jsonl"
    repository = engine.container.repository()
    if await repository.count() == 0:
        write_sample_file(sample, SAMPLE_COUNT, seed=SAMPLE_SEED, now=SAMPLE_NOW)
        started = time.perf_counter()
        report = await engine.ingest("file", {"path": str(sample), "name": "sample"})
        print(
            f"ingested {report.counts.added} jobs ({report.counts.duplicates} reposts merged) "
            f"in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
        if report.status != "completed":
            raise SystemExit(f"ingest failed: {report.error}")
    return engine


async def all_jobs(engine: Any) -> list[Any]:
    return [job async for job in engine.container.repository().iter_all()]


async def run_config(engine: Any, config: str, queries: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Ranked job ids (top 50) and the mean latency of one configuration."""
    ranking = engine.container.ranking()
    ranking.enabled = config == "hybrid+rerank"
    mode = {"bm25": "keyword", "vector": "vector"}.get(config, "hybrid")
    ranked: dict[str, list[str]] = {}
    latencies = []
    for query in queries:
        started = time.perf_counter()
        response = await engine.search(query["query"], filters=query.get("filters", {}), limit=50, mode=mode)
        latencies.append(time.perf_counter() - started)
        ranked[query["id"]] = [hit.job.id for hit in response.hits]
    return {"ranked": ranked, "latency_ms": 1000 * statistics.mean(latencies)}


def evaluate(
    queries: Sequence[Mapping[str, Any]],
    judgments: Mapping[str, Mapping[str, int]],
    ranked: Mapping[str, Sequence[str]],
) -> dict[str, Any]:
    """Mean nDCG@10 and recall@50, overall and per intent."""
    per_query = {
        q["id"]: (
            ndcg_at(ranked[q["id"]], judgments[q["id"]]),
            recall_at(ranked[q["id"]], judgments[q["id"]]),
        )
        for q in queries
    }
    result: dict[str, Any] = {
        "ndcg@10": statistics.mean(v[0] for v in per_query.values()),
        "recall@50": statistics.mean(v[1] for v in per_query.values()),
        "by_intent": {},
        "per_query": {k: {"ndcg@10": v[0], "recall@50": v[1]} for k, v in per_query.items()},
    }
    for intent in INTENTS:
        ids = [q["id"] for q in queries if q["intent"] == intent]
        if ids:
            result["by_intent"][intent] = {
                "queries": len(ids),
                "ndcg@10": statistics.mean(per_query[i][0] for i in ids),
                "recall@50": statistics.mean(per_query[i][1] for i in ids),
            }
    return result


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--embedder", default="sentence-transformers", help="embedder adapter name")
    parser.add_argument("--query-backend", help="the sentence-transformers query_backend (default: auto)")
    parser.add_argument("--index-dir", type=Path, help="data directory to reuse (ingested on first use)")
    parser.add_argument("--rebuild-judgments", action="store_true", help="rewrite relevance_judgments.json")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--per-query", action="store_true", help="print nDCG@10 of every query")
    parser.add_argument(
        "--window", type=int, default=None, help="candidates reranked (default [ranking] window)"
    )
    args = parser.parse_args()

    queries = load_queries()
    temporary = None
    if args.index_dir is None:
        temporary = tempfile.TemporaryDirectory(prefix="jobforge-relevance-")
        data_dir = Path(temporary.name)
    else:
        data_dir = args.index_dir
        data_dir.mkdir(parents=True, exist_ok=True)
    engine = await build_engine(data_dir, args.embedder, args.query_backend)
    search = engine.container.search_service()
    if args.window is not None:
        import msgspec

        search.policy = msgspec.structs.replace(search.policy, rerank_window=args.window)
    try:
        computed = judge(queries, await all_jobs(engine))
        if args.rebuild_judgments or not JUDGMENTS_FILE.exists():
            JUDGMENTS_FILE.write_text(json.dumps(computed, indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"wrote {JUDGMENTS_FILE.name}", file=sys.stderr)
        judgments = json.loads(JUDGMENTS_FILE.read_text(encoding="utf-8"))
        if judgments != computed:
            raise SystemExit(
                f"{JUDGMENTS_FILE.name} disagrees with the rules in {QUERIES_FILE.name} "
                "(run with --rebuild-judgments after changing a rule)"
            )
        results = {}
        for config in CONFIGS:
            run = await run_config(engine, config, queries)
            results[config] = {**evaluate(queries, judgments, run["ranked"]), "latency_ms": run["latency_ms"]}
    finally:
        await engine.aclose()
        if temporary is not None:
            temporary.cleanup()

    relevant = [sum(1 for g in j.values() if g > 0) for j in judgments.values()]
    summary = {
        "queries": len(queries),
        "judged_relevant_per_query": {
            "min": min(relevant),
            "median": statistics.median(relevant),
            "max": max(relevant),
        },
        "embedder": args.embedder,
        "rerank_window": search.policy.rerank_window,
        "results": results,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return
    print(
        f"{len(queries)} queries, relevant postings per query min {min(relevant)} / "
        f"median {statistics.median(relevant):g} / max {max(relevant)}; embedder {args.embedder}; "
        f"rerank window {search.policy.rerank_window}\n"
    )
    header = f"{'ranking':<15} {'nDCG@10':>8} {'recall@50':>10} {'ms/query':>9}   " + "  ".join(
        f"{i:>10}" for i in INTENTS
    )
    print(header)
    for config in CONFIGS:
        r = results[config]
        cells = "  ".join(f"{r['by_intent'][i]['ndcg@10']:>10.3f}" for i in INTENTS if i in r["by_intent"])
        print(f"{config:<15} {r['ndcg@10']:>8.3f} {r['recall@50']:>10.3f} {r['latency_ms']:>9.1f}   {cells}")
    print("\n(per-intent columns: nDCG@10)")
    if args.per_query:
        print("\nper query nDCG@10: " + "  ".join(CONFIGS))
        for q in queries:
            values = "  ".join(f"{results[c]['per_query'][q['id']]['ndcg@10']:.3f}" for c in CONFIGS)
            print(f"{q['id']:<14} {q['query']!r:<45} {values}")


if __name__ == "__main__":
    asyncio.run(main())
