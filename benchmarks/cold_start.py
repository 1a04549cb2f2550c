"""Cold start of ``jobforge serve``: process start to a ready ``/ready``, and the model load.

Three figures, each the median of ``--runs`` fresh server processes:

* **ready without model load**: ``[http] preload_embedder = false``, so
  ``/ready`` answers once the app is up and every adapter answered
  (repository, search index, cache, store, flags); the model would load on
  the first search;
* **ready with the model**: the default (``preload_embedder = true``):
  ``/ready`` answers 503 until the embedding model is loaded;
* **model load**: as the server logged it (``embedder ready``, seconds).

The data directory is the 100k-postings corpus of ``http_search.py`` when it
exists (``benchmarks/.cache/http-100000``), else 300 sample postings
(``--data-dir sample`` forces those).

Usage::

    .venv/bin/python benchmarks/cold_start.py [--runs 3] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _http_load import free_port, start_jobforge, stop, wait_ready

CACHE = Path(__file__).resolve().parent / ".cache"


def sample_data_dir(work: Path) -> Path:
    data = work / "sample"
    subprocess.run(
        [sys.executable, "-m", "jobforge.hosts.cli", "demo", "--data-dir", str(data)],
        check=True,
        capture_output=True,
        env={"JOBFORGE_EMBEDDER": "hashing", **_env()},
    )
    return data


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("JOBFORGE")}


def one_start(data_dir: Path, work: Path, *, preload: bool) -> tuple[float, float | None]:
    """Seconds from process start to a 200 from /ready, and the logged model load seconds."""
    config = work / f"cold-{preload}.toml"
    config.write_text(
        f'data_dir = "{data_dir}"\n[http]\npreload_embedder = {str(preload).lower()}\n', encoding="utf-8"
    )
    log = work / f"cold-{preload}.log"
    port = free_port()
    started = time.perf_counter()
    process = start_jobforge(port, config, log)
    try:
        wait_ready(f"http://127.0.0.1:{port}/ready", process, timeout=600, interval=0.01)
        elapsed = time.perf_counter() - started
    finally:
        stop(process)
    load = None
    for line in log.read_text(encoding="utf-8").splitlines():
        if line.startswith("{") and '"embedder ready"' in line:
            load = json.loads(line).get("seconds")
    return elapsed, load


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jobforge-cold-") as tmp:
        work = Path(tmp)
        data_dir = args.data_dir or (CACHE / "http-100000")
        if str(data_dir) == "sample" or not (data_dir / "search").exists():
            data_dir = sample_data_dir(work)
        size = (data_dir / "BENCH_SIZE").read_text() if (data_dir / "BENCH_SIZE").exists() else "sample"
        without = [one_start(data_dir, work, preload=False)[0] for _ in range(args.runs)]
        with_model = [one_start(data_dir, work, preload=True) for _ in range(args.runs)]
    loads = [load for _, load in with_model if load is not None]
    print(f"data: {data_dir} ({size} postings), {args.runs} runs each, medians")
    print(
        f"serve -> ready /ready, without model load: {statistics.median(without):6.2f} s   "
        f"(runs: {', '.join(f'{t:.2f}' for t in without)})  target < 5 s"
    )
    print(f"serve -> ready /ready, model loaded:       {statistics.median(t for t, _ in with_model):6.2f} s")
    if loads:
        print(f"model load (logged by the server):         {statistics.median(loads):6.2f} s")


if __name__ == "__main__":
    main()
