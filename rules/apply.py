"""Applying a rule set to text: formula spans, scope tokens, topics, quantitative targets, places, directives.

Pure functions over strings and token lists; the engine (`policydiff.compare`) decides what to do with them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from policydiff.rules.ruleset import RuleSet

PLACE_CLASS = "〈地名〉"

_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
# Arabic numbers, 百分之三十, and Chinese numerals up to 万; used wherever a target pattern says NUM.
NUM = (
    r"\d+(?:\.\d+)?"
    r"|百分之[零〇一二两三四五六七八九十百点]+"
    r"|[零〇一二两三四五六七八九十百千万]+(?:点[零〇一二三四五六七八九]+)?"
)


def chinese_number(text: str) -> float | None:
    """'30' → 30, '三十' → 30, '一千二百' → 1200, '两万' → 20000, '一点五' → 1.5, '百分之三十' → 30."""
    text = text.strip()
    if text.startswith("百分之"):
        text = text[3:]
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    if "点" in text:
        whole, _, frac = text.partition("点")
        base = chinese_number(whole) if whole else 0.0
        digits = "".join(str(_CN_DIGITS.get(ch, "")) for ch in frac)
        return None if base is None or not digits else base + float("0." + digits)
    total, section, current = 0, 0, 0
    seen = False
    for ch in text:
        if ch in _CN_DIGITS:
            current, seen = _CN_DIGITS[ch], True
        elif ch in _CN_UNITS:
            section += (current or 1) * _CN_UNITS[ch]
            current, seen = 0, True
        elif ch == "万":
            total += (section + current or 1) * 10000
            section, current, seen = 0, 0, True
        else:
            return None
    return float(total + section + current) if seen else None


@dataclass(frozen=True)
class Target:
    """One quantitative target found in a text."""

    indicator: str  # as written, e.g. 制造业增加值占地区生产总值比重
    key: str  # indicator with scope words removed, for matching across documents
    value: float
    unit: str  # % / 个百分点 / 万亩 / 年 … ("%" also for 百分之…)
    bound: str  # 以上 / 以下 / 左右 / 行动 … or ""
    year: str
    text: str  # the matched words as written

    def describe(self) -> str:
        return (f"到{self.year}年 " if self.year else "") + f"{self.indicator} {self.text}".strip()


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    region: str


class CompiledRules:
    """A rule set with its patterns compiled; built once per rule set (see `compile_rules`)."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.user_words = frozenset(rules.user_words)  # asked of every evidence term: a set, not the tuple
        self.formula_weight = rules.formula_weight
        self._formula = re.compile("|".join(f"(?:{f.pattern})" for f in rules.formulae)) if rules.formulae else None
        self.scope: dict[str, str] = {}
        for group in rules.scope:
            for word in group.words:
                self.scope.setdefault(word, group.canonical)
            self.scope.setdefault(group.canonical, group.canonical)
        self.canonical_scope = frozenset(g.canonical for g in rules.scope)
        self._scope_re = _alternation(self.scope)
        self.place: dict[str, Place] = {}
        for pg in rules.places:
            for name in pg.names:
                self.place.setdefault(name, Place(name, pg.kind, pg.region))
        self._place_re = _alternation(self.place)
        self._topics = tuple((t.name, t.keywords) for t in rules.topics)
        self._year = re.compile(rules.target_year) if rules.target_year else None
        self._targets = tuple(re.compile(p.regex.replace("NUM", f"(?:{NUM})")) for p in rules.targets)
        self.directive: dict[str, int] = {}
        for level in sorted(rules.directives, key=lambda lv: lv.strength):
            for word in level.words:
                self.directive[word] = level.strength

    # -- matching helpers -------------------------------------------------------------------------------

    def formula_spans(self, text: str) -> list[tuple[int, int]]:
        if self._formula is None:
            return []
        return [m.span() for m in self._formula.finditer(text) if m.end() > m.start()]

    def map_token(self, token: str) -> str:
        """The token as alignment sees it: scope words → their canonical token, cities/areas → one class."""
        if token in self.scope:
            return self.scope[token]
        place = self.place.get(token)
        if place is not None and place.kind in ("city", "area"):
            return PLACE_CLASS
        return token

    def scope_free(self, text: str) -> str:
        return self._scope_re.sub("", text) if self._scope_re else text

    def topics(self, text: str) -> tuple[str, ...]:
        found = []
        for name, keywords in self._topics:
            if sum(1 for k in keywords if k in text) >= self.rules.topic_min_hits:
                found.append(name)
        return tuple(found)

    def places(self, text: str) -> list[Place]:
        if self._place_re is None:
            return []
        seen: dict[str, Place] = {}
        for m in self._place_re.finditer(text):
            seen.setdefault(m.group(), self.place[m.group()])
        return list(seen.values())

    def strength(self, tokens: list[str] | tuple[str, ...]) -> tuple[int, str]:
        """The strongest directive word among the tokens: (level, word), or (0, "") when there is none."""
        best = (0, "")
        for tok in tokens:
            level = self.directive.get(tok, 0)
            if level > best[0]:
                best = (level, tok)
        return best

    def targets(self, text: str) -> list[Target]:
        """Quantitative targets in reading order; overlapping matches keep the earliest, longest one."""
        spans: list[tuple[int, int, re.Match[str]]] = []
        for pattern in self._targets:
            for m in pattern.finditer(text):
                if m.group("value") and chinese_number(m.group("value")) is not None and not _counts_words(m, text):
                    spans.append((m.start(), -m.end(), m))
        spans.sort(key=lambda s: (s[0], s[1]))
        out: list[Target] = []
        last_end = -1
        years = [(m.start(), m.group("year")) for m in self._year.finditer(text)] if self._year else []
        for start, neg_end, m in spans:
            if start < last_end:
                continue
            last_end = -neg_end
            groups = m.groupdict()
            raw_value = groups["value"]
            value = chinese_number(raw_value)
            unit = groups.get("unit") or ""
            if raw_value.startswith("百分之"):
                unit = "%"
            # The digest writes "indicator—value": the dash ends the indicator, it does not replace it.
            head = re.split(r"[，。；：—\n]", text[:start].rstrip(" —"))[-1].strip()
            year = ""
            for pos, y in years:
                if pos < start:
                    year = y
            key = self.scope_free(head)
            out.append(Target(head, key, float(value or 0.0), unit, groups.get("bound") or "", year, m.group().strip()))
        return out


def _counts_words(m: re.Match[str], text: str) -> bool:
    """A Chinese numeral with no unit that runs on into a word is a word: 突破一批, 达到一流, 提高一些."""
    value = m.group("value")
    if value[0].isdigit() or m.groupdict().get("unit"):
        return False
    nxt = text[m.end() : m.end() + 1]
    return bool(nxt) and "\u4e00" <= nxt <= "\u9fff"


def _alternation(words: Mapping[str, object]) -> re.Pattern[str] | None:
    if not words:
        return None
    ordered = sorted(words, key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in ordered))


@lru_cache(maxsize=8)
def compile_rules(rules: RuleSet) -> CompiledRules:
    return CompiledRules(rules)


# ---- comparing what two clauses say -------------------------------------------------------------------

TargetDiff = tuple[str, str, str, str]  # (indicator, change, target as written, reference as written)


def _unit_family(unit: str) -> str:
    return "%" if unit in ("%", "个百分点") else unit


def _similar(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    if not a or not b:
        return 0.0
    return float(fuzz.partial_ratio(a, b)) / 100.0


def compare_targets(target: list[Target], reference: list[Target], min_similarity: float = 0.75) -> list[TargetDiff]:
    """Pair targets by indicator and unit; say raised, lowered, same, changed, added (target only) or dropped."""
    candidates: list[tuple[float, int, int]] = []
    for i, t in enumerate(target):
        for j, r in enumerate(reference):
            if _unit_family(t.unit) != _unit_family(r.unit):
                continue
            if t.year and r.year and t.year != r.year:
                continue
            sim = _similar(t.key, r.key) if (t.key or r.key) else 1.0
            if sim >= min_similarity:
                candidates.append((sim, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_t: set[int] = set()
    used_r: set[int] = set()
    pairs: dict[int, int] = {}
    for _, i, j in candidates:
        if i not in used_t and j not in used_r:
            used_t.add(i)
            used_r.add(j)
            pairs[i] = j
    out: list[TargetDiff] = []
    for i, t in enumerate(target):
        if i in pairs:
            r = reference[pairs[i]]
            if t.unit != r.unit:
                change = "changed"
            elif t.value > r.value:
                change = "raised"
            elif t.value < r.value:
                change = "lowered"
            else:
                change = "same"
            out.append((t.indicator or r.indicator, change, t.describe(), r.describe()))
        else:
            out.append((t.indicator, "added", t.describe(), ""))
    for j, r in enumerate(reference):
        if j not in used_r:
            out.append((r.indicator, "dropped", "", r.describe()))
    return out
