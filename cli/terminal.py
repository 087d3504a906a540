"""Terminal renderings built as rich renderables; the caller's console prints them once."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from policydiff.compare.model import Document
from policydiff.compare.result import Comparison, DocumentSummary, Report, Verdict
from policydiff.corpora.catalogue import Entry

LABEL_STYLE = {"retained": "green", "adapted": "yellow", "added": "cyan", "missing": "red"}


def corpus_table(entries: tuple[Entry, ...] | list[Entry]) -> Table:
    table = Table(title="policydiff corpus", title_justify="left")
    for column in ("id", "level", "region", "date", "kind", "title", "from"):
        table.add_column(column, overflow="fold")
    for e in entries:
        kind = Text(e.kind, style="magenta" if e.kind == "digest" else "")
        table.add_row(e.id, e.level, e.region, e.date, kind, e.title, e.origin)
    return table


def document_tree(doc: Document) -> Tree:
    info = doc.info
    root = Tree(Text.assemble((info.id, "bold"), f"  {info.title}  ", (f"[{info.kind}]", "magenta")))
    if doc.preamble:
        root.add(f"序言  ({len(doc.preamble.units)} sentences)")
    for clause in doc.loose:
        root.add(_clause_line(clause))
    for section in doc.sections:
        branch = root.add(Text.assemble((f"{section.label}、", "bold"), section.heading))
        for clause in section.clauses:
            branch.add(_clause_line(clause))
    if doc.signoff:
        root.add(f"落款  {doc.quote(doc.signoff.start, doc.signoff.end)}")
    return root


def _clause_line(clause) -> Text:  # type: ignore[no-untyped-def]
    sentences = len(clause.body_units)
    text = Text.assemble((clause.label, "bold"), " ", clause.heading or "〔无标题〕")
    detail = f"  {clause.items} items, {sentences} sentences"
    if clause.coverage != "full":
        detail += f", {clause.coverage}"
    text.append(detail, style="dim")
    return text


def document_footer(doc: Document) -> RenderableType:
    counts = doc.coverage_counts
    lines = [f"{len(doc.sections)} sections, {len(doc.clauses)} clauses"]
    if doc.is_partial:
        lines.append("coverage: " + ", ".join(f"{n} {c}" for c, n in counts.items() if n))
    lines.extend(f"note: {f}" for f in doc.flags)
    lines.extend(f"warning: {w}" for w in doc.warnings)
    return Text("\n".join(lines), style="dim")


def _doc_line(s: DocumentSummary) -> str:
    i = s.info
    kind = "digest (partial)" if i.kind == "digest" and s.partial else i.kind
    return f"{i.id}  {i.title}  [{i.level}, {kind}]"


def _ref_cell(refs) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(f"{r.path} {r.heading}".strip() for r in refs) or "—"


def _evidence_cell(v: Verdict) -> str:
    e = v.evidence
    parts: list[str] = []
    if e.relation and e.relation != "1-1":
        parts.append(e.relation)
    if e.moved:
        parts.append("moved")
    if e.shared_terms:
        parts.append("shared: " + "、".join(e.shared_terms[:5]))
    if v.label == "added" and e.target_only_terms:
        parts.append("new: " + "、".join(e.target_only_terms[:5]))
    if v.label == "adapted" and e.target_only_terms:
        parts.append("target only: " + "、".join(e.target_only_terms[:4]))
    parts.extend(f"target {c.indicator}: {c.change}" for c in e.target_changes[:3])
    if e.localisations:
        parts.append("localised: " + "、".join(e.localisations[:4]))
    if e.directive:
        parts.append(f"directive {e.directive}")
    if e.unseen:
        parts.append("⚠ rests on unseen reference text")
    return "; ".join(parts)


def comparison_view(report: Report, comparison: Comparison) -> RenderableType:
    counts = comparison.summary
    header = Text()
    header.append(f"target     {_doc_line(report.target)}\n")
    header.append(f"reference  {_doc_line(comparison.reference)}\n")
    for label, n in counts.items():
        header.append(f"{label} {n}  ", style=LABEL_STYLE[label])
    ref = comparison.reference
    if ref.partial:
        header.append(f"\nreference clause bodies seen: {ref.body_coverage:.0%}", style="dim")
    for note in comparison.notes:
        header.append(f"\n{note}", style="dim")
    table = Table(show_lines=False, expand=True)
    table.add_column("verdict", no_wrap=True)
    table.add_column("target clause", ratio=3, overflow="fold")
    table.add_column("reference clause", ratio=3, overflow="fold")
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("evidence", ratio=4, overflow="fold")
    for v in comparison.verdicts:
        table.add_row(
            Text(v.label, style=LABEL_STYLE[v.label]),
            _ref_cell(v.target),
            _ref_cell(v.reference),
            f"{v.score:.2f}" if v.target and v.reference else "",
            _evidence_cell(v),
        )
    return Group(Panel(header, title="policydiff compare", title_align="left"), table)
