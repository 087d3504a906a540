"""Terminal renderings of `policydiff code`: each document's coded units and instrument mix, and the
agreement figures of `--evaluate`. Document text goes through `printable()` and into rich as plain `Text`."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from policydiff.cli.safe import printable
from policydiff.compare.coding import BY_EXAMPLES, DocumentCoding, MixRow
from policydiff.compare.intercoder import CoderAgreement
from policydiff.compare.reliability import Figures, HandCode, Reliability
from policydiff.compare.vocabulary import CODED_BY_EXAMPLES

TYPE_STYLE = {"supply": "cyan", "environment": "yellow", "demand": "magenta"}
TEXT_WIDTH = 60


def _short(text: str, width: int = TEXT_WIDTH) -> str:
    text = printable(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def coding_view(doc: DocumentCoding) -> RenderableType:
    info, strength = doc.info, doc.strength
    score = "unscored" if strength.score is None else f"{strength.score} ({strength.label})"
    head = Text.assemble(
        (printable(info.id), "bold"),
        "  ",
        printable(info.title),
        ("\n政策力度 policy strength: ", "dim"),
        printable(score),
        ("  type ", "dim"),
        printable(strength.doc_type or "—"),
    )
    if info.kind == "digest":
        # A digest is this project's notes on a document: its codes describe the notes, not the document.
        head.append("\ndigest: these are codes of the project's notes on the document, not of its text", style="yellow")
    units = Table(title_justify="left", show_lines=False)
    for column in ("path", "sentence", "primary", "also", "matched"):
        units.add_column(column, overflow="fold")
    for u in doc.units:
        p = u.primary
        primary = Text(f"{p.type}/{p.subtype}", style=TYPE_STYLE.get(p.type, "")) if p else Text("—", style="dim")
        also = ", ".join(f"{c.type}/{c.subtype}" for c in u.codes[1:])
        matched = Text(printable(", ".join(w for w in p.matched if len(w) <= 12))) if p else Text("")
        if p and p.by == BY_EXAMPLES:
            matched = Text(CODED_BY_EXAMPLES, style="dim")
        units.add_row(Text(printable(u.path)), Text(_short(u.text)), primary, Text(also, style="dim"), matched)
    mix = Table(title="instrument mix (primary codes)", title_justify="left")
    for column in ("type / subtype", "units", "share"):
        mix.add_column(column, justify="left" if column.startswith("type") else "right")
    s = doc.summary
    subtypes = dict(s.by_subtype)
    for t, n in s.by_type:
        mix.add_row(Text(t, style=f"bold {TYPE_STYLE.get(t, '')}"), str(n), _share(n, s.coded))
        for key, m in subtypes.items():
            if key.startswith(t + "/"):
                mix.add_row("  " + key.split("/", 1)[1], str(m), _share(m, s.coded))
    mix.add_row(Text("no instrument", style="dim"), str(s.units - s.coded), "")
    return Group(head, units, mix, Text(""))


def _share(n: int, total: int) -> str:
    return f"{n / total:.1%}" if total else "—"


def _fig(x: float) -> str:
    return "—" if x != x else f"{x:.3f}"


def agreement_view(rel: Reliability) -> RenderableType:
    title = f"agreement with {printable(rel.sample)}: {rel.aligned} of {rel.rows} hand-coded units aligned"
    parts: list[RenderableType] = [_figures_table(title, rel.by_type, rel.by_subtype), _confusion(rel.by_type, "types")]
    if rel.unaligned:
        parts.append(_rows_text("not found in the coded documents:", rel.unaligned))
    if rel.disagreements:
        dis = Table(title="disagreements (subtype)", title_justify="left")
        for column in ("path", "hand", "policydiff", "sentence"):
            dis.add_column(column, overflow="fold")
        for d in rel.disagreements:
            dis.add_row(Text(printable(d.path)), d.hand, d.policydiff, Text(_short(d.text, 40)))
        parts.append(dis)
    return Group(*parts)


def _confusion(f: Figures, what: str, rows: str = "hand coding", columns: str = "policydiff") -> Table:
    table = Table(title=f"confusion matrix of {what} (rows: {rows}, columns: {columns})", title_justify="left")
    table.add_column("")
    for label in f.labels:
        table.add_column(label, justify="right")
    for label, row in zip(f.labels, f.confusion, strict=True):
        table.add_row(label, *(str(n) for n in row))
    return table


def coder_agreement_view(agreement: CoderAgreement) -> RenderableType:
    """Inter-coder reliability: how far the two hand codings agree with each other."""
    first, second = printable(agreement.first), printable(agreement.second)
    title = f"agreement between the coders: {first} and {second}, {agreement.paired} sentences coded by both"
    parts: list[RenderableType] = [
        _figures_table(title, agreement.by_type, agreement.by_subtype),
        _confusion(agreement.by_type, "types", "first coder", "second coder"),
    ]
    if agreement.unpaired:
        parts.append(_rows_text("coded by one coder only:", agreement.unpaired))
    return Group(*parts)


def _figures_table(title: str, by_type: Figures, by_subtype: Figures) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("level", "units", "percent agreement", "Cohen's kappa", "Krippendorff's alpha"):
        table.add_column(column, justify="left" if column == "level" else "right")
    for name, f in (("type", by_type), ("subtype", by_subtype)):
        table.add_row(name, str(f.units), _fig(f.percent), _fig(f.kappa), _fig(f.alpha))
    return table


def _rows_text(heading: str, rows: Sequence[HandCode]) -> Text:
    lines = [f"line {h.line}: {h.document} {h.path} {_short(h.text, 40)}" for h in rows]
    return Text(heading + "\n  " + "\n  ".join(printable(x) for x in lines))


def mix_view(rows: list[MixRow], reference: str, digests: frozenset[str] = frozenset()) -> RenderableType:
    """Documents side by side: share of coded sentences by type and subtype, and the difference from the
    reference document (the first named)."""
    docs = list(dict.fromkeys(r.document for r in rows))
    title = f"instrument mix: share of coded sentences (Δ against {printable(reference)}, percentage points)"
    table = Table(title=title, title_justify="left")
    table.add_column("type / subtype")
    for d in docs:
        table.add_column(Text(printable(d) + (" (digest)" if d in digests else "")), justify="right")
    keys = list(dict.fromkeys((r.type, r.subtype) for r in rows))
    cell = {(r.document, r.type, r.subtype): r for r in rows}
    for t, s in keys:
        label = Text("  " + s) if s else Text(t, style=f"bold {TYPE_STYLE.get(t, '')}")
        values = []
        for d in docs:
            r = cell.get((d, t, s))
            if r is None:
                values.append("")
            elif d == reference:
                values.append(f"{r.share:.1%}")
            else:
                values.append(f"{r.share:.1%} ({r.difference * 100:+.1f})")
        table.add_row(label, *values)
    return table
