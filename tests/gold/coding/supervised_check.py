"""A measured alternative to keyword rules, not adopted: a classifier learned from the hand-coded sentences.

Every hand-coded sentence (the four tuning files and held-out sample 4, coder C) is one example; each
document, or each seed sample file, is left out in turn, a scikit-learn logistic regression over TF-IDF of
jieba words and character 1–3-grams is trained on the rest, and the left-out part is predicted. Printed: Cohen's
kappa on types per part, pooled, for the seed's parts and for the synthetic documents, for the codebook alone,
the classifier alone, and the codebook with the classifier deciding only where the codebook gives no code.
The codebook's own figures on the seed and on the earlier synthetic documents are fit (it was tuned on them);
only sample 4's documents are unseen by both. See tests/gold/coding/README.md ("A learned classifier").

    .venv/bin/python tests/gold/coding/supervised_check.py
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score

from policydiff.compare.api import load
from policydiff.compare.coding import NONE, DocumentCoding, code_document, default_codebook
from policydiff.compare.tokenize import WordTokenizer

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parents[1] / "fixtures" / "coding"
FILES = {
    "tuning": HERE / "seed-sample.csv",
    "held-out 1": HERE / "seed-held-out-1.csv",
    "held-out 2": HERE / "seed-held-out-2.csv",
    "held-out 3": HERE / "held-out-3-coder-a.csv",
    "held-out 4": HERE / "held-out" / "held-out-4-coder-c.csv",
}
SAMPLE_4 = {
    "synthetic-sme-promotion-measures",
    "synthetic-rural-living-environment-notice",
    "synthetic-city-innovation-opinion",
    "synthetic-county-tourism-consumption-plan",
}


def examples() -> list[dict[str, str]]:
    book = default_codebook()
    codings: dict[str, DocumentCoding] = {}
    rows = []
    for sample, path in FILES.items():
        for r in csv.DictReader(path.open(encoding="utf-8")):
            doc = r["document"]
            if doc not in codings:
                fixture = FIXTURES / f"{doc}.md"
                codings[doc] = code_document(load(str(fixture) if fixture.exists() else doc), book)
            unit = next(u for u in codings[doc].units if u.path == r["path"])
            hand = f"{r['type']}/{r['subtype']}" if r["type"] != NONE else NONE
            rule = f"{unit.primary.type}/{unit.primary.subtype}" if unit.primary else NONE
            part = f"seed, {sample}" if doc == "hunan-2021" else doc
            rows.append({"text": unit.text, "hand": hand, "rule": rule, "part": part})
    return rows


def learned(rows: list[dict[str, str]]) -> dict[int, str]:
    """Each part predicted by a model trained on all the other parts."""
    cut = WordTokenizer((), frozenset()).words
    out: dict[int, str] = {}
    for part in sorted({r["part"] for r in rows}):
        train = [r for r in rows if r["part"] != part]
        test = [(i, r) for i, r in enumerate(rows) if r["part"] == part]
        chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        words = TfidfVectorizer(tokenizer=cut, token_pattern=None, lowercase=False, sublinear_tf=True)
        texts = [r["text"] for r in train]
        x = hstack([chars.fit_transform(texts), words.fit_transform(texts)]).tocsr()
        model = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(x, [r["hand"] for r in train])
        new = [r["text"] for _, r in test]
        guess = model.predict(hstack([chars.transform(new), words.transform(new)]).tocsr())
        out.update({i: g for (i, _), g in zip(test, guess, strict=True)})
    return out


def kappa(rows: list[dict[str, str]], pick: Callable[[int], str], keep: Callable[[str], bool]) -> float:
    chosen = [i for i, r in enumerate(rows) if keep(r["part"])]
    hand = [rows[i]["hand"].split("/")[0] for i in chosen]
    return float(cohen_kappa_score(hand, [pick(i).split("/")[0] for i in chosen]))


def main() -> None:
    rows = examples()
    model = learned(rows)
    ways: dict[str, Callable[[int], str]] = {
        "codebook": lambda i: rows[i]["rule"],
        "classifier": lambda i: model[i],
        "codebook, classifier where no code": lambda i: model[i] if rows[i]["rule"] == NONE else rows[i]["rule"],
    }
    parts = sorted({r["part"] for r in rows})
    groups: dict[str, Callable[[str], bool]] = {p: (lambda q, p=p: q == p) for p in parts}
    groups["seed (all)"] = lambda q: q.startswith("seed")
    groups["synthetic (all)"] = lambda q: q.startswith("synthetic")
    unseen = {r["part"] for r in rows if r["part"].startswith("synthetic") and r["part"] in SAMPLE_4}
    groups["sample 4's documents (unseen by the codebook)"] = lambda q: q in unseen
    groups["everything"] = lambda q: True
    print(f"{len(rows)} hand-coded sentences; Cohen's kappa on types, each part predicted with it left out")
    for name, pick in ways.items():
        print(f"\n{name}")
        for group, keep in groups.items():
            print(f"  {group:52} {kappa(rows, pick, keep):.3f}")


if __name__ == "__main__":
    main()
