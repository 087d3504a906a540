"""`corpus list` output: one stream of rows (from `policydiff.corpora.links.listing`) and a renderer per format.

On a terminal, a table whose titles may be ellipsised; through a pipe, plain tab-separated lines that are
never wrapped or cut (so `policydiff corpus list | grep central-2021` finds the whole row); json and csv for
programs. Every document-derived value goes through `printable()`: a title can hold anything a web page held.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence

from rich.table import Table
from rich.text import Text

from policydiff.cli.safe import printable
from policydiff.compare.export.csv import cell
from policydiff.corpora.links import LIST_FIELDS

Row = dict[str, str | list[str]]
LIST_SEPARATOR = ";"  # between the ids of `implements` and `versions` in a csv cell or a plain line
PLAIN_COLUMNS: tuple[str, ...] = (
    "id",
    "level",
    "region",
    "date",
    "type",
    "strength",
    "kind",
    "title",
    "implements",
    "corpus",
)


def safe_rows(rows: Sequence[Row]) -> list[Row]:
    """The rows with escape sequences, control characters, tabs and newlines taken out of every value."""
    return [
        {k: [printable(x) for x in v] if isinstance(v, list) else printable(v) for k, v in row.items()} for row in rows
    ]


def _cell(value: str | list[str]) -> str:
    return LIST_SEPARATOR.join(value) if isinstance(value, list) else value


def to_json(rows: Sequence[Row]) -> bytes:
    return (json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_csv(rows: Sequence[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LIST_FIELDS)
    for row in rows:
        writer.writerow([cell(_cell(row[k])) for k in LIST_FIELDS])  # no live formulas from a title
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # with a BOM, as the compare exports: Excel reads it


def to_plain(rows: Sequence[Row]) -> bytes:
    lines = ["\t".join(PLAIN_COLUMNS)]
    lines.extend("\t".join(_cell(row[k]) for k in PLAIN_COLUMNS) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


RENDERERS: dict[str, Callable[[Sequence[Row]], bytes]] = {"json": to_json, "csv": to_csv, "plain": to_plain}
FORMATS: tuple[str, ...] = ("terminal", *RENDERERS)


WIDE = 120  # from this terminal width on, the table also says which corpus each document comes from
TITLE_MIN = 16  # a title cut shorter than this says nothing: narrower terminals drop columns first
DROPPED_FIRST = ("strength", "kind", "type", "level", "region")  # what a narrow terminal does without, in this order


def corpus_table(rows: Sequence[Row], width: int = WIDE) -> Table:
    """The rows as a rich table: ids and dates always whole (their columns as wide as their longest value); the
    title takes the rest of the width and ends in an ellipsis when it does not fit. On a narrow terminal kind,
    type, level and region give way to the title; the corpus column shows from WIDE columns on.
    What a document implements and its versions are in the plain, json and csv listings."""
    from rich import box
    from rich.cells import cell_len

    widths = {c: max([cell_len(c), *(cell_len(_cell(r[c])) for r in rows)]) for c in ("id", *_SHORT)}
    columns = ["id", *_SHORT]
    for column in DROPPED_FIRST:
        if sum(widths[c] + 2 for c in columns) + TITLE_MIN <= width:
            break
        columns.remove(column)
    wide = width >= WIDE
    # No vertical rules: every cell the borders do not take goes to the title.
    table = Table(
        title="policydiff corpus",
        title_justify="left",
        expand=True,
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),
        pad_edge=False,
    )
    for column in columns:
        table.add_column(column, no_wrap=True, min_width=widths[column])
    table.add_column("title", no_wrap=True, overflow="ellipsis", ratio=1, min_width=10)
    if wide:
        table.add_column("from", no_wrap=True, overflow="ellipsis", min_width=7, max_width=24)
    for row in rows:
        cells = [Text(_cell(row[c]), style="magenta" if row[c] == "digest" else "") for c in columns]
        table.add_row(*cells, Text(_cell(row["title"])), *([Text(_cell(row["corpus"]))] if wide else []))
    return table


_SHORT = ("level", "region", "date", "type", "strength", "kind")
