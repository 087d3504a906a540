"""Reliability of the automatic coding against a hand-coded sample: what a methods section reports.

A hand-coded sample is a CSV with columns `document`, `path` and/or `text`, `type`, `subtype` (one primary
code per sentence; type `none` for a sentence with no measure). Rows are aligned with the coded units by
their text (the sentence as in the source; a sentence that was split or joined differently is found by
containment), and by path when the text is not found. Agreement is computed on the primary code.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policydiff.compare.agreement import alpha_two_coders, cohen_kappa, confusion_matrix, percent_agreement
from policydiff.compare.coding import NONE, CodedUnit, CodingReport
from policydiff.corpora.errors import InputError
from policydiff.rules.codebook import Codebook

AGREEMENT_SCHEMA = "policydiff/coding-agreement@1"
_REQUIRED = ("document", "type")


@dataclass(frozen=True)
class HandCode:
    line: int
    document: str
    path: str
    text: str
    type: str
    subtype: str

    @property
    def code(self) -> str:
        """The primary code as agreement counts it: `type/subtype`, or `none`."""
        return f"{self.type}/{self.subtype}" if self.type != NONE else NONE

    def where(self) -> dict[str, Any]:
        """The row as a report names it: its line in the file, document, path and text."""
        return {"line": self.line, "document": self.document, "path": self.path, "text": self.text}


@dataclass(frozen=True)
class Figures:
    units: int
    percent: float
    kappa: float
    alpha: float
    labels: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]  # rows: hand coding, columns: policydiff

    def to_dict(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "percent_agreement": _num(self.percent),
            "cohen_kappa": _num(self.kappa),
            "krippendorff_alpha": _num(self.alpha),
            "labels": list(self.labels),
            "confusion": [list(r) for r in self.confusion],
        }


@dataclass(frozen=True)
class Disagreement:
    document: str
    path: str
    text: str
    hand: str
    policydiff: str


@dataclass(frozen=True)
class Reliability:
    sample: str
    rows: int
    aligned: int
    unaligned: tuple[HandCode, ...]
    by_type: Figures
    by_subtype: Figures
    disagreements: tuple[Disagreement, ...]
    codebook: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": AGREEMENT_SCHEMA,
            "sample": self.sample,
            "codebook": self.codebook,
            "rows": self.rows,
            "aligned": self.aligned,
            "unaligned": [h.where() for h in self.unaligned],
            "by_type": self.by_type.to_dict(),
            "by_subtype": self.by_subtype.to_dict(),
            "disagreements": [vars(d) for d in self.disagreements],
        }


def _num(x: float) -> float | None:
    return None if x != x else round(x, 4)  # NaN → null


def read_hand_coding(path: Path, codebook: Codebook) -> list[HandCode]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text (save the hand coding as UTF-8 CSV)") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in _REQUIRED if c not in header]
    if missing or not ({"text", "path"} & set(header)):
        need = ", ".join(missing) or "text or path"
        raise InputError(
            path, f"line 1: the header needs columns document, text and/or path, type, subtype; missing {need}"
        )
    types = {t.id for t in codebook.types}
    subtypes = {(s.type, s.id) for s in codebook.subtypes}
    out: list[HandCode] = []
    for row in reader:
        line = reader.line_num
        get = {k.strip(): (v or "").strip() for k, v in row.items() if k is not None}
        t, s = get.get("type", "").lower(), get.get("subtype", "").lower()
        if t == NONE or (not t and not s):
            t, s = NONE, ""
        elif t not in types:
            known = ", ".join(sorted(types | {NONE}))
            raise InputError(path, f"line {line}: unknown type {t!r}; the codebook's types: {known}")
        elif s and (t, s) not in subtypes:
            known = ", ".join(sid for tid, sid in sorted(subtypes) if tid == t)
            raise InputError(path, f"line {line}: unknown subtype {s!r} of {t}; its subtypes: {known}")
        if not get.get("document") or not (get.get("text") or get.get("path")):
            raise InputError(path, f"line {line}: a row needs a document and a text or path")
        out.append(HandCode(line, get["document"], get.get("path", ""), get.get("text", ""), t, s))
    if not out:
        raise InputError(path, "no hand-coded rows")
    return out


def squash(text: str) -> str:
    return "".join(text.split())


def _align(hand: HandCode, units: Sequence[CodedUnit]) -> CodedUnit | None:
    if hand.text:
        want = squash(hand.text)
        for u in units:
            if squash(u.text) == want:
                return u
        # Segmentation may have split or joined the sentence differently: the unit holding the most of it.
        best = [u for u in units if want in squash(u.text) or (squash(u.text) and squash(u.text) in want)]
        if best:
            return max(best, key=lambda u: (min(len(squash(u.text)), len(want)), -units.index(u)))
    if hand.path:
        for u in units:
            if u.path == hand.path:
                return u
    return None


def agreement_figures(hand: Sequence[str], auto: Sequence[str]) -> Figures:
    """Agreement of two codings of the same units (rows of the confusion matrix: the first)."""
    labels, grid = confusion_matrix(hand, auto, sorted(set(hand) | set(auto), key=lambda x: (x == NONE, x)))
    return Figures(
        len(hand),
        percent_agreement(hand, auto),
        cohen_kappa(hand, auto),
        alpha_two_coders(hand, auto),
        tuple(str(label) for label in labels),
        grid,
    )


def evaluate_coding(report: CodingReport, hand: Sequence[HandCode], sample: str = "") -> Reliability:
    by_doc = {d.info.id: d.units for d in report.documents}
    hand_types: list[str] = []
    auto_types: list[str] = []
    hand_subs: list[str] = []
    auto_subs: list[str] = []
    unaligned: list[HandCode] = []
    disagreements: list[Disagreement] = []
    for h in hand:
        unit = _align(h, by_doc.get(h.document, ()))
        if unit is None:
            unaligned.append(h)
            continue
        p = unit.primary
        auto_t, auto_s = (p.type, f"{p.type}/{p.subtype}") if p else (NONE, NONE)
        hand_s = h.code
        hand_types.append(h.type)
        auto_types.append(auto_t)
        hand_subs.append(hand_s)
        auto_subs.append(auto_s)
        if hand_s != auto_s:
            disagreements.append(Disagreement(h.document, unit.path, unit.text, hand_s, auto_s))
    return Reliability(
        sample,
        len(hand),
        len(hand_types),
        tuple(unaligned),
        agreement_figures(hand_types, auto_types),
        agreement_figures(hand_subs, auto_subs),
        tuple(disagreements),
        report.codebook,
    )
