"""Which documents each document implements: first what its text says, then retrieval.

1. Its data card's `implements` (read from the text by `corpus add`, or written by hand): confidence 1.
2. Its title or opening naming another document: 贯彻落实《X》, 实施《X》, 根据《X》, where X is the title of a
   document in the corpora (compared without spaces and punctuation): confidence 0.95.
3. Retrieval: TF-IDF vectors of whole documents (character bigrams of the analysis text: no jieba needed),
   cosine with every candidate of a higher level dated no later than the document (undated documents are
   not excluded by date), computed as chunked sparse products. The best candidate is linked when its cosine
   reaches `RETRIEVAL_MIN`; the confidence grows with the cosine and with its margin over the runner-up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from policydiff.corpora.model import LEVELS, Document
from policydiff.corpora.wrapper import issued_documents

# A cosine below this between a document and its best higher-level candidate is no evidence of a link.
RETRIEVAL_MIN = 0.3
TEXT_CONFIDENCE = 0.95
CHUNK = 512  # documents per block of the sparse product
_NAMED_RE = re.compile(r"(?:贯彻落实|贯彻|落实|实施|根据|按照)\s*《([^》]{4,80})》")
_PLAIN_RE = re.compile(r"[\s\u3000·•、，,。《》“”\"'（）()]+")


@dataclass(frozen=True)
class Link:
    document: str  # the implementing document's id
    implements: str  # the implemented document's id
    confidence: float  # 0..1
    method: str  # "metadata", "text", "retrieval"
    reason: str  # in words, for a researcher checking the link

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "implements": self.implements,
            "confidence": round(self.confidence, 4),
            "method": self.method,
            "reason": self.reason,
        }


def _plain(title: str) -> str:
    return _PLAIN_RE.sub("", title)


def _rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS and level != "other" else len(LEVELS)


def _earlier_or_same(candidate: str, date: str) -> bool:
    if not candidate or not date:
        return True
    n = min(len(candidate), len(date))
    return candidate[:n] <= date[:n]


def text_links(doc: Document, by_title: dict[str, str], ids: set[str]) -> list[Link]:
    """Links the document's own data card and text state."""
    links: list[Link] = []
    for named in doc.info.implements:
        target = named if named in ids else by_title.get(_plain(named), "")
        if target and target != doc.info.id:
            links.append(Link(doc.info.id, target, 1.0, "metadata", f"its data card says it implements {named}"))
    opening = doc.info.title + "\n" + doc.analysis_text[:600]
    for match in _NAMED_RE.finditer(opening):
        target = by_title.get(_plain(match.group(1)), "")
        if target and target != doc.info.id and all(link.implements != target for link in links):
            links.append(Link(doc.info.id, target, TEXT_CONFIDENCE, "text", f"its text names 《{match.group(1)}》"))
    return links


def _vectors(docs: Sequence[Document]) -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from policydiff.compare.tokenize import char_text

    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(2, 4), sublinear_tf=True)
    return vectoriser.fit_transform([char_text(d.analysis_text) for d in docs])


def retrieval_links(docs: Sequence[Document], skip: set[str] = frozenset()) -> list[Link]:  # type: ignore[assignment]
    """For each document not in `skip`: its most similar candidate of a higher level and no later date."""
    import numpy as np
    from scipy import sparse

    if len(docs) < 2:
        return []
    matrix = _vectors(docs)  # rows L2-normalised: a product is a cosine
    # Containment: the share of a document's TF-IDF weight whose bigrams occur in the candidate. Cosine alone
    # favours a short candidate over the longer parent that holds the whole document.
    present = matrix.copy()
    present.data[:] = 1.0
    mass = np.asarray(matrix.sum(axis=1)).ravel()
    mass[mass == 0] = 1.0
    ranks = np.array([_rank(d.info.level) for d in docs])
    links: list[Link] = []
    for lo in range(0, len(docs), CHUNK):
        rows = matrix[lo : lo + CHUNK]
        cos = (rows @ matrix.T).tocsr()  # sparse rows: documents sharing no bigram stay 0
        held = sparse.diags(1.0 / mass[lo : lo + CHUNK]) @ (rows @ present.T).tocsr()
        block = (0.5 * cos + 0.5 * held).tocsr()
        for k in range(block.shape[0]):
            i = lo + k
            doc = docs[i]
            if doc.info.id in skip or ranks[i] >= len(LEVELS) or ranks[i] == 0:
                continue
            row = block.getrow(k)
            candidates = [
                (float(score), docs[j].info.id)
                for j, score in zip(row.indices, row.data, strict=True)
                if ranks[j] < ranks[i] and _earlier_or_same(docs[j].info.date, doc.info.date)
            ]
            if not candidates:
                continue
            candidates.sort(key=lambda c: (-c[0], c[1]))
            best, target = candidates[0]
            runner_up = candidates[1][0] if len(candidates) > 1 else 0.0
            if best < RETRIEVAL_MIN:
                continue
            # Confidence: the cosine, raised by a clear margin over the next candidate.
            confidence = min(1.0, best * (0.5 + min(1.0, (best - runner_up) / max(best, 1e-9))))
            reason = f"most similar higher-level document (similarity {best:.2f}; next {runner_up:.2f})"
            links.append(Link(doc.info.id, target, confidence, "retrieval", reason))
    return links


def link_documents(docs: Sequence[Document]) -> list[Link]:
    """Every document's links: from its text when it states them, else from retrieval; sorted by document."""
    ids = {d.info.id for d in docs}
    by_title = {_plain(t): d.info.id for d in docs for t in issued_documents(d)}
    by_title.update({_plain(d.info.title): d.info.id for d in docs if d.info.title})  # a title of its own first
    links: list[Link] = []
    stated: set[str] = set()
    for doc in docs:
        found = text_links(doc, by_title, ids)
        if found:
            stated.add(doc.info.id)
        links += found
    links += retrieval_links(docs, skip=stated)
    return sorted(links, key=lambda link: (link.document, -link.confidence, link.implements))


@dataclass(frozen=True)
class LinkResult:
    """Every document's links to the documents it implements, strongest first (`policydiff.link`)."""

    links: tuple[Link, ...]
    unreadable: tuple[tuple[str, str], ...] = ()  # (id, why) of documents that could not be read
    saved: tuple[str, ...] = ()  # ids whose catalogue entries `save` changed

    def rows(self) -> list[dict[str, Any]]:
        """One dict per link: document, implements, confidence, method, reason."""
        return [link.as_dict() for link in self.links]

    def to_pandas(self) -> Any:
        """The links as a DataFrame, one row per link (pandas imported here only)."""
        import pandas as pd

        return pd.DataFrame(self.rows(), columns=["document", "implements", "confidence", "method", "reason"])


def link_corpus(corpus_dirs: Sequence[Any] = ()) -> LinkResult:
    """Links for every document in the corpora (bundled included) that can be read."""
    from policydiff.corpora.catalogue import Catalogue, load_entry
    from policydiff.corpora.errors import PolicydiffError

    catalogue = Catalogue.default(corpus_dirs)
    docs: list[Document] = []
    unreadable: list[tuple[str, str]] = []
    for entry in catalogue.entries:
        try:
            docs.append(load_entry(entry))
        except (PolicydiffError, OSError, ValueError) as exc:
            unreadable.append((entry.id, " ".join(str(exc).split())))
    return LinkResult(tuple(link_documents(docs)), tuple(unreadable))


def best_links(links: Sequence[Link]) -> dict[str, tuple[str, ...]]:
    """What `--save` writes: for each document, the documents its strongest kind of evidence names."""
    out: dict[str, list[str]] = {}
    method: dict[str, str] = {}
    for link in links:
        first = method.setdefault(link.document, link.method)
        if link.method == first or (first != "retrieval" and link.method != "retrieval"):
            out.setdefault(link.document, []).append(link.implements)
    return {doc: tuple(dict.fromkeys(targets)) for doc, targets in sorted(out.items())}
