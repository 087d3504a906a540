"""Text reuse across a corpus: every provision's most similar provisions in other documents.

Each provision (clause) becomes a TF-IDF vector of character n-grams of its analysis text, fitted on all
provisions; similarity is the cosine. The all-pairs product is never held: rows are taken in chunks, each
chunk's sparse product with all provisions is reduced at once to its top K per row (same-document pairs and
scores under `min_score` dropped), and the chunks run on the study's pool (in-process, local workers or a
Dask scheduler). The dates of both documents come along, so the earlier one can be read as the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from policydiff.compare.distributed import open_pool
from policydiff.corpora.model import Document

CHUNK_ROWS = 500  # provisions per task: bounds the chunk's sparse product with all provisions
# N-grams found in more than this share of provisions (发展, 建设 …, and in a big corpus any phrase every
# document repeats) say little about reuse and make the products dense: the cost grows with the square of an
# n-gram's frequency. A small corpus keeps n-grams found in up to MIN_DF_CAP provisions.
MAX_DF_SHARE = 0.05
MIN_DF_CAP = 50
NGRAMS = (2, 3)
DECIMALS = 6


@dataclass(frozen=True)
class Provisions:
    """The provisions of a corpus in a fixed order, with what each output row says about them."""

    doc: tuple[int, ...]  # index of each provision's document in `docs`
    path: tuple[str, ...]
    heading: tuple[str, ...]
    text: tuple[str, ...]


def provisions_of(docs: Sequence[Document]) -> Provisions:
    from policydiff.compare.tokenize import char_text

    doc, path, heading, text = [], [], [], []
    for i, d in enumerate(docs):
        for clause in d.clauses:
            body = char_text(d.analysis_text[clause.start : clause.end])
            if body:
                doc.append(i)
                path.append(clause.path)
                heading.append(clause.heading)
                text.append(body)
    return Provisions(tuple(doc), tuple(path), tuple(heading), tuple(text))


def top_k_chunk(task: tuple[Any, Any, Any, int, int, int, float]) -> list[tuple[int, int, float]]:
    """Rows lo..hi of `matrix` against all rows (`columns`: the matrix transposed, as CSR): (row, column, score)
    of each row's top K, other documents only, score ≥ min_score. Runs on a worker."""
    import numpy as np

    matrix, columns, doc_of, lo, hi, k, min_score = task
    block = (matrix[lo:hi] @ columns).tocsr()
    out: list[tuple[int, int, float]] = []
    for r in range(block.shape[0]):
        start, end = block.indptr[r], block.indptr[r + 1]
        cols, vals = block.indices[start:end], block.data[start:end]
        keep = (doc_of[cols] != doc_of[lo + r]) & (vals >= min_score)
        cols, vals = cols[keep], vals[keep]
        if len(vals) > k:
            part = np.argpartition(-vals, k - 1)[:k]
            cols, vals = cols[part], vals[part]
        order = np.lexsort((cols, -np.round(vals, DECIMALS)))  # stable: ties broken by position
        out.extend((lo + r, int(cols[i]), round(float(vals[i]), DECIMALS)) for i in order)
    return out


def similar(
    docs: Sequence[Document],
    top: int = 5,
    min_score: float = 0.5,
    workers: int | None = None,
    scheduler: str | None = None,
) -> Any:
    """A DataFrame: one row per (provision, similar provision in another document), best first."""
    import numpy as np
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer

    from policydiff.corpora.errors import ConfigError

    if top < 1:
        raise ConfigError("--top must be at least 1")
    if not 0.0 <= min_score <= 1.0:
        raise ConfigError("--min must be between 0 and 1")
    docs = sorted(docs, key=lambda d: d.info.id)
    prov = provisions_of(docs)
    columns = [
        "document", "path", "heading", "date", "similar_document", "similar_path", "similar_heading",
        "similar_date", "score", "rank", "earlier",
    ]  # fmt: skip
    if len(prov.text) < 2:
        return pd.DataFrame(columns=columns)
    cap = max(int(MAX_DF_SHARE * len(prov.text)), MIN_DF_CAP)
    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=NGRAMS, sublinear_tf=True, max_df=cap)
    matrix = vectoriser.fit_transform(prov.text)
    # Every provision as a column, laid out once: multiplied by `matrix.T` (CSC), each chunk's product would
    # first convert it to CSR again (about a tenth of the search's work). The products are the same bit for bit.
    by_column = matrix.T.tocsr()
    doc_of = np.asarray(prov.doc)
    n = matrix.shape[0]
    pool = open_pool(workers, scheduler, max(1, n // CHUNK_ROWS))
    try:
        shared = pool.share(matrix), pool.share(by_column), pool.share(doc_of)
        del matrix, by_column  # on a cluster the workers hold them now
        tasks = [
            (f"similar-{lo}", (*shared, lo, min(lo + CHUNK_ROWS, n), top, min_score)) for lo in range(0, n, CHUNK_ROWS)
        ]
        found: list[tuple[int, int, float]] = []
        for finished in pool.run(top_k_chunk, tasks):
            if finished.error:
                raise RuntimeError(f"a chunk of the similarity search failed: {finished.error}")
            found += finished.result
    finally:
        pool.close()
    found.sort(key=lambda t: (t[0], -t[2], t[1]))
    rows = []
    rank = 0
    for idx, (i, j, score) in enumerate(found):
        rank = rank + 1 if idx and found[idx - 1][0] == i else 1
        a, b = docs[prov.doc[i]].info, docs[prov.doc[j]].info
        earlier = "unknown" if not a.date or not b.date else "same" if a.date == b.date else (
            "this" if a.date < b.date else "other")  # fmt: skip
        rows.append(
            (a.id, prov.path[i], prov.heading[i], a.date, b.id, prov.path[j], prov.heading[j], b.date, score, rank,
             earlier)
        )  # fmt: skip
    return pd.DataFrame(rows, columns=columns)
