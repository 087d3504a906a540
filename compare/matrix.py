"""The province matrix: for each clause of a reference, what each target made of it, and what each target added.

`build_matrix` compares every target with the reference and returns a frozen `Matrix` that renderers read
(terminal table, CSV, XLSX, Markdown, HTML heatmap, JSON `policydiff/matrix@1`). `matrices_of_report` gives
the same view of an ordinary comparison report, one matrix per reference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from policydiff.compare.cache import Cache
from policydiff.compare.config import AlignConfig
from policydiff.compare.result import ClauseRef, Comparison, DocumentSummary, Report, Verdict
from policydiff.compare.views import path_key
from policydiff.compare.vocabulary import CAUTION, STATUS_STYLES, legend_dict
from policydiff.corpora.errors import ConfigError
from policydiff.corpora.model import Document

MATRIX_SCHEMA = "policydiff/matrix@1"
SYMBOLS = {status: style.symbol for status, style in STATUS_STYLES.items()}
# When several verdicts touch one reference clause (it was split across target clauses), the cell shows the
# closest relation found.
_RANK = {"retained": 0, "adapted": 1, "missing": 2, "unjudged": 3, "": 4}


@dataclass(frozen=True)
class Cell:
    """What one target made of one reference clause; label "" when its comparison does not mention the clause."""

    label: str
    score: float = 0.0
    counterparts: tuple[ClauseRef, ...] = ()  # the target clauses it was matched with
    unseen: bool = False  # ⚠: the verdict might change if the unseen reference text were known

    @property
    def symbol(self) -> str:
        return SYMBOLS.get(self.label, "?")

    @property
    def mark(self) -> str:
        """What a reader sees in the cell: the symbol, with ⚠ when the verdict might change were the unseen
        reference text known."""
        return self.symbol + (f" {CAUTION}" if self.unseen else "")


@dataclass(frozen=True)
class MatrixRow:
    clause: ClauseRef  # the reference clause
    cells: tuple[Cell, ...]  # one per target, in column order


@dataclass(frozen=True)
class MatrixColumn:
    """One target and its comparison with the reference."""

    target: DocumentSummary
    comparison: Comparison

    @property
    def added(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.comparison.verdicts if v.label == "added")

    @property
    def counts(self) -> dict[str, int]:
        return self.comparison.summary


@dataclass(frozen=True)
class Matrix:
    config: dict[str, Any]
    reference: DocumentSummary
    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]
    rules: dict[str, Any]
    version: str = ""
    # Per document (reference first), the share of coded sentences by instrument type and subtype and the
    # difference from the reference (`coding.MixRow`); empty for a matrix laid out from a comparison report.
    instrument_mix: tuple[Any, ...] = ()

    @property
    def reports(self) -> tuple[Report, ...]:
        """Each column as an ordinary comparison report (target against the reference)."""
        return tuple(
            Report(
                config=self.config,
                target=c.target,
                comparisons=(c.comparison,),
                rules=self.rules,
                version=self.version,
            )
            for c in self.columns
        )

    def to_dict(self) -> dict[str, Any]:
        reports = [r.to_dict() for r in self.reports]
        reference = reports[0]["comparisons"][0]["reference"] if reports else {"id": self.reference.info.id}
        return {
            "schema": MATRIX_SCHEMA,
            "policydiff_version": self.version,
            "config": self.config,
            "rules": self.rules,
            "legend": legend_dict(),
            "reference": reference,
            "targets": [r["target"] for r in reports],
            "rows": [
                {
                    "path": row.clause.path,
                    "heading": row.clause.heading,
                    "coverage": row.clause.coverage,
                    "cells": [
                        {
                            "target": col.target.info.id,
                            "label": cell.label,
                            "symbol": cell.symbol,
                            "score": round(cell.score, 4),
                            "counterparts": [{"path": r.path, "heading": r.heading} for r in cell.counterparts],
                            "unseen": cell.unseen,
                        }
                        for col, cell in zip(self.columns, row.cells, strict=True)
                    ],
                }
                for row in self.rows
            ],
            "added": [
                {
                    "target": col.target.info.id,
                    "count": len(col.added),
                    "clauses": [{"path": r.path, "heading": r.heading} for v in col.added for r in v.target],
                }
                for col in self.columns
            ],
            "comparisons": [{"target": r["target"], **r["comparisons"][0]} for r in reports],
            **({"instrument_mix": [vars(r) for r in self.instrument_mix]} if self.instrument_mix else {}),
        }


def column_cells(comparison: Comparison) -> tuple[dict[str, Cell], dict[str, ClauseRef]]:
    """One column of the matrix: per reference clause path its cell, and the clauses the verdicts mention. A study
    computes it on the worker that ran the pair and keeps only this (see `lay_out`)."""
    cells: dict[str, Cell] = {}
    refs: dict[str, ClauseRef] = {}
    for v in comparison.verdicts:
        if v.label == "added":
            continue
        for r in v.reference:
            refs.setdefault(r.path, r)
            new = Cell(v.label, v.score if v.target else 0.0, v.target, v.evidence.unseen)
            old = cells.get(r.path)
            if old is None or _RANK[new.label] < _RANK[old.label]:
                cells[r.path] = new
            elif _RANK[new.label] == _RANK[old.label] and new.label != "missing":
                cells[r.path] = Cell(
                    old.label,
                    max(old.score, new.score),
                    old.counterparts + tuple(t for t in new.counterparts if t not in old.counterparts),
                    old.unseen or new.unseen,
                )
    return cells, refs


def assemble_matrix(
    reference: DocumentSummary,
    columns: Sequence[MatrixColumn],
    config: dict[str, Any],
    rules: dict[str, Any],
    version: str = "",
    order: Sequence[ClauseRef] = (),
) -> Matrix:
    """Lay comparisons against one reference side by side. `order` lists the reference's clauses in reading
    order (from the document); clauses only the verdicts mention follow in path order."""
    rows = lay_out([column_cells(c.comparison) for c in columns], order)
    return Matrix(config=config, reference=reference, columns=tuple(columns), rows=rows, rules=rules, version=version)


def lay_out(
    per_column: Sequence[tuple[dict[str, Cell], dict[str, ClauseRef]]], order: Sequence[ClauseRef] = ()
) -> tuple[MatrixRow, ...]:
    """The matrix's rows from its columns' cells (`column_cells`): the reference's clauses in reading order,
    then the clauses only the verdicts mention, in path order."""
    known: dict[str, ClauseRef] = {r.path: r for r in order}
    for _, refs in per_column:
        for path, ref in sorted(refs.items(), key=lambda kv: path_key(kv[0])):
            known.setdefault(path, ref)
    return tuple(
        MatrixRow(ref, tuple(cells.get(path, Cell("")) for cells, _ in per_column)) for path, ref in known.items()
    )


def matrices_of_report(report: Report) -> tuple[Matrix, ...]:
    """One single-column matrix per reference of a comparison report (the reference's clauses × the target)."""
    return tuple(
        assemble_matrix(c.reference, [MatrixColumn(report.target, c)], report.config, report.rules, report.version)
        for c in report.comparisons
    )


def build_matrix(
    reference: Document,
    targets: Sequence[Document],
    config: AlignConfig | None = None,
    rules: Any = None,
    cache: Cache | None = None,
    progress: Callable[[str], None] | None = None,
) -> Matrix:
    """Compare each target with the reference and lay the verdicts out clause by clause, with each document's
    policy-instrument mix beside it."""
    from policydiff.compare.coding import code_documents, instrument_mix
    from policydiff.compare.run import compare_documents, summarise
    from policydiff.rules.ruleset import load_rules

    ids = [t.info.id for t in targets]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ConfigError(f"target(s) given more than once: {', '.join(repeated)}")
    config = config or AlignConfig()
    rules = rules or load_rules()
    cache = cache or Cache()
    reports = []
    for target in targets:
        if progress:
            progress(target.info.id)
        reports.append(compare_documents(target, [reference], config, rules, cache))
    columns = [MatrixColumn(r.target, r.comparisons[0]) for r in reports]
    order = [ClauseRef(c.path, c.heading, c.coverage) for c in reference.clauses]
    first = reports[0] if reports else None
    matrix = assemble_matrix(
        summarise(reference),
        columns,
        config.as_dict(),
        first.rules if first else rules.describe(),
        first.version if first else "",
        order,
    )
    codings = code_documents([reference, *targets]).documents
    return replace(matrix, instrument_mix=tuple(instrument_mix(codings, reference=reference.info.id)))
