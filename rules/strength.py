"""Policy strength (政策力度): a document's score on the strength table, from its type and issuing level."""

from __future__ import annotations

from dataclasses import dataclass

from policydiff.corpora.model import DocumentInfo
from policydiff.rules.codebook import StrengthTable, load_strength_table


@dataclass(frozen=True)
class Strength:
    score: int | None  # None: no row of the table applies (never a guess)
    label: str  # the row that gave the score, e.g. "地方规范性文件"
    doc_type: str  # the type it was read from
    source: str  # the table's citation

    def describe(self) -> dict[str, object]:
        return {"score": self.score, "label": self.label, "doc_type": self.doc_type, "source": self.source}


def document_type(info: DocumentInfo, table: StrengthTable) -> str:
    """The catalogue's type, else the longest type of the table the title ends with (…的实施意见 → 实施意见)."""
    if info.doc_type:
        return info.doc_type
    title = info.title.strip().rstrip("》）)")
    known = sorted({t for rule in table.rules for t in rule.doc_types}, key=lambda t: (-len(t), t))
    return next((t for t in known if title.endswith(t)), "")


def policy_strength(info: DocumentInfo, table: StrengthTable | None = None) -> Strength:
    table = table or load_strength_table()
    doc_type = document_type(info, table)
    for rule in table.rules:
        if doc_type in rule.doc_types and (not rule.levels or info.level in rule.levels):
            return Strength(rule.score, rule.label, doc_type, table.source)
    return Strength(None, "unscored", doc_type, table.source)
