"""The document model: what a policy document is once it has been read and segmented.

Built only by readers (`policydiff.corpora`) and the segmenter (`policydiff.corpora.segment`); everything
downstream reads it. Every piece keeps `(start, end)` offsets into `Document.text`, the text as the reader
extracted it (original script, markers included), so quotes in a report come from the source.

A document is a tree of `Node`s (chapters, articles, 一、 sections, （一） clauses, items, the wrapper of a
通知, its attachments, the preamble, the dated history, the sign-off). One node kind carries the document's
numbered provisions (its *provision level*): the article (条) in legal style, the deepest consistently
numbered level above the items in official-document style. Comparison aligns `Provision`s, the flat view of
those nodes; everything below a provision (款, 项, items) stays inside it as its sentence units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

# What counts as a word's character: a CJK ideograph, a Latin letter or a digit (the tokenizer uses the same).
WORD_CHAR = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbfA-Za-z0-9]")

Level = Literal["central", "provincial", "prefectural", "county", "other"]
Kind = Literal["full", "digest"]
Coverage = Literal["full", "partial", "heading-only", "unseen"]
UnitKind = Literal["sentence", "item", "heading", "paragraph"]
NodeKind = Literal[
    "document",
    "part",  # 第一编 (legal) or 第一部分 (official)
    "chapter",  # 第一章
    "section",  # 第一节
    "article",  # 第一条
    "paragraph",  # an article's unnumbered paragraph (款), or a lead-in paragraph under a heading
    "item",  # （一） inside an article (项)
    "subitem",  # 1. inside an item (目)
    "level1",  # 一、
    "level2",  # （一）
    "level3",  # 1.
    "level4",  # （1）
    "level5",  # ①
    "wrapper",  # the notice around attached documents (关于印发…的通知, addressees, instruction, issuer, date)
    "attachment",  # 附件 / 附件1
    "title",  # the document's own title line, when its text repeats it
    "preamble",
    "contents",  # 目录 of a law: its chapter list, not its chapters
    "history",  # the dated 通过 / 修正 / 修订 / 公布 / 施行 lines
    "event",  # one dated event inside the history
    "closing",  # 结语: a closing paragraph after the last provision (各地要…贯彻落实, 本方案自…施行)
    "signoff",
]

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
class Node:
    """One node of a document's tree, with its span in `Document.text` and the sentence units inside it."""

    kind: NodeKind
    label: str  # as numbered: "第十条", "（三）", "2.", "二", "附件1"; a name for unnumbered nodes ("序言")
    number: int  # 0 when the node has no number (or it is unknown, （？）)
    heading: str  # "" when it has none
    start: int
    end: int
    path: str  # "第二章/第十条", "二/（三）", "附件1/二/（一）"; "" for the document
    children: tuple[Node, ...] = ()
    units: tuple[Unit, ...] = ()
    provision: bool = False  # whether comparison aligns this node (one `Provision` of the document)

    def walk(self) -> tuple[Node, ...]:
        """This node and every node below it, in reading order."""
        out: list[Node] = [self]
        for child in self.children:
            out.extend(child.walk())
        return tuple(out)

    def count(self, kind: str) -> int:
        return sum(1 for n in self.walk() if n.kind == kind)


@dataclass(frozen=True)
class Provision:
    """What comparison aligns: a numbered provision (第十条, （三）, 2.) or a stand-in (preamble, sign-off, ¶)."""

    label: str  # "（三）", "第十条", "序言", "落款", "¶2"
    path: str  # "二/（三）", "第二章/第十条"; unique within the document
    heading: str  # opening title phrase, "" when the clause has none
    start: int
    end: int
    units: tuple[Unit, ...]
    role: Literal["clause", "preamble", "closing", "signoff", "paragraph"] = "clause"
    section: str = ""  # the parent path that groups provisions in reports ("二", "第二章", "附件1/二"), "" at top
    items: int = 0  # count of numbered items (1. / （1） / ① ; an article's （一）) inside the provision
    coverage: Coverage = "full"
    flags: tuple[str, ...] = ()  # digest markers found on this clause, e.g. "未见正文"

    @property
    def body_seen(self) -> bool:
        return "未见正文" not in self.flags and self.coverage not in ("heading-only", "unseen")

    @property
    def body_units(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.kind != "heading")


# The engine's name for a provision since its first version.
Clause = Provision


@dataclass(frozen=True)
class Section:
    """A group of provisions under one parent (一、 section, 第二章, 第二章/第一节): how reports group verdicts."""

    label: str  # the parent path: "二", "第二章", "第二章/第一节", "附件1/二"
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
    root: Node | None = None  # the whole tree; None only for documents built by hand
    provision_level: str = ""  # the node kind of the provisions: "article", "level2", "level3" …; "" paragraphs
    style: str = ""  # "legal", "official" or "" (no numbering found)
    closing: Clause | None = None  # 结语, between the last provision and the sign-off

    @property
    def outline(self) -> Node:
        """The document's tree (a flat one built from the provisions when none was recorded)."""
        if self.root is not None:
            return self.root
        nodes = tuple(
            Node("paragraph", c.label, 0, c.heading, c.start, c.end, c.path, (), c.units, True) for c in self.clauses
        )
        return Node("document", self.info.id, 0, self.info.title, 0, len(self.text), "", nodes)

    @property
    def clauses(self) -> tuple[Clause, ...]:
        """The numbered clauses (and paragraph stand-ins) in reading order, without preamble, closing and
        sign-off."""
        out: list[Clause] = list(self.loose)
        for section in self.sections:
            out.extend(section.clauses)
        return tuple(out)

    @property
    def all_clauses(self) -> tuple[Clause, ...]:
        head = (self.preamble,) if self.preamble else ()
        tail = tuple(c for c in (self.closing, self.signoff) if c is not None)
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
    def has_words(self) -> bool:
        """Whether any provision holds a word or a number: a text of punctuation, numbering or blank space has
        nothing to compare (policydiff refuses to add one, and compares one without scoring)."""
        return any(WORD_CHAR.search(u.text) for c in self.clauses for u in c.units)

    @property
    def is_partial(self) -> bool:
        return any(c.coverage != "full" for c in self.clauses) or bool(self.flags)
