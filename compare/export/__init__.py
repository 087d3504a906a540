"""File exports of a comparison report or a matrix. Each exporter turns the result into bytes; the caller writes
them. Modules import their heavy libraries (openpyxl) inside the functions, so this registry is cheap to load."""

from __future__ import annotations

from collections.abc import Callable

from policydiff.compare.export.csv import render_csv
from policydiff.compare.export.html import render_html
from policydiff.compare.export.json import json_schema, render_json
from policydiff.compare.export.md import render_md
from policydiff.compare.export.table import Result
from policydiff.compare.export.xlsx import render_xlsx

Exporter = Callable[[Result], bytes]

EXPORTERS: dict[str, Exporter] = {
    "csv": render_csv,
    "html": render_html,
    "json": render_json,
    "md": render_md,
    "xlsx": render_xlsx,
}


def exporter(name: str) -> Exporter:
    """The exporter for a format name, whatever its case (CSV, Xlsx …); an unknown name lists the known ones."""
    from policydiff.corpora.errors import ConfigError

    found = EXPORTERS.get(name.strip().lower())
    if found is None:
        raise ConfigError(f"unknown format {name!r}; known formats: {', '.join(sorted(EXPORTERS))}")
    return found


BINARY_FORMATS = frozenset({"xlsx"})

__all__ = [
    "BINARY_FORMATS",
    "EXPORTERS",
    "Exporter",
    "Result",
    "exporter",
    "json_schema",
    "render_csv",
    "render_html",
    "render_json",
    "render_md",
    "render_xlsx",
]
