"""`policydiff link`: for every document in the corpora, the documents it implements, with confidence and reason."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated

import typer

from policydiff.cli.options import CorpusOpt
from policydiff.cli.output import stderr_console, stdout_console, write_output

FORMATS = ("terminal", "json", "csv")
COLUMNS = ("document", "implements", "confidence", "method", "reason")


def link(
    corpus: CorpusOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal, json or csv.")] = "terminal",
    save: Annotated[
        bool, typer.Option("--save", help="Write the links into the catalogues (`implements`); bundled stays.")
    ] = False,
) -> None:
    """Which documents each document implements: what its text says first, then retrieval (TF-IDF cosine with
    documents of a higher level and an earlier or equal date)."""
    from policydiff.compare.api import link as link_api
    from policydiff.corpora.errors import ConfigError

    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    result = link_api(corpus or (), save=save)
    err = stderr_console()
    for doc_id, why in result.unreadable:
        err.print(f"policydiff: warning: {doc_id}: not read ({why})", style="yellow", markup=False)
    rows = result.rows()
    if fmt == "json":
        write_output((json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), None)
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
        write_output(buffer.getvalue().encode("utf-8-sig"), None)
    else:
        from rich.table import Table
        from rich.text import Text

        from policydiff.cli.safe import printable

        table = Table(*COLUMNS)
        for row in rows:
            table.add_row(*(Text(printable(str(row[k]))) for k in COLUMNS))
        stdout_console().print(table)
    if save:
        err.print(f"saved links of {len(result.saved)} documents", markup=False)
