"""Choosing a sentence's primary instrument from hand-coded examples.

A codebook's keywords say which instruments a sentence may carry; which of them a hand coder takes as the
primary one depends on reading the whole sentence, and ordering rules written by hand generalised poorly to
documents they were not written on (tests/gold/coding/README.md). A codebook that names `examples` (hand-coded
sentences) gets a linear classifier trained on them: among the codes the keywords give, the one it scores
highest becomes the primary; a sentence that no keyword reaches gets the classifier's own choice, which may be
no measure. The classifier is small (TF-IDF of the sentence's character 1–3-grams and of its first clause's
character 1–2-grams, in a linear support-vector machine), trained once per process in a fraction of a second and
deterministic. It reads characters, not jieba words: words added nothing measurable (tests/gold/coding/README.md)
and a second jieba dictionary would cost every process about a second and 100 MB.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from policydiff.corpora.normalise import normalise
from policydiff.rules.codebook import Codebook, Examples

# How strongly the classifier is held back from fitting its examples (LinearSVC's C). Chosen by leaving one
# document out of the hand-coded sentences (tests/gold/coding/README.md, "Examples choose"); 0.1 to 1.0 were
# within a few hundredths of each other there.
REGULARISATION = 0.5
# Hand coders take the first measure a sentence states, so its first clause gets features of its own.
_CLAUSE_END = re.compile("[，；：]")


def first_clause(text: str) -> str:
    return _CLAUSE_END.split(text, maxsplit=1)[0]


@dataclass(frozen=True)
class Chooser:
    """A classifier trained on one codebook's examples; `scores` rates every label for each sentence."""

    examples: Examples
    labels: tuple[str, ...]  # "supply/funding", …, "none"
    _chars: Any
    _opening: Any
    _model: Any

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        if not texts:
            return []
        x = _features(self._chars.transform, self._opening.transform, texts)
        margins = self._model.decision_function(x)
        if margins.ndim == 1:  # two labels: one margin, positive for the second
            return [{self.labels[0]: -float(m), self.labels[1]: float(m)} for m in margins]
        return [dict(zip(self.labels, map(float, row), strict=True)) for row in margins]


def _features(chars: Any, opening: Any, texts: Sequence[str]) -> Any:
    from scipy.sparse import hstack

    return hstack([chars(texts), opening([first_clause(t) for t in texts])]).tocsr()


def train(examples: Examples) -> Chooser:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    texts = [normalise(e.text) for e in examples.items]
    chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    opening = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True)
    x = _features(chars.fit_transform, opening.fit_transform, texts)
    model = LinearSVC(C=REGULARISATION, class_weight="balanced", random_state=0)
    model.fit(x, [e.label for e in examples.items])
    return Chooser(examples, tuple(str(c) for c in model.classes_), chars, opening, model)


_choosers: dict[str, Chooser] = {}


def chooser(codebook: Codebook) -> Chooser | None:
    """The codebook's trained classifier (one per examples file and process), or None without examples."""
    if codebook.examples is None:
        return None
    found = _choosers.get(codebook.examples.sha256)
    if found is None:
        found = _choosers[codebook.examples.sha256] = train(codebook.examples)
    return found
