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

scikit-learn trains it (about 0.3 s, plus a second to import scikit-learn); the trained weights are plain arrays,
kept in the user cache by the commands that use it, so that a later process — a study's worker above all —
codes with numpy alone.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from policydiff.compare.cache import Cache, key
from policydiff.corpora.normalise import normalise
from policydiff.rules.codebook import Codebook, Examples

# How strongly the classifier is held back from fitting its examples (LinearSVC's C). Chosen by leaving one
# document out of the hand-coded sentences (tests/gold/coding/README.md, "Examples choose"); 0.1 to 1.0 were
# within a few hundredths of each other there.
REGULARISATION = 0.5
SENTENCE_NGRAMS = (1, 3)
# Hand coders take the first measure a sentence states, so its first clause gets features of its own.
CLAUSE_NGRAMS = (1, 2)
_CLAUSE_END = re.compile("[，；：]")
_SPACES = re.compile(r"\s\s+")
_FORMAT = "chooser/1"  # the layout of a kept Chooser; a new layout gives a new cache key


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
    def fit(cls, texts: Sequence[str], ngrams: tuple[int, int]) -> CharSpace:
        import numpy as np

        grams = [set(char_ngrams(t, *ngrams)) for t in texts]
        vocabulary = {g: i for i, g in enumerate(sorted(set().union(*grams)))}
        df = np.zeros(len(vocabulary))
        for row in grams:
            df[[vocabulary[g] for g in row]] += 1.0
        idf = np.log((len(texts) + 1.0) / (df + 1.0)) + 1.0
        return cls(ngrams, vocabulary, idf)

    def transform(self, texts: Sequence[str]) -> Any:
        import numpy as np
        from scipy.sparse import csr_matrix

        indptr: list[int] = [0]
        indices: list[int] = []
        values: list[int] = []
        for text in texts:
            counts: dict[int, int] = {}
            for g in char_ngrams(text, *self.ngrams):
                column = self.vocabulary.get(g)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            columns = sorted(counts)
            indices.extend(columns)
            values.extend(counts[c] for c in columns)
            indptr.append(len(indices))
        data = np.log(np.asarray(values, dtype=np.float64)) + 1.0
        idx = np.asarray(indices, dtype=np.int64)
        data *= self.idf[idx]
        rows = np.repeat(np.arange(len(texts)), np.diff(indptr))
        norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=len(texts)))
        data /= norms[rows]  # a row with a term has a norm above 0; an empty row has no data to divide
        return csr_matrix((data, idx, np.asarray(indptr)), shape=(len(texts), len(self.vocabulary)))


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


def train(examples: Examples) -> Chooser:
    import numpy as np
    from sklearn.svm import LinearSVC

    texts = [normalise(e.text) for e in examples.items]
    sentence = CharSpace.fit(texts, SENTENCE_NGRAMS)
    clause = CharSpace.fit([first_clause(t) for t in texts], CLAUSE_NGRAMS)
    model = LinearSVC(C=REGULARISATION, class_weight="balanced", random_state=0)
    model.fit(_features(sentence, clause, texts), [e.label for e in examples.items])
    weights, intercepts = np.asarray(model.coef_).T.copy(), np.asarray(model.intercept_).copy()
    if len(model.classes_) == 2:  # one margin, positive for the second label: written as two
        weights, intercepts = np.hstack([-weights, weights]), np.concatenate([-intercepts, intercepts])
    return Chooser(tuple(str(c) for c in model.classes_), sentence, clause, weights, intercepts)


def _trainer_version() -> str:
    try:
        return version("scikit-learn")
    except PackageNotFoundError:  # pragma: no cover - scikit-learn is a dependency
        return "?"


def _kept(value: Any) -> bool:
    return isinstance(value, Chooser) and value.weights.shape == (
        len(value.sentence.vocabulary) + len(value.clause.vocabulary),
        len(value.labels),
    )


_choosers: dict[str, Chooser] = {}


def chooser(codebook: Codebook, cache: Cache | None = None) -> Chooser | None:
    """The codebook's trained classifier, or None without examples: one per examples file in a process. With an
    enabled `cache`, it is looked for there before it is trained and kept there after, so that the next process
    codes without scikit-learn; without one, the user cache is not touched (`--no-cache`)."""
    if codebook.examples is None:
        return None
    examples = codebook.examples
    found = _choosers.get(examples.sha256)
    if found is None:
        k = key(_FORMAT, examples.sha256, str(REGULARISATION), _trainer_version())
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
