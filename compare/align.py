"""Alignment: which reference clauses each target clause carries out.

First version: a clause-pair score (body similarity, heading similarity, and — for a digest clause known
only by its heading — the target clause against that heading), then every target clause takes its best
reference clause above the threshold plus any others close to it (splits and merges).
"""

from __future__ import annotations

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


def pair_scores(f: PairFeatures) -> np.ndarray:
    """Target clauses × reference clauses: the similarity alignment decisions rest on."""
    r_has_body = np.array([bool(b.chars) for b in f.reference.body_bags])
    t_has_body = np.array([bool(b.chars) for b in f.target.body_bags])
    body = f.body
    # Where both sides have bodies, bodies carry most of the signal and headings confirm it; a reference
    # clause known only by its heading is judged by headings and by the target's text against that heading.
    with_body = 0.7 * body + 0.3 * f.heading
    heading_only = np.maximum(f.heading, 0.8 * f.cross)
    both = np.outer(t_has_body, r_has_body)
    return np.where(both, with_body, heading_only)


def align(f: PairFeatures, config: AlignConfig) -> list[Alignment]:
    scores = pair_scores(f)
    n_t, n_r = scores.shape
    chosen: dict[int, list[int]] = {}
    for ti in range(n_t):
        if n_r == 0:
            break
        row = scores[ti]
        best = float(row.max())
        if best < config.match_threshold:
            continue
        order = np.argsort(-row, kind="stable")[: config.max_counterparts]
        chosen[ti] = sorted(
            int(ri) for ri in order if row[ri] >= max(config.match_threshold, config.secondary_ratio * best)
        )
    ref_users: dict[int, list[int]] = {}
    for ti, refs in chosen.items():
        for ri in refs:
            ref_users.setdefault(ri, []).append(ti)

    out: list[Alignment] = []
    for ti in range(n_t):
        refs = chosen.get(ti)
        if not refs:
            out.append(Alignment((ti,), (), 0.0, ""))
            continue
        split = any(len(ref_users[ri]) > 1 for ri in refs)
        relation = "merge" if len(refs) > 1 else ("split" if split else "1-1")
        score = float(max(scores[ti, ri] for ri in refs))
        out.append(Alignment((ti,), tuple(refs), score, relation, ("tfidf",)))
    for ri in range(n_r):
        if ri not in ref_users:
            out.append(Alignment((), (ri,), 0.0, ""))
    return out
