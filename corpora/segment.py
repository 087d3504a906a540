"""Segmentation: a document's text becomes sections (一、), clauses (（一）), items and sentence units.

Works on the analysis text (same length as the original), so every span quotes the original. Documents
that do not follow the 一、/（一） scheme degrade to paragraph units with a warning; nothing here raises on
strange input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from policydiff.corpora.model import Clause, Document, DocumentInfo, Section, Unit, UnitKind
from policydiff.corpora.normalise import MARKER_RE, normalise

_NUM = "一二三四五六七八九十百零〇"
SECTION_RE = re.compile(rf"^([{_NUM}]+)、")
# （？） is the digest's "clause number unknown"; widths() has already made brackets full-width.
CLAUSE_RE = re.compile(rf"^（([{_NUM}]+|？)）")
PREAMBLE_RE = re.compile(r"^(序言|前言)[。：]")
ITEM_RE = re.compile(r"^(?:\d{1,2}[.、](?!\d)|（\d{1,2}）|[①-⑳])")
# A sentence ends at 。！？； (the digest's notes are ；-separated) or at a line break.
SENTENCE_END = "。！？；"
# A heading is the opening phrase up to the first 。 when it is short; longer openings are body text.
MAX_HEADING = 40
DATE_RE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")


@dataclass(frozen=True)
class CoverageNote:
    """One line of a digest's meta file: which clause, and how much of it was seen."""

    label: str  # "（三）", "二、" style labels are given without the 、, "序言" for the preamble
    heading: str
    coverage: str


@dataclass
class _Line:
    start: int
    end: int  # exclusive, trimmed of surrounding whitespace


def _lines(text: str, original: str) -> list[_Line]:
    """Non-blank lines of the analysis text; a line blank only because its markers were masked still counts."""
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        s, e = pos, end
        while s < e and original[s].isspace():
            s += 1
        while e > s and original[e - 1].isspace():
            e -= 1
        if e > s and original[s:e].strip():
            out.append(_Line(s, e))
        pos = end + 1
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "，、"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _markers(original: str, start: int, end: int) -> tuple[str, ...]:
    found: list[str] = []
    for m in MARKER_RE.finditer(original, start, end):
        for part in re.split(r"[；;]", m.group()[1:-1]):
            part = part.strip()
            if part and part not in found:
                found.append(part)
    return tuple(found)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _units(original: str, ana: str, start: int, end: int, first_index: int = 0) -> list[Unit]:
    units: list[Unit] = []
    s = start
    for i in range(start, end + 1):
        if i == end or ana[i] in SENTENCE_END or ana[i] == "\n":
            us, ue = _trim(ana, s, i + 1 if i < end and ana[i] != "\n" else i)
            body = _clean(ana[us:ue])
            if body.strip(SENTENCE_END + " "):
                kind: UnitKind = "item" if ITEM_RE.match(body) else "sentence"
                units.append(Unit(first_index + len(units), kind, us, ue, body))
            s = i + 1
    return units


def _heading(ana: str, start: int, end: int) -> tuple[str, int, int]:
    """The clause's opening title phrase and where the body starts after it."""
    stop = ana.find("。", start, end)
    if stop == -1:
        stop = end
        if end - start > MAX_HEADING:
            return "", start, start
    phrase = ana[start:stop]
    if len(phrase.strip()) > MAX_HEADING or any(p in phrase for p in "；！？"):
        return "", start, start
    return phrase, start, min(stop + 1, end)


class _Builder:
    def __init__(self, original: str, ana: str, kind: str, coverage: Sequence[CoverageNote]) -> None:
        self.original = original
        self.ana = ana
        self.kind = kind
        self.coverage = list(coverage)
        self.used: set[int] = set()
        self.paths: dict[str, int] = {}

    def display(self, start: int, end: int) -> str:
        return _clean(MARKER_RE.sub("", self.original[start:end]))

    def unique_path(self, path: str) -> str:
        n = self.paths.get(path, 0) + 1
        self.paths[path] = n
        return path if n == 1 else f"{path}#{n}"

    def coverage_for(self, label: str, heading: str, body_seen: bool, has_body: bool) -> str:
        for i, note in enumerate(self.coverage):
            if i in self.used or note.label != label:
                continue
            if note.heading and heading and note.heading != heading and label != "（？）":
                continue
            self.used.add(i)
            return note.coverage
        if self.kind == "full":
            return "full"
        if not body_seen or not has_body:
            return "heading-only"
        return "partial"

    def clause(self, label: str, section: str, start: int, end: int, role: str = "clause") -> Clause:
        original, ana = self.original, self.ana
        body_start = start + len(label) if role == "clause" else start
        units: list[Unit] = []
        heading = ""
        if role in ("clause", "paragraph"):
            heading_ana, hs, he = _heading(ana, body_start, end)
            if heading_ana.strip():
                heading = self.display(hs, hs + len(heading_ana))
                hs2, he2 = _trim(ana, hs, hs + len(heading_ana))
                units.append(Unit(0, "heading", hs2, he2, _clean(ana[hs2:he2])))
            body_start = he if he > hs else body_start
        units.extend(_units(original, ana, body_start, end, first_index=len(units)))
        flags = _markers(original, start, end)
        display_label = label.rstrip("、")
        path = self.unique_path(f"{section}/{display_label}" if section else display_label)
        body_seen = "未见正文" not in flags
        has_body = any(u.kind != "heading" for u in units)
        cov = self.coverage_for(display_label, heading, body_seen, has_body)
        items = sum(1 for u in units if u.kind == "item")
        return Clause(
            label=display_label,
            path=path,
            heading=heading,
            start=start,
            end=end,
            units=tuple(units),
            role=role,  # type: ignore[arg-type]
            section=section,
            items=items,
            coverage=cov,  # type: ignore[arg-type]
            flags=flags,
        )


def _is_signoff(ana: str, line: _Line) -> bool:
    text = ana[line.start : line.end].strip()
    if DATE_RE.fullmatch(text.strip("（）()")):
        return True
    return len(text) <= 30 and text[-1] not in SENTENCE_END and not SECTION_RE.match(text)


def segment(
    text: str,
    info: DocumentInfo,
    coverage: Iterable[CoverageNote] = (),
    steps: tuple[str, ...] | None = None,
) -> Document:
    """Split a document's text into its structure. `text` is the reader's output, original script."""
    ana = normalise(text) if steps is None else normalise(text, steps)
    b = _Builder(text, ana, info.kind, tuple(coverage))
    lines = _lines(ana, text)
    warnings: list[str] = []
    doc_flags: list[str] = []

    # A line that is nothing but markers (the digest's "【其后部分未见…】") speaks about the document.
    content: list[_Line] = []
    for line in lines:
        if not ana[line.start : line.end].strip():
            doc_flags.extend(_markers(text, line.start, line.end))
        else:
            content.append(line)

    # Where each section and clause starts.
    heads: list[tuple[str, str, _Line]] = []  # (kind, label, line)
    for line in content:
        s = ana[line.start : line.end]
        if m := SECTION_RE.match(s):
            heads.append(("section", m.group(0), line))
        elif m := CLAUSE_RE.match(s):
            heads.append(("clause", m.group(0), line))

    if not heads:
        warnings.append(
            f"{info.source or info.id}: no 一、 sections or （一） clauses found; compared paragraph by paragraph"
        )
        paras = [b.clause(f"¶{i + 1}", "", ln.start, ln.end, role="paragraph") for i, ln in enumerate(content)]
        return Document(info, text, ana, None, (), tuple(paras), None, tuple(warnings), tuple(doc_flags))

    first = heads[0][2]
    pre_lines = [ln for ln in content if ln.end <= first.start]
    tail_start = len(content)
    # Sign-off: short trailing lines (issuer names, a date) after the last clause's text.
    last_head_idx = content.index(heads[-1][2])
    i = len(content) - 1
    while i > last_head_idx and _is_signoff(ana, content[i]):
        tail_start = i
        i -= 1
    sign_lines = content[tail_start:]
    body_lines = content[len(pre_lines) : tail_start]

    preamble = None
    if pre_lines:
        ps, pe = pre_lines[0].start, pre_lines[-1].end
        m = PREAMBLE_RE.match(ana[ps:pe])
        preamble = b.clause("序言", "", ps + (m.end() if m else 0), pe, role="preamble")

    sections: list[Section] = []
    loose: list[Clause] = []
    section_label = ""
    section_heading = ""
    section_start = 0
    section_flags: tuple[str, ...] = ()
    section_clauses: list[Clause] = []
    section_paras: list[_Line] = []

    def close_section(end: int) -> None:
        nonlocal section_clauses, section_paras
        if not section_label:
            return
        clauses = list(section_clauses)
        if not clauses and section_paras:
            warnings.append(
                f"{info.source or info.id}: section {section_label} has no （一） clauses; its paragraphs stand in"
            )
            clauses = [
                b.clause(f"¶{k + 1}", section_label, ln.start, ln.end, role="paragraph")
                for k, ln in enumerate(section_paras)
            ]
        cov = b.coverage_for(section_label + "、", section_heading, True, True) if b.coverage else "full"
        if cov not in ("full", "partial", "heading-only", "unseen"):
            cov = "full"
        sections.append(
            Section(
                section_label,
                section_heading,
                section_start,
                end,
                tuple(clauses),
                cov,  # type: ignore[arg-type]
                section_flags,
            )
        )
        section_clauses, section_paras = [], []

    # Walk the body: a clause runs until the next section or clause head.
    idx = 0
    while idx < len(body_lines):
        line = body_lines[idx]
        s = ana[line.start : line.end]
        if m := SECTION_RE.match(s):
            close_section(line.start)
            section_label = m.group(1)
            section_heading = b.display(line.start + m.end(), line.end)
            section_start = line.start
            section_flags = _markers(text, line.start, line.end)
            idx += 1
            continue
        if m := CLAUSE_RE.match(s):
            end_line = line
            j = idx + 1
            while j < len(body_lines):
                nxt = ana[body_lines[j].start : body_lines[j].end]
                if SECTION_RE.match(nxt) or CLAUSE_RE.match(nxt):
                    break
                end_line = body_lines[j]
                j += 1
            clause = b.clause(m.group(0), section_label, line.start, end_line.end)
            (section_clauses if section_label else loose).append(clause)
            idx = j
            continue
        if section_label:
            section_paras.append(line)
        else:
            # Text between the preamble and the first section that is not a clause: keep it as a paragraph.
            loose.append(b.clause(f"¶{len(loose) + 1}", "", line.start, line.end, role="paragraph"))
        idx += 1
    close_section(body_lines[-1].end if body_lines else len(text))

    signoff = None
    if sign_lines:
        signoff = b.clause("落款", "", sign_lines[0].start, sign_lines[-1].end, role="signoff")

    return Document(
        info,
        text,
        ana,
        preamble,
        tuple(sections),
        tuple(loose),
        signoff,
        tuple(warnings),
        tuple(doc_flags),
    )
