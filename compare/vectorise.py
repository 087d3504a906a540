"""TF-IDF spaces over jieba words and character n-grams, fitted on the units of the documents compared."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from policydiff.compare.config import AlignConfig
from policydiff.compare.tokenize import char_text


@dataclass(frozen=True)
class Bag:
    """What a piece of text looks like to the vectoriser: its words and its content characters."""

    words: tuple[str, ...]
    chars: str

    @staticmethod
    def join(bags: Sequence[Bag]) -> Bag:
        return Bag(tuple(w for b in bags for w in b.words), "".join(b.chars for b in bags))


def bag(text: str, words: Sequence[str]) -> Bag:
    return Bag(tuple(words), char_text(text))


def _identity(tokens: Any) -> Any:
    return tokens


class ClauseVectorizer:
    """Configured once, fitted on the units of the compared documents, then used to embed any bag.

    Follows scikit-learn's conventions: settings in ``__init__``, learned state with a trailing underscore.
    """

    def __init__(self, config: AlignConfig) -> None:
        self.config = config

    def fit(self, bags: Sequence[Bag]) -> ClauseVectorizer:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.words_ = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, norm="l2")
        self.chars_ = TfidfVectorizer(
            analyzer="char",
            ngram_range=(self.config.char_ngram_min, self.config.char_ngram_max),
            sublinear_tf=True,
            norm="l2",
        )
        # An empty vocabulary (a document of only headings or numbers) still needs a fitted space.
        self.words_.fit([list(b.words) for b in bags] + [["\x00"]])
        self.chars_.fit([b.chars for b in bags] + ["\x00\x00"])
        return self

    def transform(self, bags: Sequence[Bag]) -> tuple[Any, Any]:
        """Sparse l2-normalised matrices (words, chars), one row per bag."""
        return (
            self.words_.transform([list(b.words) for b in bags]),
            self.chars_.transform([b.chars for b in bags]),
        )

    @property
    def word_vocabulary_(self) -> Any:
        return self.words_.get_feature_names_out()


def cosine(a: tuple[Any, Any], b: tuple[Any, Any], word_weight: float) -> Any:
    """Combined cosine similarity matrix (rows of a × rows of b) as a dense array, plus the two parts."""
    word = (a[0] @ b[0].T).toarray()
    char = (a[1] @ b[1].T).toarray()
    return word_weight * word + (1 - word_weight) * char, word, char
