"""The hand-written baseline policydiff's speed is measured against (run as its own process).

What a researcher would write in an afternoon: strip tags with a regex, split clauses at （一）-style
labels, jieba.lcut, scikit-learn's TfidfVectorizer, best match per clause, JSON out.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import jieba
from sklearn.feature_extraction.text import TfidfVectorizer

CLAUSE_RE = re.compile(r"（[一二三四五六七八九十]+）")


def clauses(path: Path) -> list[str]:
    text = re.sub(r"<[^>]+>", "\n", path.read_text(encoding="utf-8"))
    parts = CLAUSE_RE.split(text)
    return [p.strip() for p in parts[1:] if p.strip()]


def main() -> None:
    target, reference = (Path(p) for p in sys.argv[1:3])
    t, r = clauses(target), clauses(reference)
    vec = TfidfVectorizer(tokenizer=jieba.lcut, token_pattern=None)
    matrix = vec.fit_transform(t + r)
    sims = (matrix[: len(t)] @ matrix[len(t) :].T).toarray()
    pairs = [{"target": i, "reference": int(row.argmax()), "score": float(row.max())} for i, row in enumerate(sims)]
    json.dump(pairs, sys.stdout)


if __name__ == "__main__":
    main()
