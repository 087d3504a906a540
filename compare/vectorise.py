"""TF-IDF term spaces over jieba words and character bigrams, fitted on the compared units.

Each unit becomes a bag of weighted terms: words inside a political formula weigh `formula_weight`, scope
words are one canonical token, and corpus frequency (inverse unit frequency, fitted on both documents)
does the rest. Two measures are read from the space: cosine (symmetric) and containment — how much of
one text's weight is found in another — which is what directional coverage rests on.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from policydiff.compare.config import AlignConfig
from policydiff.compare.tokenize import char_text, is_content


@dataclass(frozen=True)
class Bag:
    """What a piece of text looks like to the aligner: weighted word and character-bigram terms."""

    words: tuple[tuple[str, float], ...] = ()
    chars: tuple[tuple[str, float], ...] = ()
    size: int = 0  # content characters, the unit's weight in coverage

    @staticmethod
    def join(bags: Sequence[Bag]) -> Bag:
        if len(bags) == 1:  # a bag's terms are already unique, sorted and of positive weight: its own join
            return bags[0]
        return Bag(_merge(b.words for b in bags), _merge(b.chars for b in bags), sum(b.size for b in bags))

    @property
    def word_set(self) -> frozenset[str]:
        return frozenset(w for w, _ in self.words)


def _merge(parts: Any) -> tuple[tuple[str, float], ...]:
    best: dict[str, float] = {}
    for part in parts:
        for term, weight in part:
            if weight > best.get(term, 0.0):
                best[term] = weight
    return tuple(sorted(best.items()))


def make_bag(
    tokens: Sequence[str],
    mapped: Sequence[str],
    weights: Sequence[float],
    stopwords: frozenset[str],
    ngram: tuple[int, int] = (2, 2),
) -> Bag:
    """A bag from a unit's tokens, the tokens as alignment sees them, and each token's weight."""
    words: dict[str, float] = {}
    pieces: list[str] = []  # each content token's characters as mapped
    piece_weights: list[float] = []
    size = 0
    for tok, m, w in zip(tokens, mapped, weights, strict=True):
        if not is_content(tok):
            continue
        size += len(char_text(tok))
        if tok not in stopwords and w > 0:
            words[m] = max(words.get(m, 0.0), w)
        text = char_text(m)
        if text:
            pieces.append(text)
            piece_weights.append(w)
    chars = "".join(pieces)
    grams: dict[str, float] = {}
    lo, hi = ngram
    intern = sys.intern  # the same n-gram recurs in thousands of units of a long document
    if len(set(piece_weights)) <= 1:
        # Every character weighs the same (no formula in the unit, the usual case): each n-gram has that weight.
        w = piece_weights[0] if piece_weights else 0.0
        if w > 0:
            for n in range(lo, hi + 1):
                for i in range(len(chars) - n + 1):
                    grams[intern(chars[i : i + n])] = w
    else:
        # An n-gram weighs what its lightest character weighs; a term keeps its largest weight.
        char_weights = [w for piece, w in zip(pieces, piece_weights, strict=True) for _ in piece]
        for n in range(lo, hi + 1):
            for i in range(len(chars) - n + 1):
                gram = intern(chars[i : i + n])
                weight = min(char_weights[i : i + n])
                if weight > grams.get(gram, 0.0):
                    grams[gram] = weight
    return Bag(tuple(sorted(words.items())), tuple(sorted(grams.items())), size)


def load_engine() -> None:
    """Import numpy and scipy's sparse matrices now rather than in the first pair: a study's workers do it
    while the coordinating process is still reading the targets."""
    import numpy  # noqa: F401
    from scipy import sparse  # noqa: F401


def smoothed_idf(counts: Any) -> Any:
    """Inverse document frequency with smoothing, ln((1 + rows) / (1 + rows holding the term)) + 1, for a CSR
    matrix of term weights: what scikit-learn's `TfidfTransformer(smooth_idf=True)` learns, computed with the
    same operations in the same order, so bit for bit the same. Importing scikit-learn's text module for this
    alone cost each study worker about 0.9 s before its first pair."""
    import numpy as np

    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    df += 1.0
    idf = np.full_like(df, fill_value=counts.shape[0] + 1, dtype=np.float64)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    return idf


class _Part:
    """One TF-IDF space (words or character n-grams): a sorted vocabulary and the smoothed idf of its terms.

    Bags carry per-term weights (a formula's words weigh less), so the raw counts of TfidfVectorizer will
    not do; the weights are multiplied by the idf, with no normalisation, because containment needs the raw
    weights and cosine normalises for itself.
    """

    def fit(self, rows: Sequence[tuple[tuple[str, float], ...]]) -> _Part:
        # The vocabulary in sorted order, as DictVectorizer(sort=True) lays it out, built without its row loop.
        self.index_: dict[str, int] = {t: i for i, t in enumerate(sorted({t for row in rows for t, _ in row}))}
        self.weighted_ = False
        counts = self.transform(rows)
        # A space with no terms at all (a document of headings only, or numbers) has no idf to learn.
        self.weighted_ = bool(counts.shape[1])
        self.idf_ = smoothed_idf(counts) if self.weighted_ else counts.sum(axis=0).A1
        return self

    def transform(self, rows: Sequence[tuple[tuple[str, float], ...]]) -> Any:
        """The same matrix as scikit-learn's DictVectorizer + TfidfTransformer give, built in one pass over the terms.

        Rows keep sorted column indices and each weight is multiplied by its idf once, exactly as
        scikit-learn does, so every score downstream is bit-for-bit the same.
        """
        import numpy as np
        from scipy import sparse

        get = self.index_.get
        cols: list[Any] = [get(t) for row in rows for t, _ in row]
        vals = [w for row in rows for _, w in row]
        lengths = [len(row) for row in rows]
        if None in cols:  # terms the space was not fitted on are left out
            lengths = [sum(get(t) is not None for t, _ in row) for row in rows]
            vals = [w for c, w in zip(cols, vals, strict=True) if c is not None]
            cols = [c for c in cols if c is not None]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        m = sparse.csr_matrix(
            (np.asarray(vals, dtype=np.float64), np.asarray(cols, dtype=np.int32), indptr),
            shape=(len(rows), len(self.index_)),
        )
        # A bag's terms are unique and usually sorted already, and so are their columns; if not, sort them as
        # the row-by-row build did.
        m.sort_indices()
        if self.weighted_:
            m.data *= self.idf_[m.indices]
        return m


class TermSpace:
    """Configured once, fitted on the units of the compared documents, then used to embed any bag.

    Follows scikit-learn's conventions: settings in ``__init__``, learned state with a trailing underscore.
    """

    def __init__(self, config: AlignConfig) -> None:
        self.config = config

    def fit(self, bags: Sequence[Bag]) -> TermSpace:
        self.words_ = _Part().fit([b.words for b in bags])
        self.chars_ = _Part().fit([b.chars for b in bags])
        self.word_index_ = self.words_.index_
        self.word_idf_ = self.words_.idf_
        self.char_idf_ = self.chars_.idf_
        self.word_vocabulary_ = tuple(sorted(self.word_index_, key=self.word_index_.__getitem__))
        return self

    def transform(self, bags: Sequence[Bag]) -> tuple[Any, Any]:
        """Sparse weighted matrices (words, chars), one row per bag; values = term weight × idf."""
        return self.words_.transform([b.words for b in bags]), self.chars_.transform([b.chars for b in bags])

    def idf(self, word: str) -> float:
        i = self.word_index_.get(word)
        return float(self.word_idf_[i]) if i is not None else 0.0


def group_max(m: Any, groups: Any, n_groups: int, keep: Any = None) -> Any:
    """Sparse rows grouped (row i → group `groups[i]`, rows where `keep` is False left out): the element-wise
    maximum of each group, a zero row for an empty group.

    The same as joining the groups' bags and embedding the join: a joined bag keeps each term's largest
    weight, and multiplying by a positive idf keeps the order.
    """
    import numpy as np
    from scipy import sparse

    coo = m.tocoo()
    rows = np.asarray(groups, dtype=np.int64)[coo.row]
    cols, data = coo.col.astype(np.int64), coo.data
    if keep is not None:
        mask = np.asarray(keep, dtype=bool)[coo.row]
        rows, cols, data = rows[mask], cols[mask], data[mask]
    if not len(data):
        return sparse.csr_matrix((n_groups, m.shape[1]))
    flat = rows * m.shape[1] + cols
    order = np.lexsort((data, flat))
    flat, data = flat[order], data[order]
    last = np.r_[flat[1:] != flat[:-1], True]  # the largest value of each cell sorts last
    flat, data = flat[last], data[last]
    return sparse.csr_matrix((data, (flat // m.shape[1], flat % m.shape[1])), shape=(n_groups, m.shape[1]))


def containment(
    a: tuple[Any, Any], b: tuple[Any, Any], word_weight: float, space: TermSpace, discount: bool = True
) -> Any:
    """Rows of a × rows of b: the share of a's weight whose terms occur in b (0..1, asymmetric).

    The share is of a's *full* weight (idf without the formula factor), so a sentence made only of
    political formulae is held by another at most `formula_weight`, however alike the two are. With
    `discount=False` formulae count fully (how much of the text reappears, for coverage and verdicts).
    """
    import numpy as np
    from scipy import sparse

    out: Any = 0.0
    for part, share, idf in ((0, word_weight, space.word_idf_), (1, 1.0 - word_weight, space.char_idf_)):
        x, y = a[part], b[part]
        present = y.copy()
        present.data = np.ones_like(present.data)
        x_present = x.copy()
        x_present.data = np.ones_like(x_present.data)
        full = x_present @ sparse.diags(idf)
        num = ((x if discount else full) @ present.T).toarray()
        den = np.asarray(full.sum(axis=1)).ravel()
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(den[:, None] > 0, num / np.where(den[:, None] > 0, den[:, None], 1.0), 0.0)
        out = out + share * frac
    return np.asarray(out)


def cosine(a: tuple[Any, Any], b: tuple[Any, Any], word_weight: float) -> Any:
    """Rows of a × rows of b: combined cosine similarity (word and character parts weighted)."""
    import numpy as np

    out: Any = 0.0
    for part, share in ((0, word_weight), (1, 1.0 - word_weight)):
        x, y = _l2(a[part]), _l2(b[part])
        out = out + share * (x @ y.T).toarray()
    return np.asarray(out)


def _l2(m: Any) -> Any:
    import numpy as np
    from scipy import sparse

    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ m
