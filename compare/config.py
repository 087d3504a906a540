"""One typed object holds every setting of a comparison; every export echoes it so a result can be reproduced."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from policydiff.corpora.errors import ConfigError
from policydiff.corpora.normalise import DEFAULT_STEPS

# Bumped whenever segmentation or tokenisation changes what a cached analysis would contain.
ANALYSER_VERSION = "3"


@dataclass(frozen=True)
class AlignConfig:
    # Weight of the jieba-word TF-IDF cosine against the character n-gram cosine (the rest).
    word_weight: float = 0.5
    char_ngram_min: int = 2
    char_ngram_max: int = 3
    # Two clauses are counterparts when their pair score passes this (the alignment's main threshold).
    match_threshold: float = 0.2
    # The pair score: weights of heading similarity, directional coverage and topic agreement (keyword
    # rules), normalised by their sum. Coverage mixes the larger of the two directions (this share) with
    # the smaller one.
    heading_weight: float = 0.35
    coverage_weight: float = 0.55
    topic_weight: float = 0.1
    coverage_balance: float = 0.75
    # A reference clause known only by its heading (a digest) joins the ordered chain only at this score.
    heading_only_threshold: float = 0.3
    # Cost of a 1-2 or 2-1 bead over two 1-1 beads: a split or merge needs its second part to pass
    # match_threshold + bead_penalty.
    bead_penalty: float = 0.05
    # A single clause on each side between two aligned neighbours pairs at this lower score (order prior).
    order_threshold: float = 0.12
    # Out-of-order pairs (flagged moved) must be each other's best match and reach moved_threshold; split or
    # merge parts that are not adjacent need attach_threshold and attach_source of their text found in
    # the group they join.
    moved_threshold: float = 0.2
    attach_threshold: float = 0.15
    attach_source: float = 0.2
    attach_heading: float = 0.3
    # No split when the reference clause is already covered this much by the clause it is paired with: a
    # revision's new article next to an unchanged one is added, not half of a split.
    split_covered: float = 0.9
    # A merge needs a target sentence held at least this much by the free reference clause (its best home).
    attach_sentence: float = 0.5
    # "retained" needs both directional coverages at or above this; below, a match is "adapted".
    retained_coverage: float = 0.8
    # A sentence pair counts as the same sentence at this similarity.
    sentence_threshold: float = 0.3
    # Evidence lists name at most this many terms each, and only words a reader recognises: rule-set words
    # (user dictionary, places, programmes) or jieba dictionary words at least this frequent (承东启 has 2).
    top_terms: int = 5
    evidence_word_frequency: int = 3
    normalise: tuple[str, ...] = DEFAULT_STEPS
    analyser_version: str = ANALYSER_VERSION

    def __post_init__(self) -> None:
        for name in (
            "word_weight",
            "match_threshold",
            "heading_weight",
            "coverage_weight",
            "coverage_balance",
            "topic_weight",
            "bead_penalty",
            "heading_only_threshold",
            "order_threshold",
            "moved_threshold",
            "attach_threshold",
            "attach_source",
            "attach_heading",
            "split_covered",
            "attach_sentence",
            "retained_coverage",
            "sentence_threshold",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} must be between 0 and 1, got {value}")
        if not 1 <= self.char_ngram_min <= self.char_ngram_max <= 6:
            raise ConfigError("character n-gram range must satisfy 1 <= min <= max <= 6")
        if self.heading_weight + self.coverage_weight + self.topic_weight <= 0:
            raise ConfigError("the pair score weights must not all be 0")

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["normalise"] = list(self.normalise)
        return data

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.as_dict(), sort_keys=True).encode()).hexdigest()[:16]

    def with_overrides(self, **changes: Any) -> AlignConfig:
        known = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ConfigError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return dataclasses.replace(self, **changes)
