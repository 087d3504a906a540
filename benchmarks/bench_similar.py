"""Time and peak memory (whole process) of `policydiff similar` over a synthetic corpus.

Goal: 2,000 documents (~50,000 provisions) in ≤ 3 min on 2 cores with a peak ≤ 2 GB. Baseline in the same
run: `policydiff corpus list` over the same corpus (reading the catalogue and starting Python), so the ratio
says what the search itself costs.

    python3 benchmarks/bench_similar.py [--docs 2000] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_memory import peak
from synthetic_corpus import write_corpus

GOAL_SECONDS = 180.0
GOAL_MB = 2048.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    exe = [sys.executable, "-m", "policydiff.cli.app"]
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp) / "c", args.docs, seed=3)
        corpus = str(Path(tmp) / "c")
        base_mb, base_s = peak([*exe, "corpus", "list", "--corpus", corpus])
        out = Path(tmp) / "similar.parquet"
        mb, seconds = peak(
            [*exe, "similar", "--corpus", corpus, "--out", str(out), "--top", "5", "--min", "0.5",
             "--workers", str(args.workers)]
        )  # fmt: skip
        import pyarrow.parquet as pq

        rows = pq.read_metadata(out).num_rows
    print(f"baseline corpus list: {base_s:.1f} s, peak {base_mb:.0f} MB")
    ok = seconds <= GOAL_SECONDS and mb <= GOAL_MB
    print(
        f"similar over {args.docs} documents: {seconds:.1f} s ({seconds / base_s:.1f}× baseline), peak {mb:.0f} MB "
        f"(the largest single process), {rows} rows  "
        + ("ok" if ok else f"goal ≤ {GOAL_SECONDS:g} s and ≤ {GOAL_MB:g} MB MISSED")
    )
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
