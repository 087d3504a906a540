"""Features of a target/reference pair: unit and clause vectors, and the similarity matrices built from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from policydiff.compare.analysis import Tokens
from policydiff.compare.config import AlignConfig
from policydiff.compare.model import Clause, Document, Unit
from policydiff.compare.vectorise import Bag, ClauseVectorizer, bag, cosine


@dataclass(frozen=True)
class Side:
    doc: Document
    clauses: tuple[Clause, ...]
    units: tuple[tuple[Clause, Unit], ...]  # body units of all clauses, reading order
    unit_clause: Any  # np.ndarray: clause index of each unit
    unit_weight: Any  # np.ndarray: content length of each unit
    heading_bags: tuple[Bag, ...]
    body_bags: tuple[Bag, ...]
    unit_bags: tuple[Bag, ...]


@dataclass(frozen=True)
class PairFeatures:
    """Everything the aligner and classifier read about one target/reference pair."""

    target: Side
    reference: Side
    vectorizer: ClauseVectorizer
    heading: Any  # target clauses × reference clauses: heading-to-heading similarity
    body: Any  # target clause bodies × reference clause bodies (combined cosine)
    body_word: Any
    body_char: Any
    cross: Any  # target clause (heading+body) × reference heading: a digest's heading-only clause
    units: Any  # target units × reference units (combined cosine)


def _side(doc: Document, tokens: Tokens) -> Side:
    clauses = doc.clauses
    units: list[tuple[Clause, Unit]] = []
    heading_bags: list[Bag] = []
    body_bags: list[Bag] = []
    unit_bags: list[Bag] = []
    for clause in clauses:
        heads = [u for u in clause.units if u.kind == "heading"]
        heading_bags.append(Bag.join([bag(u.text, tokens.get(u.text, [])) for u in heads]))
        bags = []
        for unit in clause.body_units:
            b = bag(unit.text, tokens.get(unit.text, []))
            units.append((clause, unit))
            unit_bags.append(b)
            bags.append(b)
        body_bags.append(Bag.join(bags))
    index = {c.path: i for i, c in enumerate(clauses)}
    return Side(
        doc,
        clauses,
        tuple(units),
        np.array([index[c.path] for c, _ in units], dtype=int),
        np.array([max(len(b.chars), 1) for b in unit_bags], dtype=float),
        tuple(heading_bags),
        tuple(body_bags),
        tuple(unit_bags),
    )


def pair_features(
    target: Document, reference: Document, t_tokens: Tokens, r_tokens: Tokens, config: AlignConfig
) -> PairFeatures:
    t, r = _side(target, t_tokens), _side(reference, r_tokens)
    vec = ClauseVectorizer(config).fit([*t.unit_bags, *r.unit_bags, *t.heading_bags, *r.heading_bags])
    w = config.word_weight
    th, rh = vec.transform(t.heading_bags), vec.transform(r.heading_bags)
    tb, rb = vec.transform(t.body_bags), vec.transform(r.body_bags)
    tw = vec.transform([Bag.join([h, b]) for h, b in zip(t.heading_bags, t.body_bags, strict=True)])
    heading, _, _ = cosine(th, rh, w)
    body, body_word, body_char = cosine(tb, rb, w)
    cross, _, _ = cosine(tw, rh, w)
    if t.unit_bags and r.unit_bags:
        units, _, _ = cosine(vec.transform(t.unit_bags), vec.transform(r.unit_bags), w)
    else:
        units = np.zeros((len(t.unit_bags), len(r.unit_bags)))
    return PairFeatures(t, r, vec, heading, body, body_word, body_char, cross, units)


def directional_coverage(f: PairFeatures, t_idx: tuple[int, ...], r_idx: tuple[int, ...]) -> tuple[float, float]:
    """(how much of the reference clauses the target clauses cover, how much of the target comes from them).

    Each unit counts by its length and by its best similarity on the other side, so a reference clause
    whose sentences all reappear in the target scores near 1 whatever the target adds.
    """
    t_mask = np.isin(f.target.unit_clause, t_idx)
    r_mask = np.isin(f.reference.unit_clause, r_idx)
    if not t_mask.any() or not r_mask.any():
        return 0.0, 0.0
    block = f.units[np.ix_(t_mask, r_mask)]
    tw = f.target.unit_weight[t_mask]
    rw = f.reference.unit_weight[r_mask]
    covers_ref = float((block.max(axis=0) * rw).sum() / rw.sum())
    from_ref = float((block.max(axis=1) * tw).sum() / tw.sum())
    return covers_ref, from_ref
