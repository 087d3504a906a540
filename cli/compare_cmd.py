"""`policydiff compare TARGET REFERENCE…`: one comparison per reference, in the terminal or as an export."""

from __future__ import annotations

from typing import Annotated

import typer

from policydiff.cli.options import CorpusOpt, FormatOpt, NoCacheOpt, OutputOpt, RulesOpt
from policydiff.cli.output import stderr_console, stdout_console, write_output


def compare(
    target: Annotated[str, typer.Argument(help="The document to examine: a corpus id or a file path.")],
    references: Annotated[
        list[str], typer.Argument(help="One or more documents it is compared with (ids or file paths).")
    ],
    fmt: FormatOpt = "terminal",
    output: OutputOpt = None,
    corpus: CorpusOpt = None,
    rules: RulesOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Compare TARGET clause by clause with each REFERENCE: retained, adapted, added, missing."""
    from policydiff.compare import compare_documents
    from policydiff.compare.cache import Cache
    from policydiff.compare.errors import ConfigError
    from policydiff.compare.export import EXPORTERS
    from policydiff.corpora import Catalogue
    from policydiff.rules.ruleset import load_rules

    if fmt != "terminal" and fmt not in EXPORTERS:
        known = ", ".join(["terminal", *sorted(EXPORTERS)])
        raise ConfigError(f"unknown format {fmt!r}; known formats: {known}")
    catalogue = Catalogue.default(corpus or ())
    target_doc = catalogue.load(target)
    reference_docs = [catalogue.load(r) for r in references]
    ruleset = load_rules(rules or ())
    err = stderr_console()
    for doc in (target_doc, *reference_docs):
        for warning in doc.warnings:
            err.print(f"policydiff: warning: {warning}", style="yellow")
    with err.status("comparing…", spinner="dots") if err.is_terminal else _nothing():
        report = compare_documents(target_doc, reference_docs, rules=ruleset, cache=Cache(enabled=not no_cache))
    if fmt == "terminal":
        from policydiff.cli.terminal import comparison_view

        console = stdout_console()
        for comparison in report.comparisons:
            console.print(comparison_view(report, comparison))
        if output is not None:
            raise ConfigError("--output needs a file format (--format json, csv, xlsx, md or html)")
        return
    write_output(EXPORTERS[fmt](report), output)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
