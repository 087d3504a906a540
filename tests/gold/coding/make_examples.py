"""Write the default codebook's examples (rules/data/codebooks/rothwell-zegveld-examples.csv) from the hand-coded
samples: the seed's tuning sample and held-out samples 1–3 (coder A), held-out samples 4 to 6 (coders C, E and G),
each added once it had been scored. Each sentence once, in file order; the texts are the Hunan seed's
and our own synthetic documents' sentences. Rerun after a hand-coded sample is added:

    .venv/bin/python tests/gold/coding/make_examples.py
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[2] / "rules" / "data" / "codebooks" / "rothwell-zegveld-examples.csv"
SAMPLES = (
    "seed-sample.csv",
    "seed-held-out-1.csv",
    "seed-held-out-2.csv",
    "held-out-3-coder-a.csv",
    "held-out/held-out-4-coder-c.csv",
    "held-out/held-out-5-coder-e.csv",
    "held-out/held-out-6-coder-g.csv",
)
COLUMNS = ("document", "path", "text", "type", "subtype")


def main() -> None:
    seen: set[tuple[str, str]] = set()
    rows = []
    for name in SAMPLES:
        for row in csv.DictReader((HERE / name).open(encoding="utf-8")):
            key = (row["document"], row["path"])
            if key not in seen:
                seen.add(key)
                rows.append({c: row[c] for c in COLUMNS})
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{OUT}: {len(rows)} hand-coded sentences")


if __name__ == "__main__":
    main()
