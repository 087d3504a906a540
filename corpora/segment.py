"""Segmentation: a document's text becomes a tree of nodes, its provisions and their sentence units.

One pass per region (the wrapper of a 通知, the main body, each attachment): legal-style regions (第X条) nest
编 / 章 / 节 / 条 with 款, 项 and 目 inside each article; official-style regions nest 第一部分 / 一、 / （一） /
1. / （1） / ① and take the deepest consistently numbered level above the items as their provisions. Text that
follows no numbering degrades to paragraph stand-ins with a warning. Works on the analysis text (same length
as the original), so every span quotes the original; nothing here raises on strange input, and every
non-blank line ends up in exactly one node.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from policydiff.corpora.history import contents_block, events, is_bracketed_history_line, is_history_line
from policydiff.corpora.model import Document, DocumentInfo, Node, Provision, Section, Unit
from policydiff.corpora.normalise import MARKER_RE, normalise
from policydiff.corpora.numbering import BRACKET_HEADING, REFERENCE_AFTER, Head, cn_number, match_head
from policydiff.corpora.segment_units import (
    ITEM_RE,
    LEGAL_ITEM_RE,
    SENTENCE_END,
    Line,
    clean,
    lines,
    markers,
    opening_heading,
    trim,
    units,
)
from policydiff.corpora.wrapper import TITLED_ATTACHMENT_RE, regions

PREAMBLE_RE = re.compile(r"^(序言|前言)[。：]")
# A closing paragraph (结语) after the last numbered provision of an 意见 or 方案: one that tells those who carry
# the document out to carry it out (各地区各部门要…认真贯彻落实, 各区县…重大问题及时报告), or that says when
# the document takes effect or who interprets it (本方案自印发之日起施行). Without it, it read as the last
# clause's own text. A later paragraph of the last clause that merely opens with 各地要 stays in the clause.
CLOSING_RE = re.compile(
    r"^(?:各(?:地|级|区|县|市|州|乡|镇|街道|部门|单位|有关|相关|成员)[^。；]{0,60}?"
    r"(?:贯彻|落实|执行|报告|反馈|请示)"
    r"|本(?:实施)?(?:意见|方案|办法|措施|通知|规定|细则|计划|要点|行动计划|行动方案|实施方案|若干措施)"
    r"[^。；]{0,30}?(?:自|由|施行|执行|解释|有效期))"
)
DATE_RE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")
# Nesting ranks: a head closes every open container of the same or a deeper rank.
LEGAL_RANK = {"part": 0, "chapter": 1, "section": 2, "article": 3}
OFFICIAL_RANK = {
    "part": 0,
    "chapter": 1,
    "section": 2,
    "level1": 3,
    "level2": 4,
    "level3": 5,
    "level4": 6,
    "level5": 7,
}
# Which official level carries the provisions, in order of preference: （一） or 1. when they appear under at
# least this share of the 一、 sections, else 一、 itself, else whatever numbering there is.
CONSISTENT_SHARE = 0.5
PROVISION_PREFERENCE = ("level2", "level3", "level1", "level4", "level5")
# Inside an article: （一） is an item (项), 1. / （1） / ① a sub-item (目).
# Nodes that group provisions (and become a report's sections when they hold some directly).
CONTAINERS = ("document", "attachment", "part", "chapter", "section", "level1", "level2", "level3", "level4", "level5")
ARTICLE_CHILD = {"level2": "item", "level3": "subitem", "level4": "subitem", "level5": "subitem"}


@dataclass(frozen=True)
class CoverageNote:
    """One line of a digest's meta file: which clause, and how much of it was seen."""

    label: str  # "（三）", "二、" style labels are given without the 、, "序言" for the preamble
    heading: str
    coverage: str


@dataclass
class _Draft:
    """A node under construction: spans grow as lines are read, children are appended in reading order."""

    kind: str
    label: str
    number: int
    start: int
    end: int
    body_start: int = -1  # where the text after the label (and heading) begins
    heading: str = ""
    role: str = ""  # "clause" / "paragraph" / "preamble" / "closing" / "signoff" for provisions and stand-ins
    children: list[_Draft] = field(default_factory=list)
    paras: list[Line] = field(default_factory=list)  # unnumbered lines under a container, kept until it closes
    flags: tuple[str, ...] = ()
    rank: int = -1
    legal: bool = False
    heading_span: tuple[int, int] | None = None  # a legal article's bracketed heading

    def extend(self, end: int) -> None:
        self.end = max(self.end, end)


class _Builder:
    def __init__(self, original: str, ana: str, kind: str, coverage: Sequence[CoverageNote]) -> None:
        self.original = original
        self.ana = ana
        self.kind = kind
        self.coverage = list(coverage)
        self.used: set[int] = set()
        self.paths: dict[str, int] = {}

    def display(self, start: int, end: int) -> str:
        return clean(MARKER_RE.sub("", self.original[start:end]))

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

    def provision(self, d: _Draft, section: str) -> Provision:
        original, ana = self.original, self.ana
        start, end, role = d.start, d.end, d.role
        body_start = d.body_start if d.body_start >= 0 else start
        if role == "preamble":
            start = body_start  # the preamble's text begins after a 序言。 label
        found: list[Unit] = []
        heading = ""
        if d.legal:
            if d.heading_span:
                hs, he = trim(ana, *d.heading_span)
                heading = self.display(hs, he)
                found.append(Unit(0, "heading", hs, he, clean(ana[hs:he])))
        elif role in ("clause", "paragraph"):
            heading_ana, hs, he = opening_heading(ana, body_start, end)
            if heading_ana.strip():
                heading = self.display(hs, hs + len(heading_ana))
                hs2, he2 = trim(ana, hs, hs + len(heading_ana))
                found.append(Unit(0, "heading", hs2, he2, clean(ana[hs2:he2])))
            body_start = he if he > hs else body_start
        item_re = LEGAL_ITEM_RE if d.legal else ITEM_RE
        found.extend(units(ana, body_start, end, first_index=len(found), item_re=item_re))
        flags = markers(original, start, end)
        display_label = d.label.rstrip("、")
        path = self.unique_path(f"{section}/{display_label}" if section else display_label)
        body_seen = "未见正文" not in flags
        has_body = any(u.kind != "heading" for u in found)
        cov = self.coverage_for(display_label, heading, body_seen, has_body)
        if d.legal:
            items = sum(1 for n in _walk(d) if n.kind in ("item", "subitem"))
        else:
            items = sum(1 for u in found if u.kind == "item")
        d.heading = heading
        return Provision(
            label=display_label,
            path=path,
            heading=heading,
            start=start,
            end=end,
            units=tuple(found),
            role=role,  # type: ignore[arg-type]
            section=section,
            items=items,
            coverage=cov,  # type: ignore[arg-type]
            flags=flags,
        )

    def units_of(self, start: int, end: int) -> tuple[Unit, ...]:
        return tuple(units(self.ana, start, end))


def _walk(d: _Draft) -> list[_Draft]:
    out = [d]
    for c in d.children:
        out.extend(_walk(c))
    return out


def _is_signoff(ana: str, line: Line) -> bool:
    text = ana[line.start : line.end].strip()
    if DATE_RE.fullmatch(text.strip("（）()")):
        return True
    return len(text) <= 30 and text[-1] not in SENTENCE_END and not re.match(r"^[一二三四五六七八九十百零〇]+、", text)


class _Segmenter:
    """Holds one document's lines and heads while its regions are segmented into drafts."""

    def __init__(self, text: str, ana: str, info: DocumentInfo, b: _Builder, content: list[Line]) -> None:
        self.text, self.ana, self.info, self.b = text, ana, info, b
        self.content = content
        self.texts = [ana[ln.start : ln.end] for ln in content]
        self.heads = [match_head(t) for t in self.texts]
        self.warnings: list[str] = []
        self.source = info.source or info.id
        self.check_numbers = info.kind == "full"  # a digest's numbering is inferred: gaps are expected

    # ---- numbering checks --------------------------------------------------------------------------------

    def check(self, seen: dict[tuple[str, str], int], kind: str, parent: str, head: Head, where: str) -> None:
        """Warn about a skipped or repeated number; numbering may restart under a new parent or run on."""
        if not self.check_numbers or not head.number:
            return
        last_here = seen.get((kind, parent), 0)
        last_any = seen.get((kind, ""), 0)
        ok = head.number == last_here + 1 or (last_here == 0 and head.number in (1, last_any + 1))
        if not ok:
            at = f" under {parent}" if parent else ""
            if head.number <= last_here:
                self.warnings.append(
                    f"{self.source}: {where}{head.label}{at} repeats or goes back after number {last_here}"
                )
            else:
                self.warnings.append(
                    f"{self.source}: {where}{head.label}{at} skips a number (the previous one is {last_here or 'none'})"
                )
        seen[(kind, parent)] = head.number
        seen[(kind, "")] = head.number

    # ---- regions -----------------------------------------------------------------------------------------

    def is_title(self, line: str) -> bool:
        title = "".join(normalise(self.info.title).split()).lstrip("#")
        return bool(title) and "".join(line.split()).lstrip("#") == title

    def front(self, idx: list[int], legal: bool) -> list[_Draft]:
        """Lines before the first numbered head: preamble, history (for official-style texts only in brackets,
        `is_bracketed_history_line`) and for legal texts contents."""
        out: list[_Draft] = []
        run: list[int] = []

        def close_run() -> None:
            if run:
                s, e = self.content[run[0]].start, self.content[run[-1]].end
                m = PREAMBLE_RE.match(self.ana[s:e])
                out.append(_Draft("preamble", "序言", 0, s, e, body_start=s + (m.end() if m else 0), role="preamble"))
                run.clear()

        history = is_history_line if legal else is_bracketed_history_line
        k = 0
        if idx and idx[0] == 0 and self.is_title(self.texts[0]):
            # The document's own title line (a Markdown "# …" or a text's first line) names it; it is no
            # sentence of the preamble, so it gets a node of its own and no units.
            s, e = self.content[0].start, self.content[0].end
            out.append(_Draft("title", "标题", 0, s, e, heading=self.info.title))
            k = 1
        while k < len(idx):
            i = idx[k]
            if run and i != run[-1] + 1:
                close_run()  # a gap (the contents block) ends a run: nodes never overlap
            if history(self.texts[i]):
                close_run()
                j = k
                while j < len(idx) and history(self.texts[idx[j]]):
                    j += 1
                s, e = self.content[i].start, self.content[idx[j - 1]].end
                hist = _Draft("history", "沿革", 0, s, e)
                for n, (es, ee, verb) in enumerate(events(self.ana, s, e), start=1):
                    hist.children.append(_Draft("event", verb, n, es, ee, heading=self.b.display(es, ee)))
                out.append(hist)
                k = j
                continue
            run.append(i)
            k += 1
        close_run()
        return out

    def legal_body(self, idx: list[int], root: _Draft) -> None:
        contents = contents_block([self.texts[i] for i in idx], [self.heads[i] for i in idx])
        skip = set(idx[contents[0] : contents[1]]) if contents else set()
        first = self.first_legal_head(idx, skip)
        if contents and contents[0] > first:
            contents, skip = None, set()  # a 目录 line inside the body is body text
            first = self.first_legal_head(idx, skip)
        front_idx = [i for i in idx[:first] if i not in skip]
        fronts = self.front(front_idx, legal=True)
        if contents:
            c0, c1 = contents
            s, e = self.content[idx[c0]].start, self.content[idx[c1 - 1]].end
            node = _Draft("contents", "目录", 0, s, e)
            # Keep reading order: the contents block sits among the front nodes.
            fronts.append(node)
            fronts.sort(key=lambda d: d.start)
        root.children.extend(fronts)
        stack: list[_Draft] = [root]
        article: _Draft | None = None
        inner: list[_Draft] = []  # the open 款 / 项 / 目 inside the article
        seen: dict[tuple[str, str], int] = {}
        for i in idx[first:]:
            line, head = self.content[i], self.heads[i]
            text = self.texts[i]
            if head is not None and head.kind == "article" and article is not None:
                expected = seen.get(("article", ""), 0) + 1
                if head.number != expected and REFERENCE_AFTER.match(text[head.end :]):
                    self.warnings.append(
                        f"{self.source}: a line inside {article.label} opens with {head.label}, read as a reference"
                        " running on from the line before, not as a new article"
                    )
                    head = None
            if head is not None and head.kind in LEGAL_RANK:
                article, inner = None, []
                rank = LEGAL_RANK[head.kind]
                while len(stack) > 1 and stack[-1].rank >= rank:
                    stack.pop()
                parent = stack[-1]
                if head.kind == "article":
                    self.check(seen, "article", "", head, "")
                    article = self.open_article(line, head, parent)
                    inner = [article.children[0]] if article.children else []
                else:
                    self.check(seen, head.kind, _path_of(stack), head, "")
                    node = _Draft(head.kind, head.label, head.number, line.start, line.end, rank=rank)
                    node.heading = self.b.display(line.start + head.end, line.end)
                    node.flags = markers(self.text, line.start, line.end)
                    parent.children.append(node)
                    stack.append(node)
                for d in stack:
                    d.extend(line.end)
                continue
            if article is None:
                stack[-1].paras.append(line)
                for d in stack:  # the enclosing 编 and 章 grow with their 节's text too
                    d.extend(line.end)
                continue
            kind = ARTICLE_CHILD.get(head.kind, "") if head is not None else ""
            if kind == "item":
                inner = [d for d in inner if d.kind == "paragraph"]
            elif kind == "subitem":
                inner = [d for d in inner if d.kind in ("paragraph", "item")]
            else:
                inner = []
                kind = "paragraph"
            if kind == "paragraph":
                number = sum(1 for c in article.children if c.kind == "paragraph") + 1
            else:
                number = head.number if head is not None else 0
                if head is not None:
                    self.check(seen, kind, article.label, head, "")
            label = head.label if head is not None and kind != "paragraph" else ""
            node = _Draft(kind, label, number, line.start, line.end)
            (inner[-1] if inner else article).children.append(node)
            for d in inner:
                d.extend(line.end)
            inner.append(node)
            article.extend(line.end)
            for d in stack:
                d.extend(line.end)
        self.finish_containers(root)

    def first_legal_head(self, idx: list[int], skip: set[int]) -> int:
        for k, i in enumerate(idx):
            head = self.heads[i]
            if i not in skip and head is not None and head.kind in LEGAL_RANK:
                return k
        return len(idx)

    def open_article(self, line: Line, head: Head, parent: _Draft) -> _Draft:
        s, e = line.start, line.end
        body = s + head.end
        d = _Draft("article", head.label, head.number, s, e, role="clause", rank=3, legal=True)
        m = BRACKET_HEADING.match(self.ana, body, e)
        if m and cn_number((m.group(2) or m.group(3) or "").strip()) == 0:
            inside = m.start(2) if m.group(2) else m.start(3)
            d.heading_span = (inside, inside + len(m.group(2) or m.group(3)))
            body = m.end()
        d.body_start = body
        bs, be = trim(self.ana, body, e)
        if be > bs:
            d.children.append(_Draft("paragraph", "", 1, bs, be))
        parent.children.append(d)
        return d

    def official_body(self, idx: list[int], root: _Draft, region_first: bool) -> None:
        ranked = [k for k, i in enumerate(idx) if self.heads[i] is not None and self.heads[i].kind in OFFICIAL_RANK]  # type: ignore[union-attr]
        first = ranked[0] if ranked else len(idx)
        root.children.extend(self.front(idx[:first], legal=False))
        level = self.provision_level([self.heads[i] for i in idx[first:]])
        p_rank = OFFICIAL_RANK[level]
        stack: list[_Draft] = [root]
        prov: _Draft | None = None
        inner: list[_Draft] = []
        seen: dict[tuple[str, str], int] = {}
        for i in idx[first:]:
            line, head = self.content[i], self.heads[i]
            rank = OFFICIAL_RANK.get(head.kind, -1) if head is not None else -1
            if head is not None and rank >= 0:
                if prov is not None and rank > prov.rank:
                    # An item inside the provision (1. （1） ①), nested by its numbering.
                    while inner and inner[-1].rank >= rank:
                        inner.pop()
                    self.check(seen, head.kind, (inner[-1] if inner else prov).label, head, "")
                    node = _Draft(head.kind, head.label, head.number, line.start, line.end, rank=rank)
                    (inner[-1] if inner else prov).children.append(node)
                    for d in inner:  # an item's span covers the items nested in it
                        d.extend(line.end)
                    inner.append(node)
                    prov.extend(line.end)
                    for d in stack:
                        d.extend(line.end)
                    continue
                prov, inner = None, []
                while len(stack) > 1 and stack[-1].rank >= rank:
                    stack.pop()
                parent = stack[-1]
                self.check(seen, head.kind, _path_of(stack), head, "")
                if rank < p_rank:
                    node = _Draft(head.kind, head.label, head.number, line.start, line.end, rank=rank)
                    node.heading = self.b.display(line.start + head.end, line.end)
                    node.flags = markers(self.text, line.start, line.end)
                    parent.children.append(node)
                    stack.append(node)
                else:
                    prov = _Draft(head.kind, head.label, head.number, line.start, line.end, line.start + head.end)
                    prov.role, prov.rank = "clause", rank
                    parent.children.append(prov)
                for d in stack:
                    d.extend(line.end)
                continue
            if prov is not None:
                inner = []
                prov.extend(line.end)
            else:
                stack[-1].paras.append(line)
            for d in stack:
                d.extend(line.end)
        self.finish_containers(root)

    def provision_level(self, heads: Sequence[Head | None]) -> str:
        present = [h for h in heads if h is not None]
        kinds = {h.kind for h in present}
        sections = 0
        under: dict[str, set[int]] = {"level2": set(), "level3": set()}
        for h in present:
            if h.kind == "level1":
                sections += 1
            elif h.kind in under:
                under[h.kind].add(sections)
        for kind in PROVISION_PREFERENCE:
            if kind not in kinds:
                continue
            if kind in under and sections:
                # Items before the first 一、 (section 0) do not count towards consistency.
                share = len(under[kind] - {0}) / sections
                if share < CONSISTENT_SHARE:
                    continue
            return kind
        return "level2"

    def finish_containers(self, root: _Draft) -> None:
        """Unnumbered lines under a heading: lead-in paragraphs, or stand-ins when no provision follows."""
        for d in _walk(root):
            if not d.paras:
                continue
            has_provisions = any(n.role == "clause" for n in _walk(d))
            stand_in = not has_provisions
            if stand_in and d.kind not in ("document", "attachment"):
                self.warnings.append(
                    f"{self.source}: section {d.label} has no （一） clauses; its paragraphs stand in"
                    if d.kind == "level1"
                    else f"{self.source}: {d.label} has no numbered provisions; its paragraphs stand in"
                )
            role = "paragraph" if stand_in else ""
            paras = [
                _Draft("paragraph", f"¶{k + 1}", k + 1, ln.start, ln.end, ln.start, role=role)
                for k, ln in enumerate(d.paras)
            ]
            d.children = sorted(d.children + paras, key=lambda n: n.start)
            d.paras = []

    def paragraphs(self, idx: list[int], root: _Draft) -> None:
        for k, i in enumerate(idx):
            ln = self.content[i]
            root.children.append(_Draft("paragraph", f"¶{k + 1}", k + 1, ln.start, ln.end, ln.start, role="paragraph"))


def _path_of(stack: Sequence[_Draft]) -> str:
    return "/".join(d.label for d in stack if d.kind not in ("document",) and d.label and d.rank >= 0)


def segment(
    text: str,
    info: DocumentInfo,
    coverage: Iterable[CoverageNote] = (),
    steps: tuple[str, ...] | None = None,
) -> Document:
    """Split a document's text into its structure. `text` is the reader's output, original script."""
    ana = normalise(text) if steps is None else normalise(text, steps)
    b = _Builder(text, ana, info.kind, tuple(coverage))
    all_lines = lines(ana, text)
    doc_flags: list[str] = []
    # A line that is nothing but markers (the digest's "【其后部分未见…】") speaks about the document.
    content: list[Line] = []
    for line in all_lines:
        if not ana[line.start : line.end].strip():
            doc_flags.extend(markers(text, line.start, line.end))
        else:
            content.append(line)
    seg = _Segmenter(text, ana, info, b, content)
    root = _Draft("document", info.id, 0, 0, len(text), heading=info.title)
    parts = regions(seg.texts, seg.heads) if content else []

    # Sign-off: short trailing lines (issuer names, a date) after the last numbered line of the last region;
    # before it, a closing paragraph (结语) of an 意见 or 方案 and whatever follows it.
    sign_from = close_from = len(content)
    if parts:
        last = parts[-1]
        numbered = [i for i in range(last.first, last.stop) if seg.heads[i] is not None]
        if numbered:
            i = last.stop - 1
            while i > numbered[-1] and _is_signoff(ana, content[i]):
                sign_from = i
                i -= 1
            close_from = sign_from
            if seg.heads[numbered[-1]].kind in OFFICIAL_RANK:  # type: ignore[union-attr]
                close_from = next(
                    (j for j in range(numbered[-1] + 1, sign_from) if CLOSING_RE.match(seg.texts[j].strip())),
                    sign_from,
                )

    any_heads = any(h is not None and (h.kind in OFFICIAL_RANK or h.kind == "article") for h in seg.heads)
    style = ""
    levels: list[str] = []
    for part in parts:
        idx = [i for i in range(part.first, min(part.stop, close_from))]
        if part.kind == "wrapper":
            if idx:
                s, e = content[idx[0]].start, content[idx[-1]].end
                root.children.append(_Draft("wrapper", "通知", 0, s, e, heading=seg.b.display(s, content[idx[0]].end)))
            continue
        node = root
        if part.kind == "attachment":
            s = content[part.first].start
            node = _Draft("attachment", part.label, part.number, s, content[part.first].end, rank=-1)
            if part.marker:
                node.body_start = content[part.first].end
                idx = idx[1:]
                if m := TITLED_ATTACHMENT_RE.match(seg.texts[part.first]):
                    node.heading = seg.b.display(s + m.start(2), s + m.end(2))
            root.children.append(node)
            if idx:
                node.extend(content[idx[-1]].end)
                head_line = seg.texts[idx[0]]
                if not node.heading and seg.heads[idx[0]] is None and len(head_line) <= 60 and "。" not in head_line:
                    node.heading = seg.b.display(content[idx[0]].start, content[idx[0]].end)
                    # The attached document's title names it: the attachment's heading, not its first sentence.
                    node.body_start = content[idx[0]].end
                    idx = idx[1:]
        if not idx:
            continue
        articles = [i for i in idx if seg.heads[i] is not None and seg.heads[i].kind == "article"]  # type: ignore[union-attr]
        if len(articles) >= 2 or (articles and seg.heads[articles[0]].number == 1):  # type: ignore[union-attr]
            style = style or "legal"
            levels.append("article")
            seg.legal_body(idx, node)
        elif any_heads and any(seg.heads[i] is not None and seg.heads[i].kind in OFFICIAL_RANK for i in idx):  # type: ignore[union-attr]
            style = style or "official"
            seg.official_body(idx, node, part.first == 0)
            levels.append(seg.provision_level([seg.heads[i] for i in idx]))
        else:
            seg.paragraphs(idx, node)
    if not any_heads and content:
        seg.warnings.append(
            f"{info.source or info.id}: no 一、 sections or （一） clauses found; compared paragraph by paragraph"
        )
    if close_from < sign_from:
        s, e = content[close_from].start, content[sign_from - 1].end
        root.children.append(_Draft("closing", "结语", 0, s, e, s, role="closing"))
    if sign_from < len(content):
        s, e = content[sign_from].start, content[-1].end
        root.children.append(_Draft("signoff", "落款", 0, s, e, s, role="signoff"))

    # Several attachments (or an annex beside a main body) name their provisions by attachment; a notice's
    # single attachment is the document itself.
    attachments = [c for c in root.children if c.kind == "attachment"]
    prefix_attachments = len(attachments) > 1 or (bool(attachments) and parts[0].kind == "body")
    return _assemble(text, ana, info, b, root, seg, doc_flags, prefix_attachments, style, levels)


def _assemble(
    text: str,
    ana: str,
    info: DocumentInfo,
    b: _Builder,
    root: _Draft,
    seg: _Segmenter,
    doc_flags: list[str],
    prefix_attachments: bool,
    style: str,
    levels: list[str],
) -> Document:
    """Freeze the drafts into nodes, building provisions (and their paths and coverage) in reading order."""
    provisions: list[Provision] = []
    groups: list[tuple[_Draft, str, list[Provision]]] = []
    preamble: Provision | None = None
    closing: Provision | None = None
    signoff: Provision | None = None

    def leaf(d: _Draft, parent_path: str) -> Node:
        """A node below a provision, or beside the provisions (wrapper, history, contents, lead-in text)."""
        if d.kind == "paragraph" and not d.label:
            path = _join(parent_path, f"¶{d.number}") if d.number else parent_path
        elif d.kind in ("wrapper", "history", "contents", "event", "paragraph") and d.kind != "paragraph":
            path = _join(parent_path, d.label)
        else:
            path = _join(parent_path, d.label) if d.label else parent_path
        kids = tuple(leaf(c, path) for c in d.children)
        if d.kind in ("event", "title"):
            found: tuple[Unit, ...] = ()
        elif d.kind == "history":
            found = b.units_of(d.start, d.end)
        else:
            found = b.units_of(d.start, d.children[0].start if d.children else d.end)
        return Node(d.kind, d.label, d.number, d.heading, d.start, d.end, path, kids, found)  # type: ignore[arg-type]

    def freeze(d: _Draft, parent_path: str, group: list[Provision] | None) -> Node:
        nonlocal preamble, closing, signoff
        if d.role in ("clause", "paragraph"):
            p = b.provision(d, parent_path)
            provisions.append(p)
            if group is not None:
                group.append(p)
            kids = tuple(leaf(c, p.path) for c in d.children)
            return Node(d.kind, p.label, d.number, p.heading, d.start, d.end, p.path, kids, p.units, True)  # type: ignore[arg-type]
        if d.role in ("preamble", "closing", "signoff"):
            p = b.provision(d, "")
            if d.role == "preamble" and preamble is None:
                preamble = p
            elif d.role == "closing":
                closing = p
            elif d.role == "signoff":
                signoff = p
            return Node(d.kind, p.label, 0, "", d.start, d.end, _join(parent_path, p.label), (), p.units)  # type: ignore[arg-type]
        if d.kind not in CONTAINERS:
            return leaf(d, parent_path)
        own = d.label if d.kind != "document" else ""
        if d.kind == "attachment" and not prefix_attachments:
            own = ""
        path = _join(parent_path, own) if own else parent_path
        node_path = _join(parent_path, d.label) if d.kind == "attachment" and not own else path
        mine: list[Provision] = []
        groups.append((d, path, mine))
        kids = tuple(freeze(c, path, mine) for c in d.children)
        unit_start = d.body_start if d.body_start >= 0 else d.start
        own_end = d.children[0].start if d.children else d.end
        own_units = b.units_of(unit_start, own_end) if d.kind != "document" else ()
        return Node(d.kind, d.label, d.number, d.heading, d.start, d.end, node_path, kids, own_units)  # type: ignore[arg-type]

    tree = freeze(root, "", None)
    sections: list[Section] = []
    loose: list[Provision] = []
    for d, path, mine in groups:
        if not path:
            loose.extend(mine)
            continue
        has_containers = any(c.kind in CONTAINERS for c in d.children)
        if not mine and (has_containers or d.kind == "attachment"):
            continue
        cov = b.coverage_for(d.label + "、", d.heading, True, True) if b.coverage else "full"
        if cov not in ("full", "partial", "heading-only", "unseen"):
            cov = "full"
        sections.append(Section(path, d.heading, d.start, d.end, tuple(mine), cov, d.flags))  # type: ignore[arg-type]
    level = levels[0] if levels and len(set(levels)) == 1 else ("mixed" if levels else "")
    return Document(
        info,
        text,
        ana,
        preamble,
        tuple(sections),
        tuple(loose),
        signoff,
        tuple(seg.warnings),
        tuple(doc_flags),
        tree,
        level,
        style,
        closing,
    )


def _join(parent: str, label: str) -> str:
    return f"{parent}/{label}" if parent else label
