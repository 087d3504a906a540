"""The document model: what a policy document is once it has been read and segmented.

Built only by readers (`policydiff.corpora`) and the segmenter (`policydiff.corpora.segment`); everything
downstream reads it. Every piece keeps `(start, end)` offsets into `Document.text`, the text as the reader
extracted it (original script, markers included), so quotes in a report come from the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["central", "provincial", "prefectural", "county", "other"]
Kind = Literal["full", "digest"]
Coverage = Literal["full", "partial", "heading-only", "unseen"]
UnitKind = Literal["sentence", "item", "heading", "paragraph"]

LEVELS: tuple[str, ...] = ("central", "provincial", "prefectural", "county", "other")
KINDS: tuple[str, ...] = ("full", "digest")
COVERAGES: tuple[str, ...] = ("full", "partial", "heading-only", "unseen")


@dataclass(frozen=True)
class Unit:
    """The smallest aligned piece: a sentence of a full text, a `；` note of a digest, or a heading."""

    index: int  # position within its clause
    kind: UnitKind
    start: int
    end: int
    text: str  # analysis text (normalised, markers masked); the quote is Document.text[start:end]


@dataclass(frozen=True)
class Clause:
    """A numbered clause such as （三）, or a stand-in unit (preamble, sign-off, paragraph)."""

    label: str  # "（三）", "序言", "落款", "¶2"
    path: str  # "二/（三）"; unique within the document
    heading: str  # opening title phrase, "" when the clause has none
    start: int
    end: int
    units: tuple[Unit, ...]
    role: Literal["clause", "preamble", "signoff", "paragraph"] = "clause"
    section: str = ""  # the section label ("二") or "" at top level
    items: int = 0  # count of numbered items (1. / （1） / ①) inside the clause
    coverage: Coverage = "full"
    flags: tuple[str, ...] = ()  # digest markers found on this clause, e.g. "未见正文"

    @property
    def body_seen(self) -> bool:
        return "未见正文" not in self.flags and self.coverage not in ("heading-only", "unseen")

    @property
    def body_units(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.kind != "heading")


@dataclass(frozen=True)
class Section:
    label: str  # "二"
    heading: str
    start: int
    end: int
    clauses: tuple[Clause, ...]
    coverage: Coverage = "full"
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryEvent:
    """One dated step in a document's life as its history lines state it: 通过, 修正, 修订, 公布, 施行 …"""

    date: str  # YYYY-MM-DD
    event: str  # 通过, 修正, 修订, 公布, 施行, 批准, 发布, 印发
    text: str = ""  # the history line's words for it, e.g. "2012年7月27日…常务委员会…第二次修正"


@dataclass(frozen=True)
class DocumentInfo:
    """The data card of a document: who issued it, when, where it comes from, how much of it is known."""

    id: str
    title: str
    kind: Kind = "full"
    level: str = "other"
    region: str = ""
    issuer: tuple[str, ...] = ()
    date: str = ""
    source: str = ""  # file name inside its corpus, or the path given on the command line
    source_url: str = ""
    sha256: str = ""
    corpus: str = ""  # "bundled", a corpus folder, or "file"
    doc_type: str = ""  # 意见, 实施意见, 方案, 办法, 条例, 通知, 法 …
    implements: tuple[str, ...] = ()  # ids (or titles, when not in any corpus) of the documents it carries out
    extra: tuple[tuple[str, str], ...] = ()  # metadata the reader found (原标题, 来源, 发文字号 …)
    history: tuple[HistoryEvent, ...] = ()  # dated events (通过, 修正 …) in text order; `date` is the latest


@dataclass(frozen=True)
class Document:
    info: DocumentInfo
    text: str  # as extracted by the reader, original script
    analysis_text: str  # same length as `text`: normalised for analysis
    preamble: Clause | None
    sections: tuple[Section, ...]
    loose: tuple[Clause, ...] = ()  # clauses outside any section (documents without 一、 sections)
    signoff: Clause | None = None
    warnings: tuple[str, ...] = ()
    flags: tuple[str, ...] = field(default=())  # document-level markers, e.g. "其后部分未见"

    @property
    def clauses(self) -> tuple[Clause, ...]:
        """The numbered clauses (and paragraph stand-ins) in reading order, without preamble and sign-off."""
        out: list[Clause] = list(self.loose)
        for section in self.sections:
            out.extend(section.clauses)
        return tuple(out)

    @property
    def all_clauses(self) -> tuple[Clause, ...]:
        head = (self.preamble,) if self.preamble else ()
        tail = (self.signoff,) if self.signoff else ()
        return head + self.clauses + tail

    def quote(self, start: int, end: int) -> str:
        return self.text[start:end].strip()

    def clause(self, path: str) -> Clause:
        for clause in self.all_clauses:
            if clause.path == path:
                return clause
        raise KeyError(path)

    def section_heading(self, label: str) -> str:
        for section in self.sections:
            if section.label == label:
                return section.heading
        return ""

    @property
    def coverage_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(COVERAGES, 0)
        for clause in self.clauses:
            counts[clause.coverage] += 1
        return counts

    @property
    def body_coverage(self) -> float:
        """Share of clauses whose body (not only heading) is known, 0..1."""
        clauses = self.clauses
        if not clauses:
            return 0.0
        return sum(1 for c in clauses if c.body_seen) / len(clauses)

    @property
    def is_partial(self) -> bool:
        return any(c.coverage != "full" for c in self.clauses) or bool(self.flags)
