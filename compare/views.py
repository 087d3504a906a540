"""Views of a result that every renderer shares: verdict selection, clause ordering and coverage figures.

Renderers never recompute a comparison; what they need beyond the result model (which verdicts to show, in
which order, how much of a reference the target covers) is derived here once, so the terminal, the tables and
the HTML page agree.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from policydiff.compare.result import STATUSES, Comparison, Report, SentencePair, TargetChange, Verdict
from policydiff.compare.vocabulary import CAUTION_NOTE, UNJUDGED_PHRASE
from policydiff.corpora.errors import ConfigError
from policydiff.corpora.model import DocumentInfo
from policydiff.corpora.numbering import cn_number, cn_numeral

# 第二章, 第十条, 第一部分 and 附件2 sort by their number too.
_BRACKETS = "（）()【】[]、. 第编部分章节条附件"
# Preamble, closing and sign-off clauses carry these names instead of numbers; they open and close a document.
_FIRST, _LAST = ("序言",), ("结语", "落款")


def chinese_number(label: str) -> int | None:
    """一 → 1, 十一 → 11, 二十三 → 23, 3 → 3; None when the label is not a number."""
    return cn_number(label.strip(_BRACKETS)) or None


def _part_key(part: str) -> tuple[int, int, str]:
    if part in _FIRST:
        return (0, 0, part)
    if part in _LAST:
        return (3, _LAST.index(part), part)
    number = chinese_number(part)
    if number is not None:
        return (1, number, part)
    digits = re.sub(r"\D", "", part)
    return (2, int(digits) if digits else 0, part)


def path_key(path: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key putting clause paths in reading order: 二/（十） after 二/（九）, 十一 after 九."""
    return tuple(_part_key(p) for p in path.split("/"))


def section_label(value: str) -> str:
    """Normalise a section given on the command line: "2", "二" and "二、" all mean 二."""
    value = value.strip().rstrip("、")
    if value.isdigit():
        return cn_numeral(int(value))
    return value


@dataclass(frozen=True)
class Selection:
    """Which verdicts to show: some labels, some sections (of the side a verdict is about). Empty means all."""

    labels: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()

    @classmethod
    def parse(cls, only: str | None = None, section: str | None = None) -> Selection:
        labels = tuple(x.strip() for x in (only or "").split(",") if x.strip())
        unknown = [x for x in labels if x not in STATUSES]
        if unknown:
            known = ", ".join(STATUSES)
            raise ConfigError(f"unknown verdict label(s) {', '.join(unknown)} in --only; known: {known}")
        sections = tuple(section_label(x) for x in (section or "").split(",") if x.strip())
        return cls(tuple(dict.fromkeys(labels)), tuple(dict.fromkeys(sections)))

    def __bool__(self) -> bool:
        return bool(self.labels or self.sections)

    def keeps(self, verdict: Verdict) -> bool:
        if self.labels and verdict.label not in self.labels:
            return False
        # A section names its whole subtree: 第二章 keeps 第二章/第一节/第十条 too.
        return not self.sections or any(
            verdict.section == s or verdict.section.startswith(s + "/") for s in self.sections
        )

    def describe(self) -> str:
        parts = []
        if self.labels:
            parts.append("only " + ", ".join(self.labels))
        if self.sections:
            parts.append("section " + ", ".join(self.sections))
        return "; ".join(parts)


def section_names(report: Report) -> set[str]:
    """Every section a --section may name: the parents of the verdicts' provisions and their ancestors
    (第二章 as well as 第二章/第一节)."""
    names: set[str] = set()
    for comparison in report.comparisons:
        for verdict in comparison.verdicts:
            parts = verdict.section.split("/") if verdict.section else []
            names.update("/".join(parts[: k + 1]) for k in range(len(parts)))
    return names


def select(comparison: Comparison, selection: Selection) -> tuple[Verdict, ...]:
    return tuple(v for v in comparison.verdicts if selection.keeps(v))


def select_report(report: Report, selection: Selection) -> Report:
    """The report with only the selected verdicts; each comparison notes the filter so an export says so."""
    if not selection:
        return report
    comparisons = tuple(
        dataclasses.replace(
            c,
            verdicts=select(c, selection),
            notes=(*c.notes, f"filtered ({selection.describe()}): {len(select(c, selection))} of {len(c.verdicts)}"),
        )
        for c in report.comparisons
    )
    return dataclasses.replace(report, comparisons=comparisons)


def clause_orders(comparison: Comparison, reference_order: Sequence[str] = ()) -> tuple[dict[str, int], dict[str, int]]:
    """Reading-order positions (from 1) of the reference and target clauses a comparison mentions, so a table
    sorted or pivoted on them keeps each document's order. `reference_order` lists the reference's paths in
    its reading order when known (a matrix's rows); otherwise the paths' numbering decides."""
    ref_paths = {r.path for v in comparison.verdicts for r in v.reference}
    tgt_paths = {t.path for v in comparison.verdicts for t in v.target}
    known = [p for p in reference_order if p in ref_paths]
    ordered_ref = known + sorted(ref_paths - set(known), key=path_key)
    return (
        {p: i for i, p in enumerate(ordered_ref, start=1)},
        {p: i for i, p in enumerate(sorted(tgt_paths, key=path_key), start=1)},
    )


@dataclass(frozen=True)
class CoverageFigures:
    """How much of each side has a counterpart: the share of reference clauses the target takes up and back."""

    reference_clauses: int  # judged reference clauses (unjudged ones, of which nothing was seen, left out)
    reference_matched: int  # reference clauses with a retained or adapted counterpart
    target_clauses: int
    target_matched: int

    @property
    def reference_share(self) -> float:
        return self.reference_matched / self.reference_clauses if self.reference_clauses else 0.0

    @property
    def target_share(self) -> float:
        return self.target_matched / self.target_clauses if self.target_clauses else 0.0


def coverage_figures(comparison: Comparison) -> CoverageFigures:
    ref_all: dict[str, bool] = {}
    tgt_all: dict[str, bool] = {}
    for v in comparison.verdicts:
        if v.label == "unjudged":
            continue
        matched = v.label in ("retained", "adapted")
        for r in v.reference:
            ref_all[r.path] = ref_all.get(r.path, False) or matched
        for t in v.target:
            tgt_all[t.path] = tgt_all.get(t.path, False) or matched
    return CoverageFigures(
        reference_clauses=len(ref_all),
        reference_matched=sum(ref_all.values()),
        target_clauses=len(tgt_all),
        target_matched=sum(tgt_all.values()),
    )


def by_section(verdicts: tuple[Verdict, ...]) -> list[tuple[str, list[Verdict]]]:
    """Verdicts grouped by the section they are about, sections in reading order, verdicts in report order."""
    groups: dict[str, list[Verdict]] = {}
    for v in verdicts:
        groups.setdefault(v.section, []).append(v)
    return sorted(groups.items(), key=lambda kv: path_key(kv[0]) if kv[0] else ((-1, 0, ""),))


Segment = tuple[str, str]  # ("equal" | "delete" | "insert", text)


def _side(text: str, spans: Sequence[tuple[str, int, int]], changed: str) -> tuple[Segment, ...]:
    out: list[Segment] = []
    pos = 0
    for tag, start, end in spans:
        start, end = max(start, pos), min(end, len(text))
        if start > pos:  # a gap the opcodes skipped: show it unmarked rather than lose it
            out.append(("equal", text[pos:start]))
        if end > start:
            out.append(("equal" if tag == "equal" else changed, text[start:end]))
        pos = max(pos, end)
    if pos < len(text):
        out.append(("equal", text[pos:]))
    merged: list[Segment] = []
    for kind, piece in out:
        if merged and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + piece)
        else:
            merged.append((kind, piece))
    return tuple(merged)


def diff_segments(pair: SentencePair) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """The reference and target sentences cut into unchanged and changed runs, from the pair's opcodes.

    Reference text missing from the target is "delete", target text not in the reference is "insert". Without
    opcodes both sentences come back whole and unmarked.
    """
    ref_spans = [(o.tag, o.reference_start, o.reference_end) for o in pair.opcodes]
    tgt_spans = [(o.tag, o.target_start, o.target_end) for o in pair.opcodes]
    return _side(pair.reference_text, ref_spans, "delete"), _side(pair.target_text, tgt_spans, "insert")


_VALUE = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?\s*(?:%|％|[万亿千百]*[元个家项人吨户所座条]?)")


def _value(description: str, indicator: str) -> str:
    """The figure of a target description (到2025年 …比重 达到30% → 30%); the whole text when it has none."""
    rest = description.replace(indicator, " ")
    rest = re.sub(r"到?[0-9]{4}年", " ", rest)
    found = _VALUE.findall(rest)
    return found[-1].strip() if found else " ".join(rest.split())


def target_change_text(change: TargetChange) -> str:
    """One quantitative target, its indicator named once: 比重 raised 30%→35%, 比重 added 11%."""
    ref = _value(change.reference, change.indicator) if change.reference else ""
    tgt = _value(change.target, change.indicator) if change.target else ""
    values = "→".join(x for x in (ref, tgt) if x)
    return " ".join(x for x in (change.indicator, change.change, values) if x)


def _some(words: tuple[str, ...], n: int = 3) -> str:
    return "、".join(words[:n]) + ("…" if len(words) > n else "")


def headline(v: Verdict) -> str:
    """The most telling piece of a verdict's evidence as one short phrase, for the one-line view.

    In order: a quantitative target raised or lowered, a directive weakened or strengthened, what the target
    localised, a target moved, split or merged, a target added or dropped, then the new or shared words.
    """
    e = v.evidence
    if v.label == "unjudged":
        return UNJUDGED_PHRASE
    for kind in ("raised", "lowered", "changed"):
        for c in e.target_changes:
            if c.change == kind:
                return "target " + target_change_text(c)
    if e.directive == "weakened":
        return "directive weakened" + (f" ({e.directive_detail.split(',')[0]})" if e.directive_detail else "")
    if e.localisations:
        return "localised " + _some(e.localisations)
    if e.directive:
        return f"directive {e.directive}" + (f" ({e.directive_detail.split(',')[0]})" if e.directive_detail else "")
    if e.moved:
        return "moved" + (f" from {v.reference[0].path.split('/')[-1]}" if v.reference else "")
    if e.relation in ("split", "merge"):
        return e.relation
    for c in e.target_changes:
        return "target " + target_change_text(c)
    if v.label == "added" and e.target_only_terms:
        return "new: " + _some(e.target_only_terms)
    if v.label == "missing" and e.reference_only_terms:
        return "not taken up: " + _some(e.reference_only_terms)
    if e.shared_terms:
        return "shared: " + _some(e.shared_terms)
    return ""


def evidence_summary(v: Verdict, terms: int | None = 5, full: bool = False) -> list[str]:
    """A verdict's evidence as short phrases, the same in every renderer; `full` adds the less telling ones."""
    e = v.evidence

    def some(words: tuple[str, ...]) -> str:
        return "、".join(words if terms is None else words[:terms])

    parts: list[str] = []
    if e.relation and e.relation != "1-1":
        parts.append(e.relation)
    if e.moved:
        parts.append("moved")
    if full and e.matched_by:
        parts.append("matched by " + ", ".join(e.matched_by))
    if e.shared_terms:
        parts.append("shared: " + some(e.shared_terms))
    if e.target_only_terms and v.label != "missing":
        parts.append(("new: " if v.label == "added" else "target only: ") + some(e.target_only_terms))
    if e.reference_only_terms and (full or v.label == "adapted"):
        parts.append("reference only: " + some(e.reference_only_terms))
    if e.topics:
        parts.append("topics: " + some(e.topics))
    changes = e.target_changes if full else e.target_changes[:3]
    parts.extend("target " + target_change_text(c) for c in changes)
    if e.localisations:
        parts.append("localised: " + some(e.localisations))
    if full and e.reference_places:
        parts.append("reference places: " + some(e.reference_places))
    if e.directive:
        parts.append(" ".join(x for x in ("directive", e.directive, e.directive_detail if full else "") if x))
    if e.unseen:
        parts.append(CAUTION_NOTE)
    if full:
        parts.extend(e.notes)
    return parts


# Administrative levels from the top; "other" and unknown levels are not ranked.
LEVEL_RANK = {"central": 0, "provincial": 1, "prefectural": 2, "county": 3}


def level_warning(target: DocumentInfo, reference: DocumentInfo, command: str = "compare") -> str:
    """A warning when the target sits above its reference (central against a province): the arguments are
    most likely swapped. Empty when the order looks right or the levels are unknown."""
    t, r = LEVEL_RANK.get(target.level), LEVEL_RANK.get(reference.level)
    if t is None or r is None or t >= r:
        return ""
    if command == "matrix":
        swap = f"policydiff matrix {target.id} {reference.id} …"
        order = "the reference comes first, then the targets"
    else:
        swap = f"policydiff compare {reference.id} {target.id}"
        order = "the target (the implementing document) comes first, then its reference"
    return (
        f"{target.id} ({target.level}) is compared as the target of {reference.id} ({reference.level}); "
        f"{order}: to see what {reference.id} made of {target.id}, run `{swap}`"
    )
