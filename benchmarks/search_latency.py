"""Search latency of the embedded SqliteSearchIndex on synthetic corpora.

Builds corpora of realistic jobs (see ``_synthetic.py``) directly through
``SqliteSearchIndex.upsert`` and times ``search`` (query embedding excluded:
query vectors are precomputed MiniLM embeddings) for several query shapes:

* ``hybrid_2f``: text + vector with two filters (remote, salary >= 100k USD)
* ``hybrid``: text + vector, no filters
* ``keyword_2f`` / ``vector_2f``: one retriever, same two filters
* ``browse`` / ``browse_2f``: empty text (newest first), without / with the filters
  (repeated: served from the per-snapshot cache after the first)
* ``browse_cold``: the two filters plus a posted-after date that differs every time

Above ``ann_threshold`` documents it also measures recall@10 of the HNSW path
against the exact path (vector retriever, with and without filters) and the
top-10 overlap of hybrid results.

Usage::

    .venv/bin/python benchmarks/search_latency.py                  # 10k and 100k
    .venv/bin/python benchmarks/search_latency.py --sizes 1000000  # 1M (several minutes)
    .venv/bin/python benchmarks/search_latency.py --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import msgspec
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _synthetic import NOW, Corpus

from jobforge.adapters.sqlite_search import SqliteSearchIndex
from jobforge.core.models import WorkplaceType
from jobforge.core.search_types import IndexQuery, SearchFilters, SearchMode

TWO_FILTERS = SearchFilters(
    workplace_types=(WorkplaceType.REMOTE,), salary_min=100_000, salary_currency="USD"
)


def rss_mib() -> tuple[float, float]:
    """(current, peak) resident set size of this process in MiB."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, amount, _ = line.split()
                values[key] = int(amount) / 1024
    return values["VmRSS:"], values["VmHWM:"]


async def build(index: SqliteSearchIndex, corpus: Corpus, size: int, batch: int) -> dict[str, float]:
    generate = upsert = 0.0
    started = time.perf_counter()
    documents = corpus.documents(size, batch=batch)
    done = 0
    while True:
        t0 = time.perf_counter()
        chunk = next(documents, None)
        t1 = time.perf_counter()
        generate += t1 - t0
        if chunk is None:
            break
        await index.upsert(chunk)
        upsert += time.perf_counter() - t1
        done += len(chunk)
        if done % (batch * 50) == 0:
            print(f"  ... {done:,} docs, upsert {upsert:.0f}s", file=sys.stderr, flush=True)
    return {"build_s": upsert, "generate_s": generate, "wall_s": time.perf_counter() - started}


def disk_mib(directory: Path) -> float:
    return sum(f.stat().st_size for f in directory.iterdir()) / 2**20


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


async def measure(index: SqliteSearchIndex, queries: list[IndexQuery], warmup: int = 10) -> dict[str, float]:
    for query in queries[:warmup]:
        await index.search(query)
    timings = []
    totals = []
    for query in queries:
        t0 = time.perf_counter()
        result = await index.search(query)
        timings.append((time.perf_counter() - t0) * 1000)
        totals.append(result.total)
    return {
        "p50_ms": percentile(timings, 50),
        "p95_ms": percentile(timings, 95),
        "p99_ms": percentile(timings, 99),
        "mean_ms": statistics.fmean(timings),
        "queries": len(timings),
        "mean_total": statistics.fmean(totals),
    }


def query_sets(corpus: Corpus, count: int) -> dict[str, list[IndexQuery]]:
    plain = corpus.queries(count, SearchFilters())
    return {
        "hybrid_2f": [IndexQuery(text=q.text, vector=q.vector, filters=TWO_FILTERS) for q in plain],
        "hybrid": [IndexQuery(text=q.text, vector=q.vector) for q in plain],
        "keyword_2f": [IndexQuery(text=q.text, filters=TWO_FILTERS, mode=SearchMode.KEYWORD) for q in plain],
        "vector_2f": [
            IndexQuery(text=q.text, vector=q.vector, filters=TWO_FILTERS, mode=SearchMode.VECTOR)
            for q in plain
        ],
        "browse": [IndexQuery(offset=(i % 5) * 10) for i in range(count)],
        "browse_2f": [IndexQuery(filters=TWO_FILTERS, offset=(i % 5) * 10) for i in range(count)],
        # A new filter value each time: nothing cached (filter mask, newest jobs, facets).
        "browse_cold": [
            IndexQuery(
                filters=msgspec.structs.replace(TWO_FILTERS, posted_after=NOW - timedelta(days=30, seconds=i))
            )
            for i in range(count)
        ],
    }


async def ann_quality(index: SqliteSearchIndex, corpus: Corpus, count: int) -> dict[str, float]:
    """Recall@10 of the HNSW path against the exact path, and timings of both."""
    snapshot = index._snapshot
    approximate_policy = snapshot.policy
    exact_policy = replace(approximate_policy, ann_threshold=10**12)
    out: dict[str, float] = {}
    for label, filters in (("nofilter", SearchFilters()), ("2f", TWO_FILTERS)):
        for mode in (SearchMode.VECTOR, SearchMode.HYBRID):
            recalls = []
            exact_ms = []
            for q in corpus.queries(count, filters):
                query = IndexQuery(text=q.text, vector=q.vector, filters=filters, mode=mode)
                snapshot.policy = approximate_policy
                approx = [hit.job_id for hit in snapshot.search(query).hits]
                snapshot.policy = exact_policy
                t0 = time.perf_counter()
                exact = [hit.job_id for hit in snapshot.search(query).hits]
                exact_ms.append((time.perf_counter() - t0) * 1000)
                # Nothing similar enough under the filters: both paths must agree on that.
                recalls.append(len(set(approx) & set(exact)) / len(exact) if exact else float(not approx))
            snapshot.policy = approximate_policy
            out[f"recall10_{mode.value}_{label}"] = statistics.fmean(recalls)
            out[f"exact_p50_ms_{mode.value}_{label}"] = percentile(exact_ms, 50)
    return out


async def run(size: int, args: argparse.Namespace, corpus: Corpus) -> dict[str, object]:
    options = {"ann_threshold": args.ann_threshold}
    if args.ef_search:
        options["ann_ef_search"] = args.ef_search
    if args.index_dir:
        directory = Path(args.index_dir) / f"n{size}"
        directory.mkdir(parents=True, exist_ok=True)
    else:
        directory = Path(tempfile.mkdtemp(prefix=f"jobforge-bench-{size}-", dir=args.dir))
    try:
        t0 = time.perf_counter()
        index = SqliteSearchIndex(directory, **options)
        result: dict[str, object] = {"size": size, "open_s": time.perf_counter() - t0}
        existing = await index.count()
        if existing == size:
            print(f"reusing the {size:,} docs in {directory}", file=sys.stderr, flush=True)
            result.update({"build_s": float("nan"), "generate_s": float("nan"), "wall_s": float("nan")})
        else:
            if existing:
                raise SystemExit(f"{directory} holds {existing:,} docs, not {size:,}: remove it first")
            print(f"building {size:,} docs in {directory}", file=sys.stderr, flush=True)
            result.update(await build(index, corpus, size, args.batch))
        result["rss_mib"], result["peak_rss_mib"] = rss_mib()
        result["disk_mib"] = disk_mib(directory)
        result["ann"] = size > args.ann_threshold
        for name, queries in query_sets(corpus, args.queries).items():
            print(f"  measuring {name}", file=sys.stderr, flush=True)
            result[name] = await measure(index, queries)
        if size > args.ann_threshold:
            print("  measuring recall", file=sys.stderr, flush=True)
            result.update(await ann_quality(index, corpus, args.recall_queries))
        t0 = time.perf_counter()
        await index.close()
        result["close_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        reopened = SqliteSearchIndex(directory, **options)
        result["reopen_s"] = time.perf_counter() - t0
        await reopened.close()
        return result
    finally:
        if not args.keep and not args.index_dir:
            shutil.rmtree(directory, ignore_errors=True)


def print_table(results: list[dict[str, object]]) -> None:
    shapes = ["hybrid_2f", "hybrid", "keyword_2f", "vector_2f", "browse", "browse_2f", "browse_cold"]
    for result in results:
        print(
            f"\n{result['size']:,} docs  build {result['build_s']:.1f}s "
            f"({result['size'] / result['build_s']:.0f} docs/s; generating {result['generate_s']:.1f}s)  "
            f"open {result['open_s']:.1f}s  "
            f"RSS {result['rss_mib']:.0f} MiB (peak {result['peak_rss_mib']:.0f})  disk {result['disk_mib']:.0f} MiB  "
            f"close {result['close_s']:.1f}s  reopen {result['reopen_s']:.1f}s  ANN={result['ann']}"
        )
        print(f"  {'query':<11} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'avg total':>10}")
        for shape in shapes:
            m = result[shape]
            assert isinstance(m, dict)
            print(
                f"  {shape:<11} {m['p50_ms']:8.2f} {m['p95_ms']:8.2f} {m['p99_ms']:8.2f} "
                f"{m['mean_ms']:8.2f} {m['mean_total']:10.0f}"
            )
        for key, value in result.items():
            if key.startswith(("recall10", "exact_p50")):
                print(f"  {key:<32} {value:.3f}")
        targets = []
        hybrid = result["hybrid_2f"]
        assert isinstance(hybrid, dict)
        if result["size"] == 100_000:
            targets.append(f"p50 {hybrid['p50_ms']:.1f}/8 ms ({hybrid['p50_ms'] / 8:.2f}x of target)")
            targets.append(f"p99 {hybrid['p99_ms']:.1f}/25 ms ({hybrid['p99_ms'] / 25:.2f}x of target)")
        if result["size"] == 1_000_000:
            targets.append(f"p50 {hybrid['p50_ms']:.1f}/20 ms ({hybrid['p50_ms'] / 20:.2f}x of target)")
        if targets:
            print("  targets (hybrid_2f): " + "; ".join(targets))


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=300, help="timed queries per shape")
    parser.add_argument("--recall-queries", type=int, default=200)
    parser.add_argument("--batch", type=int, default=2000, help="documents per upsert")
    parser.add_argument("--ann-threshold", type=int, default=200_000)
    parser.add_argument("--ef-search", type=int, help="HNSW search breadth (default: the library's)")
    parser.add_argument("--dir", default=os.environ.get("TMPDIR"), help="where to build the indexes")
    parser.add_argument("--keep", action="store_true", help="keep the index directories")
    parser.add_argument(
        "--index-dir",
        help="build each index in DIR/n<size> and keep it; an existing one is reused (no build)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    corpus = Corpus()
    results = [await run(size, args, corpus) for size in args.sizes]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print_table(results)


if __name__ == "__main__":
    asyncio.run(main())
