"""Start-up time of ``jobforge --help`` (nothing heavy may be imported).

Usage: python benchmarks/cli_startup.py [--runs 20]
Prints the median and worst wall time, next to a bare ``python -c pass``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def timed(cmd: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    bare = timed([sys.executable, "-c", "pass"], args.runs)
    cli = timed([sys.executable, "-m", "jobforge.hosts.cli", "--help"], args.runs)
    print(f"python -c pass   median {statistics.median(bare) * 1000:.0f} ms  max {max(bare) * 1000:.0f} ms")
    print(f"jobforge --help  median {statistics.median(cli) * 1000:.0f} ms  max {max(cli) * 1000:.0f} ms")
    print(f"ratio            {statistics.median(cli) / statistics.median(bare):.1f}x bare interpreter")


if __name__ == "__main__":
    main()
