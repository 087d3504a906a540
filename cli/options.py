"""Options shared by several commands, declared once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from policydiff.compare.cache import Cache

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


def open_cache(no_cache: bool) -> Cache:
    """The cache a command uses: none with --no-cache (nothing touched); an unusable folder is a warning."""
    from policydiff.cli.errors import warning_line
    from policydiff.compare.cache import Cache

    cache = Cache.open(enabled=not no_cache)
    if cache.problem:
        warning_line(f"{cache.problem}; running without the cache")
    return cache
