"""One typed object holds every setting of a comparison; every export echoes it so a result can be reproduced."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from policydiff.compare.errors import ConfigError
from policydiff.compare.normalise import DEFAULT_STEPS

# Bumped whenever segmentation or tokenisation changes what a cached analysis would contain.
ANALYSER_VERSION = "1"


@dataclass(frozen=True)
class AlignConfig:
    # Weight of the jieba-word TF-IDF cosine against the character n-gram cosine (the rest).
    word_weight: float = 0.5
    char_ngram_min: int = 2
    char_ngram_max: int = 3
    # Two clauses are counterparts when their combined similarity reaches this.
    match_threshold: float = 0.2
    # Other counterparts of one clause must reach this share of its best match (split/merge detection).
    secondary_ratio: float = 0.6
    max_counterparts: int = 3
    # "retained" needs both directional coverages at or above this; below, a match is "adapted".
    retained_coverage: float = 0.8
    # A sentence pair counts as the same sentence at this similarity.
    sentence_threshold: float = 0.3
    top_terms: int = 8
    normalise: tuple[str, ...] = DEFAULT_STEPS
    analyser_version: str = ANALYSER_VERSION

    def __post_init__(self) -> None:
        for name in (
            "word_weight",
            "match_threshold",
            "secondary_ratio",
            "retained_coverage",
            "sentence_threshold",
        ):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} must be between 0 and 1, got {value}")
        if not 1 <= self.char_ngram_min <= self.char_ngram_max <= 6:
            raise ConfigError("character n-gram range must satisfy 1 <= min <= max <= 6")
        if self.max_counterparts < 1:
            raise ConfigError("max_counterparts must be at least 1")

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
