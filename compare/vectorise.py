"""Term spaces over jieba words and character bigrams, fitted on the units of the documents compared.

Each unit becomes a bag of weighted terms: words inside a political formula weigh `formula_weight`, scope
words are one canonical token, and corpus frequency (inverse unit frequency, fitted on both documents)
does the rest. Two measures are read from the space: cosine (symmetric) and containment — how much of
one text's weight is found in another — which is what directional coverage rests on.
"""

from __future__ import annotations

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
    chars: list[tuple[str, float]] = []
    size = 0
    for tok, m, w in zip(tokens, mapped, weights, strict=True):
        if not is_content(tok):
            continue
        size += len(char_text(tok))
        if tok not in stopwords and w > 0:
            words[m] = max(words.get(m, 0.0), w)
        chars.extend((ch, w) for ch in char_text(m))
    grams: dict[str, float] = {}
    lo, hi = ngram
    for n in range(lo, hi + 1):
        for i in range(len(chars) - n + 1):
            gram = "".join(c for c, _ in chars[i : i + n])
            weight = min(w for _, w in chars[i : i + n])
            if weight > grams.get(gram, 0.0):
                grams[gram] = weight
    return Bag(tuple(sorted(words.items())), tuple(sorted(grams.items())), size)


class TermSpace:
    """Configured once, fitted on the units of the compared documents, then used to embed any bag.

    Follows scikit-learn's conventions: settings in ``__init__``, learned state with a trailing underscore.
    """

    def __init__(self, config: AlignConfig) -> None:
        self.config = config

    def fit(self, bags: Sequence[Bag]) -> TermSpace:
        import numpy as np

        n = len(bags)
        self.word_index_: dict[str, int] = {}
        self.char_index_: dict[str, int] = {}
        word_df: dict[str, int] = {}
        char_df: dict[str, int] = {}
        for b in bags:
            for t, _ in b.words:
                word_df[t] = word_df.get(t, 0) + 1
            for t, _ in b.chars:
                char_df[t] = char_df.get(t, 0) + 1
        for index, df in ((self.word_index_, word_df), (self.char_index_, char_df)):
            for t in sorted(df):
                index[t] = len(index)
        # Smoothed inverse unit frequency, as scikit-learn's TfidfVectorizer computes it.
        self.word_idf_ = np.array([np.log((1 + n) / (1 + word_df[t])) + 1 for t in self.word_index_], dtype=float)
        self.char_idf_ = np.array([np.log((1 + n) / (1 + char_df[t])) + 1 for t in self.char_index_], dtype=float)
        self.word_vocabulary_ = tuple(self.word_index_)
        return self

    def transform(self, bags: Sequence[Bag]) -> tuple[Any, Any]:
        """Sparse weighted matrices (words, chars), one row per bag; values = term weight × idf."""
        return (
            _matrix([b.words for b in bags], self.word_index_, self.word_idf_),
            _matrix([b.chars for b in bags], self.char_index_, self.char_idf_),
        )

    def idf(self, word: str) -> float:
        i = self.word_index_.get(word)
        return float(self.word_idf_[i]) if i is not None else 0.0


def _matrix(rows: Sequence[tuple[tuple[str, float], ...]], index: dict[str, int], idf: Any) -> Any:
    import numpy as np
    from scipy import sparse

    data: list[float] = []
    cols: list[int] = []
    ptr = [0]
    for row in rows:
        for term, weight in row:
            j = index.get(term)
            if j is not None:
                cols.append(j)
                data.append(weight * float(idf[j]))
        ptr.append(len(cols))
    return sparse.csr_matrix(
        (np.array(data, dtype=float), np.array(cols, dtype=np.int64), np.array(ptr, dtype=np.int64)),
        shape=(len(rows), len(index)),
    )


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

    out = 0.0
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

    out = 0.0
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
