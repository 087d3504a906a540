"""Evaluation: score a comparison against a gold alignment file, and the plain TF-IDF argmax baseline.

A gold file (TOML) names the two documents and lists items: target clauses, reference clauses and the
label (retained / adapted / added / missing), each clause by path (二/（三）) or by exact heading. An item
marked `status = "possible"` is a reading the gold set accepts but does not require (the sure/possible
scheme of alignment evaluation): matching it is neither rewarded nor penalised, leaving it out is no error.
Clauses listed under `unjudged_target` / `unjudged_reference` are outside the gold set (their counterpart,
if any, lies in parts of a digest nobody has seen); items made only of such clauses are not scored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policydiff.compare.cache import Cache
from policydiff.compare.config import AlignConfig
from policydiff.compare.result import LABELS, ClauseRef, Comparison, Verdict
from policydiff.corpora.errors import ConfigError
from policydiff.corpora.model import Document
from policydiff.corpora.tomlfile import load_toml
from policydiff.rules.ruleset import RuleSet

Item = tuple[str, str, str]  # (target path or "", reference path or "", label)


@dataclass(frozen=True)
class GoldEntry:
    target: tuple[str, ...]
    reference: tuple[str, ...]
    label: str
    possible: bool = False
    note: str = ""


@dataclass(frozen=True)
class Gold:
    path: str
    target: str  # a corpus id or a file path (relative paths are relative to the gold file)
    reference: str
    entries: tuple[GoldEntry, ...]
    unjudged_target: tuple[str, ...] = ()
    unjudged_reference: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Scorecard:
    """How one comparison fares against a gold set."""

    name: str  # "policydiff" or "baseline"
    pairs: Score  # clause pairs, whatever their label
    verdicts: Score  # every item with its label (pairs, added, missing)
    labels: dict[str, Score]
    errors: tuple[str, ...] = ()  # human-readable false positives and negatives


@dataclass(frozen=True)
class Evaluation:
    gold: Gold
    target_id: str
    reference_id: str
    system: Scorecard
    baseline: Scorecard
    notes: tuple[str, ...] = field(default=())


# ---- gold files ----------------------------------------------------------------------------------------


def _strings(value: Any, where: str, path: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{path}: {where} must be a string or a list of strings")


def load_gold(path: Path) -> Gold:
    data = load_toml(path, ConfigError)
    text = path.read_text(encoding="utf-8")
    for key in ("target", "reference"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise ConfigError(f"{path}: `{key}` must name a document (a corpus id or a file path)")
    entries = []
    raw = data.get("item", [])
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{path}: no [[item]] entries")
    for n, item in enumerate(raw, start=1):
        where = f"item {n}"
        if not isinstance(item, dict):
            raise ConfigError(f"{path}: {where} must be a table")
        label = item.get("label")
        if label not in LABELS:
            line = _line_of(text, f'"{label}"') if isinstance(label, str) else 0
            at = f":{line}" if line else ""
            raise ConfigError(f"{path}{at}: {where}: label must be one of {', '.join(LABELS)}, got {label!r}")
        t = _strings(item.get("target", []), f"{where} target", path)
        r = _strings(item.get("reference", []), f"{where} reference", path)
        if (label == "added") != (not r) or (label == "missing") != (not t):
            raise ConfigError(f"{path}: {where}: added needs no reference, missing no target, the others both")
        status = item.get("status", "sure")
        if status not in ("sure", "possible"):
            raise ConfigError(f"{path}: {where}: status must be sure or possible, got {status!r}")
        entries.append(GoldEntry(t, r, label, status == "possible", str(item.get("note", ""))))
    return Gold(
        str(path),
        data["target"],
        data["reference"],
        tuple(entries),
        _strings(data.get("unjudged_target", []), "unjudged_target", path),
        _strings(data.get("unjudged_reference", []), "unjudged_reference", path),
        str(data.get("description", "")),
    )


def _line_of(text: str, needle: str) -> int:
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 0


# ---- scoring -------------------------------------------------------------------------------------------


class _Resolver:
    """Turns a gold file's clause names (path or exact heading) into paths of the compared documents."""

    def __init__(self, refs: Iterable[ClauseRef], side: str, gold_path: str) -> None:
        self.paths: dict[str, str] = {}
        self.headings: dict[str, list[str]] = {}
        for ref in refs:
            self.paths[ref.path] = ref.path
            if ref.heading:
                self.headings.setdefault(ref.heading, [])
                if ref.path not in self.headings[ref.heading]:
                    self.headings[ref.heading].append(ref.path)
        self.side, self.gold_path = side, gold_path

    def __call__(self, name: str) -> str:
        if name in self.paths:
            return name
        found = self.headings.get(name, [])
        if len(found) == 1:
            return found[0]
        why = "is ambiguous (several clauses have that heading)" if found else "is neither a path nor a heading"
        raise ConfigError(f"{self.gold_path}: {self.side} clause {name!r} {why}")


def _items(verdicts: Iterable[Verdict]) -> set[Item]:
    out: set[Item] = set()
    for v in verdicts:
        if v.label == "unjudged":  # nothing was said about the clause, so there is nothing to score
            continue
        if v.label == "added":
            out.update((t.path, "", "added") for t in v.target)
        elif v.label == "missing":
            out.update(("", r.path, "missing") for r in v.reference)
        else:
            out.update((t.path, r.path, v.label) for t in v.target for r in v.reference)
    return out


def score(gold: Gold, comparison: Comparison, name: str = "policydiff") -> Scorecard:
    verdicts = comparison.verdicts
    t_res = _Resolver((t for v in verdicts for t in v.target), "target", gold.path)
    r_res = _Resolver((r for v in verdicts for r in v.reference), "reference", gold.path)
    sure: set[Item] = set()
    possible: set[Item] = set()
    for e in gold.entries:
        ts = [t_res(t) for t in e.target] or [""]
        rs = [r_res(r) for r in e.reference] or [""]
        (possible if e.possible else sure).update((t, r, e.label) for t in ts for r in rs)
    skip_t = {t_res(t) for t in gold.unjudged_target}
    skip_r = {r_res(r) for r in gold.unjudged_reference}

    def judged(item: Item) -> bool:
        t, r, _ = item
        return not ((not t or t in skip_t) and (not r or r in skip_r))

    system = {i for i in _items(verdicts) if judged(i)}
    possible_pairs = {(t, r) for t, r, _ in possible}

    def tally(sys_items: set[Item], gold_items: set[Item], soft: set[Any], key: Callable[[Item], Any]) -> Score:
        s = {key(i) for i in sys_items} - (soft - {key(i) for i in gold_items})
        g = {key(i) for i in gold_items}
        return Score(len(s & g), len(s - g), len(g - s))

    pair_key: Callable[[Item], Any] = lambda i: (i[0], i[1])  # noqa: E731
    full_key: Callable[[Item], Any] = lambda i: i  # noqa: E731
    sys_pairs = {i for i in system if i[0] and i[1]}
    gold_pairs = {i for i in sure if i[0] and i[1]}
    pairs = tally(sys_pairs, gold_pairs, possible_pairs, pair_key)
    overall = tally(system, sure, possible, full_key)
    labels = {
        label: tally(
            {i for i in system if i[2] == label},
            {i for i in sure if i[2] == label},
            {i for i in possible if i[2] == label},
            full_key,
        )
        for label in LABELS
    }
    soft = possible - sure
    errors = [f"extra {_show(i)}" for i in sorted(system - sure - soft)]
    errors += [f"missed {_show(i)}" for i in sorted(sure - system)]
    return Scorecard(name, pairs, overall, labels, tuple(errors))


def _show(item: Item) -> str:
    t, r, label = item
    return f"{label}: {t or '—'} ← {r or '—'}"


# ---- the baseline --------------------------------------------------------------------------------------


def baseline_comparison(target: Document, reference: Document, rules: RuleSet, cache: Cache) -> Comparison:
    """Plain TF-IDF argmax: every target clause takes its most similar reference clause (heading + body).

    No formulae, scope words, order or thresholds; it never says "added". The yardstick the engine must beat.
    """
    import numpy as np

    from policydiff.compare.analysis import analyse
    from policydiff.compare.run import summarise
    from policydiff.compare.tokenize import WordTokenizer
    from policydiff.compare.vectorise import Bag, TermSpace, cosine, make_bag

    tokenizer = WordTokenizer(rules.user_words, rules.stopwords, cache_dir=cache.folder("jieba"))
    config = AlignConfig()
    stop = frozenset(rules.stopwords)

    def bags(doc: Document) -> tuple[list[Bag], list[bool]]:
        tokens = analyse(doc, rules, tokenizer, cache)
        out, seen = [], []
        for clause in doc.clauses:
            parts = []
            for u in clause.units:
                toks = tokens.get(u.text, [])
                parts.append(make_bag(toks, toks, [1.0] * len(toks), stop, (2, 3)))
            b = Bag.join(parts)
            out.append(b)
            seen.append(bool(b.size))
        return out, seen

    t_bags, _ = bags(target)
    r_bags, r_seen = bags(reference)
    space = TermSpace(config).fit([*t_bags, *r_bags])
    sims = cosine(space.transform(t_bags), space.transform(r_bags), config.word_weight)
    sims[:, ~np.array(r_seen, dtype=bool)] = -1.0
    verdicts: list[Verdict] = []
    used: set[int] = set()

    def ref(c: Any) -> ClauseRef:
        return ClauseRef(c.path, c.heading, c.coverage)

    for i, clause in enumerate(target.clauses):
        if not len(reference.clauses):
            break
        j = int(np.argmax(sims[i]))
        used.add(j)
        label = "retained" if sims[i, j] >= config.retained_coverage else "adapted"
        verdicts.append(Verdict(label, (ref(clause),), (ref(reference.clauses[j]),), float(sims[i, j])))  # type: ignore[arg-type]
    for j, clause in enumerate(reference.clauses):
        if j not in used:
            verdicts.append(Verdict("missing", (), (ref(clause),), 0.0))
    return Comparison(summarise(reference), tuple(verdicts), ("plain TF-IDF argmax baseline",))


def evaluate(
    gold: Gold | Path,
    load: Callable[[str], Document],
    config: AlignConfig | None = None,
    rules: RuleSet | None = None,
    cache: Cache | None = None,
) -> Evaluation:
    """Run the engine and the baseline on the gold file's documents and score both."""
    from policydiff.compare.run import compare_documents
    from policydiff.rules.ruleset import load_rules

    if isinstance(gold, Path):
        gold = load_gold(gold)
    rules = rules or load_rules()
    cache = cache or Cache()
    base = Path(gold.path).parent

    def resolve(name: str) -> str:
        candidate = base / name
        return str(candidate) if ("/" in name or "." in name) and candidate.exists() else name

    target, reference = load(resolve(gold.target)), load(resolve(gold.reference))
    report = compare_documents(target, [reference], config, rules, cache)
    system = score(gold, report.comparisons[0], "policydiff")
    baseline = score(gold, baseline_comparison(target, reference, rules, cache), "baseline")
    return Evaluation(gold, target.info.id, reference.info.id, system, baseline)
