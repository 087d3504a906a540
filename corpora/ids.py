"""Readable ASCII ids for documents added without --id: the region's pinyin, a short title and the year
(河南省实施《残疾人保障法》办法, 2012 → henan-canjirenbaozhang-shishibanfa-2012), never a bare date, unique.

The only module that imports pypinyin.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from policydiff.corpora.divisions import strip_places
from policydiff.corpora.textmeta import clean_title, doc_type

MAX_ID = 64
TOPIC_CHARS = 24  # pinyin of a title's topic, cut at a syllable: enough to tell documents apart, short to type
_QUOTED = re.compile(r"《([^《》]{2,120})》")
_LEADING = re.compile(r"^(中华人民共和国|中共中央|国务院|中央|中共|关于|贯彻落实|贯彻|落实|印发|转发|实施)")
_ORGANS = re.compile(r"^(人民政府办公厅|人民政府办公室|人民政府|人民代表大会常务委员会|委员会|办公厅|办公室|委)")


def pinyin(text: str) -> list[str]:
    """Syllables of the Chinese in `text`, ASCII only (ü as v); letters and digits kept, the rest dropped."""
    from pypinyin import Style, lazy_pinyin

    out: list[str] = []
    for piece in lazy_pinyin(text, style=Style.NORMAL, errors="default"):
        piece = re.sub(r"[^a-z0-9]+", "", piece.lower())
        if piece:
            out.append(piece)
    return out


def _syllables(text: str, limit: int) -> str:
    out = ""
    for syllable in pinyin(text):
        if len(out) + len(syllable) > limit:
            break
        out += syllable
    return out


def _strip_leading(text: str) -> str:
    while True:
        shorter = _ORGANS.sub("", strip_places(_LEADING.sub("", text).lstrip()))
        if shorter == text or not shorter:
            return text
        text = shorter


def topic(title: str) -> str:
    """The words that say what a title is about: the quoted title it implements, else the title without its
    issuer, 关于 and type. 关于贯彻落实《…关于新时代推动中部地区高质量发展的意见》的实施意见
    → 新时代推动中部地区高质量发展."""
    title = clean_title(title)
    kind = doc_type(title)
    if quoted := _QUOTED.findall(title):
        core = clean_title(quoted[0])
        core = core.split("关于", 1)[1] if "关于" in core else _strip_leading(core)
        inner = doc_type(core)
        return re.sub("的$", "", core[: len(core) - len(inner)] if inner else core)
    core = title.split("关于", 1)[1] if "关于" in title else _strip_leading(title)
    core = core[: len(core) - len(kind)] if kind and core.endswith(kind) else core
    return re.sub("的$", "", _strip_leading(core))


def region_slug(level: str, region: str) -> str:
    if level == "central":
        return "central"  # as the bundled central-2021: clearer to a researcher than quanguo
    return "-".join(s for s in ("".join(pinyin(part)) for part in region.split("/")) if s)


def derived_id(title: str, level: str, region: str, date: str) -> str:
    """region-topic-type-year, e.g. hunan-xinshidaituidongzhongbudiqu-shishiyijian-2021; "" without a title."""
    kind = doc_type(title)
    about = topic(title)
    for part in region.split("/") if level != "central" else ():
        # 长沙县社区阅读… of 长沙县: the region is in the id already.
        about = about.removeprefix(part) if part and about.startswith(part) else about
    parts = [
        region_slug(level, region),
        _syllables(about, TOPIC_CHARS),
        "".join(pinyin(kind)),
        date[:4] if re.match(r"\d{4}", date) else "",
    ]
    slug = "-".join(p for p in parts if p)
    return slug[:MAX_ID].strip("-") if re.search(r"[a-z]", slug) else ""


def name_id(name: str) -> str:
    """An id from a file name the researcher gave in ASCII (guangdong-2021.docx → guangdong-2021); "" when the
    name is Chinese, or says no more than a date or a number (2012-07-27.md)."""
    stem = name[: -len(".digest.txt")] if name.lower().endswith(".digest.txt") else Path(name).stem
    if not stem.isascii():
        return ""
    doc_id = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-._")[:MAX_ID].strip("-._")
    return doc_id if re.search(r"[a-z]", doc_id) else ""


def unique_id(base: str, taken: Collection[str]) -> str:
    """`base`, or base-2, base-3 … when taken."""
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: MAX_ID - len(suffix)].rstrip("-._") + suffix
        if candidate not in taken:
            return candidate
        n += 1
