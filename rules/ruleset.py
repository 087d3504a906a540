"""Rule sets: the keyword knowledge (lexicons, topics, targets, places, directives) kept as data files.

The bundled rule set lives in `rules/data/`; a researcher's folder of the same shape (`--rules DIR`) adds
to it. Files are TOML a researcher can open; errors name the file and the line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policydiff.corpora.errors import ConfigError
from policydiff.corpora.tomlfile import load_toml

BUNDLED_RULES = Path(__file__).resolve().parent / "data"

# What each rule file holds; `policydiff rules list` shows these.
RULE_FILES: dict[str, str] = {
    "lexicon.toml": "jieba user dictionary and stopwords",
    "formulae.toml": "political formulae and stock phrases (down-weighted)",
    "scope.toml": "scope words normalised to one token (中部地区 ↔ 我省)",
    "topics.toml": "policy topics and their keywords",
    "targets.toml": "quantitative target patterns",
    "places.toml": "named places, platforms and programmes",
    "directives.toml": "directive strength levels",
}


@dataclass(frozen=True)
class Formula:
    name: str
    pattern: str


@dataclass(frozen=True)
class ScopeGroup:
    canonical: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class TargetPattern:
    name: str
    regex: str


@dataclass(frozen=True)
class PlaceGroup:
    kind: str  # city, area, platform, programme
    region: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class DirectiveLevel:
    strength: int
    words: tuple[str, ...]


@dataclass(frozen=True)
class RuleFile:
    """One rule file as `policydiff rules list` shows it."""

    source: str  # "bundled" or the folder given with --rules
    name: str
    kind: str
    entries: int
    sha256: str


@dataclass(frozen=True)
class RuleSet:
    """Everything the engine knows beyond the documents themselves."""

    sources: tuple[str, ...] = ()  # folders the rules came from, bundled first
    user_words: tuple[str, ...] = ()
    stopwords: tuple[str, ...] = ()
    fingerprint: str = ""  # hash of every rule file's bytes; part of every cache key and export
    files: tuple[tuple[str, str], ...] = field(default=())  # (folder name/file, sha256)
    formulae: tuple[Formula, ...] = ()
    formula_weight: float = 0.15
    scope: tuple[ScopeGroup, ...] = ()
    topics: tuple[Topic, ...] = ()
    topic_min_hits: int = 1
    target_year: str = ""
    targets: tuple[TargetPattern, ...] = ()
    places: tuple[PlaceGroup, ...] = ()
    directives: tuple[DirectiveLevel, ...] = ()
    directive_threshold: float = 1.0
    rule_files: tuple[RuleFile, ...] = ()

    def describe(self) -> dict[str, Any]:
        return {"sources": list(self.sources), "fingerprint": self.fingerprint}


class _File:
    """A loaded rule file with what validation needs to point at a line."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = load_toml(path, ConfigError)
        self.text = path.read_text(encoding="utf-8")

    def line_of(self, needle: str) -> int:
        pos = self.text.find(needle) if needle else -1
        return self.text.count("\n", 0, pos) + 1 if pos >= 0 else 1

    def fail(self, needle: str, message: str) -> ConfigError:
        return ConfigError(f"{self.path}:{self.line_of(needle)}: {message}")

    def table(self, name: str) -> dict[str, Any]:
        section = self.data.get(name, {})
        if not isinstance(section, dict):
            raise self.fail(name, f"[{name}] must be a table")
        return section

    def tables(self, name: str) -> list[dict[str, Any]]:
        items = self.data.get(name, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise self.fail(f"[[{name}]]", f"[[{name}]] must be an array of tables")
        return items

    def strings(self, entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = entry.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
            raise self.fail(where or key, f"{key} must be a non-empty list of non-empty strings")
        return tuple(value)

    def string(self, entry: dict[str, Any], key: str, where: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where or key, f"{key} must be a non-empty string")
        return value

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise self.fail(f"{key} =", f"{key} must be a number between {low} and {high}")
        return float(value)

    def regex(self, pattern: str, where: str) -> None:
        try:
            re.compile(pattern.replace("NUM", "0"))
        except re.error as exc:
            raise self.fail(where, f"invalid regular expression ({exc})") from None


def _words(f: _File, table: str) -> list[str]:
    section = f.table(table)
    words = section.get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise f.fail(f"[{table}]", f"[{table}] words must be a list of strings")
    return words


class _Collector:
    def __init__(self) -> None:
        self.user: list[str] = []
        self.stop: list[str] = []
        self.formulae: list[Formula] = []
        self.formula_weight = 0.15
        self.scope: list[ScopeGroup] = []
        self.topics: list[Topic] = []
        self.topic_min_hits = 1
        self.target_year = ""
        self.targets: list[TargetPattern] = []
        self.places: list[PlaceGroup] = []
        self.directives: list[DirectiveLevel] = []
        self.directive_threshold = 1.0

    def add_user(self, words: tuple[str, ...] | list[str]) -> None:
        self.user.extend(w for w in words if w not in self.user)

    def load(self, name: str, f: _File) -> int:
        """Read one rule file into the collection; returns its number of entries."""
        if name == "lexicon.toml":
            user, stop = _words(f, "userdict"), _words(f, "stopwords")
            self.add_user(user)
            self.stop.extend(w for w in stop if w not in self.stop)
            return len(user) + len(stop)
        if name == "formulae.toml":
            self.formula_weight = f.number("weight", self.formula_weight, 0.0, 1.0)
            entries = f.tables("formula")
            for e in entries:
                pattern = f.string(e, "pattern", "pattern")
                f.regex(pattern, pattern)
                self.formulae.append(Formula(str(e.get("name", pattern)), pattern))
            return len(entries)
        if name == "scope.toml":
            entries = f.tables("scope")
            for e in entries:
                canonical = f.string(e, "canonical", "canonical")
                words = f.strings(e, "words", canonical)
                self.scope.append(ScopeGroup(canonical, words))
                self.add_user([canonical, *words])
            return len(entries)
        if name == "topics.toml":
            self.topic_min_hits = int(f.number("min_hits", self.topic_min_hits, 1, 20))
            entries = f.tables("topic")
            for e in entries:
                topic = f.string(e, "name", "name")
                self.topics.append(Topic(topic, f.strings(e, "keywords", topic)))
            return len(entries)
        if name == "targets.toml":
            year = f.data.get("year", self.target_year)
            if not isinstance(year, str) or (year and "(?P<year>" not in year):
                raise f.fail("year", "year must be a regular expression with a (?P<year>…) group")
            f.regex(year, "year")
            self.target_year = year or self.target_year
            entries = f.tables("pattern")
            for e in entries:
                regex = f.string(e, "regex", "regex")
                f.regex(regex, regex[:20])
                if "(?P<value>" not in regex:
                    raise f.fail(regex[:20], "regex needs a (?P<value>…) group")
                self.targets.append(TargetPattern(str(e.get("name", regex)), regex))
            return len(entries)
        if name == "places.toml":
            entries = f.tables("places")
            for e in entries:
                kind = f.string(e, "kind", "kind")
                if kind not in ("city", "area", "platform", "programme"):
                    raise f.fail(f'"{kind}"', f"kind must be city, area, platform or programme, got {kind!r}")
                names = f.strings(e, "names", kind)
                self.places.append(PlaceGroup(kind, str(e.get("region", "")), names))
                self.add_user(names)
            return len(entries)
        if name == "directives.toml":
            self.directive_threshold = f.number("threshold", self.directive_threshold, 0.0, 5.0)
            entries = f.tables("level")
            for e in entries:
                strength = e.get("strength")
                if isinstance(strength, bool) or not isinstance(strength, int) or not 1 <= strength <= 5:
                    raise f.fail("strength", "strength must be a whole number from 1 to 5")
                self.directives.append(DirectiveLevel(strength, f.strings(e, "words", f"strength = {strength}")))
            return len(entries)
        return 0


def load_rules(extra_dirs: tuple[Path, ...] | list[Path] = ()) -> RuleSet:
    c = _Collector()
    sources: list[str] = []
    files: list[tuple[str, str]] = []
    listing: list[RuleFile] = []
    for folder in (BUNDLED_RULES, *[Path(d) for d in extra_dirs]):
        if not folder.is_dir():
            raise ConfigError(f"{folder}: rules folder not found")
        source = "bundled" if folder == BUNDLED_RULES else str(folder)
        sources.append(source)
        for path in sorted(folder.glob("*.toml")):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            files.append((f"{source}/{path.name}", digest))
            if path.name not in RULE_FILES:
                known = ", ".join(sorted(RULE_FILES))
                raise ConfigError(f"{path}: unknown rule file; known names: {known}")
            entries = c.load(path.name, _File(path))
            listing.append(RuleFile(source, path.name, RULE_FILES[path.name], entries, digest))
    fingerprint = hashlib.sha256(repr(files).encode()).hexdigest()[:16]
    return RuleSet(
        sources=tuple(sources),
        user_words=tuple(c.user),
        stopwords=tuple(c.stop),
        fingerprint=fingerprint,
        files=tuple(files),
        formulae=tuple(c.formulae),
        formula_weight=c.formula_weight,
        scope=tuple(c.scope),
        topics=tuple(c.topics),
        topic_min_hits=c.topic_min_hits,
        target_year=c.target_year,
        targets=tuple(c.targets),
        places=tuple(c.places),
        directives=tuple(c.directives),
        directive_threshold=c.directive_threshold,
        rule_files=tuple(listing),
    )
