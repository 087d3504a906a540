"""Verdicts: an alignment becomes retained / adapted / added / missing, with the evidence for it.

retained vs adapted rests on the two directional coverages (how much of the reference the target covers,
how much of the target comes from the reference), and on what the keyword rules find: a changed target
number, a localised place or a shifted directive makes a match adapted however close the wording.
"""

from __future__ import annotations

import functools
import re

import numpy as np

from policydiff.compare.align import Alignment
from policydiff.compare.coding import instrument_changes
from policydiff.compare.config import AlignConfig
from policydiff.compare.diff import char_opcodes
from policydiff.compare.features import PairFeatures, directional_coverage
from policydiff.compare.result import ClauseRef, Evidence, Label, Scores, SentencePair, TargetChange, Verdict
from policydiff.compare.tokenize import dictionary_frequency
from policydiff.compare.vectorise import Bag, cosine
from policydiff.corpora.model import Clause
from policydiff.rules.apply import PLACE_CLASS, compare_targets


def _ref(clause: Clause) -> ClauseRef:
    return ClauseRef(clause.path, clause.heading, clause.coverage)


# Numerals with a counter (三项, 两个, 十大): they count things without saying what.
_COUNTED = re.compile(r"^[0-9０-９.%％、一二三四五六七八九十百千万两几第]+[个项条类大种批家年次位点]?$")


def informative(word: str, f: PairFeatures, min_frequency: int) -> bool:
    """A term worth showing as evidence: a word from the rule set (user dictionary, places, programmes), or a
    jieba dictionary word of two characters or more that is neither a number nor a count."""
    if word in f.rules.user_words or word in f.rules.place:
        return True
    return _dictionary_word(word, min_frequency)


@functools.lru_cache(maxsize=1 << 16)
def _dictionary_word(word: str, min_frequency: int) -> bool:
    """Asked of the same words in every pair of a study: remembered per process (the dictionary never changes)."""
    if len(word) < 2 or _COUNTED.match(word) or any(ch.isdigit() for ch in word):
        return False
    return dictionary_frequency(word) >= min_frequency


def _terms(
    f: PairFeatures, t_idx: tuple[int, ...], r_idx: tuple[int, ...], config: AlignConfig
) -> tuple[tuple[str, ...], ...]:
    """Top shared words and words found on one side only, rarest (highest idf) first; formulae weigh little."""
    k = config.top_terms
    t_bag = Bag.join([f.target.clause_bags[i] for i in t_idx])
    r_bag = Bag.join([f.reference.clause_bags[i] for i in r_idx])
    skip = {PLACE_CLASS, *f.rules.canonical_scope}
    keep = {
        w
        for w, _ in (*t_bag.words, *r_bag.words)
        if w not in skip and informative(w, f, config.evidence_word_frequency)
    }
    tw = {w: wt for w, wt in t_bag.words if w in keep}
    rw = {w: wt for w, wt in r_bag.words if w in keep}

    def top(words: set[str], weight: dict[str, float]) -> tuple[str, ...]:
        ordered = sorted(words, key=lambda w: (-weight[w] * f.space.idf(w), w))
        return tuple(ordered[:k])

    both = {w: min(tw[w], rw[w]) for w in tw.keys() & rw.keys()}
    return (
        top(set(both), both),
        top(tw.keys() - rw.keys(), tw),
        top(rw.keys() - tw.keys(), rw),
    )


def _sentence_pairs(
    f: PairFeatures, t_idx: tuple[int, ...], r_idx: tuple[int, ...], config: AlignConfig
) -> tuple[SentencePair, ...]:
    t_rows = np.where(np.isin(f.target.unit_clause, t_idx))[0]
    r_cols = np.where(np.isin(f.reference.unit_clause, r_idx))[0]
    if not len(t_rows) or not len(r_cols):
        return ()
    # A pair is the same sentence when either side is largely held by the other (a digest note inside a
    # long provincial sentence) or the two are similar overall.
    block = np.maximum(
        f.units[np.ix_(t_rows, r_cols)],
        0.5 * (f.plain[0][np.ix_(t_rows, r_cols)] + f.plain[1][np.ix_(r_cols, t_rows)].T),
    )
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


def _directive(f: PairFeatures, t_idx: tuple[int, ...], r_idx: tuple[int, ...], config: AlignConfig) -> tuple[str, str]:
    """Strengthened / weakened: matched sentences compared on their strongest directive word."""
    t_rows = np.where(np.isin(f.target.unit_clause, t_idx))[0]
    r_cols = np.where(np.isin(f.reference.unit_clause, r_idx))[0]
    if not len(t_rows) or not len(r_cols):
        return "", ""
    block = f.units[np.ix_(t_rows, r_cols)]
    diffs: list[int] = []
    shifts: list[str] = []
    for i, row in enumerate(t_rows):
        j = int(block[i].argmax())
        if block[i, j] < config.sentence_threshold:
            continue
        ts, tword = f.rules.strength(f.target.unit_words[row])
        rs, rword = f.rules.strength(f.reference.unit_words[r_cols[j]])
        if ts and rs:
            diffs.append(ts - rs)
            if ts != rs and f"{rword}→{tword}" not in shifts:
                shifts.append(f"{rword}→{tword}")
    if not diffs:
        return "", ""
    mean = sum(diffs) / len(diffs)
    threshold = f.rules.rules.directive_threshold
    if mean >= threshold:
        return "strengthened", ", ".join(shifts[:4])
    if mean <= -threshold:
        return "weakened", ", ".join(shifts[:4])
    return "", ""


def _group_text(side, idx: tuple[int, ...]) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(side.clause_text[i] for i in idx)


def _topics(f: PairFeatures, t_idx: tuple[int, ...], r_idx: tuple[int, ...]) -> tuple[str, ...]:
    t = [x for i in t_idx for x in f.target.topics[i]]
    r = [x for j in r_idx for x in f.reference.topics[j]]
    if t and r:
        shared = [x for x in dict.fromkeys(t) if x in r]
        return tuple(shared)
    return tuple(dict.fromkeys(t or r))


def _word_chars(f: PairFeatures, alignments: list[Alignment]) -> list[tuple[float, float]]:
    """Word and character cosine of every matched group, embedded in one batch (not one transform each)."""
    matched = [a for a in alignments if a.target and a.reference]
    if not matched:
        return []
    t_bags = [Bag.join([f.target.clause_bags[i] for i in a.target]) for a in matched]
    r_bags = [Bag.join([f.reference.clause_bags[i] for i in a.reference]) for a in matched]
    tv, rv = f.space.transform(t_bags), f.space.transform(r_bags)
    out: list[tuple[float, float]] = []
    step = 256  # the diagonal of blocks: each pair's cosine, never a matrix of all groups × all groups
    for lo in range(0, len(matched), step):
        t_blk = (tv[0][lo : lo + step], tv[1][lo : lo + step])
        r_blk = (rv[0][lo : lo + step], rv[1][lo : lo + step])
        word, char = cosine(t_blk, r_blk, 1.0).diagonal(), cosine(t_blk, r_blk, 0.0).diagonal()
        out.extend((float(w), float(c)) for w, c in zip(word, char, strict=True))
    return out


def _unseen_gaps(f: PairFeatures, alignments: list[Alignment]) -> dict[tuple[int, ...], bool]:
    """For each added target group: could its counterpart sit in a reference clause whose body nobody saw?

    The alignment keeps the reference's order, so an added clause's counterpart, if any, lies between the
    reference clauses matched by its neighbours; when an unmatched, unseen clause sits in that gap, "added"
    might change once the reference were known.
    """
    matched_ref = {j for a in alignments if a.target for j in a.reference}
    to_ref: dict[int, list[int]] = {}
    for a in alignments:
        if a.target and a.reference:
            for i in a.target:
                to_ref.setdefault(i, []).extend(a.reference)
    n_ref = len(f.reference.clauses)
    out: dict[tuple[int, ...], bool] = {}
    for a in alignments:
        if a.reference or not a.target:
            continue
        before = [j for i, js in to_ref.items() if i < min(a.target) for j in js]
        after = [j for i, js in to_ref.items() if i > max(a.target) for j in js]
        lo = max(before) if before else -1
        hi = min(after) if after else n_ref
        out[a.target] = any(
            not f.reference.clauses[j].body_seen and j not in matched_ref for j in range(lo + 1, max(hi, lo + 1))
        )
    return out


def _added(f: PairFeatures, a: Alignment, config: AlignConfig, unseen_gap: bool) -> Verdict:
    ref_doc = f.reference.doc
    _, only_t, _ = _terms(f, a.target, a.reference, config)
    notes: list[str] = []
    if unseen_gap:
        notes.append(
            f"its counterpart may sit in a clause of {ref_doc.info.id} whose text was not seen "
            f"({ref_doc.body_coverage:.0%} of its clause bodies seen): added as far as the reference is known"
        )
    places = tuple(p.name for p in f.rules.places(_group_text(f.target, a.target)))
    evidence = Evidence(
        target_only_terms=only_t,
        topics=_topics(f, a.target, a.reference),
        localisations=places,
        unseen=unseen_gap,
        notes=tuple(notes),
    )
    return Verdict("added", tuple(_ref(f.target.clauses[i]) for i in a.target), (), 0.0, evidence)


def _unmatched_reference(f: PairFeatures, a: Alignment, config: AlignConfig) -> Verdict:
    """A reference clause without counterpart: missing, or unjudged when nothing of it was seen."""
    r_clauses = [f.reference.clauses[i] for i in a.reference]
    refs = tuple(map(_ref, r_clauses))
    if not any(f.reference.has_body(j) or f.reference.has_heading(j) for j in a.reference):
        note = "nothing of the reference clause was seen (digest): it cannot be judged"
        return Verdict("unjudged", (), refs, 0.0, Evidence(notes=(note,)))
    _, _, only_r = _terms(f, a.target, a.reference, config)
    heading_only = any(not c.body_seen for c in r_clauses)
    notes = ("the reference clause is known only by its heading (digest)",) if heading_only else ()
    evidence = Evidence(
        reference_only_terms=only_r, topics=_topics(f, a.target, a.reference), unseen=heading_only, notes=notes
    )
    return Verdict("missing", (), refs, 0.0, evidence)


def _match_notes(a: Alignment, r_clauses: list[Clause]) -> list[str]:
    notes: list[str] = []
    if any(not c.body_seen for c in r_clauses):
        notes.append("matched on the reference clause's heading only: its text was not seen (digest)")
    elif any(c.coverage != "full" for c in r_clauses):
        notes.append("the reference clause is only partly known (digest): coverage is of the known part")
    if a.relation == "split":
        notes.append(f"split: the reference clause is carried out in {len(a.target)} target clauses")
    elif a.relation == "merge":
        notes.append(f"merge: the target clause carries out {len(a.reference)} reference clauses")
    if a.moved:
        notes.append("moved: the target clause sits out of the reference's order")
    return notes


def _matched(f: PairFeatures, a: Alignment, config: AlignConfig, word_char: tuple[float, float]) -> Verdict:
    rules = f.rules
    t_clauses = [f.target.clauses[i] for i in a.target]
    r_clauses = [f.reference.clauses[i] for i in a.reference]
    shared, only_t, only_r = _terms(f, a.target, a.reference, config)
    covers_ref, from_ref = directional_coverage(f, a.target, a.reference)
    t_text, r_text = _group_text(f.target, a.target), _group_text(f.reference, a.reference)
    changes = tuple(
        TargetChange(indicator, change, t_desc, r_desc)  # type: ignore[arg-type]
        for indicator, change, t_desc, r_desc in compare_targets(rules.targets(t_text), rules.targets(r_text))
        if change != "same"
    )
    t_places = [p.name for p in rules.places(t_text)]
    r_places = [p.name for p in rules.places(r_text)]
    localisations = tuple(p for p in t_places if p not in r_places)
    reference_places = tuple(p for p in r_places if p not in t_places)
    directive, directive_detail = _directive(f, a.target, a.reference, config)
    heading_only = any(not c.body_seen for c in r_clauses)
    retained = (
        not heading_only
        and covers_ref >= config.retained_coverage
        and from_ref >= config.retained_coverage
        and not changes
        and not localisations
        and not directive
    )
    word, char = word_char
    s = Scores(
        combined=a.score,
        word=word,
        char=char,
        heading=float(max(f.heading[i, j] for i in a.target for j in a.reference)),
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
        topics=_topics(f, a.target, a.reference),
        target_changes=changes,
        localisations=localisations,
        reference_places=reference_places,
        directive=directive,
        directive_detail=directive_detail,
        sentence_pairs=_sentence_pairs(f, a.target, a.reference, config),
        unseen=heading_only,  # a match resting on a heading alone
        notes=tuple(_match_notes(a, r_clauses)),
        instrument_changes=instrument_changes(t_clauses, r_clauses),
    )
    # The verdict's score is the share of the reference clause found in the target (1.00 for identical
    # text); the alignment's pair score, which mixes in headings and topics, stays in the evidence.
    label: Label = "retained" if retained else "adapted"
    return Verdict(label, tuple(map(_ref, t_clauses)), tuple(map(_ref, r_clauses)), covers_ref, evidence)


def classify(f: PairFeatures, alignments: list[Alignment], config: AlignConfig) -> list[Verdict]:
    gaps = _unseen_gaps(f, alignments)
    verdicts: list[Verdict] = []
    word_chars = iter(_word_chars(f, alignments))
    for a in alignments:
        if not a.reference:
            verdicts.append(_added(f, a, config, gaps.get(a.target, False)))
        elif not a.target:
            verdicts.append(_unmatched_reference(f, a, config))
        else:
            verdicts.append(_matched(f, a, config, next(word_chars)))
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
