"""XLSX export: a summary sheet, the documents, one sheet per comparison, the matrix and the configuration.

Every table has its header frozen and an autofilter, columns sized to their content (Chinese characters count
double), and verdict labels coloured. The file is byte-identical for identical inputs: openpyxl stamps the
time into the document properties and the zip entries, and both are reset to a fixed date.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from policydiff.compare.export.table import (
    DOCUMENT_COLUMNS,
    SUMMARY_COLUMNS,
    VERDICT_COLUMNS,
    Result,
    document_rows,
    joined,
    matrices,
    pairs,
    provenance,
    summary_rows,
    verdict_rows,
)
from policydiff.compare.matrix import Matrix

LABEL_FILL = {"retained": "C6EFCE", "adapted": "FFEB9C", "added": "DDEBF7", "missing": "FFC7CE"}
FIXED_DATE = "1980-01-01T00:00:00Z"
MAX_WIDTH = 60
_WRAPPED = {"target_headings", "reference_headings", "heading", "notes", "title", "config"}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_RESERVED = ("summary", "documents", "matrix", "configuration")


def _width(value: Any) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in str(value).split("\n")), default=0)


def _sheet_names(labels: Sequence[str]) -> list[str]:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique without regard to case."""
    taken = {n.lower() for n in _RESERVED}
    names = []
    for i, label in enumerate(labels, start=1):
        base = _BAD_SHEET_CHARS.sub("-", label)[:31] or f"comparison {i}"
        name, n = base, 2
        while name.lower() in taken:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        taken.add(name.lower())
        names.append(name)
    return names


def _write_table(ws: Any, header: Sequence[str], rows: Sequence[Sequence[Any]], label_column: str | None = None):  # type: ignore[no-untyped-def]
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append(list(header))
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="E7E6E6")
    for row in rows:
        ws.append(["" if v is None else v for v in row])
        for c in ws[ws.max_row]:
            if c.data_type == "f":  # document text is never a formula, even when it starts with "="
                c.data_type = "s"
    ws.freeze_panes = "A2"
    last = get_column_letter(max(len(header), 1))
    ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    for i, name in enumerate(header, start=1):
        widest = max([_width(name) + 2, *(_width(r[i - 1]) + 1 for r in rows if r[i - 1] is not None)])
        ws.column_dimensions[get_column_letter(i)].width = min(max(widest, 6), MAX_WIDTH)
        if name in _WRAPPED or widest > MAX_WIDTH:
            for cells in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cells[0].alignment = Alignment(wrap_text=True, vertical="top")
    if label_column is not None and label_column in header:
        _colour_labels(ws, header.index(label_column) + 1, len(rows))


def _colour_labels(ws: Any, column: int, count: int, first_row: int = 2) -> None:
    from openpyxl.styles import PatternFill

    for r in range(first_row, first_row + count):
        c = ws.cell(row=r, column=column)
        fill = LABEL_FILL.get(str(c.value).split(" ")[-1])
        if fill:
            c.fill = PatternFill("solid", fgColor=fill)


def _matrix_sheet(ws: Any, result: Result) -> None:
    from openpyxl.styles import Font

    blocks = matrices(result)
    ids: list[str] = list(dict.fromkeys(c.target.info.id for m in blocks for c in m.columns))
    header = ["reference_id", "reference_path", "reference_heading", "reference_coverage", *ids]
    rows: list[list[Any]] = []
    for m in blocks:
        cols = [c.target.info.id for c in m.columns]
        for r in m.rows:
            by_id = {
                i: f"{cell.mark} {cell.label}" if cell.label else "" for i, cell in zip(cols, r.cells, strict=True)
            }
            rows.append(
                [
                    m.reference.info.id,
                    r.clause.path,
                    r.clause.heading,
                    r.clause.coverage,
                    *(by_id.get(i, "") for i in ids),
                ]
            )
    _write_table(ws, header, rows)
    for j in range(len(ids)):
        _colour_labels(ws, 5 + j, len(rows))
    # Added clauses follow the matrix, below the filtered range, one block per reference.
    row = len(rows) + 3
    for m in blocks:
        added = {c.target.info.id: c.added for c in m.columns}
        ws.cell(row=row, column=1, value=m.reference.info.id)
        ws.cell(row=row, column=3, value="added clauses (count)").font = Font(bold=True)
        ws.cell(row=row + 1, column=3, value="added clauses").font = Font(bold=True)
        for j, i in enumerate(ids):
            if i in added:
                ws.cell(row=row, column=5 + j, value=len(added[i]))
                listing = joined(f"{r.path} {r.heading}" for v in added[i] for r in v.target)
                ws.cell(row=row + 1, column=5 + j, value=listing)
        row += 3


def render_xlsx(result: Result) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "summary"
    summary = summary_rows(result)
    _write_table(ws, SUMMARY_COLUMNS, [[r[k] for k in SUMMARY_COLUMNS] for r in summary])
    docs = document_rows(result)
    _write_table(wb.create_sheet("documents"), DOCUMENT_COLUMNS, [[d[k] for k in DOCUMENT_COLUMNS] for d in docs])
    chosen = pairs(result)
    # A matrix holds one reference, so its comparisons are named by target; a report's by both sides.
    names = _sheet_names(
        [
            p.target.info.id
            if isinstance(result, Matrix)
            else f"{p.target.info.id} vs {p.comparison.reference.info.id}"
            for p in chosen
        ]
    )
    for name, pair in zip(names, chosen, strict=True):
        rows = verdict_rows(result, pair)
        _write_table(wb.create_sheet(name), VERDICT_COLUMNS, [[r[k] for k in VERDICT_COLUMNS] for r in rows], "label")
    _matrix_sheet(wb.create_sheet("matrix"), result)
    _write_table(wb.create_sheet("configuration"), ("setting", "value"), provenance(result))
    raw = io.BytesIO()
    wb.save(raw)
    return _reproducible(raw.getvalue())


def _reproducible(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                for tag in ("created", "modified"):
                    text = re.sub(rf"(<dcterms:{tag}[^>]*>)[^<]*(</dcterms:{tag}>)", rf"\g<1>{FIXED_DATE}\g<2>", text)
                content = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, content)
    return out.getvalue()
