"""Whole-process timing of `policydiff study` against one cold `policydiff compare`, measured in the same run.

Makes a seeded synthetic corpus of Hunan-size targets (benchmarks/synthetic_corpus.py), then times, each as a
fresh process with a cold cache (a new POLICYDIFF_CACHE_DIR every run):

- baseline: one cold `policydiff compare TARGET central-2021 --no-cache --format json`;
- `policydiff study central-2021 --workers 2` over 64 targets (goal: within 6× the baseline);
- the same over 256 targets (goal: ≤ 30 s); then 1 worker and 2 in turn, `--runs` times each (goal: 2 workers
  ≥ 1.7× faster, medians);
- over 2,000 targets when asked (`--sizes 2000`; goal: ≤ 4 min).

    python3 benchmarks/bench_study.py [--runs 3] [--sizes 64,256] [--skip-efficiency]
    python3 benchmarks/bench_study.py --sizes 2000 --skip-efficiency --runs 1

Medians over the runs; exits 1 when a goal is missed. Beside each wall time, the CPU seconds its processes
used (all of them: the study, its workers): when other jobs share the machine the wall time grows, the CPU
time much less. The machine's load matters: say what else was running.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_corpus import write_corpus

GOAL_RATIO_64 = 6.0
GOAL_SECONDS_256 = 30.0
GOAL_EFFICIENCY = 1.7
GOAL_SECONDS_2000 = 240.0
CPU_SECONDS: list[float] = []  # CPU time of each timed run, in order


def adopt_orphans() -> None:
    """Become the parent of this process's orphaned descendants (Linux), so that their CPU time is counted: a
    study's workers are forked by a fork server that outlives the study's process by a moment."""
    import ctypes

    pr_set_child_subreaper = 36
    try:
        ctypes.CDLL(None).prctl(pr_set_child_subreaper, 1, 0, 0, 0)
    except (OSError, AttributeError):
        print("note: the CPU seconds below leave out the workers (no subreaper on this system)")


def reap() -> None:
    """Wait for every descendant left over (adopted orphans), which adds their CPU time to RUSAGE_CHILDREN."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def timed(cmd: list[str]) -> float:
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "POLICYDIFF_CACHE_DIR": cache}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        wall = time.perf_counter() - start
        reap()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        CPU_SECONDS.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        return wall


def median_of(cmd: list[str], runs: int) -> tuple[float, list[float]]:
    times = [timed(cmd) for _ in range(runs)]
    return statistics.median(times), times


def cpu_note(runs: int) -> str:
    """The CPU seconds of the last `runs` timed runs."""
    return "CPU " + ", ".join(f"{c:.1f}" for c in CPU_SECONDS[-runs:]) + " s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="64,256")
    parser.add_argument("--skip-efficiency", action="store_true")
    args = parser.parse_args()
    exe = [sys.executable, "-m", "policydiff.cli.app"]
    adopt_orphans()
    sizes = [int(s) for s in args.sizes.split(",")]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        corpora = {}
        for n in sizes:
            corpora[n] = Path(tmp) / f"corpus-{n}"
            write_corpus(corpora[n], n, seed=1)
        first = corpora[sizes[0]]
        base, base_t = median_of(
            [*exe, "compare", "synthetic-1-00000", "central-2021", "--corpus", str(first), "--no-cache",
             "--format", "json"],
            args.runs,
        )  # fmt: skip
        print(f"one cold compare: median {base:.2f} s ({', '.join(f'{t:.2f}' for t in base_t)}; {cpu_note(args.runs)})")

        def study(n: int, workers: int, runs: int = args.runs) -> tuple[float, list[float]]:
            out = Path(tmp) / f"out-{n}-{workers}"
            return median_of(
                [*exe, "study", "central-2021", "--corpus", str(corpora[n]), "--all", "--out", str(out),
                 "--workers", str(workers), "--fresh"],
                runs,
            )  # fmt: skip

        results: dict[tuple[int, int], float] = {}
        for n in sizes:
            results[(n, 2)], times = study(n, 2)
            ratio = results[(n, 2)] / base
            print(
                f"study of {n} targets (+ the bundled ones), 2 workers: median {results[(n, 2)]:.2f} s "
                f"({', '.join(f'{t:.2f}' for t in times)}; {cpu_note(args.runs)}); {ratio:.1f}× one compare, "
                f"{results[(n, 2)] / n * 1000:.0f} ms per target"
            )
            if n == 64:
                good = ratio <= GOAL_RATIO_64
                ok &= good
                print(f"  goal: within {GOAL_RATIO_64:g}× one cold compare  {'ok' if good else 'MISSED'}")
            for size, goal in ((256, GOAL_SECONDS_256), (2000, GOAL_SECONDS_2000)):
                if n == size:
                    good = results[(n, 2)] <= goal
                    ok &= good
                    print(f"  goal: ≤ {goal:g} s  {'ok' if good else 'MISSED'}")
        if not args.skip_efficiency:
            # One worker and two in turn, so that the machine's drift (its speed changes by a tenth within
            # minutes on a shared host) weighs on both alike rather than on whichever ran second.
            n = sizes[-1]
            one: list[float] = []
            two: list[float] = []
            cpu: dict[int, list[float]] = {1: [], 2: []}
            for _ in range(args.runs):
                for workers, times in ((1, one), (2, two)):
                    times.append(study(n, workers, runs=1)[0])
                    cpu[workers].append(CPU_SECONDS[-1])
            eff = statistics.median(one) / statistics.median(two)
            good = eff >= GOAL_EFFICIENCY
            ok &= good
            print(
                f"study of {n} targets, 1 and 2 workers in turn: 1 worker median {statistics.median(one):.2f} s "
                f"({', '.join(f'{t:.2f}' for t in one)}; CPU {', '.join(f'{c:.1f}' for c in cpu[1])} s), "
                f"2 workers {statistics.median(two):.2f} s ({', '.join(f'{t:.2f}' for t in two)}; CPU "
                f"{', '.join(f'{c:.1f}' for c in cpu[2])} s); 2 workers are {eff:.2f}× faster "
                f"(goal ≥ {GOAL_EFFICIENCY})  {'ok' if good else 'MISSED'}"
            )
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
