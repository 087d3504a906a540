"""A report or matrix flattened to rows of plain values: the one table layout CSV, XLSX and Markdown share."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Union

from policydiff.compare.matrix import Matrix, matrices_of_report
from policydiff.compare.result import ClauseRef, Comparison, DocumentSummary, Report, Verdict
from policydiff.compare.views import clause_orders, coverage_figures, headline, target_change_text
from policydiff.compare.vocabulary import SCORE_SENTENCE, legend_entries

Result = Union[Report, Matrix]  # noqa: UP007 - a runtime alias, evaluated on Python 3.10 too

VERDICT_COLUMNS: tuple[str, ...] = (
    "target_id",
    "reference_id",
    "verdict_no",
    "reference_order",
    "target_order",
    "section",
    "label",
    "target_paths",
    "target_headings",
    "reference_paths",
    "reference_headings",
    "reference_clause_coverage",
    "score",
    "word_score",
    "char_score",
    "heading_score",
    "target_coverage",
    "reference_coverage",
    "evidence",
    "relation",
    "matched_by",
    "moved",
    "shared_terms",
    "target_only_terms",
    "reference_only_terms",
    "topics",
    "target_changes",
    "localisations",
    "directive",
    "sentence_pairs",
    "unseen",
    "notes",
    "target_sha256",
    "reference_sha256",
    "rules_fingerprint",
    "policydiff_version",
    "config",
)
LIST_SEPARATOR = "; "
SUMMARY_COLUMNS: tuple[str, ...] = (
    "target_id",
    "reference_id",
    "reference_kind",
    "retained",
    "adapted",
    "added",
    "missing",
    "unjudged",
    "reference_clauses_matched",
    "target_clauses_matched",
    "reference_bodies_seen",
    "notes",
)


@dataclass(frozen=True)
class Pair:
    """One comparison with the target it belongs to (a report has one target, a matrix one per column)."""

    target: DocumentSummary
    comparison: Comparison


def pairs(result: Result) -> tuple[Pair, ...]:
    if isinstance(result, Matrix):
        return tuple(Pair(c.target, c.comparison) for c in result.columns)
    return tuple(Pair(result.target, c) for c in result.comparisons)


def matrices(result: Result) -> tuple[Matrix, ...]:
    return (result,) if isinstance(result, Matrix) else matrices_of_report(result)


def joined(values: Any) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values)


def config_json(result: Result) -> str:
    return json.dumps(result.config, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _paths(refs: tuple[ClauseRef, ...]) -> str:
    return joined(r.path for r in refs)


def _headings(refs: tuple[ClauseRef, ...]) -> str:
    return joined(r.heading for r in refs)


def verdict_row(
    result: Result, pair: Pair, number: int, v: Verdict, orders: tuple[dict[str, int], dict[str, int]] | None = None
) -> dict[str, Any]:
    e = v.evidence
    s = e.scores
    matched = bool(v.target and v.reference)
    ref_order, tgt_order = orders or clause_orders(pair.comparison)
    return {
        "target_id": pair.target.info.id,
        "reference_id": pair.comparison.reference.info.id,
        "verdict_no": number,
        "reference_order": min((ref_order[r.path] for r in v.reference), default=None),
        "target_order": min((tgt_order[t.path] for t in v.target), default=None),
        "section": v.section,
        "label": v.label,
        "target_paths": _paths(v.target),
        "target_headings": _headings(v.target),
        "reference_paths": _paths(v.reference),
        "reference_headings": _headings(v.reference),
        "reference_clause_coverage": joined(r.coverage for r in v.reference),
        "score": round(v.score, 4) if matched else None,
        "word_score": round(s.word, 4) if matched else None,
        "char_score": round(s.char, 4) if matched else None,
        "heading_score": round(s.heading, 4) if matched else None,
        "target_coverage": round(s.target_coverage, 4) if matched else None,
        "reference_coverage": round(s.reference_coverage, 4) if matched else None,
        "evidence": headline(v),
        "relation": e.relation,
        "matched_by": joined(e.matched_by),
        "moved": bool(e.moved),
        "shared_terms": joined(e.shared_terms),
        "target_only_terms": joined(e.target_only_terms),
        "reference_only_terms": joined(e.reference_only_terms),
        "topics": joined(e.topics),
        "target_changes": joined(target_change_text(c) for c in e.target_changes),
        "localisations": joined(e.localisations),
        "directive": " ".join(x for x in (e.directive, e.directive_detail) if x),
        "sentence_pairs": len(e.sentence_pairs),
        "unseen": bool(e.unseen),
        "notes": joined(e.notes),
        "target_sha256": pair.target.info.sha256,
        "reference_sha256": pair.comparison.reference.info.sha256,
        "rules_fingerprint": str(result.rules.get("fingerprint", "")),
        "policydiff_version": result.version,
        "config": config_json(result),
    }


def verdict_rows(result: Result, pair: Pair | None = None) -> list[dict[str, Any]]:
    chosen = (pair,) if pair is not None else pairs(result)
    rows: list[dict[str, Any]] = []
    for p in chosen:
        orders = clause_orders(p.comparison, _matrix_order(result))
        rows.extend(verdict_row(result, p, i, v, orders) for i, v in enumerate(p.comparison.verdicts, start=1))
    return rows


def _matrix_order(result: Result) -> tuple[str, ...]:
    """A matrix knows its reference's reading order (its rows); a report leaves it to the paths."""
    return tuple(r.clause.path for r in result.rows) if isinstance(result, Matrix) else ()


def summary_rows(result: Result) -> list[dict[str, Any]]:
    rows = []
    for p in pairs(result):
        counts = p.comparison.summary
        figures = coverage_figures(p.comparison)
        ref = p.comparison.reference
        rows.append(
            {
                "target_id": p.target.info.id,
                "reference_id": ref.info.id,
                "reference_kind": ref.info.kind + (" (partial)" if ref.partial else ""),
                **counts,
                "reference_clauses_matched": round(figures.reference_share, 4),
                "target_clauses_matched": round(figures.target_share, 4),
                "reference_bodies_seen": round(ref.body_coverage, 4),
                "notes": joined(p.comparison.notes),
            }
        )
    return rows


def documents(result: Result) -> list[DocumentSummary]:
    """Every document of the result once, in order of first appearance."""
    seen: dict[str, DocumentSummary] = {}
    if isinstance(result, Matrix):
        seen[result.reference.info.id] = result.reference
    for p in pairs(result):
        for doc in (p.target, p.comparison.reference):
            seen.setdefault(doc.info.id, doc)
    return list(seen.values())


DOCUMENT_COLUMNS: tuple[str, ...] = (
    "id",
    "title",
    "level",
    "region",
    "date",
    "kind",
    "partial",
    "clauses",
    "source",
    "corpus",
    "sha256",
)


def document_rows(result: Result) -> list[dict[str, Any]]:
    return [
        {
            "id": d.info.id,
            "title": d.info.title,
            "level": d.info.level,
            "region": d.info.region,
            "date": d.info.date,
            "kind": d.info.kind,
            "partial": d.partial,
            "clauses": d.clauses,
            "source": d.info.source,
            "corpus": d.info.corpus,
            "sha256": d.info.sha256,
        }
        for d in documents(result)
    ]


def provenance(result: Result) -> list[tuple[str, str]]:
    """Everything needed to trace and reproduce a table: schema, version, rule set and every setting."""
    from policydiff.compare.matrix import MATRIX_SCHEMA
    from policydiff.compare.result import SCHEMA

    rows = [
        ("schema", MATRIX_SCHEMA if isinstance(result, Matrix) else SCHEMA),
        ("policydiff_version", result.version),
        ("score", SCORE_SENTENCE.removeprefix("score: ")),
        *((f"legend {sym}", f"{name}: {meaning}") for sym, name, meaning in legend_entries()),
    ]
    rows.extend((f"rules.{k}", _plain(v)) for k, v in sorted(result.rules.items()))
    rows.extend((f"config.{k}", _plain(v)) for k, v in result.config.items())
    return rows


def _plain(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return joined(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def title(result: Result) -> str:
    if isinstance(result, Matrix):
        targets = ", ".join(c.target.info.id for c in result.columns)
        return f"{result.reference.info.id} across {targets}"
    refs = ", ".join(c.reference.info.id for c in result.comparisons)
    return f"{result.target.info.id} compared with {refs}"
