"""Agreement between two people who hand-coded the same sample: the inter-coder reliability a methods section
reports beside the tool's agreement with each coder.

Rows of the two files are paired by document and sentence text (whitespace ignored), or by document and path
when a row has no text; a row with no partner is listed, not guessed. Figures are on the primary code, `none`
counted as a category, as `reliability` computes them for the tool.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from policydiff.compare.reliability import Figures, HandCode, agreement_figures, squash

CODER_AGREEMENT_SCHEMA = "policydiff/coder-agreement@1"


@dataclass(frozen=True)
class CoderDisagreement:
    document: str
    path: str
    text: str
    first: str
    second: str


@dataclass(frozen=True)
class CoderAgreement:
    first: str  # the samples' names (their file paths)
    second: str
    paired: int
    unpaired: tuple[HandCode, ...]  # rows of either file with no partner in the other
    by_type: Figures  # confusion rows: the first coder, columns: the second
    by_subtype: Figures
    disagreements: tuple[CoderDisagreement, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "second": self.second,
            "paired": self.paired,
            "unpaired": [h.where() for h in self.unpaired],
            "by_type": self.by_type.to_dict(),
            "by_subtype": self.by_subtype.to_dict(),
            "disagreements": [vars(d) for d in self.disagreements],
        }


def _key(h: HandCode) -> tuple[str, str, str]:
    return (h.document, "text", squash(h.text)) if h.text else (h.document, "path", h.path)


def coder_agreement(
    first: Sequence[HandCode], second: Sequence[HandCode], first_name: str = "", second_name: str = ""
) -> CoderAgreement:
    """How far two hand codings of the same sentences agree, by type and by subtype."""
    theirs: dict[tuple[str, str, str], HandCode] = {}
    by_path = {(h.document, h.path): h for h in second if h.path}
    for h in second:
        theirs.setdefault(_key(h), h)
    used: set[int] = set()
    pairs: list[tuple[HandCode, HandCode]] = []
    lonely: list[HandCode] = []
    for h in first:
        partner = theirs.get(_key(h))
        if partner is None and h.path:
            # By path only when one of the two rows has no text: two different texts are two sentences.
            candidate = by_path.get((h.document, h.path))
            partner = candidate if candidate is not None and not (h.text and candidate.text) else None
        if partner is None or id(partner) in used:
            lonely.append(h)
            continue
        used.add(id(partner))
        pairs.append((h, partner))
    lonely.extend(h for h in second if id(h) not in used)
    disagreements = tuple(
        CoderDisagreement(a.document, a.path or b.path, a.text or b.text, a.code, b.code)
        for a, b in pairs
        if a.code != b.code
    )
    return CoderAgreement(
        first_name,
        second_name,
        len(pairs),
        tuple(lonely),
        agreement_figures([a.type for a, _ in pairs], [b.type for _, b in pairs]),
        agreement_figures([a.code for a, _ in pairs], [b.code for _, b in pairs]),
        disagreements,
    )
