"""`policydiff corpus …`: list and show the documents a run can compare."""

from __future__ import annotations

from typing import Annotated

import typer

from policydiff.cli.options import CorpusOpt
from policydiff.cli.output import stdout_console

corpus_app = typer.Typer(help="List, show and manage the documents policydiff can compare.", no_args_is_help=True)


@corpus_app.command("list")
def list_documents(corpus: CorpusOpt = None) -> None:
    """List every document: id, level, region, date, kind (full or digest), title, where it comes from."""
    from policydiff.cli.terminal import corpus_table
    from policydiff.corpora import Catalogue

    stdout_console().print(corpus_table(Catalogue.default(corpus or ()).entries))


@corpus_app.command("show")
def show_document(
    doc: Annotated[str, typer.Argument(help="A corpus id or a file path.")],
    corpus: CorpusOpt = None,
) -> None:
    """Print a document's structure: sections, clauses with their headings, item and sentence counts."""
    from policydiff.cli.terminal import document_footer, document_tree
    from policydiff.corpora import Catalogue

    document = Catalogue.default(corpus or ()).load(doc)
    console = stdout_console()
    console.print(document_tree(document))
    console.print(document_footer(document))
