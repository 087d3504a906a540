"""Markdown export: documents, summary, matrix and verdict tables, ready for a paper or a README."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from policydiff.compare.export.table import (
    Pair,
    Result,
    document_rows,
    joined,
    matrices,
    pairs,
    provenance,
    summary_rows,
    title,
)
from policydiff.compare.mix_view import matrix_mix, mix_markdown
from policydiff.compare.views import evidence_summary, headline
from policydiff.compare.vocabulary import (
    CAUTION,
    COUNTED,
    SCORE_SENTENCE,
    display_name,
    legend_entries,
    legend_line,
    symbol,
)

# Characters that would start emphasis, links, code, strike-through or HTML, or end a table cell. A lone "_" or
# "~" does neither in GitHub's Markdown and stays readable (policydiff_version, the ~ of "adapted").
_SPECIAL = re.compile(r"([\\`*{}\[\]<>|]|~~|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    return _SPECIAL.sub(lambda m: "".join("\\" + ch for ch in m.group()), text)


def table(header: Sequence[str], rows: Iterable[Sequence[object]], right: Sequence[int] = ()) -> list[str]:
    lines = ["| " + " | ".join(cell(h) for h in header) + " |"]
    lines.append("| " + " | ".join("---:" if i in right else "---" for i in range(len(header))) + " |")
    lines.extend("| " + " | ".join(cell(v) for v in row) + " |" for row in rows)
    return lines


def _refs(refs: Iterable[object]) -> str:
    return joined(f"{r.path} {r.heading}".strip() for r in refs)  # type: ignore[attr-defined]


def _verdicts(pair: Pair) -> list[str]:
    rows = [
        (
            i,
            f"{symbol(v.label)} {display_name(v.label)}",
            _refs(v.target),
            _refs(v.reference),
            f"{v.score:.2f}" if v.target and v.reference else "",
            CAUTION if v.evidence.unseen else "",
            headline(v),
        )
        for i, v in enumerate(pair.comparison.verdicts, start=1)
    ]
    header = ("#", "verdict", "target clause", "reference clause", "score", CAUTION, "evidence")
    out = table(header, rows, right=(0, 4))
    # The full evidence folds away below the table: a table cell cannot hold it readably.
    out += ["", "<details><summary>Full evidence of every verdict</summary>", ""]
    for i, v in enumerate(pair.comparison.verdicts, start=1):
        out.append(f"{i}. " + cell("; ".join(evidence_summary(v, terms=None, full=True)) or "—"))
    out += ["", "</details>"]
    return out


def _legend() -> list[str]:
    # "+" opening a list item would start a nested list: escape it.
    lines = [
        f"- {cell(sym).replace('+', chr(92) + '+')} **{cell(name)}**: {cell(meaning)}"
        for sym, name, meaning in legend_entries()
    ]
    return [*lines, f"- {cell(SCORE_SENTENCE)}"]


def render_md(result: Result) -> bytes:
    out = [f"# policydiff: {cell(title(result))}", ""]
    out += ["## Documents", ""]
    docs = document_rows(result)
    out += table(
        ("id", "title", "level", "kind", "clauses", "sha256"),
        [
            (
                d["id"],
                d["title"],
                d["level"],
                d["kind"] + (" (partial)" if d["partial"] else ""),
                d["clauses"],
                d["sha256"][:12],
            )
            for d in docs
        ],
        right=(4,),
    )
    out += ["", "<details><summary>Full sha256 hashes</summary>", ""]
    out += [f"- {cell(d['id'])}: `{d['sha256']}`" for d in docs]
    out += ["", "</details>"]
    out += ["", "## Summary", ""]
    out += table(
        ("target", "reference", *COUNTED, "not judged", "reference matched", "bodies seen"),
        [
            (
                r["target_id"],
                r["reference_id"],
                r["retained"],
                r["adapted"],
                r["added"],
                r["missing"],
                r["unjudged"],
                f"{r['reference_clauses_matched']:.0%}",
                f"{r['reference_bodies_seen']:.0%}",
            )
            for r in summary_rows(result)
        ],
        right=(2, 3, 4, 5, 6, 7, 8),
    )
    out += ["", *_legend()]
    notes = [n for p in pairs(result) for n in p.comparison.notes]
    if notes:
        out.append("")
        out += [f"- {cell(n)}" for n in dict.fromkeys(notes)]
    for m in matrices(result):
        out += ["", f"## Matrix: {cell(m.reference.info.id)}", ""]
        out.append(cell(legend_line(with_not_compared=True)))
        out.append("")
        ids = [c.target.info.id for c in m.columns]
        out += table(
            ("path", "heading", *ids),
            [(r.clause.path, r.clause.heading, *(c.mark for c in r.cells)) for r in m.rows],
        )
        out.append("")
        for col in m.columns:
            added = _refs(r for v in col.added for r in v.target)
            out.append(f"- {cell(col.target.info.id)} added {len(col.added)}" + (f": {cell(added)}" if added else ""))
        view = matrix_mix(m)
        if view is not None:
            out += ["", *mix_markdown(view)]
    for p in pairs(result):
        out += ["", f"## Verdicts: {cell(p.target.info.id)} vs {cell(p.comparison.reference.info.id)}", ""]
        out += _verdicts(p)
    out += ["", "## Configuration", ""]
    out += table(("setting", "value"), provenance(result))
    return ("\n".join(out) + "\n").encode("utf-8")
