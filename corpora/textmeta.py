"""What a document's own text says about it: who issued it (level, region), its dated history (通过, 修正, 修订,
公布, 施行), its type (意见, 实施办法, 通知 …) and the documents it says it carries out (贯彻落实《X》, 实施《X》办法,
根据《X》…制定本办法).

Used when a file carries no metadata table (Markdown, plain text, DOCX): the title line, the history lines under
it, the opening paragraphs and the issuer lines at the end are read instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policydiff.corpora.divisions import place_in
from policydiff.corpora.model import HistoryEvent

# Document types, as titles end; longer first so 实施意见 wins over 意见 and 办法 over 法.
DOC_TYPES: tuple[str, ...] = (
    "实施意见",
    "实施方案",
    "实施办法",
    "实施细则",
    "实施条例",
    "意见",
    "方案",
    "办法",
    "条例",
    "规定",
    "细则",
    "通知",
    "规划",
    "计划",
    "纲要",
    "决定",
    "决议",
    "规则",
    "通告",
    "公告",
    "批复",
    "法",
)
# Events of a legal text's history, in the words its history lines use.
EVENTS: tuple[str, ...] = ("通过", "修正", "修订", "公布", "施行", "批准", "发布", "印发")

_QUOTED = re.compile(r"《([^《》]{2,120})》")
# Trailing remarks in parentheses: （试行）, （2012年修正）, （合成测试文本）.
_TRAILING_PAREN = re.compile(r"\s*[（(][^（）()]{1,30}[）)]\s*$")
# Bodies of the centre: Party, State Council, NPC, and ministries, commissions, administrations and banks.
_CENTRAL_RE = re.compile(r"^(中共中央|中央|国务院|全国人民代表大会|全国人大|全国|国家|最高人民|中华人民共和国)")
# A ministry alone or leading others (教育部等九部门); no 省市县… in it, or it is a local department.
_MINISTRY_RE = re.compile(r"[^省市县区州盟旗\s]{2,12}?(部|委员会|委|总局|局|署|银行)(?=等|、|$)")
_ZH_DIGITS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0}
_DATE_RE = re.compile(
    r"(\d{4}|[〇○零Ｏ一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
    r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
# Where a document's body begins: a chapter or article, a 一、 section, a （一） clause.
_BODY_START = re.compile(
    r"^\s*(第[一二三四五六七八九十百零〇\d]+[编章节条]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])"
)
HEADER_LINES = 30  # a title and its history block fit in this many lines
OPENING_CHARS = 3000  # 贯彻落实《X》 and 根据《X》…制定本办法 are said at the start (preamble or 第一条)


def _zh_number(value: str) -> int:
    if value.isdigit():
        return int(value)
    if "十" in value:
        tens, _, ones = value.partition("十")
        return (_ZH_DIGITS[tens] if tens else 1) * 10 + (_ZH_DIGITS[ones] if ones else 0)
    return int("".join(str(_ZH_DIGITS[ch]) for ch in value))


def _date(m: re.Match[str]) -> str:
    year, month, day = (_zh_number(g) for g in m.groups())
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return ""


def clean_title(title: str) -> str:
    """The title without trailing remarks in parentheses: 某某条例（2012年修正） → 某某条例."""
    title = title.strip()
    while (shorter := _TRAILING_PAREN.sub("", title)) != title and shorter:
        title = shorter
    return title


def doc_type(title: str) -> str:
    """意见, 实施意见, 方案, 实施办法, 条例, 通知, 法 … from how the title ends; "" when it ends otherwise."""
    title = clean_title(title)
    if re.search(r"实施《[^《》]+》(的)?(办法|细则|条例)$", title):
        return "实施" + title[-2:]
    return next((t for t in DOC_TYPES if title.endswith(t)), "")


def unquoted(title: str) -> str:
    """The title with the titles it quotes emptied: 河南省实施《中华人民共和国…法》办法 → 河南省实施《》办法."""
    return _QUOTED.sub("《》", title)


def issuer_part(title: str) -> str:
    """The words before 关于 (the issuer, in a government title), else the whole title; quoted titles emptied."""
    title = unquoted(clean_title(title))
    head, found, _ = title.partition("关于")
    return head.strip() if found and head.strip() else title


def is_central(name: str) -> bool:
    name = name.strip()
    bare = re.sub(r"^中共", "", name)
    return bool(_CENTRAL_RE.match(name) or (bare and _MINISTRY_RE.match(bare)))


def level_region(names: tuple[str, ...] | list[str]) -> tuple[str, str]:
    """(level, region) from issuer names or an issuer line: the most local place named wins; ("", "") if none."""
    best: tuple[str, str] = ("", "")
    rank = {"": 0, "central": 1, "provincial": 2, "prefectural": 3, "county": 4}
    for name in names:
        name = name.strip()
        if not name:
            continue
        place = place_in(name)
        found = (place.level, place.region) if place else (("central", "全国") if is_central(name) else ("", ""))
        if rank[found[0]] > rank[best[0]]:
            best = found
    return best


def _title_level(title: str) -> tuple[str, str]:
    head = issuer_part(title)
    place = place_in(head)
    if place:
        return place.level, place.region
    if clean_title(title).startswith("中华人民共和国"):
        return "central", "全国"  # a national law or administrative regulation
    return level_region(re.split(r"[\s、，,]+", head)) if head != unquoted(clean_title(title)) else ("", "")


def title_issuers(title: str) -> tuple[str, ...]:
    """The issuing bodies a title names before 关于: 中共湖南省委 湖南省人民政府关于… → both."""
    head = issuer_part(title)
    if head == unquoted(clean_title(title)):
        return ()
    parts = tuple(p for p in re.split(r"[\s、，,]+", head) if p)
    organ = re.compile(r"(政府|委|办公厅|办公室|部|委员会|局|厅|院|署|中央|银行|大会|人大)$")
    return parts if parts and all(organ.search(p) for p in parts) else ()


@dataclass(frozen=True)
class TextFacts:
    """What the text says; each field empty when it does not say."""

    level: str = ""
    region: str = ""
    issuer: tuple[str, ...] = ()
    date: str = ""  # the latest dated event, or a date line in the sign-off
    history: tuple[HistoryEvent, ...] = ()
    doc_type: str = ""
    implements: tuple[str, ...] = ()  # titles as quoted, in the order the text names them


def _header(text: str) -> list[str]:
    lines: list[str] = []
    for line in text.split("\n")[:HEADER_LINES]:
        if _BODY_START.match(line):
            break
        lines.append(line)
    return lines


def history(text: str) -> tuple[HistoryEvent, ...]:
    """Every dated event in the lines above the body: (date, 通过/修正/…, the words as written), in text order."""
    events: list[HistoryEvent] = []
    for line in _header(text):
        plain = _QUOTED.sub(lambda m: "《" + "　" * len(m.group(1)) + "》", line)  # 《关于修改…的决定》 is no event
        dates = list(_DATE_RE.finditer(plain))
        for i, m in enumerate(dates):
            stop = dates[i + 1].start() if i + 1 < len(dates) else len(plain)
            found = [(plain.find(e, m.end(), stop), e) for e in EVENTS]
            found = [(pos, e) for pos, e in found if pos >= 0]
            date = _date(m)
            if not found or not date:
                continue
            pos, event = min(found)
            words = line[m.start() : pos + len(event)].strip(" \t\u3000（）()")
            events.append(HistoryEvent(date=date, event=event, text=words))
    return tuple(events)


def _date_line(text: str) -> str:
    """A date standing on its own: in the last lines (the 成文日期 under the issuer), else under the title
    (（2021年4月23日）, as the press prints a central document)."""
    last = text.strip().split("\n")[-6:]
    lines = [line.strip(" \t\u3000（）()") for line in [*reversed(last), *_header(text)]]
    for line in lines:
        m = _DATE_RE.fullmatch(line)
        if m and (date := _date(m)):
            return date
    return ""


def _signoff_level(text: str) -> tuple[str, str]:
    lines = [line.strip() for line in text.strip().split("\n")[-6:] if line.strip()]
    short = [line for line in lines if len(line) <= 40 and not re.search(r"[。；：:]", line)]
    return level_region([part for line in short for part in re.split(r"[\s、]+", line)])


_CARRY_OUT = re.compile(r"(?:贯彻落实|贯彻执行|贯彻|落实)(?:好)?((?:《[^《》]{2,120}》[、和及与]?)+)")
_IMPLEMENTING = re.compile(r"实施((?:《[^《》]{2,120}》[、和及与]?)+)(?:的)?(?:办法|细则|条例|规定|方案|意见)")
_ACCORDING = re.compile(r"(?:根据|依据|依照)((?:《[^《》]{2,120}》[、和及与，,]?)+)")
_ISSUED = re.compile(r"(?:印发|转发|发布)((?:《[^《》]{2,120}》[、和及与]?)+)")


def implemented_titles(title: str, text: str) -> tuple[str, ...]:
    """The titles a document says it carries out, in order; a wrapper's attachment (印发《X》) is not one."""
    opening = title + "\n" + text[:OPENING_CHARS]
    issued = {q for m in _ISSUED.finditer(opening) for q in _QUOTED.findall(m.group(1))}
    found: list[str] = []
    for sentence in re.split(r"[。；\n]", opening):
        groups = [m.group(1) for m in _CARRY_OUT.finditer(sentence)]
        groups += [m.group(1) for m in _IMPLEMENTING.finditer(sentence)]
        if re.search(r"制定|结合", sentence):
            groups += [m.group(1) for m in _ACCORDING.finditer(sentence)]
        for group in groups:
            for quoted in _QUOTED.findall(group):
                quoted = quoted.strip()
                if quoted not in issued and quoted not in found:
                    found.append(quoted)
    return tuple(found)


def text_facts(title: str, text: str) -> TextFacts:
    """Level, region, issuer, date, history, type and implemented titles as the title and text state them."""
    events = history(text)
    level, region = _title_level(title) if title else ("", "")
    if not level:
        level, region = level_region([e.text for e in events])
        if not level and any("全国人民代表大会" in e.text for e in events):
            level, region = "central", "全国"
    if not level:
        level, region = _signoff_level(text)
    # The latest of the history's dates and the date line (成文日期 under the issuer, or under the title): a
    # notice's date line comes after the meeting that approved it, a law's last amendment after its passing.
    date = max([e.date for e in events] + [_date_line(text)])
    return TextFacts(
        level=level,
        region=region,
        issuer=title_issuers(title) if title else (),
        date=date,
        history=events,
        doc_type=doc_type(title) if title else "",
        implements=implemented_titles(title, text),
    )
