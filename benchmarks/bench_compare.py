"""Whole-process timing: a warm `policydiff compare hunan-2021 central-2021 --format json` against the baseline.

Both run as fresh processes, alternated, several times; the script reports medians and their ratio and
exits 1 when policydiff takes more than half the baseline's time (the goal in issue 2).

    python3 benchmarks/bench_compare.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_RATIO = 0.5


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from policydiff.corpora.catalogue import BUNDLED_DIR

    exe = shutil.which("policydiff")
    ours = [exe] if exe else [sys.executable, "-m", "policydiff.cli.app"]
    ours += ["compare", "hunan-2021", "central-2021", "--format", "json"]
    baseline = [
        sys.executable,
        str(Path(__file__).with_name("baseline.py")),
        str(BUNDLED_DIR / "hunan-2021-sina.md"),
        str(BUNDLED_DIR / "central-2021.digest.txt"),
    ]
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "POLICYDIFF_CACHE_DIR": cache}
        timed(ours, env)  # warm the cache: the goal is about a warm run
        timed(baseline, env)  # and the OS file cache for the baseline
        ours_t: list[float] = []
        base_t: list[float] = []
        cold_t: list[float] = []
        for _ in range(args.runs):
            base_t.append(timed(baseline, env))
            ours_t.append(timed(ours, env))
            cold_t.append(timed([*ours, "--no-cache"], env))
    ours_m, base_m = statistics.median(ours_t), statistics.median(base_t)
    ratio = ours_m / base_m
    print(f"baseline  median {base_m:.3f} s over {args.runs} runs ({', '.join(f'{t:.2f}' for t in base_t)})")
    print(f"policydiff median {ours_m:.3f} s over {args.runs} runs ({', '.join(f'{t:.2f}' for t in ours_t)})")
    print(f"policydiff --no-cache (cold, for information) median {statistics.median(cold_t):.3f} s")
    print(f"ratio {ratio:.2f} (goal <= {GOAL_RATIO})  {'ok' if ratio <= GOAL_RATIO else 'TOO SLOW'}")
    return 0 if ratio <= GOAL_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
