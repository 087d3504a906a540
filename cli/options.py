"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

CorpusOpt = Annotated[
    list[Path] | None,
    typer.Option("--corpus", help="A corpus folder to add to the bundled corpus (repeatable).", show_default=False),
]
RulesOpt = Annotated[
    list[Path] | None,
    typer.Option("--rules", help="A rules folder to add to the bundled rules (repeatable).", show_default=False),
]
FormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", help="Output format: terminal, json, csv, xlsx, md or html."),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write the export to this file (default: standard output).", show_default=False
    ),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not read or write the analysis cache.")]
