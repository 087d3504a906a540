"""Options shared by several commands, declared once, and the choice of output format they imply."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from policydiff.compare.cache import Cache

FORMATS = ("terminal", "csv", "xlsx", "json", "md", "html")

CorpusOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--corpus",
        metavar="DIR",
        help="A corpus folder to add to the bundled corpus (repeatable).",
        show_default=False,
    ),
]
RulesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--rules", metavar="DIR", help="A rules folder to add to the bundled rules (repeatable).", show_default=False
    ),
]
FormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="Output format, one of: terminal, csv, xlsx, json, md, html (any case). Default: from the --output "
        "file's extension, else terminal.",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the export to FILE; its extension (.csv .xlsx .json .md .html) sets the format.",
        show_default=False,
    ),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not read or write the analysis cache.")]
NoPagerOpt = Annotated[
    bool, typer.Option("--no-pager", help="Never page long terminal output (PAGER, default `less -FRX`).")
]

_EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".md": "md", ".markdown": "md", ".html": "html"}
_EXTENSIONS[".htm"] = "html"


def resolve_format(fmt: str | None, output: Path | None, stdout_is_terminal: bool) -> str:
    """The output format: --format (any case), else the --output file's extension, else the terminal.

    A binary format (xlsx) is never written to a terminal, and "terminal" never to a file.
    """
    from policydiff.corpora.errors import ConfigError

    if fmt is not None:
        name = fmt.strip().lower()
        if name not in FORMATS:
            raise ConfigError(f"unknown format {fmt!r}; known formats: {', '.join(FORMATS)}")
    elif output is not None:
        name = _EXTENSIONS.get(output.suffix.lower(), "")
        if not name:
            known = " ".join(sorted(_EXTENSIONS))
            raise ConfigError(f"{output}: cannot tell the format from the extension ({known}); add --format")
    else:
        name = "terminal"
    if name == "terminal" and output is not None:
        raise ConfigError("--output needs a file format (--format json, csv, xlsx, md or html)")
    if name == "xlsx" and output is None and stdout_is_terminal:
        raise ConfigError("xlsx is a binary format and is not written to a terminal; add --output FILE.xlsx")
    return name


def open_cache(no_cache: bool) -> Cache:
    """The cache a command uses: none with --no-cache (nothing touched); an unusable folder is a warning."""
    from policydiff.cli.errors import warning_line
    from policydiff.compare.cache import Cache

    cache = Cache.open(enabled=not no_cache)
    if cache.problem:
        warning_line(f"{cache.problem}; running without the cache")
    return cache
