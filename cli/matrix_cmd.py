"""`policydiff matrix REFERENCE TARGET…`: what each target made of each reference clause, in one table."""

from __future__ import annotations

from typing import Annotated

import typer

from policydiff.cli.inputs import open_documents
from policydiff.cli.options import CorpusOpt, FormatOpt, NoCacheOpt, OutputOpt, RulesOpt, open_cache
from policydiff.cli.output import progress_on_stderr, stdout_console, write_output


def matrix(
    reference: Annotated[str, typer.Argument(help="The document every target is held against (id or file path).")],
    targets: Annotated[list[str], typer.Argument(help="The documents compared with it (ids or file paths).")],
    fmt: FormatOpt = "terminal",
    output: OutputOpt = None,
    corpus: CorpusOpt = None,
    rules: RulesOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Each REFERENCE clause as a row, each TARGET as a column: ✓ retained, ~ adapted, ✗ missing; then what each
    target added."""
    from policydiff.cli.compare_cmd import check_format
    from policydiff.compare.matrix import build_matrix
    from policydiff.rules.ruleset import load_rules

    check_format(fmt, output)
    reference_doc, *target_docs = open_documents([reference, *targets], corpus)
    ruleset = load_rules(rules or ())
    with progress_on_stderr(len(target_docs), "comparing") as progress:
        result = build_matrix(reference_doc, target_docs, rules=ruleset, cache=open_cache(no_cache), progress=progress)
    if fmt == "terminal":
        from policydiff.cli.terminal import matrix_view

        stdout_console().print(matrix_view(result))
        return
    from policydiff.compare.export import EXPORTERS

    write_output(EXPORTERS[fmt](result), output)
