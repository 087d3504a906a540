"""Terminal renderings built as rich renderables; the caller's console prints them once."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from policydiff.cli.cjkwrap import Wrapped, pad, wrap
from policydiff.compare.matrix import Matrix
from policydiff.compare.result import ClauseRef, Comparison, DocumentSummary, Report, SentencePair, Verdict
from policydiff.compare.views import Selection, by_section, coverage_figures, diff_segments, evidence_summary, select
from policydiff.corpora.model import Document

LABEL_STYLE = {"retained": "green", "adapted": "yellow", "added": "cyan", "missing": "red", "": "dim"}
DELETE_STYLE = "red strike"
INSERT_STYLE = "green"


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


def _doc_line(role: str, s: DocumentSummary) -> Text:
    i = s.info
    kind: str = "digest — our notes, not the full text" if i.kind == "digest" else i.kind
    if s.partial:
        kind += f"; clause bodies seen {s.body_coverage:.0%}"
    line = Text.assemble((f"{role:<10} ", "bold"), (i.id, "bold"), f"  {i.title}  ")
    line.append(f"[{i.level}, {kind}]", style="magenta" if i.kind == "digest" else "dim")
    return line


def _counts_line(comparison: Comparison) -> Text:
    counts = comparison.summary
    figures = coverage_figures(comparison)
    line = Text()
    for label, n in counts.items():
        line.append(f"{label} {n}", style=LABEL_STYLE[label])
        line.append("   ")
    line.append(
        f"reference clauses taken up {figures.reference_matched}/{figures.reference_clauses} "
        f"({figures.reference_share:.0%}) · target clauses from the reference "
        f"{figures.target_matched}/{figures.target_clauses} ({figures.target_share:.0%})",
        style="dim",
    )
    return line


def _refs_text(refs: tuple[ClauseRef, ...]) -> Text:
    if not refs:
        return Text("—", style="dim")
    text = Text()
    for k, r in enumerate(refs):
        if k:
            text.append("\n")
        text.append(r.path, style="bold")
        if r.heading:
            text.append(" " + r.heading)
        if r.coverage != "full":
            text.append(f" ({r.coverage})", style="dim")
    return text


def _score(v: Verdict) -> str:
    return f"{v.score:.2f}" if v.target and v.reference else ""


def comparison_header(
    report: Report, comparison: Comparison, shown: int | None = None, selection: Selection | None = None
) -> Panel:
    lines = [_doc_line("target", report.target), _doc_line("reference", comparison.reference), _counts_line(comparison)]
    lines.extend(Text(note, style="dim") for note in comparison.notes)
    if selection:
        lines.append(
            Text(f"showing {selection.describe()}: {shown} of {len(comparison.verdicts)} verdicts", style="bold")
        )
    return Panel(Group(*(Wrapped(line) for line in lines)), title="policydiff compare", title_align="left")


def _section_title(section: str, verdicts: Sequence[Verdict]) -> Rule:
    counts = {label: sum(1 for v in verdicts if v.label == label) for label in LABEL_STYLE if label}
    summary = ", ".join(f"{n} {label}" for label, n in counts.items() if n)
    name = f"section {section}" if section else "outside the numbered sections"
    return Rule(Text(f"{name} · {summary}", style="bold"), align="left")


def _verdict_table(verdicts: Sequence[Verdict]) -> Table:
    table = Table(show_lines=False, expand=True)
    table.add_column("verdict", no_wrap=True, min_width=8)
    table.add_column("target clause", ratio=3)
    table.add_column("reference clause", ratio=3)
    table.add_column("score", justify="right", no_wrap=True, min_width=5)
    table.add_column("evidence", ratio=4)
    for v in verdicts:
        table.add_row(
            Text(v.label, style=LABEL_STYLE[v.label]),
            Wrapped(_refs_text(v.target)),
            Wrapped(_refs_text(v.reference)),
            _score(v),
            Wrapped("; ".join(evidence_summary(v))),
        )
    return table


def comparison_view(
    report: Report, comparison: Comparison, selection: Selection | None = None, side_by_side: bool = False
) -> RenderableType:
    """The header, then the (selected) verdicts grouped by the section they are about."""
    selection = selection or Selection()
    verdicts = select(comparison, selection)
    parts: list[RenderableType] = [comparison_header(report, comparison, len(verdicts), selection)]
    if not verdicts:
        parts.append(Text("no verdicts to show", style="dim"))
    for section, group in by_section(verdicts):
        parts.append(_section_title(section, group))
        if side_by_side:
            parts.extend(_verdict_pairs(v) for v in group)
        else:
            parts.append(_verdict_table(group))
    return Group(*parts)


def _verdict_pairs(v: Verdict) -> RenderableType:
    line = Text.assemble((f"{v.label:<9}", LABEL_STYLE[v.label]), " ")
    line.append_text(_refs_text(v.target) if v.target else Text("—", style="dim"))
    line.append("  ↔  ", style="dim")
    line.append_text(_refs_text(v.reference))
    if _score(v):
        line.append(f"  {_score(v)}", style="dim")
    evidence = "; ".join(evidence_summary(v))
    parts: list[RenderableType] = [Wrapped(line)]
    if evidence:
        parts.append(Wrapped(Text("  " + evidence, style="dim")))
    if v.evidence.sentence_pairs:
        parts.append(SideBySide(v.evidence.sentence_pairs))
    elif v.target and v.reference:
        parts.append(Text("  (no sentence pairs in the evidence)", style="dim"))
    parts.append(Text(""))
    return Group(*parts)


class SideBySide:
    """Sentence pairs in two columns, reference left and target right, with a character-level inline diff.

    With colour, deletions are red and struck through and insertions green; without colour (NO_COLOR, not a
    terminal) they are marked [-so-] and {+so+}, as `git diff --word-diff` does, so nothing is lost in a pipe.
    """

    GUTTER = " │ "

    def __init__(self, pairs: Sequence[SentencePair]) -> None:
        self.pairs = tuple(pairs)

    @staticmethod
    def side(segments: Sequence[tuple[str, str]], plain: bool) -> Text:
        text = Text()
        for kind, piece in segments:
            if kind == "delete":
                text.append(f"[-{piece}-]" if plain else piece, style="" if plain else DELETE_STYLE)
            elif kind == "insert":
                text.append(f"{{+{piece}+}}" if plain else piece, style="" if plain else INSERT_STYLE)
            else:
                text.append(piece)
        return text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        plain = console.no_color or console.color_system is None
        column = max((options.max_width - len(self.GUTTER)) // 2, 4)
        gutter = Text(self.GUTTER, style="dim")
        heads = (Text("reference", style="bold"), Text("target", style="bold"))
        rows = [heads]
        for pair in self.pairs:
            ref, tgt = diff_segments(pair)
            left = Text()
            left.append(f"{pair.reference_path} #{pair.reference_unit}\n", style="dim")
            left.append_text(self.side(ref, plain))
            right = Text()
            right.append(f"{pair.target_path} #{pair.target_unit} · {pair.score:.2f}\n", style="dim")
            right.append_text(self.side(tgt, plain))
            rows.append((left, right))
        for left, right in rows:
            lines_l, lines_r = wrap(left, column), wrap(right, column)
            height = max(len(lines_l), len(lines_r))
            lines_l += [Text("")] * (height - len(lines_l))
            lines_r += [Text("")] * (height - len(lines_r))
            for a, b in zip(pad(lines_l, column), lines_r, strict=True):
                row = Text.assemble(a, gutter, b)
                row.no_wrap = True
                row.end = "\n"
                yield row


_SYMBOL_STYLE = {"retained": "bold green", "adapted": "bold yellow", "missing": "bold red", "": "dim"}


def matrix_view(matrix: Matrix) -> RenderableType:
    """Reference clauses as rows, targets as columns, then what each target added."""
    header = [_doc_line("reference", matrix.reference)]
    header.extend(_doc_line("target", c.target) for c in matrix.columns)
    header.append(Text("✓ retained  ~ adapted  ✗ missing  · not compared", style="dim"))
    table = Table(expand=False, title_justify="left")
    table.add_column("reference clause", overflow="fold", max_width=48)
    for col in matrix.columns:
        table.add_column(col.target.info.id, justify="center", no_wrap=True)
    for row in matrix.rows:
        name = Text.assemble((row.clause.path, "bold"), " ", row.clause.heading)
        if row.clause.coverage != "full":
            name.append(f" ({row.clause.coverage})", style="dim")
        table.add_row(
            Wrapped(name),
            *(Text(c.mark, style=_SYMBOL_STYLE.get(c.label, "")) for c in row.cells),
        )
    table.add_section()
    for label in ("retained", "adapted", "missing"):
        table.add_row(Text(label, style=LABEL_STYLE[label]), *(str(c.counts[label]) for c in matrix.columns))
    table.add_row(Text("added", style=LABEL_STYLE["added"]), *(str(len(c.added)) for c in matrix.columns))
    parts: list[RenderableType] = [
        Panel(Group(*(Wrapped(h) for h in header)), title="policydiff matrix", title_align="left"),
        table,
    ]
    for col in matrix.columns:
        parts.append(Rule(Text(f"added by {col.target.info.id}: {len(col.added)}", style="bold"), align="left"))
        for v in col.added:
            parts.append(Wrapped(Text("  ").append_text(_refs_text(v.target))))
    return Group(*parts)
