"""Choosing a sentence's primary instrument from hand-coded examples.

A codebook's keywords say which instruments a sentence may carry; which of them a hand coder takes as the
primary one depends on reading the whole sentence, and ordering rules written by hand generalised poorly to
documents they were not written on (tests/gold/coding/README.md). A codebook that names `examples` (hand-coded
sentences) gets a linear classifier trained on them: among the codes the keywords give, the one it scores
highest becomes the primary; a sentence that no keyword reaches gets the classifier's own choice, which may be
no measure. The classifier is small (TF-IDF of the sentence's character 1–3-grams and of its first clause's
character 1–2-grams, in a linear support-vector machine) and deterministic. It reads characters, not jieba
words: words added nothing measurable (tests/gold/coding/README.md) and a second jieba dictionary would cost
every process about a second and 100 MB.

It is trained without scikit-learn up to 1,200 examples (`compare/svm.py`: the optimum of scikit-learn's
LinearSVC, in about half a second for the default codebook's 922); the trained weights are plain arrays, kept in
the user cache by the commands that use it, so that a later process — a study's worker above all — loads them
instead of training.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from policydiff.compare import svm
from policydiff.compare.cache import Cache, engine_fingerprint, key
from policydiff.corpora.normalise import normalise
from policydiff.rules.codebook import Codebook, Examples

# How strongly the classifier is held back from fitting its examples (LinearSVC's C, `svm.fit`'s c). Chosen by
# leaving one document out of the hand-coded sentences (tests/gold/coding/README.md, "Examples choose"); 0.1 to
# 1.0 were within a few hundredths of each other there.
REGULARISATION = 0.5
SENTENCE_NGRAMS = (1, 3)
# Hand coders take the first measure a sentence states, so its first clause gets features of its own.
CLAUSE_NGRAMS = (1, 2)
_CLAUSE_END = re.compile("[，；：]")
_SPACES = re.compile(r"\s\s+")
_FORMAT = "chooser/2"  # the layout of a kept Chooser and its trainer; a new one gives a new cache key


def first_clause(text: str) -> str:
    return _CLAUSE_END.split(text, maxsplit=1)[0]


def char_ngrams(text: str, low: int, high: int) -> list[str]:
    """The character n-grams scikit-learn's `TfidfVectorizer(analyzer="char")` takes: lower-cased, runs of
    white space made one space, every n from low to high."""
    text = _SPACES.sub(" ", text.lower())
    grams = list(text) if low == 1 else []
    for n in range(max(low, 2), min(high, len(text)) + 1):
        grams.extend(text[i : i + n] for i in range(len(text) - n + 1))
    return grams


@dataclass(frozen=True)
class CharSpace:
    """A TF-IDF space of character n-grams, as scikit-learn's `TfidfVectorizer(analyzer="char",
    sublinear_tf=True)` fits it: sorted vocabulary, 1 + ln(count), smoothed idf, rows of unit length."""

    ngrams: tuple[int, int]
    vocabulary: dict[str, int]
    idf: Any  # numpy float64 array, one value per vocabulary entry

    @classmethod
    def fit_transform(cls, texts: Sequence[str], ngrams: tuple[int, int]) -> tuple[CharSpace, Any]:
        """The space fitted on `texts` and their rows in it, each text's n-grams counted once."""
        import numpy as np

        grams = [char_ngrams(t, *ngrams) for t in texts]
        vocabulary = {g: i for i, g in enumerate(sorted(set().union(*grams)))}
        counts = _counted([[vocabulary[g] for g in row] for row in grams], len(vocabulary))
        df = np.bincount(counts[1], minlength=len(vocabulary)).astype(np.float64)
        idf = np.log((len(texts) + 1.0) / (df + 1.0)) + 1.0
        space = cls(ngrams, vocabulary, idf)
        return space, space._rows(len(texts), *counts)

    def transform(self, texts: Sequence[str]) -> Any:
        find = self.vocabulary.get
        columns = [[c for c in map(find, char_ngrams(t, *self.ngrams)) if c is not None] for t in texts]
        return self._rows(len(texts), *_counted(columns, len(self.vocabulary)))

    def _rows(self, texts: int, lines: Any, columns: Any, counts: Any) -> Any:
        """The TF-IDF matrix of `texts` texts from their (line, column, count) triples in line and column order."""
        import numpy as np
        from scipy.sparse import csr_matrix

        data = np.log(counts.astype(np.float64)) + 1.0
        data *= self.idf[columns]
        norms = np.sqrt(np.bincount(lines, weights=data * data, minlength=texts))
        data /= norms[lines]  # a row with a term has a norm above 0; an empty row has no data to divide
        indptr = np.concatenate([[0], np.cumsum(np.bincount(lines, minlength=texts))])
        return csr_matrix((data, columns, indptr), shape=(texts, len(self.vocabulary)))


def _counted(columns: Sequence[Sequence[int]], width: int) -> tuple[Any, Any, Any]:
    """How often each column occurs in each line, as (line, column, count) arrays in line and column order: one
    sort of all the occurrences instead of a count and a sort per text."""
    import numpy as np

    stride = max(width, 1)  # one key per (line, column), in line and column order
    lines = np.repeat(np.arange(len(columns), dtype=np.int64), [len(c) for c in columns])
    flat = np.fromiter((c for row in columns for c in row), dtype=np.int64, count=len(lines))
    keys, counts = np.unique(lines * stride + flat, return_counts=True)
    return keys // stride, keys % stride, counts


@dataclass(frozen=True)
class Chooser:
    """A classifier trained on one codebook's examples; `scores` rates every label for each sentence."""

    labels: tuple[str, ...]  # "supply/funding", …, "none"
    sentence: CharSpace
    clause: CharSpace
    weights: Any  # numpy array, features × labels
    intercepts: Any  # numpy array, one per label

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        if not texts:
            return []
        margins = _features(self.sentence, self.clause, texts) @ self.weights + self.intercepts
        return [dict(zip(self.labels, map(float, row), strict=True)) for row in margins]


def _features(sentence: CharSpace, clause: CharSpace, texts: Sequence[str]) -> Any:
    from scipy.sparse import hstack

    return hstack([sentence.transform(texts), clause.transform([first_clause(t) for t in texts])]).tocsr()


def fitted_features(examples: Examples) -> tuple[CharSpace, CharSpace, Any]:
    """The sentence and first-clause spaces fitted on the examples, and the examples' rows in them (as
    `_features` makes rows for other sentences)."""
    from scipy.sparse import hstack

    texts = [normalise(e.text) for e in examples.items]
    sentence, whole = CharSpace.fit_transform(texts, SENTENCE_NGRAMS)
    clause, first = CharSpace.fit_transform([first_clause(t) for t in texts], CLAUSE_NGRAMS)
    return sentence, clause, hstack([whole, first]).tocsr()


def train(examples: Examples) -> Chooser:
    sentence, clause, features = fitted_features(examples)
    labels, weights, intercepts = svm.fit(features, [e.label for e in examples.items], REGULARISATION)
    return Chooser(labels, sentence, clause, weights, intercepts)


def _kept(value: Any) -> bool:
    return isinstance(value, Chooser) and value.weights.shape == (
        len(value.sentence.vocabulary) + len(value.clause.vocabulary),
        len(value.labels),
    )


_choosers: dict[str, Chooser] = {}


def chooser(codebook: Codebook, cache: Cache | None = None) -> Chooser | None:
    """The codebook's trained classifier, or None without examples: one per examples file in a process. With an
    enabled `cache`, it is looked for there before it is trained and kept there after, so that the next process
    does not train it again; without one, the user cache is not touched (`--no-cache`)."""
    if codebook.examples is None:
        return None
    examples = codebook.examples
    found = _choosers.get(examples.sha256)
    if found is None:
        k = key(_FORMAT, examples.sha256, str(REGULARISATION), engine_fingerprint())
        if cache is None or not cache.enabled:
            found = train(examples)
        else:
            # A study's workers start together: one trains while the others wait for what it keeps.
            with _only_one(cache, k):
                found = cache.get_pickle("examples", k, _kept)
                if found is None:
                    found = train(examples)
                    cache.put_pickle("examples", k, found)
        _choosers[examples.sha256] = found
    return found


@contextlib.contextmanager
def _only_one(cache: Cache, k: str) -> Iterator[None]:
    """An exclusive lock on a file beside the cache entry, where the platform has one (POSIX); without it,
    or when the lock file cannot be made, each process may train for itself."""
    folder = cache.folder("examples")
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        fcntl = None  # type: ignore[assignment]
    if folder is None or fcntl is None:
        yield
        return
    try:
        fd = os.open(folder / f"{k}.lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock
