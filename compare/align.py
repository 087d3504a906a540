"""Alignment: which reference clauses each target clause carries out, order-aware.

Clause-pair scores are built from units (sentences, digest notes, headings): how much of the reference
clause the target covers, how much of the target comes from it, heading-to-heading similarity and topic
agreement. An implementation opinion mostly follows the central document's order, so a dynamic programme
in the spirit of Gale–Church and vecalign finds the best monotone chain of beads 1-1, 1-0, 0-1, 1-2 (a
target clause merging two reference clauses) and 2-1 (a reference clause split over two target clauses).
Then three passes catch what a monotone chain cannot: a 1×1 gap between aligned neighbours filled by order,
a clause that moved (paired out of order, flagged `moved`), and a split or merge whose parts are not
adjacent.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from policydiff.compare.config import AlignConfig
from policydiff.compare.features import PairFeatures


@dataclass(frozen=True)
class Alignment:
    """A group of target clauses matched to a group of reference clauses (indices into each side)."""

    target: tuple[int, ...]
    reference: tuple[int, ...]
    score: float
    relation: str  # "1-1", "split", "merge", "" (added or missing)
    matched_by: tuple[str, ...] = ()
    moved: bool = False


def pair_scores(f: PairFeatures, config: AlignConfig) -> tuple[np.ndarray, np.ndarray]:
    """Target clauses × reference clauses: the score alignment rests on, and the part keyword rules gave."""
    n_t, n_r = len(f.target.clauses), len(f.reference.clauses)
    scores = np.zeros((n_t, n_r))
    rule_part = np.zeros((n_t, n_r))
    wh, wc, wt, bal = config.heading_weight, config.coverage_weight, config.topic_weight, config.coverage_balance
    for j in range(n_r):
        has_body, has_heading = f.reference.has_body(j), f.reference.has_heading(j)
        if not has_body and not has_heading:
            continue  # nothing of the clause was seen: nothing to match on
        for i in range(n_t):
            h = f.heading[i, j] if has_heading and f.target.has_heading(i) else 0.0
            topic = wt * f.topic[i, j]
            c, s = f.covers_ref[i, j], f.from_ref[i, j]
            # With a body, either side may be the longer one (a digest's notes inside a provincial clause,
            # or a province's summary of a long clause): the larger directional coverage leads. Known by its
            # heading only, the heading is all there is to cover, and it must be found in one sentence: its
            # few words are found spread over almost any long clause.
            cov = bal * max(c, s) + (1 - bal) * min(c, s) if has_body else f.covers_ref_sentence[i, j]
            total = (wh * h if has_heading else 0.0) + wc * cov + topic
            norm = (wh if has_heading else 0.0) + wc + wt
            scores[i, j] = total / norm
            rule_part[i, j] = topic / norm
    return scores, rule_part


# Beads that match clauses, in the order ties are resolved: 1-1 first, then a split and a merge.
_MATCH_BEADS = ((1, 1), (1, 2), (2, 1))


def _dp(
    scores: np.ndarray, heading_only: np.ndarray, config: AlignConfig
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Best monotone chain of beads; returns the matched beads (target indices, reference indices)."""
    n_t, n_r = scores.shape
    tau, pen = config.match_threshold, config.bead_penalty
    # A clause known only by its heading offers little evidence: matching it in the chain takes more.
    need = np.where(heading_only, config.heading_only_threshold, tau)[None, :] + np.zeros_like(scores)
    best = np.full((n_t + 1, n_r + 1), -np.inf)
    # Back-pointers as two small integer arrays (a dict of tuples took ~1 GB for 2,500 × 2,500 clauses).
    back_i = np.zeros((n_t + 1, n_r + 1), dtype=np.int8)
    back_j = np.zeros((n_t + 1, n_r + 1), dtype=np.int8)
    best[0, 0] = 0.0
    for i in range(n_t + 1):
        for j in range(n_r + 1):
            if i == 0 and j == 0:
                continue
            options: list[tuple[float, int, int]] = []
            if i >= 1:
                options.append((best[i - 1, j], 1, 0))
            if j >= 1:
                options.append((best[i, j - 1], 0, 1))
            for di, dj in _MATCH_BEADS:
                if i < di or j < dj:
                    continue
                # Every target × reference cell of a 1-2 or 2-1 bead lies on one row or one column.
                cells = [(i - a, j - b) for a in range(1, di + 1) for b in range(1, dj + 1)]
                if all(scores[c] > need[c] for c in cells):
                    gain = sum(scores[c] - tau for c in cells) - (pen if len(cells) > 1 else 0.0)
                    options.append((best[i - di, j - dj] + gain, di, dj))
            # Ties go to the first option (skips before matches), so equal inputs give equal chains.
            value, di, dj = max(options, key=lambda o: o[0])
            best[i, j] = value
            back_i[i, j], back_j[i, j] = di, dj
    beads: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    i, j = n_t, n_r
    while i > 0 or j > 0:
        di, dj = int(back_i[i, j]), int(back_j[i, j])
        if di and dj:
            beads.append((tuple(range(i - di, i)), tuple(range(j - dj, j))))
        i, j = i - di, j - dj
    beads.reverse()
    return beads


def _attachable(f: PairFeatures, scores: np.ndarray, i: int, j: int, config: AlignConfig, merge: bool) -> bool:
    """May target clause i and reference clause j join one split (free target) or merge (free reference)?"""
    # A clause known only by its heading joins only when the headings agree: its few words are found
    # somewhere in almost any long clause.
    if not f.reference.has_body(j) and f.heading[i, j] < config.attach_heading:
        return False
    shared = max(f.covers_ref[i, j], f.from_ref[i, j])
    if scores[i, j] < config.attach_threshold or shared < config.attach_source:
        return False
    # Sentence evidence: which reference clause holds each target sentence best.
    rows = f.target.unit_range(i)
    if not len(rows) or not len(f.reference.units):
        return False
    held = f.t_in_rc[rows]  # how much of each target sentence each reference clause holds
    home = held.argmax(axis=1)
    strong = (home == j) & (held.max(axis=1) >= config.attach_sentence)
    if merge:
        # Part of the target's own text must come from the free reference clause, not only shared words.
        return bool(strong.any())
    # A free target clause is part of a split when most of its text comes from that reference clause.
    w = f.target.unit_weight[rows]
    return bool(w[home == j].sum() >= 0.5 * w.sum())


def align(f: PairFeatures, config: AlignConfig) -> list[Alignment]:
    scores, rule_part = pair_scores(f, config)
    n_t, n_r = scores.shape
    groups: list[dict] = []  # {"t": [...], "r": [...], "by": set, "moved": bool}
    heading_only = np.array([not f.reference.has_body(j) for j in range(n_r)], dtype=bool)
    for t_idx, r_idx in _dp(scores, heading_only, config):
        groups.append({"t": list(t_idx), "r": list(r_idx), "by": {"tfidf"}, "moved": False})

    def matched_t() -> set[int]:
        return {i for g in groups for i in g["t"]}

    def matched_r() -> set[int]:
        return {j for g in groups for j in g["r"]}

    # Order: a single unmatched clause on each side between two aligned neighbours is a pair when the
    # score, too weak on its own, still says they have something in common.
    anchors = sorted((min(g["t"]), min(g["r"]), max(g["t"]), max(g["r"])) for g in groups)
    bounds = [(-1, -1, -1, -1), *anchors, (n_t, n_r, n_t, n_r)]
    for (_, _, pi, pj), (ni, nj, _, _) in itertools.pairwise(bounds):
        if ni - pi == 2 and nj - pj == 2:
            i, j = pi + 1, pj + 1
            if scores[i, j] >= config.order_threshold:
                groups.append({"t": [i], "r": [j], "by": {"tfidf", "order"}, "moved": False})

    # Moved: out-of-order pairs of clauses both left unmatched, strongest first.
    # Only mutual best matches qualify: each clause is the other's most similar clause on the whole side.
    free_t, free_r = set(range(n_t)) - matched_t(), set(range(n_r)) - matched_r()
    best_r = scores.argmax(axis=1) if n_r else np.zeros(n_t, dtype=int)
    best_t = scores.argmax(axis=0) if n_t else np.zeros(n_r, dtype=int)
    candidates = sorted(
        (
            (float(scores[i, j]), i, j)
            for i in free_t
            for j in free_r
            if scores[i, j] >= config.moved_threshold and best_r[i] == j and best_t[j] == i
        ),
        key=lambda c: (-c[0], c[1], c[2]),
    )
    for _, i, j in candidates:
        if i in free_t and j in free_r:
            free_t.discard(i)
            free_r.discard(j)
            groups.append({"t": [i], "r": [j], "by": {"tfidf"}, "moved": True})

    # Split or merge whose parts are not adjacent: an unmatched clause joins the group of its best match.
    for i in sorted(free_t):
        j = int(np.argmax(scores[i])) if n_r else -1
        if j >= 0 and _attachable(f, scores, i, j, config, merge=False):
            g = next((g for g in groups if j in g["r"]), None)
            # A reference clause its partner already carries out whole (a later version's same article) has
            # nothing left to split off: the free clause is new text that happens to share its words.
            if g is not None and len(g["r"]) == 1 and max(f.covers_ref[k, j] for k in g["t"]) < config.split_covered:
                g["moved"] = g["moved"] or all(abs(i - k) > 1 for k in g["t"])
                g["t"].append(i)
    for j in sorted(free_r):
        i = int(np.argmax(scores[:, j])) if n_t else -1
        if i >= 0 and _attachable(f, scores, i, j, config, merge=True):
            g = next((g for g in groups if i in g["t"]), None)
            if g is not None and len(g["t"]) == 1:
                g["moved"] = g["moved"] or all(abs(j - k) > 1 for k in g["r"])
                g["r"].append(j)

    out: list[Alignment] = []
    for g in groups:
        t_idx, r_idx = tuple(sorted(g["t"])), tuple(sorted(g["r"]))
        relation = "split" if len(t_idx) > 1 else "merge" if len(r_idx) > 1 else "1-1"
        score = float(max(scores[i, j] for i in t_idx for j in r_idx))
        rule = float(max(rule_part[i, j] for i in t_idx for j in r_idx))
        by = set(g["by"])
        # The keyword rules made this match when the score without them falls short of the threshold.
        if score - rule < config.match_threshold <= score or (rule > 0 and "order" in by):
            by.add("rule")
        order = ("tfidf", "rule", "order")
        out.append(Alignment(t_idx, r_idx, score, relation, tuple(b for b in order if b in by), g["moved"]))
    done_t = {i for a in out for i in a.target}
    done_r = {j for a in out for j in a.reference}
    out.extend(Alignment((i,), (), 0.0, "") for i in range(n_t) if i not in done_t)
    out.extend(Alignment((), (j,), 0.0, "") for j in range(n_r) if j not in done_r)
    return out
