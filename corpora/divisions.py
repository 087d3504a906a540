"""Which place a name in a title or issuer line means: the administrative divisions (data in divisions.csv) and
the rule for county-level names, turned into a level (provincial / prefectural / county) and a region path
such as 湖南, 湖南/长沙 or 北京/海淀区.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DIVISIONS_FILE = Path(__file__).resolve().parent / "divisions.csv"


@dataclass(frozen=True)
class Division:
    level: str  # provincial, prefectural, county
    name: str  # 湖南省, 长沙市, 湘西土家族苗族自治州
    short: str  # 湖南, 长沙, 湘西州
    province: str  # short name of the province it belongs to; "" for a province


@dataclass(frozen=True)
class Place:
    level: str
    region: str  # "湖南", "湖南/长沙", "湖南/长沙/岳麓区", "北京/海淀区"


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    """The rows of divisions.csv (comment lines start with #)."""
    with DIVISIONS_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    return tuple(Division(r["level"], r["name"], r["short"], r["province"]) for r in rows)


@lru_cache(maxsize=1)
def _names() -> tuple[re.Pattern[str], dict[str, Division]]:
    by_name: dict[str, Division] = {}
    for d in divisions():
        by_name[d.name] = d
        if d.short.endswith("州") and d.short != d.name:
            by_name.setdefault(d.short, d)  # 湘西州: how texts name an autonomous prefecture
    # Longest names first, so 海南藏族自治州 is not read as 海南省's short name and 吉林省 not as 吉林市.
    alternatives = sorted(by_name, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))), by_name


# A county-level name after a province or prefecture: 1–6 characters, then its kind. Words that end in 区 or
# 市 without naming a county (开发区, 新区, 城区, 自治区 …) and organ words (人民政府…) are ruled out below.
_COUNTY_AFTER = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:自治县|自治旗|林区|县|旗|区|市)")
_NOT_COUNTY_WORDS = (
    "人民",
    "政府",
    "办公",
    "关于",
    "委",
    "的",
    "和",
    "与",
    "及",
    "党",
    "局",
    "厅",
    "会",
    "院",
    "实施",
    "印发",
    "贯彻",
)
_NOT_COUNTY_ENDINGS = ("开发区", "新区", "园区", "示范区", "试验区", "实验区", "城区", "市区", "地区", "社区", "自治区")
# A county named on its own, recognisable because its government or Party committee follows: 示例县人民政府,
# 岳麓区人民政府 (a 区 only with its 人民政府: a 新区 or 开发区 has a 管委会, and 自治区 is provincial).
_LONE_COUNTY = re.compile(
    r"([\u4e00-\u9fff]{1,6}?(?:自治县|自治旗|县|旗))(?=人民政府|人民代表大会|人大|委员会|委|政府|办公室)"
    r"|([\u4e00-\u9fff]{1,6}?区)(?=人民政府|人民代表大会)"
)
# A province this list does not hold (a synthetic 示例省) still says provincial: only provinces are 省.
_OTHER_PROVINCE = re.compile(r"^(?:中共)?([\u4e00-\u9fff]{2,4}?)(省|自治区)")


def _county_after(text: str, pos: int) -> str:
    if _names()[0].match(text, pos):
        return ""  # a listed division (湖南省长沙市): the loop reads it as what it is
    m = _COUNTY_AFTER.match(text, pos)
    if not m:
        return ""
    name = m.group(0)
    if any(w in name for w in _NOT_COUNTY_WORDS) or name.endswith(_NOT_COUNTY_ENDINGS) or len(name) < 2:
        return ""
    return name


def place_in(text: str) -> Place | None:
    """The most local place `text` names as its issuer: 湖南省长沙市人民政府 → Place(prefectural, 湖南/长沙).

    Only the first chain of names counts (province, prefecture, county, adjacent or nearly so); a name further
    on is what the document is about, not who issued it. None when no division is named.
    """
    pattern, by_name = _names()
    province = prefecture = county = ""
    end = -1
    for m in pattern.finditer(text):
        if end >= 0 and m.start() > end + 1:  # allow one joining character (中共湖南省委 湖南省人民政府)
            break
        d = by_name[m.group(0)]
        if d.level == "provincial":
            if province and province != d.short:
                break
            province = d.short
        elif d.level == "prefectural":
            if prefecture and prefecture != d.short:
                break
            province, prefecture = d.province, d.short
        else:
            province, county = d.province, d.name
        end = m.end()
        if after := _county_after(text, end):
            county = county or after
            end += len(after)
    if not province:
        for m in _LONE_COUNTY.finditer(text):
            name = m.group(1) or m.group(2)
            if not name.endswith(_NOT_COUNTY_ENDINGS) and not any(w in name for w in _NOT_COUNTY_WORDS):
                return Place("county", name)
        if other := _OTHER_PROVINCE.match(text.strip()):
            province = other.group(1)
            if after := _county_after(text.strip(), other.end()):
                return Place("county", f"{province}/{after}")
            return Place("provincial", province)
        return None
    if county:
        return Place("county", "/".join(p for p in (province, prefecture, county) if p))
    if prefecture:
        return Place("prefectural", f"{province}/{prefecture}")
    return Place("provincial", province)


def strip_places(text: str) -> str:
    """`text` without the division names it starts with: 湖南省长沙市城市更新方案 → 城市更新方案."""
    pattern = _names()[0]
    while m := pattern.match(text):
        text = text[m.end() :]
    return text
