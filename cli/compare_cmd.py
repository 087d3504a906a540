"""`policydiff compare TARGET REFERENCE…`: one comparison per reference, in the terminal or as an export."""

from __future__ import annotations

from typing import Annotated

import typer

from policydiff.cli.inputs import open_documents
from policydiff.cli.options import CorpusOpt, FormatOpt, NoCacheOpt, OutputOpt, RulesOpt, open_cache
from policydiff.cli.output import progress_on_stderr, stdout_console, write_output

OnlyOpt = Annotated[
    str | None,
    typer.Option(
        "--only",
        help="Show only these verdicts, comma-separated: retained, adapted, added, missing.",
        show_default=False,
    ),
]
SectionOpt = Annotated[
    str | None,
    typer.Option(
        "--section",
        help="Show only verdicts about these sections, comma-separated (二 or 2).",
        show_default=False,
    ),
]
SideBySideOpt = Annotated[
    bool,
    typer.Option("--side-by-side", help="Show each matched pair in two columns with a character-level diff."),
]


def check_format(fmt: str, output: object) -> None:
    from policydiff.compare.export import EXPORTERS
    from policydiff.corpora.errors import ConfigError

    if fmt != "terminal" and fmt not in EXPORTERS:
        known = ", ".join(["terminal", *sorted(EXPORTERS)])
        raise ConfigError(f"unknown format {fmt!r}; known formats: {known}")
    if fmt == "terminal" and output is not None:
        raise ConfigError("--output needs a file format (--format json, csv, xlsx, md or html)")


def compare(
    target: Annotated[str, typer.Argument(help="The document to examine: a corpus id or a file path.")],
    references: Annotated[
        list[str], typer.Argument(help="One or more documents it is compared with (ids or file paths).")
    ],
    fmt: FormatOpt = "terminal",
    output: OutputOpt = None,
    only: OnlyOpt = None,
    section: SectionOpt = None,
    side_by_side: SideBySideOpt = False,
    corpus: CorpusOpt = None,
    rules: RulesOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Compare TARGET clause by clause with each REFERENCE: retained, adapted, added, missing."""
    from policydiff.compare import compare_documents
    from policydiff.compare.views import Selection, select_report
    from policydiff.rules.ruleset import load_rules

    check_format(fmt, output)
    selection = Selection.parse(only, section)
    target_doc, *reference_docs = open_documents([target, *references], corpus)
    ruleset = load_rules(rules or ())
    with progress_on_stderr(len(reference_docs), "comparing with") as progress:
        report = compare_documents(
            target_doc, reference_docs, rules=ruleset, cache=open_cache(no_cache), progress=progress
        )
    if fmt == "terminal":
        from policydiff.cli.terminal import comparison_view

        console = stdout_console()
        for comparison in report.comparisons:
            console.print(comparison_view(report, comparison, selection, side_by_side=side_by_side))
        return
    from policydiff.compare.export import EXPORTERS

    write_output(EXPORTERS[fmt](select_report(report, selection)), output)
