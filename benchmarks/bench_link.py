"""Precision and recall of `policydiff link` on a synthetic corpus with known links, and its time.

The corpus (benchmarks/synthetic_corpus.py `write_link_corpus`): central documents made of disjoint slices of
the seed, provinces implementing them, cities implementing the provinces; a third state their link, the rest
must be found by retrieval. Baseline in the same run: plain cosine retrieval without the level and date
filter (every other document is a candidate). Goal: precision and recall ≥ 0.95.

    python3 benchmarks/bench_link.py [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic_corpus import write_link_corpus

GOAL = 0.95


def score(found: dict[str, str], truth: dict[str, str]) -> tuple[float, float]:
    right = sum(1 for doc, target in found.items() if truth.get(doc) == target)
    return right / max(len(found), 1), right / max(len(truth), 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from policydiff.compare.link import link_documents
    from policydiff.corpora import Catalogue

    with tempfile.TemporaryDirectory() as tmp:
        truth = write_link_corpus(Path(tmp), seed=args.seed)
        catalogue = Catalogue([Path(tmp)], include_bundled=False)
        docs = [catalogue.load(i) for i in catalogue.ids]
    start = time.perf_counter()
    links = link_documents(docs)
    seconds = time.perf_counter() - start
    found: dict[str, str] = {}
    for link in links:  # sorted strongest first within each document
        found.setdefault(link.document, link.implements)
    precision, recall = score(found, truth)

    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer="char", ngram_range=(2, 2)).fit_transform([d.analysis_text for d in docs])
    sims = (matrix @ matrix.T).toarray()
    base: dict[str, str] = {}
    for i, doc in enumerate(docs):
        if doc.info.level == "central":
            continue
        sims[i, i] = -1
        base[doc.info.id] = docs[int(sims[i].argmax())].info.id
    b_precision, b_recall = score(base, truth)
    print(f"{len(docs)} documents, {len(truth)} known links; link took {seconds:.2f} s")
    print(f"baseline (plain cosine, no level/date filter): precision {b_precision:.3f}, recall {b_recall:.3f}")
    ok = precision >= GOAL and recall >= GOAL
    print(
        f"policydiff link: precision {precision:.3f}, recall {recall:.3f} (goal ≥ {GOAL})  {'ok' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
