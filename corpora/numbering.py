"""Numbering patterns of Chinese policy documents, kept as data: which line opens a chapter, an article, a 一、.

Two schemes exist side by side. Legal style (法律, 条例, 办法, 规定 …) numbers 编 / 章 / 节 / 条, and inside an
article （一） items (项) and 1. sub-items (目). Official-document style (意见, 方案, 规划 …, GB/T 9704) numbers
一、 / （一） / 1. / （1） / ①, with 第一部分 parts above. Patterns run on the analysis text, where brackets are
already full-width and digits ASCII (`normalise.widths`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇一二三四五六七八九十百千两"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_number(text: str) -> int:
    """一 → 1, 十一 → 11, 一百零三 → 103, 12 → 12; 0 when `text` is not a number."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in text):
        return 0
    total, digit = 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        else:
            total += (digit or 1) * CN_UNITS[ch]
            digit = 0
    return total + digit


def cn_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 75 → 七十五, 120 → 一百二十: how a section or clause number is written (n < 1000)."""
    names = "零一二三四五六七八九"
    if n < 10:
        return names[n]
    if n < 20:
        return "十" + (names[n % 10] if n % 10 else "")
    if n < 100:
        return names[n // 10] + "十" + (names[n % 10] if n % 10 else "")
    rest = n % 100
    if not rest:
        tail = ""
    elif rest < 10:
        tail = "零" + names[rest]
    elif rest < 20:
        tail = "一" + cn_numeral(rest)
    else:
        tail = cn_numeral(rest)
    return names[n // 100] + "百" + tail


@dataclass(frozen=True)
class Pattern:
    kind: str  # the node kind a match opens
    regex: re.Pattern[str]
    label: str  # how the canonical label is written, {n} the number as matched
    why: str = ""


# Order matters: the first pattern that matches a line's start wins.
PATTERNS: tuple[Pattern, ...] = (
    Pattern("part", re.compile(rf"^第([{_CN}\d]+)编"), "第{n}编"),
    # 第一部分 heads a part of a plan or programme (official style); it is always a line of its own.
    Pattern("part", re.compile(rf"^第([{_CN}\d]+)部分"), "第{n}部分"),
    Pattern("chapter", re.compile(rf"^第([{_CN}\d]+)章"), "第{n}章"),
    Pattern("section", re.compile(rf"^第([{_CN}\d]+)节"), "第{n}节"),
    Pattern("article", re.compile(rf"^第([{_CN}\d]+)条"), "第{n}条"),
    Pattern("level1", re.compile(rf"^([{_CN}]+)、"), "{n}"),
    # （？） is a digest's "clause number unknown".
    Pattern("level2", re.compile(rf"^（([{_CN}]+|？)）"), "（{n}）"),
    # 1. but not 1.5 (a decimal opening a sentence); 1、 is the same level written the other way.
    Pattern("level3", re.compile(r"^(\d{1,3})(?:\.(?!\d)|、)"), "{n}."),
    Pattern("level4", re.compile(r"^（(\d{1,3})）"), "（{n}）"),
    Pattern("level5", re.compile(rf"^([{_CIRCLED}])"), "{n}"),
)

# A Markdown heading mark left in plain text (`## 第一章 总则`): skipped before matching.
MARKDOWN_MARK = re.compile(r"^#{1,6}\s+")
# 第五条 at a line's start followed by one of these is a reference running on from the previous line
# (…依照\n第五条规定的程序…), not a new article, when its number is not the next one.
REFERENCE_AFTER = re.compile(r"^(?:规定|所称|所列|所述|的|中|之|第|和|与|、|至|及|或|以)")
# Chapters and articles carry no heading of their own except a bracketed one: 第一条【立法目的】 or （立法目的）.
BRACKET_HEADING = re.compile(r"^\s*(【([^】\n]{1,30})】|（([^）\n]{1,20})）)")


@dataclass(frozen=True)
class Head:
    """A numbered line start: what it opens, its canonical label and number, where its text begins."""

    kind: str
    label: str  # 第十条, 二, （三）, 2., （1）, ①
    number: int  # 0 when unknown (（？）)
    start: int  # offset of the label within the line (after a Markdown mark)
    end: int  # offset just after the label and its separator


def match_head(line: str) -> Head | None:
    """The numbering that opens `line`, if any."""
    offset = 0
    if m := MARKDOWN_MARK.match(line):
        offset = m.end()
    rest = line[offset:]
    for p in PATTERNS:
        if m := p.regex.match(rest):
            raw = m.group(1)
            number = _CIRCLED.index(raw) + 1 if p.kind == "level5" else cn_number(raw)
            return Head(p.kind, p.label.format(n=raw), number, offset, offset + m.end())
    return None


def circled(n: int) -> str:
    return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
