"""Peak memory (whole process, max RSS) of comparing two long documents, with the Hunan pair as baseline.

Each compare runs as its own process (`policydiff compare A B --no-cache --format json`); the peak resident
set size is read from `resource.getrusage(RUSAGE_CHILDREN)` after it ends. Goals: 750 × 750 clauses under
800 MB, 2,500 × 2,500 clauses completing under 2 GB (before blocked scoring: 4.0 GB and ~40 GB).

    python3 benchmarks/bench_memory.py [--sizes 750,2500]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_corpus import write_corpus

GOALS_MB = {750: 800, 2500: 2048}


def peak(cmd: list[str]) -> tuple[float, float]:
    """(peak RSS in MB, seconds) of one child process."""
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter();"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.perf_counter() - t)"
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "POLICYDIFF_CACHE_DIR": cache}
        out = subprocess.run([sys.executable, "-c", code, *cmd], check=True, capture_output=True, text=True, env=env)
    kb, seconds = out.stdout.split()
    return int(kb) / 1024, float(seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="750,2500")
    args = parser.parse_args()
    exe = [sys.executable, "-m", "policydiff.cli.app", "compare"]
    base_mb, base_s = peak([*exe, "hunan-2021", "central-2021", "--no-cache", "--format", "json"])
    print(f"baseline hunan-2021 × central-2021: peak {base_mb:.0f} MB, {base_s:.1f} s")
    ok = True
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            write_corpus(Path(tmp), 2, seed=7, n_clauses=n)
            start = time.perf_counter()
            mb, seconds = peak(
                [*exe, "synthetic-7-00000", "synthetic-7-00001", "--corpus", tmp, "--no-cache", "--format", "json"]
            )
        goal = GOALS_MB.get(n)
        good = goal is None or mb <= goal
        ok &= good
        print(
            f"{n} × {n} clauses: peak {mb:.0f} MB ({mb / base_mb:.1f}× baseline), {seconds:.1f} s"
            + (f"; goal ≤ {goal} MB  {'ok' if good else 'MISSED'}" if goal else "")
        )
        del start
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
