"""`policydiff compare TARGET REFERENCE…`: one comparison per reference, in the terminal or as an export."""

from __future__ import annotations

import codecs
from typing import Annotated

import typer

from policydiff.cli.errors import note_line, warning_line
from policydiff.cli.inputs import linked_references
from policydiff.cli.options import CorpusOpt, FormatOpt, NoCacheOpt, NoPagerOpt, OutputOpt, RulesOpt, open_cache
from policydiff.cli.output import print_lines, progress_on_stderr, show, stdout_is_terminal
from policydiff.cli.safe import printable
from policydiff.compare.vocabulary import SCORE_SENTENCE

OnlyOpt = Annotated[
    str | None,
    typer.Option(
        "--only",
        metavar="LABELS",
        help="Show only these verdicts, comma-separated: retained, adapted, added, missing, unjudged.",
        show_default=False,
    ),
]
SectionOpt = Annotated[
    str | None,
    typer.Option(
        "--section",
        metavar="SECTIONS",
        help="Show only verdicts about these sections, comma-separated (二 or 2).",
        show_default=False,
    ),
]
SideBySideOpt = Annotated[
    bool,
    typer.Option("--side-by-side", help="Show each matched pair in two columns (target left) with a diff."),
]
ExplainOpt = Annotated[
    str | None,
    typer.Option(
        "--explain",
        metavar="PATH",
        help="Show the full evidence of the verdict(s) about one clause path, e.g. 二/（三）.",
        show_default=False,
    ),
]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Show every verdict's full evidence.")]

EPILOG = f"""{SCORE_SENTENCE}.

Examples:

  policydiff compare hunan-2021 central-2021

  policydiff compare hunan-2021 central-2021 --explain 二/（三）

  policydiff compare hunan-2021 central-2021 -o hunan.xlsx
"""


def check_sections(report, selection) -> None:  # type: ignore[no-untyped-def]
    """An unknown --section is an error that lists the sections the verdicts are about."""
    from policydiff.corpora.errors import ConfigError

    if not selection.sections:
        return
    from policydiff.compare.views import path_key, section_names

    known = section_names(report)
    unknown = [s for s in selection.sections if s not in known]
    if unknown:
        valid = ", ".join(sorted(known, key=path_key))
        raise ConfigError(f"no section {', '.join(unknown)} in this comparison; sections: {valid}")


def emit_export(fmt: str, data: bytes, output) -> None:  # type: ignore[no-untyped-def]
    from policydiff.cli.output import write_output

    if output is None and fmt == "csv":  # the BOM is for Excel opening a file, not for a pipe
        data = data.removeprefix(codecs.BOM_UTF8)
    write_output(data, output)


def compare(
    target: Annotated[
        str, typer.Argument(metavar="TARGET", help="The document to examine (a province's): corpus id or file.")
    ],
    references: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[REFERENCE…]",
            help="The document(s) it carries out (the central one): ids or files; "
            "default: the document(s) TARGET says it implements, when in the corpora.",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    only: OnlyOpt = None,
    section: SectionOpt = None,
    explain: ExplainOpt = None,
    verbose: VerboseOpt = False,
    side_by_side: SideBySideOpt = False,
    no_pager: NoPagerOpt = False,
    corpus: CorpusOpt = None,
    rules: RulesOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Compare TARGET clause by clause with each REFERENCE: retained, adapted, added, missing.

    The order is "who implements ← what is implemented": the target (a province's document) first, then the
    reference(s) it carries out. Without REFERENCE, TARGET is compared with the document it says it implements
    (贯彻落实《X》, 实施《X》办法, 根据《X》…制定本办法), when that document is in the corpora. A reference clause
    of which nothing was seen is "not judged", outside the four counts.
    """
    from policydiff.cli.options import resolve_format
    from policydiff.compare.api import compare as compare_api
    from policydiff.compare.views import Selection, select_report

    fmt_name = resolve_format(fmt, output, stdout_is_terminal())
    selection = Selection.parse(only, section)
    if not references:
        references = linked_references(target, corpus)
    with progress_on_stderr(len(references), "comparing with") as progress:
        result = compare_api(
            target, *references, rules=rules, corpus=corpus, cache=open_cache(no_cache), progress=progress
        )
    for message in result.warnings:
        warning_line(printable(message))
    report = result.report
    check_sections(report, selection)
    if fmt_name != "terminal":
        from policydiff.compare.export import exporter

        emit_export(fmt_name, exporter(fmt_name)(select_report(report, selection)), output)
        return
    _terminal(report, selection, explain, verbose, side_by_side, pager=not no_pager)


def _terminal(report, selection, explain, verbose, side_by_side, pager) -> None:  # type: ignore[no-untyped-def]
    from policydiff.cli import terminal
    from policydiff.corpora.errors import ConfigError

    if explain is not None:
        found = [(c, v) for c in report.comparisons for v in terminal.find_verdicts(c, explain)]
        if not found:
            hint = "give a path as the report shows it, e.g. 二/（三）"
            raise ConfigError(f"no verdict about clause {explain!r}; {hint}")
        show([terminal.explain_view(v) for _, v in found], pager=pager)
        return
    if not stdout_is_terminal() and not (verbose or side_by_side):
        print_lines(terminal.comparison_rows(report, selection))
        # The rows stay pure tab-separated data; what the report would say about a comparison goes to stderr.
        for comparison in report.comparisons:
            for note in comparison.notes:
                note_line(printable(f"{comparison.reference.info.id}: {note}"))
        return
    views = [terminal.comparison_view(report, c, selection, side_by_side, verbose) for c in report.comparisons]
    show(views, pager=pager)
