"""The front matter of a legal text: its dated history block and its table of contents (目录).

A law or regulation lists its history under the title: （2001年3月5日…通过　根据2010年7月29日…第一次修正）,
or one event a line. Those lines are neither preamble nor provisions: they become a `history` node whose
children are the single events. A 目录 lists the chapters before the chapters themselves; its lines must not
be taken for chapters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from policydiff.corpora.numbering import Head

DATE = r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
VERBS = ("通过", "修正", "修订", "公布", "施行", "批准", "发布", "废止")
# One event: a date, then (without passing a sentence end) the first of the verbs.
EVENT_RE = re.compile(rf"({DATE})[^。；\n]{{0,120}}?({'|'.join(VERBS)})")
# A history line opens with its date, with a bracket, or with 根据 (…根据…决定第二次修正).
_OPENS = re.compile(rf"^[（(【\[]?\s*(?:{DATE}|根据)")


def is_history_line(text: str) -> bool:
    return bool(_OPENS.match(text.strip())) and bool(EVENT_RE.search(text))


def is_bracketed_history_line(text: str) -> bool:
    """A dated event in brackets on a line of its own, as under the title of a 方案 or 办法 adopted at a meeting
    (（2024年3月5日市人民政府第12次常务会议审议通过）). Official-style texts get only this form: their preamble may
    well open with a date and an 通过 or 发布 in a sentence of its own."""
    t = text.strip()
    return t[:1] in "（(" and t[-1:] in "）)" and is_history_line(t)


def events(ana: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, verb) of every dated event between `start` and `end`."""
    return [(m.start(), m.end(), m.group(2)) for m in EVENT_RE.finditer(ana, start, end)]


def contents_block(texts: Sequence[str], heads: Sequence[Head | None]) -> tuple[int, int] | None:
    """(first, last + 1) line indices of a 目录 and the chapter lines listed under it, or None."""
    for k, text in enumerate(texts):
        if re.sub(r"\s", "", text) not in ("目录", "目次"):
            continue
        j = k + 1
        opening = heads[j] if j < len(heads) else None
        first = opening.label if opening is not None else None
        while j < len(texts):
            head = heads[j]
            if head is None or head.kind not in ("part", "chapter", "section"):
                break
            if j > k + 1 and head.label == first:
                break  # the first chapter again: the body begins
            j += 1
        return k, j
    return None
