"""Verdicts: an alignment becomes retained / adapted / added / missing, with the evidence for it."""

from __future__ import annotations

import numpy as np

from policydiff.compare.align import Alignment
from policydiff.compare.config import AlignConfig
from policydiff.compare.diff import char_opcodes
from policydiff.compare.features import PairFeatures, directional_coverage
from policydiff.compare.model import Clause
from policydiff.compare.result import ClauseRef, Evidence, Scores, SentencePair, Verdict


def _ref(clause: Clause) -> ClauseRef:
    return ClauseRef(clause.path, clause.heading, clause.coverage)


def _terms(f: PairFeatures, t_idx: tuple[int, ...], r_idx: tuple[int, ...], k: int) -> tuple[tuple[str, ...], ...]:
    """Top shared words and words found on one side only, by TF-IDF weight."""
    from policydiff.compare.vectorise import Bag

    vocab = f.vectorizer.word_vocabulary_
    t_bag = Bag.join([f.target.body_bags[i] for i in t_idx] + [f.target.heading_bags[i] for i in t_idx])
    r_bag = Bag.join([f.reference.body_bags[i] for i in r_idx] + [f.reference.heading_bags[i] for i in r_idx])
    (tw, _), (rw, _) = f.vectorizer.transform([t_bag]), f.vectorizer.transform([r_bag])
    tv, rv = tw.toarray()[0], rw.toarray()[0]
    shared = np.where((tv > 0) & (rv > 0))[0]
    only_t = np.where((tv > 0) & (rv == 0))[0]
    only_r = np.where((tv == 0) & (rv > 0))[0]

    def top(idx: np.ndarray, weight: np.ndarray) -> tuple[str, ...]:
        ordered = sorted(idx.tolist(), key=lambda i: (-weight[i], vocab[i]))
        return tuple(str(vocab[i]) for i in ordered[:k] if vocab[i] != "\x00")

    return top(shared, tv * rv), top(only_t, tv), top(only_r, rv)


def _sentence_pairs(f: PairFeatures, t_idx: tuple[int, ...], r_idx: tuple[int, ...], config: AlignConfig):
    t_rows = np.where(np.isin(f.target.unit_clause, t_idx))[0]
    r_cols = np.where(np.isin(f.reference.unit_clause, r_idx))[0]
    if not len(t_rows) or not len(r_cols):
        return ()
    block = f.units[np.ix_(t_rows, r_cols)]
    pairs = []
    for i, row in enumerate(t_rows):
        j = int(block[i].argmax())
        score = float(block[i, j])
        if score < config.sentence_threshold:
            continue
        t_clause, t_unit = f.target.units[row]
        r_clause, r_unit = f.reference.units[r_cols[j]]
        t_text = f.target.doc.quote(t_unit.start, t_unit.end)
        r_text = f.reference.doc.quote(r_unit.start, r_unit.end)
        pairs.append(
            SentencePair(
                t_clause.path,
                t_unit.index,
                t_text,
                r_clause.path,
                r_unit.index,
                r_text,
                score,
                char_opcodes(t_text, r_text),
            )
        )
    return tuple(pairs)


def classify(f: PairFeatures, alignments: list[Alignment], config: AlignConfig) -> list[Verdict]:
    ref_doc = f.reference.doc
    partial_ref = ref_doc.is_partial
    verdicts: list[Verdict] = []
    for a in alignments:
        t_clauses = [f.target.clauses[i] for i in a.target]
        r_clauses = [f.reference.clauses[i] for i in a.reference]
        shared, only_t, only_r = _terms(f, a.target, a.reference, config.top_terms)
        notes: list[str] = []
        if not a.reference:
            unseen = partial_ref
            if partial_ref:
                notes.append(
                    f"no counterpart in the known part of {ref_doc.info.id} "
                    f"({ref_doc.body_coverage:.0%} of its clause bodies seen): added as far as the reference is known"
                )
            verdicts.append(
                Verdict(
                    "added",
                    tuple(map(_ref, t_clauses)),
                    (),
                    0.0,
                    Evidence(target_only_terms=only_t, unseen=unseen, notes=tuple(notes)),
                )
            )
            continue
        if not a.target:
            unseen = any(not c.body_seen for c in r_clauses)
            if unseen:
                notes.append("the reference clause is known only by its heading (digest)")
            verdicts.append(
                Verdict(
                    "missing",
                    (),
                    tuple(map(_ref, r_clauses)),
                    0.0,
                    Evidence(reference_only_terms=only_r, unseen=unseen, notes=tuple(notes)),
                )
            )
            continue
        ti = a.target[0]
        covers_ref, from_ref = directional_coverage(f, a.target, a.reference)
        unseen = any(c.coverage != "full" for c in r_clauses)
        if any(not c.body_seen for c in r_clauses):
            notes.append("matched on the reference clause's heading only: its text was not seen (digest)")
        elif unseen:
            notes.append("the reference clause is only partly known (digest): coverage is of the known part")
        retained = (
            not any(not c.body_seen for c in r_clauses)
            and covers_ref >= config.retained_coverage
            and from_ref >= config.retained_coverage
        )
        s = Scores(
            combined=a.score,
            word=float(max(f.body_word[ti, r] for r in a.reference)),
            char=float(max(f.body_char[ti, r] for r in a.reference)),
            heading=float(max(f.heading[ti, r] for r in a.reference)),
            target_coverage=covers_ref,
            reference_coverage=from_ref,
        )
        evidence = Evidence(
            scores=s,
            matched_by=a.matched_by,
            relation=a.relation,
            moved=a.moved,
            shared_terms=shared,
            target_only_terms=only_t,
            reference_only_terms=only_r,
            sentence_pairs=_sentence_pairs(f, a.target, a.reference, config),
            unseen=unseen,
            notes=tuple(notes),
        )
        verdicts.append(
            Verdict(
                "retained" if retained else "adapted",
                tuple(map(_ref, t_clauses)),
                tuple(map(_ref, r_clauses)),
                a.score,
                evidence,
            )
        )
    return _ordered(f, verdicts)


def _ordered(f: PairFeatures, verdicts: list[Verdict]) -> list[Verdict]:
    """Target reading order; a missing reference clause sits after the target clause matched just before it."""
    t_pos = {c.path: i for i, c in enumerate(f.target.clauses)}
    r_pos = {c.path: i for i, c in enumerate(f.reference.clauses)}
    last_t_for_ref: dict[int, int] = {}
    for v in verdicts:
        if v.target and v.reference:
            for r in v.reference:
                last_t_for_ref[r_pos[r.path]] = max(last_t_for_ref.get(r_pos[r.path], -1), t_pos[v.target[0].path])

    def key(v: Verdict) -> tuple[float, int, int]:
        if v.target:
            return (t_pos[v.target[0].path], 0, r_pos[v.reference[0].path] if v.reference else -1)
        ri = r_pos[v.reference[0].path]
        before = [t for r, t in last_t_for_ref.items() if r < ri]
        return (max(before) if before else -1, 1, ri)

    return sorted(verdicts, key=key)
