"""`policydiff matrix REFERENCE TARGET…`: what each target made of each reference clause, in one table."""

from __future__ import annotations

from typing import Annotated

import typer

from policydiff.cli.compare_cmd import emit_export
from policydiff.cli.errors import warning_line
from policydiff.cli.options import CorpusOpt, FormatOpt, NoCacheOpt, NoPagerOpt, OutputOpt, RulesOpt, open_cache
from policydiff.cli.output import print_lines, progress_on_stderr, show, stdout_is_terminal
from policydiff.cli.safe import printable

EPILOG = """Examples:

  policydiff matrix central-2021 hunan-2021 anhui-2022

  policydiff matrix central-2021 hunan-2021 anhui-2022 -o matrix.xlsx
"""


def matrix(
    reference: Annotated[
        str, typer.Argument(metavar="REFERENCE", help="The document every target carries out (id or file).")
    ],
    targets: Annotated[
        list[str], typer.Argument(metavar="TARGET…", help="The documents implementing it (ids or files).")
    ],
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    no_pager: NoPagerOpt = False,
    corpus: CorpusOpt = None,
    rules: RulesOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Each REFERENCE clause as a row, each TARGET as a column: ✓ retained, ~ adapted, ✗ missing, ? not judged;
    then what each target added.

    The order is the reverse of `compare`: the reference (the central document) first, then the targets.
    """
    from policydiff.cli.options import resolve_format
    from policydiff.compare.api import matrix as matrix_api

    fmt_name = resolve_format(fmt, output, stdout_is_terminal())
    with progress_on_stderr(len(targets), "comparing") as progress:
        result = matrix_api(
            reference, *targets, rules=rules, corpus=corpus, cache=open_cache(no_cache), progress=progress
        )
    for message in result.warnings:
        warning_line(printable(message))
    if fmt_name != "terminal":
        from policydiff.compare.export import exporter

        emit_export(fmt_name, exporter(fmt_name)(result.matrix), output)
        return
    from policydiff.cli.terminal import matrix_rows, matrix_view

    if not stdout_is_terminal():
        print_lines(matrix_rows(result.matrix))
        return
    show([matrix_view(result.matrix)], pager=not no_pager)
