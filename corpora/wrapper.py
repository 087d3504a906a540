"""Wrappers and attachments: where a 通知 ends and the documents it issues begin.

A notice (关于印发《X》的通知) carries its addressees (各市州人民政府…：), a short instruction, the issuer and the
date, then the attached document(s): after a line 附件 / 附件1, or after a line repeating the title X. The
notice is kept as one `wrapper` node; the provisions come from the attachments. A document whose own body
comes before a 附件 line (an 意见 with an annex table) is no wrapper: its body stays the main text and each
annex becomes an attachment beside it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from policydiff.corpora.numbering import Head, cn_number

if TYPE_CHECKING:
    from policydiff.corpora.model import Document

# 附件 / 附件1 / 附件一 / 附件2：, alone on its line (a listing 附件：1.《…》 in the notice is no attachment).
ATTACHMENT_RE = re.compile(r"^附\s*件\s*(\d{1,2}|[一二三四五六七八九十]{1,3})?\s*[:：]?$")
# 附件2：示例评定办法 — a numbered attachment with its title on the same line.
TITLED_ATTACHMENT_RE = re.compile(r"^附\s*件\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[:：]\s*(?!\d)([^。；]{2,60})$")
# A notice's title, ending the line (an issue number in brackets may follow): 关于印发《X》的通知, or as official
# titles are written, without book-title marks: 关于印发X的通知. Group 1 is what it issues.
NOTICE_TITLE_RE = re.compile(r"关于(?:印发|转发|下发|公布)(.+)的通知(?:[（(][^（）()]*[）)])?\s*$")
_CITED_RE = re.compile(r"[《〈]([^《》〈〉]{2,120})[》〉]")
# …等文件 / …等三个文件 / …等2项制度: the title names the first of several documents.
_MORE_RE = re.compile(r"等(?:[一二三四五六七八九十两\d]{1,3}[个项份部件]\S{0,6}|文件|材料)$")
_JOINERS_RE = re.compile(r"[和及与、，,\s]*")


@functools.lru_cache(maxsize=65536)  # a listing looks for every implemented title among every catalogued one
def issued_titles(title: str) -> tuple[str, ...]:
    """The documents a notice's title says it issues; () for any other title. 关于印发《X》和《Y》的通知 → X, Y;
    关于印发X的通知 → X; 关于印发X等三个文件的通知 → X; 关于转发国家发展改革委关于X的意见的通知 → that title, and
    the same from its 关于 on (the forwarded document may be catalogued or cited either way). Whoever implements X
    cites X, not the notice: the notice is where X's text is."""
    notice = NOTICE_TITLE_RE.search(title)
    if notice is None:
        return ()
    issued = _MORE_RE.sub("", notice.group(1).strip())
    cited = _CITED_RE.findall(issued)
    if cited and _JOINERS_RE.fullmatch(_CITED_RE.sub("", issued)):
        return tuple(cited)
    issued = re.sub(r"[《》〈〉]", "", issued)  # 《某法》实施办法: the document is the whole phrase
    if len(issued) < 2:
        return ()
    inner = issued.find("关于", 1)  # 转发省发展改革委关于X的意见: also as cited without its issuer
    return (issued, issued[inner:]) if inner > 0 else (issued,)


def issued_documents(doc: Document) -> tuple[str, ...]:
    """What a notice issues: the titles its own title names (`issued_titles`) and, when it wraps attachments,
    their headings (关于印发A等两个文件的通知 names the second document only above its attachment); () for a
    document that is no notice. An 意见's annexes beside its own body are no issued documents."""
    nodes = doc.outline.walk()
    named = issued_titles(doc.info.title)
    if not any(n.kind == "wrapper" for n in nodes):
        return named
    return tuple(dict.fromkeys([*named, *(n.heading for n in nodes if n.kind == "attachment" and n.heading)]))


# 各市州人民政府，省政府各厅委、各直属机构： — an addressee line.
ADDRESSEE_RE = re.compile(r"^各.{1,120}[：:]$")
# A notice with more numbered points than this is a document of its own, not a wrapper.
MAX_WRAPPER_HEADS = 6


@dataclass(frozen=True)
class Region:
    """A run of lines segmented on its own: the wrapper, the main body, or one attachment."""

    kind: str  # "wrapper", "body" or "attachment"
    label: str  # "通知", "", "附件", "附件1"
    number: int
    first: int  # index of its first line
    stop: int  # index after its last line
    marker: bool = False  # the first line is the 附件 line itself


def _squash(text: str) -> str:
    return re.sub(r"[\s《》〈〉]", "", text)


def regions(texts: Sequence[str], heads: Sequence[Head | None]) -> list[Region]:
    """Split a document's lines into wrapper / body / attachment regions (one body region when plain)."""
    n = len(texts)
    starts: list[tuple[int, str, int, bool]] = []  # (line, label, number, marker line)
    for i, text in enumerate(texts):
        m = ATTACHMENT_RE.match(text.replace(" ", "")) or TITLED_ATTACHMENT_RE.match(text)
        if m:
            raw = m.group(1) or ""
            starts.append((i, f"附件{raw}", cn_number(raw), True))
    notice = NOTICE_TITLE_RE.search(texts[0]) if texts else None
    if not starts and notice:
        # No 附件 line: the attachment starts where the title of the issued document is repeated.
        titles = {_squash(t) for t in issued_titles(texts[0])}
        for i in range(1, n):
            if _squash(texts[i]) in titles:
                starts.append((i, "附件", 0, False))
                break
    if not starts or starts[0][0] == 0:
        return [Region("body", "", 0, 0, n)]
    first = starts[0][0]
    numbered = sum(1 for h in heads[:first] if h is not None and h.kind not in ("level3", "level4", "level5"))
    addressed = any(ADDRESSEE_RE.match(t) for t in texts[:first])
    wrapper = (notice is not None or addressed or "通知" in texts[0]) and numbered <= MAX_WRAPPER_HEADS
    out = [Region("wrapper" if wrapper else "body", "通知" if wrapper else "", 0, 0, first)]
    for k, (i, label, number, marker) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else n
        out.append(Region("attachment", label, number, i, stop, marker))
    return out
