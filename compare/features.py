"""Features of a target/reference pair: weighted unit bags, unit- and clause-level similarity matrices.

Units are sentences (and `；` notes of a digest) plus each clause's heading. Everything the aligner and the
classifier read is computed here once: unit containment both ways, unit containment in whole clauses,
heading similarity, topic agreement and directional coverage.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, overload

import numpy as np

from policydiff.compare.analysis import Tokens
from policydiff.compare.config import AlignConfig
from policydiff.compare.tokenize import is_content
from policydiff.compare.vectorise import Bag, TermSpace, containment, cosine, group_max, make_bag
from policydiff.corpora.model import Clause, Document, Unit
from policydiff.rules.apply import CompiledRules


class ClauseBags(Sequence[Bag]):
    """Each clause's bag (of its headings, its body or both), joined from its unit bags when asked for.

    Joined eagerly, the clause bags of two 750-clause documents held ~200 MB of term tuples; the aligner
    needs only their sizes, and the classifier the bags of matched clauses.
    """

    def __init__(self, unit_bags: tuple[Bag, ...], members: list[list[int]]) -> None:
        self._unit_bags = unit_bags
        self._members = members
        self._joined: dict[int, Bag] = {}  # the clauses asked for (matched ones), joined once
        self.sizes = tuple(sum(unit_bags[k].size for k in m) for m in members)

    def __len__(self) -> int:
        return len(self._members)

    @overload
    def __getitem__(self, ci: int) -> Bag: ...
    @overload
    def __getitem__(self, ci: slice) -> Sequence[Bag]: ...
    def __getitem__(self, ci: int | slice) -> Bag | Sequence[Bag]:
        if isinstance(ci, slice):
            return [self[i] for i in range(len(self))[ci]]
        bag = self._joined.get(ci)
        if bag is None:
            bag = self._joined[ci] = Bag.join([self._unit_bags[k] for k in self._members[ci]])
        return bag


@dataclass(frozen=True)
class Side:
    doc: Document
    clauses: tuple[Clause, ...]
    units: tuple[tuple[Clause, Unit], ...]  # heading and body units of all clauses, reading order
    unit_clause: Any  # np.ndarray: clause index of each unit
    unit_weight: Any  # np.ndarray: content length of each unit
    unit_bags: tuple[Bag, ...]
    unit_words: tuple[tuple[str, ...], ...]  # content tokens as written (directive strength reads these)
    heading_bags: ClauseBags
    body_bags: ClauseBags
    clause_bags: ClauseBags
    clause_text: tuple[str, ...]  # analysis text of heading + body, for the keyword rules
    topics: tuple[tuple[str, ...], ...]

    def unit_range(self, ci: int) -> Any:
        return np.where(self.unit_clause == ci)[0]

    def has_body(self, ci: int) -> bool:
        return bool(self.body_bags.sizes[ci])

    def has_heading(self, ci: int) -> bool:
        return bool(self.heading_bags.sizes[ci])


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


# Unit bags by (text, tokens), for one rule set, stop list and n-gram range at a time: a study's worker meets
# the same sentence in many targets, and a bag depends on nothing else. Bounded, oldest dropped.
UNIT_BAGS_KEPT = 16_384
_unit_bags: OrderedDict[tuple[str, tuple[str, ...]], tuple[Bag, tuple[str, ...]]] = OrderedDict()
_unit_bags_scope: list[Any] = []  # [rules, stopwords, n-gram range] the remembered bags were made with
_unit_bags_lock = threading.Lock()


def _remembered_bag(
    text: str, tokens: list[str], rules: CompiledRules, stopwords: frozenset[str], config: AlignConfig
) -> tuple[Bag, tuple[str, ...]]:
    scope = [rules, stopwords, (config.char_ngram_min, config.char_ngram_max)]
    k = (text, tuple(tokens))
    with _unit_bags_lock:  # a Dask worker may run several pairs in threads
        if len(_unit_bags_scope) != 3 or _unit_bags_scope[0] is not rules or _unit_bags_scope[1:] != scope[1:]:
            _unit_bags.clear()
            _unit_bags_scope[:] = scope  # holds the rules, so their id is never another rule set's
        found = _unit_bags.get(k)
        if found is not None:
            _unit_bags.move_to_end(k)
            return found
    found = _unit_bag(text, tokens, rules, stopwords, config)
    with _unit_bags_lock:
        if _unit_bags_scope[0] is rules:
            _unit_bags[k] = found
            if len(_unit_bags) > UNIT_BAGS_KEPT:
                _unit_bags.popitem(last=False)
    return found


def _unit_bag(
    text: str, tokens: list[str], rules: CompiledRules, stopwords: frozenset[str], config: AlignConfig
) -> tuple[Bag, tuple[str, ...]]:
    if not tokens or "".join(tokens) != text:
        tokens = [text] if text else []
    spans = rules.formula_spans(text)
    weights: list[float] = [1.0] * len(tokens)
    if spans:  # most units hold no political formula: every token weighs 1
        pos = 0
        for i, tok in enumerate(tokens):
            start, end = pos, pos + len(tok)
            pos = end
            if any(s < end and start < e for s, e in spans):
                weights[i] = rules.formula_weight
    mapped = [rules.map_token(t) for t in tokens]
    words = tuple(t for t in tokens if is_content(t))
    return make_bag(tokens, mapped, weights, stopwords, (config.char_ngram_min, config.char_ngram_max)), words


def document_side(
    doc: Document, tokens: Tokens, rules: CompiledRules, stopwords: frozenset[str], config: AlignConfig
) -> Side:
    """One document as every pair it takes part in sees it (its units' bags, topics …): the same whatever the
    other document, so a study computes its reference's side once per process (`compare.run`)."""
    clauses = doc.clauses
    units: list[tuple[Clause, Unit]] = []
    unit_clause: list[int] = []
    unit_bags: list[Bag] = []
    unit_words: list[tuple[str, ...]] = []
    heads: list[list[int]] = []
    bodies: list[list[int]] = []
    texts: list[str] = []
    for ci, clause in enumerate(clauses):
        heads.append([])
        bodies.append([])
        for unit in clause.units:
            b, words = _remembered_bag(unit.text, tokens.get(unit.text, []), rules, stopwords, config)
            if not b.size:
                continue
            (heads if unit.kind == "heading" else bodies)[-1].append(len(unit_bags))
            units.append((clause, unit))
            unit_clause.append(ci)
            unit_bags.append(b)
            unit_words.append(words)
        texts.append("".join(u.text for u in clause.units))
    bags = tuple(unit_bags)
    return Side(
        doc,
        clauses,
        tuple(units),
        np.array(unit_clause, dtype=int),
        np.array([max(b.size, 1) for b in unit_bags], dtype=float),
        bags,
        tuple(unit_words),
        ClauseBags(bags, heads),
        ClauseBags(bags, bodies),
        ClauseBags(bags, [h + b for h, b in zip(heads, bodies, strict=True)]),
        tuple(texts),
        tuple(rules.topics(t) for t in texts),
    )


def _clause_rows(unit_rows: tuple[Any, Any], side: Side, headings: bool = False) -> tuple[Any, Any]:
    """Clause vectors (or heading vectors) from the unit vectors: each term at its largest weight."""
    keep = np.array([u.kind == "heading" for _, u in side.units], dtype=bool) if headings else None
    n = len(side.clauses)
    return tuple(group_max(m, side.unit_clause, n, keep) for m in unit_rows)  # type: ignore[return-value]


# Entries of a unit score block held at once (16 MB of float64): two long documents are scored block by
# block and never as whole units × units matrices (750 × 750 clauses would take 4 GB, 2,500 × 2,500 ~40 GB).
BLOCK_ENTRIES = 2_000_000


class Scores:
    """A units × units (or units × clauses) score matrix, read by blocks `m[np.ix_(rows, cols)]` or rows `m[rows]`.

    A small matrix is computed whole on first use and kept; a large one computes each block when read. Every
    entry depends only on its own row and column vectors, so a block equals the same cells of the whole matrix
    bit for bit.
    """

    def __init__(self, score: Any, rows: tuple[Any, Any], cols: tuple[Any, Any]) -> None:
        self.score = score
        self.a, self.b = rows, cols
        self.shape = (rows[0].shape[0], cols[0].shape[0])
        self._whole: Any = None

    @property
    def small(self) -> bool:
        return self.shape[0] * self.shape[1] <= BLOCK_ENTRIES

    def block(self, rows: Any = None, cols: Any = None) -> Any:
        if self.small:
            if self._whole is None:
                self._whole = self.score(self.a, self.b)
            whole = self._whole
            if rows is not None:
                whole = whole[rows]
            return whole if cols is None else whole[:, cols]
        a = self.a if rows is None else (self.a[0][rows], self.a[1][rows])
        b = self.b if cols is None else (self.b[0][cols], self.b[1][cols])
        return self.score(a, b)

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, tuple):
            rows, cols = key
            block = self.block(np.asarray(rows).ravel(), np.asarray(cols).ravel())
            scalar = np.ndim(rows) == 0 and np.ndim(cols) == 0
            return block[0, 0] if scalar else block
        return self.block(np.atleast_1d(np.asarray(key)))


def _by_clause_max(m: Any, side: Side, n_clauses: int) -> Any:
    """Columns are units of `side`; the max over each clause's units (0 for a clause without units)."""
    out = np.zeros((m.shape[0], n_clauses))
    for ci in range(n_clauses):
        cols = side.unit_range(ci)
        if len(cols) and m.shape[0]:
            out[:, ci] = m[:, cols].max(axis=1)
    return out


def _clause_blocks(side: Side, n_cols: int) -> list[list[int]]:
    """Consecutive clauses of `side` whose units make a block of at most BLOCK_ENTRIES cells (one clause at least)."""
    budget = max(1, BLOCK_ENTRIES // max(n_cols, 1))
    counts = np.bincount(side.unit_clause, minlength=len(side.clauses)) if len(side.unit_clause) else None
    blocks: list[list[int]] = [[]]
    held = 0
    for ci in range(len(side.clauses)):
        n = int(counts[ci]) if counts is not None else 0
        if blocks[-1] and held + n > budget:
            blocks.append([])
            held = 0
        blocks[-1].append(ci)
        held += n
    return blocks


def _clause_coverage(side: Side, in_units: Any, in_clauses: Any, other: Side, n_other: int) -> tuple[Any, Any]:
    """Clauses of `side` × clauses of `other`: how much of each clause the other clause holds, and the same
    with each unit held by one unit only (no spreading out), block by block.

    Each unit counts by its length, so a clause whose sentences all reappear on the other side scores near 1.
    """
    n = len(side.clauses)
    mixed, sentence = np.zeros((n, n_other)), np.zeros((n, n_other))
    if not len(side.units):
        return mixed, sentence
    for block in _clause_blocks(side, max(in_units.shape[1], n_other)):
        rows = np.where(np.isin(side.unit_clause, block))[0]
        if not len(rows):
            continue
        best = _by_clause_max(in_units[rows] if len(other.units) else np.zeros((len(rows), 0)), other, n_other)
        mix = 0.5 * best + 0.5 * in_clauses[rows]
        for ci in block:
            local = np.where(side.unit_clause[rows] == ci)[0]
            if len(local):
                w = side.unit_weight[rows[local]]
                mixed[ci] = (mix[local] * w[:, None]).sum(axis=0) / w.sum()
                sentence[ci] = (best[local] * w[:, None]).sum(axis=0) / w.sum()
    return mixed, sentence


def pair_features(
    target: Document,
    reference: Document,
    t_tokens: Tokens,
    r_tokens: Tokens,
    config: AlignConfig,
    rules: CompiledRules,
    stopwords: frozenset[str] = frozenset(),
    reference_side: Side | None = None,
) -> PairFeatures:
    """`reference_side`: the reference's `document_side`, when it was already computed (then `r_tokens` is unused)."""
    t = document_side(target, t_tokens, rules, stopwords, config)
    r = reference_side or document_side(reference, r_tokens, rules, stopwords, config)
    space = TermSpace(config).fit([*t.unit_bags, *r.unit_bags])
    w = config.word_weight
    tu, ru = space.transform(t.unit_bags), space.transform(r.unit_bags)
    n_tc, n_rc = len(t.clauses), len(r.clauses)
    tc, th = _clause_rows(tu, t), _clause_rows(tu, t, headings=True)
    rc, rh = _clause_rows(ru, r), _clause_rows(ru, r, headings=True)
    if t.unit_bags and r.unit_bags:
        units: Any = Scores(lambda a, b: cosine(a, b, w), tu, ru)
        t_in_r: Any = Scores(lambda a, b: containment(a, b, w, space), tu, ru)
        r_in_t: Any = Scores(lambda a, b: containment(a, b, w, space), ru, tu)
        t_in_rc: Any = Scores(lambda a, b: containment(a, b, w, space), tu, rc)
        r_in_tc: Any = Scores(lambda a, b: containment(a, b, w, space), ru, tc)
        plain: Any = tuple(
            Scores(lambda a, b: containment(a, b, w, space, discount=False), x, y)
            for x, y in ((tu, ru), (ru, tu), (tu, rc), (ru, tc))
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
    covers_ref_t, covers_ref_sentence_t = _clause_coverage(r, r_in_t, r_in_tc, t, n_tc)
    covers_ref, covers_ref_sentence = covers_ref_t.T, covers_ref_sentence_t.T
    from_ref, _ = _clause_coverage(t, t_in_r, t_in_rc, r, n_rc)
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
