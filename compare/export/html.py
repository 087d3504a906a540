"""HTML export: one self-contained page (inline CSS, no scripts, no fonts, no requests) with the documents,
the summary, the matrix as a heatmap, every verdict and side-by-side sentence diffs.

Every piece of document text goes through `html.escape`; a Content-Security-Policy forbids loading anything,
so the page opens offline and cannot reach the network even if a future change forgot that rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from policydiff.compare.export.table import (
    Pair,
    Result,
    document_rows,
    matrices,
    pairs,
    provenance,
    summary_rows,
    title,
)
from policydiff.compare.matrix import Matrix
from policydiff.compare.mix_view import matrix_mix, mix_html
from policydiff.compare.result import LABELS, STATUSES, ClauseRef, SentencePair
from policydiff.compare.views import by_section, diff_segments, evidence_summary
from policydiff.compare.vocabulary import (
    CAUTION_NOTE,
    DELETE_LEGEND,
    INSERT_LEGEND,
    SCORE_SENTENCE,
    STATUS_STYLES,
    display_name,
    legend_entries,
    legend_line,
    symbol,
)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
 margin:2rem;color:#1f2328;background:#fff;line-height:1.5}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.2rem .5rem;
 vertical-align:top;text-align:left}th{background:#f6f8fa}td.num{text-align:right}
.label{font-weight:600;padding:0 .3rem;border-radius:3px}
tr.unjudged td{color:#6e7781}nav.index a{margin-right:.6rem}
.bar{display:flex;width:16rem;height:.9rem;border:1px solid #999}.bar span{display:block;height:100%}
table.heatmap td.cell{text-align:center;font-weight:700;min-width:4rem}
table.heatmap td.cell.unseen{opacity:.55}
table.sbs{width:100%;table-layout:fixed}table.sbs td{width:50%;word-break:break-all}
del{background:#ffc7ce;color:#86181d;text-decoration:line-through}ins{background:#c6efce;color:#22863a;
 text-decoration:none}.dim{color:#57606a}.sha{font-family:monospace;font-size:.8rem}
details{margin:.4rem 0}summary{cursor:pointer}
"""


def _status_css() -> str:
    """Each status's colours, from the shared display vocabulary."""
    rules = []
    for status, style in STATUS_STYLES.items():
        name = status or "none"
        rules.append(f".{name}{{background:#{style.fill};color:#{style.ink}}}")
    return "".join(rules)


def _legend() -> str:
    items = "".join(f"<li><b>{_e(sym)}</b> {_e(name)}: {_e(meaning)}</li>" for sym, name, meaning in legend_entries())
    return f'<ul class="legend dim">{items}<li>{_e(SCORE_SENTENCE)}</li></ul>'


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _refs(refs: Iterable[ClauseRef]) -> str:
    return "<br>".join(_e(f"{r.path} {r.heading}".strip()) for r in refs) or "—"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(rows_cell for rows_cell in row) + "</tr>" for row in rows)
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _td(value: object, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{_e(value)}</td>"


def _label(label: str) -> str:
    return f'<span class="label {_e(label)}">{_e(symbol(label))} {_e(display_name(label))}</span>'


def _documents(result: Result) -> str:
    rows = [
        [
            _td(d["id"]),
            _td(d["title"]),
            _td(d["level"]),
            _td(d["kind"] + (" (partial)" if d["partial"] else "")),
            _td(d["clauses"], "num"),
            _td(d["source"]),
            _td(d["sha256"], "sha"),
        ]
        for d in document_rows(result)
    ]
    return _table(("id", "title", "level", "kind", "clauses", "source", "sha256"), rows)


def _bar(counts: dict[str, int]) -> str:
    total = sum(counts.values()) or 1
    spans = "".join(
        f'<span class="{label}" style="width:{100 * counts[label] / total:.1f}%" '
        f'title="{display_name(label)} {counts[label]}"></span>'
        for label in STATUSES
        if counts.get(label)
    )
    return f'<div class="bar">{spans}</div>'


def _summary(result: Result) -> str:
    rows = []
    for r in summary_rows(result):
        counts = {label: r[label] for label in STATUSES}
        rows.append(
            [
                _td(r["target_id"]),
                _td(r["reference_id"]),
                *(f'<td class="num {label}">{r[label]}</td>' for label in STATUSES),
                _td(f"{r['reference_clauses_matched']:.0%}", "num"),
                _td(f"{r['reference_bodies_seen']:.0%}", "num"),
                f"<td>{_bar(counts)}</td>",
            ]
        )
    header = ("target", "reference", *LABELS, "not judged", "reference matched", "bodies seen", "")
    notes = list(dict.fromkeys(n for p in pairs(result) for n in p.comparison.notes))
    listing = "<ul>" + "".join(f'<li class="dim">{_e(n)}</li>' for n in notes) + "</ul>" if notes else ""
    return _table(header, rows) + listing


def _heatmap(m: Matrix) -> str:
    rows = []
    for row in m.rows:
        cells = []
        for col, cell in zip(m.columns, row.cells, strict=True):
            detail = f"{col.target.info.id}: {cell.label or 'not compared'}"
            if cell.counterparts:
                detail += " ← " + ", ".join(f"{r.path} {r.heading}" for r in cell.counterparts)
                detail += f" ({cell.score:.2f})"
            if cell.unseen:
                detail += f" — {CAUTION_NOTE}"
            # As in the terminal: a verdict about reference text nobody has seen is shown, but marked and faded.
            cls = (cell.label or "none") + (" unseen" if cell.unseen else "")
            cells.append(f'<td class="cell {cls}" title="{_e(detail)}">{_e(cell.mark)}</td>')
        rows.append([_td(row.clause.path), _td(row.clause.heading), _td(row.clause.coverage, "dim"), *cells])
    counts = [
        _td("added", "label"),
        _td(""),
        _td(""),
        *(f'<td class="cell added">{len(c.added)}</td>' for c in m.columns),
    ]
    listing = [
        _td(""),
        _td("added clauses"),
        _td(""),
        *("<td>" + _refs(r for v in c.added for r in v.target) + "</td>" for c in m.columns),
    ]
    header = ("path", "reference clause", "known", *(c.target.info.id for c in m.columns))
    legend = f'<p class="dim">{_e(legend_line(with_not_compared=True))} (hover a cell for its counterparts)</p>'
    return legend + _table(header, [*rows, counts, listing], "heatmap")


def _segments(segments: Sequence[tuple[str, str]]) -> str:
    tags = {"delete": "del", "insert": "ins"}
    out = []
    for kind, text in segments:
        tag = tags.get(kind)
        out.append(f"<{tag}>{_e(text)}</{tag}>" if tag else _e(text))
    return "".join(out)


def _side_by_side(pairs_: Sequence[SentencePair]) -> str:
    rows = []
    for p in pairs_:
        ref, tgt = diff_segments(p)
        rows.append(
            [
                f'<td><span class="dim">{_e(p.reference_path)} #{p.reference_unit}</span><br>{_segments(ref)}</td>',
                f'<td><span class="dim">{_e(p.target_path)} #{p.target_unit} · {p.score:.2f}</span><br>'
                f"{_segments(tgt)}</td>",
            ]
        )
    return _table(("reference", "target"), rows, "sbs")


def _section_id(index: int, section: str) -> str:
    return f"c{index}-s{section or 'none'}"


def _comparison(index: int, pair: Pair) -> str:
    ref_id, tgt_id = pair.comparison.reference.info.id, pair.target.info.id
    groups = by_section(pair.comparison.verdicts)
    numbers = {id(v): i for i, v in enumerate(pair.comparison.verdicts, start=1)}
    links = " ".join(
        f'<a href="#{_e(_section_id(index, sec))}">{_e(sec or "other")} ({len(vs)})</a>' for sec, vs in groups
    )
    rows = [
        [
            _td(numbers[id(v)], "num"),
            f"<td>{_label(v.label)}</td>",
            f"<td>{_refs(v.target)}</td>",
            f"<td>{_refs(v.reference)}</td>",
            _td(f"{v.score:.2f}" if v.target and v.reference else "", "num"),
            f"<td>{'<br>'.join(_e(p) for p in evidence_summary(v, terms=None, full=True))}</td>",
        ]
        for _, vs in groups
        for v in vs
    ]
    classes = [v.label for _, vs in groups for v in vs]
    out = [f'<section class="comparison" id="comparison-{index}">']
    out.append(f"<h2>Verdicts: {_e(tgt_id)} vs {_e(ref_id)}</h2>")
    out.append(f'<nav class="index">sections: {links}</nav>')
    header = ("#", "verdict", "target clause", "reference clause", "score", "evidence")
    body = []
    k = 0
    for sec, vs in groups:
        body.append(f'<tr id="{_e(_section_id(index, sec))}"><th colspan="6">section {_e(sec or "other")}</th></tr>')
        for _ in vs:
            body.append(f'<tr class="{classes[k]}">' + "".join(rows[k]) + "</tr>")
            k += 1
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    out.append(f'<table class="verdicts"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')
    diffs = [(i, v) for i, v in enumerate(pair.comparison.verdicts, start=1) if v.evidence.sentence_pairs]
    if diffs:
        out.append("<h3>Side by side</h3>")
        out.append(f'<p class="dim"><del>{DELETE_LEGEND}</del> · <ins>{INSERT_LEGEND}</ins></p>')
    for i, v in diffs:
        head = f"#{i} {_label(v.label)} {_refs(v.target)} ↔ {_refs(v.reference)}"
        out.append(f"<details open><summary>{head}</summary>{_side_by_side(v.evidence.sentence_pairs)}</details>")
    out.append("</section>")
    return "\n".join(out)


def render_html(result: Result) -> bytes:
    heading = title(result)
    version = _e(result.version)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="policydiff {version}">',
        f"<title>policydiff: {_e(heading)}</title>",
        f"<style>{STYLE}{_status_css()}</style>",
        "</head>",
        "<body>",
        f"<h1>policydiff: {_e(heading)}</h1>",
        '<section id="documents"><h2>Documents</h2>' + _documents(result) + "</section>",
        '<section id="summary"><h2>Summary</h2>' + _summary(result) + _legend() + "</section>",
    ]
    for k, m in enumerate(matrices(result), start=1):
        parts.append(f'<section class="matrix" id="matrix-{k}"><h2>Matrix: {_e(m.reference.info.id)}</h2>')
        parts.append(_heatmap(m) + "</section>")
        view = matrix_mix(m)
        if view is not None:
            parts.append(f'<section id="instrument-mix-{k}">{mix_html(view)}</section>')
    for k, pair in enumerate(pairs(result), start=1):
        parts.append(_comparison(k, pair))
    parts.append('<section id="configuration"><h2>Configuration</h2>')
    parts.append(_table(("setting", "value"), ([_td(k), _td(v)] for k, v in provenance(result))) + "</section>")
    parts += ["</body>", "</html>"]
    return ("\n".join(parts) + "\n").encode("utf-8")


def summary_fragment(result: Result) -> str:
    """The summary table with its legend, as an HTML fragment (a notebook's rich display of a result)."""
    return (
        f"<div><style>{_status_css()}</style><b>policydiff: {_e(title(result))}</b>{_summary(result)}{_legend()}</div>"
    )
