"""Codebooks: policy-instrument schemes (types, subtypes, keywords, patterns) and policy-strength tables as data.

The default codebook is Rothwell & Zegveld's supply / environment / demand scheme
(`rules/data/codebooks/rothwell-zegveld.toml`); the default strength table is `strength.toml` beside it. A
researcher's own codebook in the same format replaces both (its [[strength]] rows, when present, replace the
table). Errors name the file and the line, as for the rule files.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policydiff.corpora.errors import ConfigError
from policydiff.rules.ruleset import BUNDLED_RULES, _File

CODEBOOKS = BUNDLED_RULES / "codebooks"
DEFAULT_CODEBOOK = CODEBOOKS / "rothwell-zegveld.toml"
DEFAULT_STRENGTH = CODEBOOKS / "strength.toml"

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {
    "name",
    "min_score",
    "ignore",
    "type",
    "subtype",
    "stock",
    "strength",
    "source",
    "examples",
    "examples_override",
}
# How much higher the examples must score their own choice than the best keyword code to replace it (the
# classifier's decision values): measured by leaving one document out (tests/gold/coding/README.md).
DEFAULT_OVERRIDE = 0.4
_EXAMPLE_COLUMNS = ("text", "type", "subtype")
NO_MEASURE = "none"  # the type a hand coder writes for a sentence of no measure
_TYPE_KEYS = {"id", "label", "about"}
_SUBTYPE_KEYS = {"id", "type", "label", "priority", "keywords", "patterns", "exclusions", "about"}
_STOCK_KEYS = {"id", "about", "patterns"}
_STRENGTH_KEYS = {"score", "label", "doc_types", "levels"}


@dataclass(frozen=True)
class InstrumentType:
    id: str  # "supply"
    label: str  # "供给型"
    about: str = ""


@dataclass(frozen=True)
class Subtype:
    id: str  # "funding"
    type: str  # id of its InstrumentType
    label: str  # "资金投入"
    priority: int  # higher first when a sentence has several codes
    keywords: tuple[str, ...]
    patterns: tuple[str, ...]
    exclusions: tuple[str, ...]


@dataclass(frozen=True)
class StockFormula:
    """Sentences of no measure (guiding ideology, lead formulae, implementation duties): a sentence that one of
    the patterns matches gets no code, whatever keywords it holds."""

    id: str  # "guiding_ideology"
    about: str
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class StrengthRule:
    score: int
    label: str
    doc_types: tuple[str, ...]
    levels: tuple[str, ...] = ()  # empty: any level


@dataclass(frozen=True)
class StrengthTable:
    rules: tuple[StrengthRule, ...]
    source: str  # the scheme's citation, echoed in every export
    file: str


@dataclass(frozen=True)
class Example:
    """One hand-coded sentence the codebook learns from: its primary instrument, or NO_MEASURE."""

    text: str
    type: str  # a type id, or "none"
    subtype: str  # a subtype id of that type; "" for none

    @property
    def label(self) -> str:
        return f"{self.type}/{self.subtype}" if self.type != NO_MEASURE else NO_MEASURE


@dataclass(frozen=True)
class Examples:
    """Hand-coded sentences (a CSV named by the codebook's `examples`): among the codes its keywords give a
    sentence, the one a classifier trained on these examples prefers becomes the primary instrument, unless the
    classifier prefers another code (or no measure) by more than `override`."""

    file: str
    sha256: str
    items: tuple[Example, ...]
    override: float = DEFAULT_OVERRIDE


@dataclass(frozen=True)
class Codebook:
    name: str
    file: str  # "bundled/rothwell-zegveld.toml" or the path given
    sha256: str
    min_score: float
    types: tuple[InstrumentType, ...]
    subtypes: tuple[Subtype, ...]
    strength: StrengthTable
    ignore: tuple[str, ...] = ()  # patterns masked for every subtype (agency names such as 发展改革委)
    stock: tuple[StockFormula, ...] = ()
    examples: Examples | None = None

    def type_of(self, type_id: str) -> InstrumentType:
        for t in self.types:
            if t.id == type_id:
                return t
        raise KeyError(type_id)

    def subtype(self, subtype_id: str) -> Subtype:
        for s in self.subtypes:
            if s.id == subtype_id:
                return s
        raise KeyError(subtype_id)

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "file": self.file,
            "sha256": self.sha256,
            "min_score": self.min_score,
            "types": [{"id": t.id, "label": t.label} for t in self.types],
            "subtypes": [{"id": s.id, "type": s.type, "label": s.label} for s in self.subtypes],
            "strength_source": self.strength.source,
            "strength_file": self.strength.file,
            "examples": (
                {
                    "file": self.examples.file,
                    "sha256": self.examples.sha256,
                    "count": len(self.examples.items),
                    "override": self.examples.override,
                }
                if self.examples
                else None
            ),
        }


def _display(path: Path) -> str:
    try:
        return "bundled/" + path.resolve().relative_to(BUNDLED_RULES).as_posix()
    except ValueError:
        return str(path)


def _unknown_keys(f: _File, entry: dict[str, Any], known: set[str], where: str, what: str) -> None:
    extra = sorted(set(entry) - known)
    if extra:
        raise f.fail(f"{extra[0]} =", f"unknown key {extra[0]!r} in {what}; known keys: {', '.join(sorted(known))}")


def _entry_anchor(entry: dict[str, Any], key: str) -> str:
    """Text that finds an entry's line in the file: its `id = "…"` line (first occurrence)."""
    value = entry.get(key)
    return f'"{value}"' if isinstance(value, str) and value else ""


def _new_id(f: _File, entry: dict[str, Any], table: str, keys: Any, taken: list[str]) -> tuple[str, str]:
    """A [[type]] or [[subtype]] entry's anchor and id: known keys only, a well-formed id, not defined twice."""
    anchor = _entry_anchor(entry, "id")
    _unknown_keys(f, entry, keys, anchor, f"[[{table}]]")
    new = f.string(entry, "id", f"[[{table}]]")
    if not _ID.match(new):
        raise f.fail(anchor, f"{table} id {new!r} must be lower-case letters, digits and _")
    if new in taken:
        raise f.fail(anchor, f"{table} {new!r} is defined twice")
    return anchor, new


def _str_list(f: _File, entry: dict[str, Any], key: str, where: str, required: bool = False) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise f.fail(where, f"{key} must be a list of non-empty strings")
    if required and not value:
        raise f.fail(where, f"{key} must not be empty")
    return tuple(value)


def _patterns(f: _File, entry: dict[str, Any], key: str, where: str, owner: str) -> tuple[str, ...]:
    patterns = _str_list(f, entry, key, where)
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise f.fail(pattern, f"invalid regular expression in {owner} ({exc})") from None
    return patterns


def _stock_formulae(f: _File) -> tuple[StockFormula, ...]:
    out: list[StockFormula] = []
    for entry in f.tables("stock"):
        anchor, stock_id = _new_id(f, entry, "stock", _STOCK_KEYS, [s.id for s in out])
        patterns = _patterns(f, entry, "patterns", anchor, repr(stock_id))
        if not patterns:
            raise f.fail(anchor, f"stock formula {stock_id!r} needs patterns")
        out.append(StockFormula(stock_id, str(entry.get("about", "")), patterns))
    return tuple(out)


def _strength_rules(f: _File) -> tuple[StrengthRule, ...]:
    rows = f.tables("strength")
    out = []
    for row in rows:
        anchor = f"score = {row.get('score')}"
        _unknown_keys(f, row, _STRENGTH_KEYS, anchor, "[[strength]]")
        score = row.get("score")
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 10:
            raise f.fail("score =", "score must be a whole number from 1 to 10")
        label = row.get("label", "")
        if not isinstance(label, str):
            raise f.fail(anchor, "label must be a string")
        types = _str_list(f, row, "doc_types", anchor, required=True)
        levels = _str_list(f, row, "levels", anchor)
        out.append(StrengthRule(score, label or "/".join(types), types, levels))
    return tuple(out)


def _examples(f: _File, types: list[InstrumentType], subtypes: list[Subtype]) -> Examples | None:
    """The hand-coded examples named by `examples = "FILE.csv"` (relative to the codebook): a CSV with at
    least the columns text, type, subtype (a hand-coding sample for `code --evaluate` is one)."""
    name = f.data.get("examples")
    if name is None:
        return None
    if not isinstance(name, str) or not name.strip():
        raise f.fail("examples", "examples must be the name of a CSV file")
    path = f.path.parent / name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise f.fail("examples", f"cannot read examples {name!r} ({exc.strerror or exc})") from None
    try:
        lines = raw.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: examples must be UTF-8 CSV") from None
    reader = csv.DictReader(lines)
    missing = [c for c in _EXAMPLE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ConfigError(f"{path}:1: examples need the columns text, type, subtype (missing {', '.join(missing)})")
    known_types = {t.id for t in types}
    known = {(s.type, s.id) for s in subtypes}
    items: list[Example] = []
    for row in reader:
        line = reader.line_num
        text, type_id, sub = (str(row.get(c) or "").strip() for c in _EXAMPLE_COLUMNS)
        if not text:
            raise ConfigError(f"{path}:{line}: an example needs its text")
        if type_id == NO_MEASURE and not sub:
            items.append(Example(text, NO_MEASURE, ""))
            continue
        if type_id not in known_types:
            raise ConfigError(f"{path}:{line}: unknown type {type_id!r}; types: {', '.join(sorted(known_types))}, none")
        if (type_id, sub) not in known:
            raise ConfigError(f"{path}:{line}: {sub!r} is no subtype of {type_id!r}")
        items.append(Example(text, type_id, sub))
    if len({e.label for e in items}) < 2:
        raise ConfigError(f"{path}: examples need at least two different codes")
    override = f.number("examples_override", DEFAULT_OVERRIDE, 0.0, 100.0)
    return Examples(_display(path), hashlib.sha256(raw).hexdigest(), tuple(items), override)


def load_strength_table(path: Path | None = None) -> StrengthTable:
    """The policy-strength table of a file with [[strength]] rows (default: the bundled `strength.toml`)."""
    path = Path(path) if path is not None else DEFAULT_STRENGTH
    f = _File(path)
    rules = _strength_rules(f)
    if not rules:
        raise f.fail("", "no [[strength]] rows")
    source = f.data.get("source", "")
    if not isinstance(source, str):
        raise f.fail("source", "source must be a string")
    return StrengthTable(rules, source, _display(path))


def load_codebook(path: Path | None = None) -> Codebook:
    """Read and validate a codebook (default: the bundled Rothwell–Zegveld scheme)."""
    path = Path(path) if path is not None else DEFAULT_CODEBOOK
    f = _File(path)
    _unknown_keys(f, f.data, _TOP_KEYS, "", "the codebook")
    name = f.data.get("name", path.stem)
    if not isinstance(name, str) or not name.strip():
        raise f.fail("name", "name must be a non-empty string")
    min_score = f.number("min_score", 1.0, 0.1, 100.0)

    types: list[InstrumentType] = []
    for entry in f.tables("type"):
        anchor, type_id = _new_id(f, entry, "type", _TYPE_KEYS, [t.id for t in types])
        types.append(InstrumentType(type_id, f.string(entry, "label", anchor), str(entry.get("about", ""))))
    if not types:
        raise f.fail("", "a codebook needs at least one [[type]]")

    subtypes: list[Subtype] = []
    for entry in f.tables("subtype"):
        anchor, sub_id = _new_id(f, entry, "subtype", _SUBTYPE_KEYS, [s.id for s in subtypes])
        type_id = f.string(entry, "type", anchor)
        if not any(t.id == type_id for t in types):
            known = ", ".join(t.id for t in types)
            raise f.fail(f'type = "{type_id}"', f"subtype {sub_id!r} names unknown type {type_id!r}; types: {known}")
        priority = entry.get("priority", 1)
        if isinstance(priority, bool) or not isinstance(priority, int) or not 0 <= priority <= 9:
            raise f.fail(anchor, f"priority of {sub_id!r} must be a whole number from 0 to 9")
        keywords = _str_list(f, entry, "keywords", anchor)
        patterns = _patterns(f, entry, "patterns", anchor, repr(sub_id))
        if not keywords and not patterns:
            raise f.fail(anchor, f"subtype {sub_id!r} needs keywords or patterns")
        exclusions = _str_list(f, entry, "exclusions", anchor)
        label = f.string(entry, "label", anchor)
        subtypes.append(Subtype(sub_id, type_id, label, priority, keywords, patterns, exclusions))
    if not subtypes:
        raise f.fail("", "a codebook needs at least one [[subtype]]")

    own = _strength_rules(f)
    if own:
        source = f.data.get("source", "")
        strength = StrengthTable(own, source if isinstance(source, str) else "", _display(path))
    else:
        strength = load_strength_table()
    examples = _examples(f, types, subtypes)
    digest = hashlib.sha256(path.read_bytes() + (examples.sha256.encode() if examples else b"")).hexdigest()
    return Codebook(
        name,
        _display(path),
        digest,
        min_score,
        tuple(types),
        tuple(subtypes),
        strength,
        _patterns(f, f.data, "ignore", "ignore =", "ignore"),
        _stock_formulae(f),
        examples,
    )
