"""Features of a target/reference pair: weighted unit bags, unit- and clause-level similarity matrices.

Units are sentences (and `；` notes of a digest) plus each clause's heading. Everything the aligner and the
classifier read is computed here once: unit containment both ways, unit containment in whole clauses,
heading similarity, topic agreement and directional coverage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from policydiff.compare.analysis import Tokens
from policydiff.compare.config import AlignConfig
from policydiff.compare.tokenize import is_content
from policydiff.compare.vectorise import Bag, TermSpace, containment, cosine, group_max, make_bag
from policydiff.corpora.model import Clause, Document, Unit
from policydiff.rules.apply import CompiledRules


@dataclass(frozen=True)
class Side:
    doc: Document
    clauses: tuple[Clause, ...]
    units: tuple[tuple[Clause, Unit], ...]  # heading and body units of all clauses, reading order
    unit_clause: Any  # np.ndarray: clause index of each unit
    unit_weight: Any  # np.ndarray: content length of each unit
    unit_bags: tuple[Bag, ...]
    unit_words: tuple[tuple[str, ...], ...]  # content tokens as written (directive strength reads these)
    heading_bags: tuple[Bag, ...]
    body_bags: tuple[Bag, ...]
    clause_bags: tuple[Bag, ...]
    clause_text: tuple[str, ...]  # analysis text of heading + body, for the keyword rules
    topics: tuple[tuple[str, ...], ...]

    def unit_range(self, ci: int) -> Any:
        return np.where(self.unit_clause == ci)[0]

    def has_body(self, ci: int) -> bool:
        return bool(self.body_bags[ci].size)

    def has_heading(self, ci: int) -> bool:
        return bool(self.heading_bags[ci].size)


@dataclass(frozen=True)
class PairFeatures:
    """Everything the aligner and classifier read about one target/reference pair."""

    target: Side
    reference: Side
    space: TermSpace
    rules: CompiledRules
    heading: Any  # target clauses × reference clauses: heading-to-heading cosine
    topic: Any  # target clauses × reference clauses: topic agreement (Jaccard)
    units: Any  # target units × reference units: symmetric unit similarity (cosine)
    t_in_r: Any  # target units × reference units: containment of the target unit in the reference unit
    r_in_t: Any  # reference units × target units
    t_in_rc: Any  # target units × reference clauses: containment in the whole clause
    r_in_tc: Any  # reference units × target clauses
    plain: Any  # (t_in_r, r_in_t, t_in_rc, r_in_tc) with formulae counted fully: coverage for verdicts
    covers_ref: Any  # target clauses × reference clauses: share of the reference clause the target covers
    covers_ref_sentence: Any  # the same, each reference unit held by one target unit (no spreading out)
    from_ref: Any  # target clauses × reference clauses: share of the target clause found in the reference


def _unit_bag(text: str, tokens: list[str], rules: CompiledRules, stopwords: frozenset[str], config: AlignConfig):
    if not tokens or "".join(tokens) != text:
        tokens = [text] if text else []
    spans = rules.formula_spans(text)
    weights: list[float] = []
    pos = 0
    for tok in tokens:
        start, end = pos, pos + len(tok)
        pos = end
        inside = any(s < end and start < e for s, e in spans)
        weights.append(rules.formula_weight if inside else 1.0)
    mapped = [rules.map_token(t) for t in tokens]
    words = tuple(t for t in tokens if is_content(t))
    return make_bag(tokens, mapped, weights, stopwords, (config.char_ngram_min, config.char_ngram_max)), words


def _side(doc: Document, tokens: Tokens, rules: CompiledRules, stopwords: frozenset[str], config: AlignConfig) -> Side:
    clauses = doc.clauses
    units: list[tuple[Clause, Unit]] = []
    unit_clause: list[int] = []
    unit_bags: list[Bag] = []
    unit_words: list[tuple[str, ...]] = []
    heading_bags: list[Bag] = []
    body_bags: list[Bag] = []
    texts: list[str] = []
    for ci, clause in enumerate(clauses):
        heads: list[Bag] = []
        body: list[Bag] = []
        for unit in clause.units:
            b, words = _unit_bag(unit.text, tokens.get(unit.text, []), rules, stopwords, config)
            if not b.size:
                continue
            units.append((clause, unit))
            unit_clause.append(ci)
            unit_bags.append(b)
            unit_words.append(words)
            (heads if unit.kind == "heading" else body).append(b)
        heading_bags.append(Bag.join(heads))
        body_bags.append(Bag.join(body))
        texts.append("".join(u.text for u in clause.units))
    return Side(
        doc,
        clauses,
        tuple(units),
        np.array(unit_clause, dtype=int),
        np.array([max(b.size, 1) for b in unit_bags], dtype=float),
        tuple(unit_bags),
        tuple(unit_words),
        tuple(heading_bags),
        tuple(body_bags),
        tuple(Bag.join([h, b]) for h, b in zip(heading_bags, body_bags, strict=True)),
        tuple(texts),
        tuple(rules.topics(t) for t in texts),
    )


def _clause_rows(unit_rows: tuple[Any, Any], side: Side, headings: bool = False) -> tuple[Any, Any]:
    """Clause vectors (or heading vectors) from the unit vectors: each term at its largest weight."""
    keep = np.array([u.kind == "heading" for _, u in side.units], dtype=bool) if headings else None
    n = len(side.clauses)
    return tuple(group_max(m, side.unit_clause, n, keep) for m in unit_rows)  # type: ignore[return-value]


def _by_clause_max(m: Any, side: Side, n_clauses: int) -> Any:
    """Columns are units of `side`; the max over each clause's units (0 for a clause without units)."""
    out = np.zeros((m.shape[0], n_clauses))
    for ci in range(n_clauses):
        cols = side.unit_range(ci)
        if len(cols) and m.shape[0]:
            out[:, ci] = m[:, cols].max(axis=1)
    return out


def _coverage(unit_scores: Any, side: Side, n_clauses_other: int) -> Any:
    """Rows: units of `side`; columns: clauses of the other side → clauses of `side` × other clauses.

    Each unit counts by its length, so a clause whose sentences all reappear on the other side scores near 1.
    """
    out = np.zeros((len(side.clauses), n_clauses_other))
    for ci in range(len(side.clauses)):
        rows = side.unit_range(ci)
        if len(rows):
            w = side.unit_weight[rows]
            out[ci] = (unit_scores[rows] * w[:, None]).sum(axis=0) / w.sum()
    return out


def pair_features(
    target: Document,
    reference: Document,
    t_tokens: Tokens,
    r_tokens: Tokens,
    config: AlignConfig,
    rules: CompiledRules,
    stopwords: frozenset[str] = frozenset(),
) -> PairFeatures:
    t = _side(target, t_tokens, rules, stopwords, config)
    r = _side(reference, r_tokens, rules, stopwords, config)
    space = TermSpace(config).fit([*t.unit_bags, *r.unit_bags])
    w = config.word_weight
    tu, ru = space.transform(t.unit_bags), space.transform(r.unit_bags)
    n_tc, n_rc = len(t.clauses), len(r.clauses)
    tc, th = _clause_rows(tu, t), _clause_rows(tu, t, headings=True)
    rc, rh = _clause_rows(ru, r), _clause_rows(ru, r, headings=True)
    if t.unit_bags and r.unit_bags:
        units = cosine(tu, ru, w)
        t_in_r = containment(tu, ru, w, space)
        r_in_t = containment(ru, tu, w, space)
        t_in_rc = containment(tu, rc, w, space)
        r_in_tc = containment(ru, tc, w, space)
        plain = (
            containment(tu, ru, w, space, discount=False),
            containment(ru, tu, w, space, discount=False),
            containment(tu, rc, w, space, discount=False),
            containment(ru, tc, w, space, discount=False),
        )
    else:
        units = t_in_r = np.zeros((len(t.unit_bags), len(r.unit_bags)))
        r_in_t = np.zeros((len(r.unit_bags), len(t.unit_bags)))
        t_in_rc = np.zeros((len(t.unit_bags), n_rc))
        r_in_tc = np.zeros((len(r.unit_bags), n_tc))
        plain = (t_in_r, r_in_t, t_in_rc, r_in_tc)
    heading = cosine(th, rh, w) if n_tc and n_rc else np.zeros((n_tc, n_rc))
    topic = np.zeros((n_tc, n_rc))
    for i, ta in enumerate(t.topics):
        for j, rb in enumerate(r.topics):
            if ta and rb:
                topic[i, j] = len(set(ta) & set(rb)) / len(set(ta) | set(rb))
    # A unit is found in a clause when it is contained in one of its sentences or, spread out, in the clause.
    r_unit_vs_tclause = 0.5 * _by_clause_max(r_in_t, t, n_tc) + 0.5 * r_in_tc
    t_unit_vs_rclause = 0.5 * _by_clause_max(t_in_r, r, n_rc) + 0.5 * t_in_rc
    covers_ref = _coverage(r_unit_vs_tclause, r, n_tc).T
    covers_ref_sentence = _coverage(_by_clause_max(r_in_t, t, n_tc), r, n_tc).T
    from_ref = _coverage(t_unit_vs_rclause, t, n_rc)
    return PairFeatures(
        t,
        r,
        space,
        rules,
        heading,
        topic,
        units,
        t_in_r,
        r_in_t,
        t_in_rc,
        r_in_tc,
        plain,
        covers_ref,
        covers_ref_sentence,
        from_ref,
    )


def directional_coverage(f: PairFeatures, t_idx: tuple[int, ...], r_idx: tuple[int, ...]) -> tuple[float, float]:
    """(how much of the reference clauses the target clauses cover, how much of the target comes from them).

    Each unit counts by its length and by how well the other side holds it (best sentence and whole
    clause; formulae count fully here, since the pair is already matched), so a reference clause whose
    sentences all reappear in the target scores near 1 whatever the target adds.
    """
    t_rows = np.where(np.isin(f.target.unit_clause, t_idx))[0]
    r_rows = np.where(np.isin(f.reference.unit_clause, r_idx))[0]
    if not len(t_rows) or not len(r_rows):
        return 0.0, 0.0
    t_in_r, r_in_t, t_in_rc, r_in_tc = f.plain
    r_best = r_in_t[np.ix_(r_rows, t_rows)].max(axis=1)
    r_clause = r_in_tc[np.ix_(r_rows, np.array(t_idx, dtype=int))].max(axis=1)
    t_best = t_in_r[np.ix_(t_rows, r_rows)].max(axis=1)
    t_clause = t_in_rc[np.ix_(t_rows, np.array(r_idx, dtype=int))].max(axis=1)
    rw = f.reference.unit_weight[r_rows]
    tw = f.target.unit_weight[t_rows]
    covers_ref = float(((0.5 * r_best + 0.5 * r_clause) * rw).sum() / rw.sum())
    from_ref = float(((0.5 * t_best + 0.5 * t_clause) * tw).sum() / tw.sum())
    return covers_ref, from_ref
