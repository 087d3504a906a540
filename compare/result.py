"""The result model every renderer reads: a `Report` of `Comparison`s, each a list of `Verdict`s with `Evidence`.

Renderers never recompute: counts, coverage notes and quotes are all here. `to_dict` gives the JSON contract
(`policydiff/comparison@1`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from policydiff.compare.vocabulary import legend_dict
from policydiff.corpora.model import DocumentInfo

SCHEMA = "policydiff/comparison@1"
Label = Literal["retained", "adapted", "added", "missing", "unjudged"]
# The four verdicts that are counted. `unjudged` (a reference clause of which nothing was seen, so nothing can
# be said about it) is a status of its own, reported beside the four and never inside them.
LABELS: tuple[str, ...] = ("retained", "adapted", "added", "missing")
STATUSES: tuple[str, ...] = (*LABELS, "unjudged")


@dataclass(frozen=True)
class ClauseRef:
    path: str
    heading: str
    coverage: str = "full"  # of the clause in its document ("heading-only" for a digest clause known by name)


@dataclass(frozen=True)
class Scores:
    combined: float = 0.0  # the score the verdict rests on
    word: float = 0.0  # TF-IDF cosine over jieba words
    char: float = 0.0  # TF-IDF cosine over character n-grams
    heading: float = 0.0  # heading-to-heading similarity
    target_coverage: float = 0.0  # share of the reference clause's content the target clause covers
    reference_coverage: float = 0.0  # share of the target clause's content that comes from the reference


@dataclass(frozen=True)
class Opcode:
    tag: Literal["equal", "replace", "delete", "insert"]
    target_start: int
    target_end: int
    reference_start: int
    reference_end: int


@dataclass(frozen=True)
class SentencePair:
    """Two units behind a verdict, with a character-level diff (offsets into the quotes)."""

    target_path: str
    target_unit: int
    target_text: str
    reference_path: str
    reference_unit: int
    reference_text: str
    score: float
    opcodes: tuple[Opcode, ...] = ()


@dataclass(frozen=True)
class TargetChange:
    """A quantitative target compared across the two sides (到2025年 … 达到30%)."""

    indicator: str
    change: Literal["raised", "lowered", "added", "dropped", "same", "changed"]
    target: str = ""
    reference: str = ""


@dataclass(frozen=True)
class Evidence:
    scores: Scores = field(default_factory=Scores)
    matched_by: tuple[str, ...] = ()  # "tfidf", "rule", "order"
    relation: str = ""  # "1-1", "split", "merge", or "" for added/missing
    moved: bool = False
    shared_terms: tuple[str, ...] = ()
    target_only_terms: tuple[str, ...] = ()
    reference_only_terms: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    target_changes: tuple[TargetChange, ...] = ()
    localisations: tuple[str, ...] = ()  # places and programmes the target names and the reference does not
    reference_places: tuple[str, ...] = ()  # places and programmes only the reference names (what was localised)
    directive: str = ""  # "strengthened", "weakened" or ""
    directive_detail: str = ""
    sentence_pairs: tuple[SentencePair, ...] = ()
    # ⚠: the verdict would likely change if the unseen part of the reference were known (a match on a heading
    # alone, a missing clause known only by its heading, an added clause beside reference clauses not seen)
    unseen: bool = False
    notes: tuple[str, ...] = ()
    instrument_changes: tuple[str, ...] = ()  # policy instruments: "supply (funding) → environment (financial)"


@dataclass(frozen=True)
class Verdict:
    """What the target made of one reference clause (or group): a status, both sides, a score and evidence.

    `score` is the share of the reference clause's content found in the target, weighted by sentence length:
    1.00 for identical text, 0 for added, missing and unjudged verdicts.
    """

    label: Label
    target: tuple[ClauseRef, ...]
    reference: tuple[ClauseRef, ...]
    score: float
    evidence: Evidence = field(default_factory=Evidence)

    @property
    def section(self) -> str:
        """The section of the side the verdict is about (target side, or reference side for missing): the
        parent path of its first provision, "二" for 二/（三）, "第二章/第一节" for 第二章/第一节/第十条."""
        refs = self.target or self.reference
        return refs[0].path.rsplit("/", 1)[0] if refs and "/" in refs[0].path else ""


@dataclass(frozen=True)
class DocumentSummary:
    """What a report says about one document: its data card plus how much of it is known."""

    info: DocumentInfo
    clauses: int
    sections: int
    coverage: dict[str, int]
    body_coverage: float
    partial: bool
    flags: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    reference: DocumentSummary
    verdicts: tuple[Verdict, ...]
    notes: tuple[str, ...] = ()

    @property
    def summary(self) -> dict[str, int]:
        """The four counts, then `unjudged` (reference clauses of which nothing was seen), always present."""
        counts = dict.fromkeys(STATUSES, 0)
        for verdict in self.verdicts:
            counts[verdict.label] += 1
        return counts


@dataclass(frozen=True)
class Report:
    config: dict[str, Any]
    target: DocumentSummary
    comparisons: tuple[Comparison, ...]
    rules: dict[str, Any] = field(default_factory=dict)
    version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "policydiff_version": self.version,
            "config": self.config,
            "rules": self.rules,
            "legend": legend_dict(),
            "target": _summary_dict(self.target),
            "comparisons": [
                {
                    "reference": _summary_dict(c.reference),
                    "summary": c.summary,
                    "notes": list(c.notes),
                    "verdicts": [_verdict_dict(v) for v in c.verdicts],
                }
                for c in self.comparisons
            ],
        }


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, 4)
    return value


def _summary_dict(s: DocumentSummary) -> dict[str, Any]:
    info = _plain(s.info)
    info["issuer"] = list(s.info.issuer)
    info["extra"] = dict(s.info.extra)
    info.update(
        {
            "clauses": s.clauses,
            "sections": s.sections,
            "coverage": s.coverage,
            "body_coverage": round(s.body_coverage, 4),
            "partial": s.partial,
            "flags": list(s.flags),
            "warnings": list(s.warnings),
        }
    )
    return info


def _verdict_dict(v: Verdict) -> dict[str, Any]:
    return {
        "label": v.label,
        "target": [{"path": r.path, "heading": r.heading} for r in v.target],
        "reference": [{"path": r.path, "heading": r.heading, "coverage": r.coverage} for r in v.reference],
        "score": round(v.score, 4),
        "evidence": _plain(v.evidence),
    }
