"""File exports of a comparison report. Each exporter turns a `Report` into bytes; the caller writes them."""

from __future__ import annotations

from collections.abc import Callable

from policydiff.compare.export.json import render_json
from policydiff.compare.result import Report

Exporter = Callable[[Report], bytes]

EXPORTERS: dict[str, Exporter] = {
    "json": render_json,
}

__all__ = ["EXPORTERS", "Exporter", "render_json"]
