"""Terminal renderings built as rich renderables; the caller's console prints them once.

The comparison report is one line per provision (like `git diff --stat`): symbol, target clause, ← reference
clause, score, and the most telling piece of evidence; `explain_view` gives one verdict's full evidence. When
stdout is not a terminal, `comparison_rows` / `matrix_rows` give tab-separated lines instead, never wrapped.
Every word, symbol and colour about a verdict comes from `policydiff.compare.vocabulary`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from policydiff.cli.cjkwrap import OneLine, Wrapped, pad, wrap
from policydiff.cli.code_view import mix_view
from policydiff.cli.safe import printable
from policydiff.compare.matrix import Matrix
from policydiff.compare.result import ClauseRef, Comparison, DocumentSummary, Report, SentencePair, Verdict
from policydiff.compare.views import (
    Selection,
    by_section,
    coverage_figures,
    diff_segments,
    evidence_summary,
    headline,
    select,
    target_change_text,
)
from policydiff.compare.vocabulary import (
    CAUTION,
    CAUTION_MEANING,
    COUNTED,
    SCORE_SENTENCE,
    STATUS_STYLES,
    UNJUDGED_PHRASE,
    display_name,
    legend_line,
    symbol,
    terminal_style,
)

LABEL_STYLE = {status: style.terminal for status, style in STATUS_STYLES.items()}
DELETE_STYLE = "red strike"
INSERT_STYLE = "green"


def _t(text: str) -> str:
    """Document-derived text as it may reach a terminal: no escapes, no controls, one line."""
    return printable(text)


def _doc_line(role: str, s: DocumentSummary, width: int | None = None) -> Text:
    """role, id, [level, kind], then the title. The id is never cut; on a narrow terminal the kind and the
    title move to lines of their own, and only the title is shortened (…)."""
    i = s.info
    kind: str = "digest (our notes)" if i.kind == "digest" else i.kind
    if s.partial:
        kind += f"; bodies seen {s.body_coverage:.0%}"
    line = Text.assemble((f"{role:<10} ", "bold"), (_t(i.id), "bold"))
    bracket = Text(f"  [{_t(i.level)}, {kind}]", style="magenta" if i.kind == "digest" else "dim")
    title = Text("  " + _t(i.title))
    if width is None or cell_len(line.plain) + cell_len(bracket.plain) + cell_len(title.plain) <= width:
        return line.append_text(bracket).append_text(title)
    lines = [line]
    if cell_len(line.plain) + cell_len(bracket.plain) <= width:
        line.append_text(bracket)
    else:
        lines.append(Text(" " * 9).append_text(bracket))
    room = width - cell_len(lines[-1].plain)
    if room >= 12:
        title.truncate(room, overflow="ellipsis")
        lines[-1].append_text(title)
    else:
        own = Text(" " * 11 + _t(i.title))
        own.truncate(width, overflow="ellipsis")
        lines.append(own)
    return Text("\n").join(lines)


def counts_text(counts: dict[str, int]) -> Text:
    """retained 0 · adapted 18 · added 7 · missing 1 · 6 not judged (reference text not seen), coloured."""
    line = Text()
    for k, label in enumerate(COUNTED):
        if k:
            line.append(" · ", style="dim")
        line.append(f"{label} {counts.get(label, 0)}", style=LABEL_STYLE[label])
    if counts.get("unjudged"):
        line.append(" · ", style="dim")
        line.append(f"{counts['unjudged']} {UNJUDGED_PHRASE}", style=LABEL_STYLE["unjudged"])
    return line


def _figures_text(comparison: Comparison) -> Text:
    figures = coverage_figures(comparison)
    return Text(
        f"reference clauses taken up {figures.reference_matched}/{figures.reference_clauses} judged "
        f"({figures.reference_share:.0%}) · target clauses from the reference "
        f"{figures.target_matched}/{figures.target_clauses} ({figures.target_share:.0%})",
        style="dim",
    )


def _score(v: Verdict) -> str:
    return f"{v.score:.2f}" if v.target and v.reference else ""


class _Fitted:
    """Lines that know the console width when they are rendered (titles shortened to fit)."""

    def __init__(self, build) -> None:  # type: ignore[no-untyped-def]
        self.build = build

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.build(options.max_width):
            line.no_wrap = True
            line.overflow = "ignore"
            line.end = "\n"
            yield line


def comparison_header(
    report: Report, comparison: Comparison, shown: int | None = None, selection: Selection | None = None
) -> RenderableType:
    """The two documents, the counts on one line, the coverage figures, the notes and the legend."""

    def build(width: int) -> list[Text]:
        lines = [
            Text(f"policydiff compare  {_t(report.target.info.id)} ← {_t(comparison.reference.info.id)}", "bold"),
            _doc_line("target", report.target, width),
            _doc_line("reference", comparison.reference, width),
            counts_text(comparison.summary),
            _figures_text(comparison),
        ]
        lines.extend(Text(_t(note), style="dim") for note in comparison.notes)
        if selection:
            lines.append(
                Text(f"showing {selection.describe()}: {shown} of {len(comparison.verdicts)} verdicts", style="bold")
            )
        lines.append(Text(legend_line(), style="dim"))
        lines.append(Text(SCORE_SENTENCE, style="dim"))
        return [part for line in lines for part in (wrap(line, width) if "  " not in line.plain[:12] else [line])]

    return _Fitted(build)


def _section_title(section: str, verdicts: Sequence[Verdict]) -> Text:
    counts = {label: sum(1 for v in verdicts if v.label == label) for label in LABEL_STYLE if label}
    summary = ", ".join(f"{n} {display_name(label)}" for label, n in counts.items() if n)
    name = f"section {_t(section)}" if section else "outside the numbered sections"
    return Text(f"{name} · {summary}", style="bold")


def _clauses(refs: tuple[ClauseRef, ...]) -> Text:
    """Paths and headings of one side, never cut; "—" when the side is empty."""
    if not refs:
        return Text("—", style="dim")
    text = Text()
    for k, r in enumerate(refs):
        if k:
            text.append(" + ", style="dim")
        text.append(_t(r.path), style="bold")
        if r.heading:
            text.append(" " + _t(r.heading))
        if r.coverage != "full":
            text.append(f" ({r.coverage})", style="dim")
    return text


def _verdict_lines(v: Verdict, width: int, target_width: int) -> list[Text]:
    """One line when it fits (the evidence phrase shortened if need be); else the reference and the evidence
    go to an indented second line. Paths and headings are never cut."""
    style = LABEL_STYLE[v.label]
    first = Text()
    first.append(symbol(v.label) + " ", style=f"bold {style}")
    target = _clauses(v.target) if v.target else Text()
    reference = Text("← ", style="dim").append_text(_clauses(v.reference))
    tail = Text()
    if _score(v):
        tail.append(_score(v))
    if v.evidence.unseen:
        tail.append((" " if tail else "") + CAUTION, style="yellow")
    phrase = Text(_t(headline(v)) if v.label != "unjudged" else "", style="dim")
    if v.target and v.reference:
        target.pad_right(max(target_width - cell_len(target.plain), 0))
    one = first.copy().append_text(target).append("  " if v.target else "").append_text(reference)
    if tail:
        one.append("  ").append_text(tail)
    lines: list[Text]
    room = width - cell_len(one.plain) - 2
    if room >= min(12, cell_len(phrase.plain)) and room > 0:
        if phrase.plain:
            phrase.truncate(room, overflow="ellipsis")
            one.append("  ").append_text(phrase)
        lines = [one]
    else:
        if v.target:
            lines = [first.copy().append_text(_clauses(v.target))]
            second = Text("  ").append_text(reference)
        else:
            lines = [first.copy().append_text(reference)]
            second = Text("   ")
        if tail:
            second.append("  ").append_text(tail)
        room = width - cell_len(second.plain) - 2
        if phrase.plain and room >= 8:
            phrase.truncate(room, overflow="ellipsis")
            second.append("  ").append_text(phrase)
        if second.plain.strip():
            lines.append(second)
    if v.label == "unjudged":
        for line in lines:
            line.stylize(style)
    return lines


def verdict_list(verdicts: Sequence[Verdict]) -> RenderableType:
    """One line per provision; the target column is padded to a common width where the lines allow it."""

    def build(width: int) -> list[Text]:
        widths = [cell_len(_clauses(v.target).plain) for v in verdicts if v.target and v.reference]
        target_width = min(max(widths, default=0), max(width // 2 - 4, 10))
        return [line for v in verdicts for line in _verdict_lines(v, width, target_width)]

    return _Fitted(build)


def comparison_view(
    report: Report,
    comparison: Comparison,
    selection: Selection | None = None,
    side_by_side: bool = False,
    verbose: bool = False,
) -> RenderableType:
    """The header, then the (selected) verdicts grouped by section: one line each, or in full (`verbose`),
    or each with its sentence pairs in two columns (`side_by_side`)."""
    selection = selection or Selection()
    verdicts = select(comparison, selection)
    parts: list[RenderableType] = [comparison_header(report, comparison, len(verdicts), selection)]
    if not verdicts:
        parts.append(Text("no verdicts to show", style="dim"))
    for section, group in by_section(verdicts):
        parts.append(_section_title(section, group))
        if side_by_side:
            parts.extend(_verdict_pairs(v) for v in group)
        elif verbose:
            parts.extend(Group(explain_view(v), Text("")) for v in group)
        else:
            parts.append(verdict_list(group))
    return Group(*parts)


def find_verdicts(comparison: Comparison, path: str) -> tuple[Verdict, ...]:
    """The verdicts about a clause path (either side); a trailing heading may be given too."""
    path = path.strip()
    return tuple(
        v
        for v in comparison.verdicts
        if any(r.path == path or f"{r.path} {r.heading}" == path for r in (*v.target, *v.reference))
    )


def explain_view(v: Verdict, pairs: bool = True) -> RenderableType:
    """One verdict's full evidence in labelled lines, then its sentence pairs (target left)."""
    e, s = v.evidence, v.evidence.scores
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()

    def row(label: str, value: Text | str) -> None:
        if value:
            grid.add_row(label, Wrapped(value if isinstance(value, Text) else Text(_t(value))))

    verdict = Text(f"{symbol(v.label)} {display_name(v.label)}", style=f"bold {LABEL_STYLE[v.label]}")
    if e.unseen:
        verdict.append(f"  {CAUTION} {CAUTION_MEANING}", style="yellow")
    row("verdict", verdict)
    row("target", _clauses(v.target))
    row("reference", _clauses(v.reference))
    if v.target and v.reference:
        row("score", f"{v.score:.2f}  ({SCORE_SENTENCE.removeprefix('score: ')})")
        row(
            "components",
            f"alignment {s.combined:.2f} · words {s.word:.2f} · characters {s.char:.2f} · heading {s.heading:.2f} "
            f"· reference found in target {s.target_coverage:.2f} · target from reference {s.reference_coverage:.2f}",
        )
    relation = [x for x in (e.relation if e.relation != "1-1" else "", "moved" if e.moved else "") if x]
    row("relation", ", ".join(relation))
    row("matched by", ", ".join(e.matched_by))
    row("shared", "、".join(e.shared_terms))
    row("only target", "、".join(e.target_only_terms))
    row("only reference", "、".join(e.reference_only_terms))
    row("topics", "、".join(e.topics))
    row("targets", "\n".join(target_change_text(c) for c in e.target_changes))
    row("localised", "、".join(e.localisations))
    row("reference places", "、".join(e.reference_places))
    row("directive", " ".join(x for x in (e.directive, e.directive_detail) if x))
    for note in e.notes:
        row("note", note)
    parts: list[RenderableType] = [grid]
    if pairs and e.sentence_pairs:
        parts.append(Text("sentence pairs (target left, reference right)", style="bold"))
        parts.append(SideBySide(e.sentence_pairs))
    return Group(*parts)


def _verdict_pairs(v: Verdict) -> RenderableType:
    line = Text.assemble((f"{symbol(v.label)} {display_name(v.label):<9}", LABEL_STYLE[v.label]), " ")
    line.append_text(_clauses(v.target))
    line.append("  ←  ", style="dim")
    line.append_text(_clauses(v.reference))
    if _score(v):
        line.append(f"  {_score(v)}", style="dim")
    if v.evidence.unseen:
        line.append(f" {CAUTION}", style="yellow")
    evidence = "; ".join(evidence_summary(v))
    parts: list[RenderableType] = [Wrapped(line)]
    if evidence:
        parts.append(Wrapped(Text("  " + _t(evidence), style="dim")))
    if v.evidence.sentence_pairs:
        parts.append(SideBySide(v.evidence.sentence_pairs))
    elif v.target and v.reference:
        parts.append(Text("  (no sentence pairs in the evidence)", style="dim"))
    parts.append(Text(""))
    return Group(*parts)


class SideBySide:
    """Sentence pairs in two columns, target left and reference right (as in the report's lines), with a
    character-level inline diff.

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
            piece = _t(piece)
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
        heads = (Text("target", style="bold"), Text("reference", style="bold"))
        rows = [heads]
        for pair in self.pairs:
            ref, tgt = diff_segments(pair)
            left = Text()
            left.append(f"{_t(pair.target_path)} #{pair.target_unit} · {pair.score:.2f}\n", style="dim")
            left.append_text(self.side(tgt, plain))
            right = Text()
            right.append(f"{_t(pair.reference_path)} #{pair.reference_unit}\n", style="dim")
            right.append_text(self.side(ref, plain))
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


def matrix_view(matrix: Matrix) -> RenderableType:
    """Reference clauses as rows, targets as columns, then what each target added."""
    header: list[Text] = [Text(f"policydiff matrix  {_t(matrix.reference.info.id)}", style="bold")]
    header.append(_doc_line("reference", matrix.reference))
    header.extend(_doc_line("target", c.target) for c in matrix.columns)
    header.append(Text(legend_line(with_not_compared=True), style="dim"))
    table = Table(expand=False, title_justify="left")
    table.add_column("reference clause")
    for col in matrix.columns:
        table.add_column(_t(col.target.info.id), justify="center", no_wrap=True)
    for row in matrix.rows:
        # One line per provision whatever the width: the heading gives way (…), the path and marker never do.
        marker = Text(f" ({row.clause.coverage})" if row.clause.coverage != "full" else "", style="dim")
        name = OneLine(Text(_t(row.clause.path) + " ", style="bold"), Text(_t(row.clause.heading)), marker)
        table.add_row(
            name,
            *(Text(c.mark, style=f"bold {terminal_style(c.label)}") for c in row.cells),
        )
    table.add_section()
    for label in ("retained", "adapted", "missing", "unjudged"):
        table.add_row(
            Text(display_name(label), style=LABEL_STYLE[label]), *(str(c.counts[label]) for c in matrix.columns)
        )
    table.add_row(Text("added", style=LABEL_STYLE["added"]), *(str(len(c.added)) for c in matrix.columns))
    parts: list[RenderableType] = [Group(*(Wrapped(h) for h in header)), table]
    for col in matrix.columns:
        parts.append(Text(f"added by {_t(col.target.info.id)}: {len(col.added)}", style="bold"))
        for v in col.added:
            parts.append(Wrapped(Text("  ").append_text(_clauses(v.target))))
    if matrix.instrument_mix:
        documents = (matrix.reference, *(c.target for c in matrix.columns))
        digests = frozenset(d.info.id for d in documents if d.info.kind == "digest")
        parts.append(mix_view(list(matrix.instrument_mix), matrix.reference.info.id, digests))
    return Group(*parts)


# -- plain tab-separated lines for pipes ----------------------------------------------------------------------

COMPARISON_COLUMNS = (
    "target_id",
    "reference_id",
    "status",
    "target_path",
    "target_heading",
    "reference_path",
    "reference_heading",
    "score",
    "caution",
    "evidence",
)


def _cells(values: Sequence[object]) -> str:
    return "\t".join(_t("" if v is None else str(v)) for v in values)


def comparison_rows(report: Report, selection: Selection | None = None) -> list[str]:
    """The report as tab-separated lines with a header: one per verdict, nothing wrapped or cut."""
    selection = selection or Selection()
    lines = [_cells(COMPARISON_COLUMNS)]
    for comparison in report.comparisons:
        for v in select(comparison, selection):
            lines.append(
                _cells(
                    (
                        report.target.info.id,
                        comparison.reference.info.id,
                        v.label,
                        " + ".join(r.path for r in v.target),
                        " + ".join(r.heading for r in v.target),
                        " + ".join(r.path for r in v.reference),
                        " + ".join(r.heading for r in v.reference),
                        _score(v),
                        CAUTION if v.evidence.unseen else "",
                        headline(v),
                    )
                )
            )
    return lines


def matrix_rows(matrix: Matrix) -> list[str]:
    """The matrix as tab-separated lines: reference path, heading, then one status per target; added last."""
    ids = [c.target.info.id for c in matrix.columns]
    lines = [_cells(("reference_path", "reference_heading", *ids))]
    for row in matrix.rows:
        cells = [c.label + (f" {CAUTION}" if c.unseen else "") if c.label else "" for c in row.cells]
        lines.append(_cells((row.clause.path, row.clause.heading, *cells)))
    lines.append(_cells(("", "added", *(str(len(c.added)) for c in matrix.columns))))
    return lines
