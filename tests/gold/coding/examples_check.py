"""How well the codebook's examples choose, measured without the examples of the part being scored.

Every hand-coded sentence of the default codebook's examples belongs to a part: one synthetic document, or one
sample of the Hunan seed. Each part is scored (Cohen's kappa on types, against the hand codes) by the codebook
whose examples leave that part out, through the same code path `policydiff code` uses; printed beside the
keywords alone (no examples). The keywords' own figures on most parts are fit (they were tuned on them); on
held-out sample 4's documents they were not. See tests/gold/coding/README.md ("Examples choose").

    .venv/bin/python tests/gold/coding/examples_check.py
"""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from policydiff.compare.api import load
from policydiff.compare.coding import NONE, code_document, default_codebook
from policydiff.rules.codebook import Codebook, Examples

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parents[1] / "fixtures" / "coding"
SAMPLE_4 = (
    "synthetic-sme-promotion-measures",
    "synthetic-rural-living-environment-notice",
    "synthetic-city-innovation-opinion",
    "synthetic-county-tourism-consumption-plan",
)
SAMPLE_5 = (
    "synthetic-province-green-transition-regulation",
    "synthetic-city-manufacturing-cluster-action-plan",
    "synthetic-province-employment-notice",
    "synthetic-county-elderly-care-opinion",
)
SAMPLE_6 = (
    "synthetic-central-foreign-trade-guiding-opinion",
    "synthetic-province-tech-transfer-measures",
    "synthetic-city-urban-renewal-implementation-plan",
    "synthetic-county-grain-farmland-work-plan",
)
SEED_PARTS = {  # the seed's sample files, by the path sets they coded
    "seed-sample.csv": "seed, tuning",
    "seed-held-out-1.csv": "seed, held-out 1",
    "seed-held-out-2.csv": "seed, held-out 2",
    "held-out-3-coder-a.csv": "seed, held-out 3",
}


def part_of() -> dict[tuple[str, str], str]:
    parts = {}
    for name, part in SEED_PARTS.items():
        for r in csv.DictReader((HERE / name).open(encoding="utf-8")):
            if r["document"] == "hunan-2021":
                parts[("hunan-2021", r["path"])] = part
    return parts


def primary_types(book: Codebook, rows: list[dict[str, str]]) -> list[str]:
    codings = {}
    out = []
    for r in rows:
        doc = r["document"]
        if doc not in codings:
            fixture = FIXTURES / f"{doc}.md"
            codings[doc] = {
                u.path: u for u in code_document(load(str(fixture) if fixture.exists() else doc), book).units
            }
        unit = codings[doc][r["path"]]
        out.append(unit.primary.type if unit.primary else NONE)
    return out


def main() -> None:
    book = default_codebook()
    assert book.examples is not None
    examples = book.examples.items
    rows = list(
        csv.DictReader((HERE.parents[2] / "rules/data/codebooks/rothwell-zegveld-examples.csv").open(encoding="utf-8"))
    )
    seed_parts = part_of()
    parts = [seed_parts.get((r["document"], r["path"]), r["document"]) for r in rows]
    keywords = dataclasses.replace(book, examples=None)
    by_keywords = primary_types(keywords, rows)
    chosen: list[str] = [""] * len(rows)
    for part in sorted(set(parts)):
        kept = tuple(e for e, p in zip(examples, parts, strict=True) if p != part)
        left_out = dataclasses.replace(book, examples=Examples(f"without {part}", f"without {part}", kept))
        mine = [i for i, p in enumerate(parts) if p == part]
        for i, t in zip(mine, primary_types(left_out, [rows[i] for i in mine]), strict=True):
            chosen[i] = t
    hand = [r["type"] for r in rows]

    def kappa(keep: list[int], guess: list[str]) -> float:
        return float(cohen_kappa_score([hand[i] for i in keep], [guess[i] for i in keep]))

    groups = {p: [i for i, q in enumerate(parts) if q == p] for p in sorted(set(parts))}
    groups["seed (all)"] = [i for i, p in enumerate(parts) if p.startswith("seed")]
    groups["synthetic (all)"] = [i for i, p in enumerate(parts) if p.startswith("synthetic")]
    groups["sample 4's documents (unseen by the keywords)"] = [i for i, p in enumerate(parts) if p in SAMPLE_4]
    groups["sample 5's documents (unseen by the keywords)"] = [i for i, p in enumerate(parts) if p in SAMPLE_5]
    groups["sample 6's documents (unseen by the keywords)"] = [i for i, p in enumerate(parts) if p in SAMPLE_6]
    groups["everything"] = list(range(len(rows)))
    print(f"{len(rows)} hand-coded sentences; Cohen's kappa on types, each part without its own examples")
    print(f"  {'part':52} {'keywords':>9} {'examples choose':>16}")
    for name, keep in groups.items():
        print(f"  {name:52} {kappa(keep, by_keywords):9.3f} {kappa(keep, chosen):16.3f}")


if __name__ == "__main__":
    main()
