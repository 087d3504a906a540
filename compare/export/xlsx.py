"""XLSX export: a summary sheet, the documents, one sheet per comparison, the matrix and the configuration.

Every table has its header (and on comparison sheets the verdict and target columns) frozen, an autofilter,
columns sized to their content (Chinese characters count double), rows tall enough for their wrapped text,
scores as percentages, verdicts coloured from the shared vocabulary, and a print setup (landscape, fitted to
the page width, header repeated) so it prints as it reads. The file is byte-identical for identical inputs:
openpyxl stamps the time into the document properties and the zip entries, and both are reset to a fixed date.
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
from policydiff.compare.vocabulary import CAUTION, CAUTION_MEANING, STATUS_STYLES, display_name, legend_line, symbol

FIXED_DATE = "1980-01-01T00:00:00Z"
MAX_WIDTH = 60
PRINT_WIDTH = 32  # widest column of a comparison sheet: headings wrap rather than push the page smaller
LINE_HEIGHT = 15  # points per line of wrapped text (11-point Calibri)
_WRAPPED = {"target_headings", "reference_headings", "heading", "notes", "title", "config", "evidence"}
_PERCENT = {
    "score",
    "target_coverage",
    "reference_coverage",
    "reference_clauses_matched",
    "target_clauses_matched",
    "reference_bodies_seen",
    "share",
    "reference_share",
    "difference",
}
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_RESERVED = ("summary", "documents", "matrix", "instruments", "configuration")
# The instruments sheet: per document the share of coded sentences by instrument, and the difference from the
# reference (the matrix's instrument mix, `coding.MixRow`).
MIX_COLUMNS: tuple[str, ...] = ("document", "type", "subtype", "units", "share", "reference_share", "difference")
# A comparison sheet shows what a reader scans; ids, hashes and settings are on the other sheets. The first
# five columns (number, verdict, ⚠, target path and heading) stay frozen while scrolling right.
SHEET_COLUMNS: tuple[str, ...] = (
    "verdict_no",
    "label",
    "caution",
    "target_paths",
    "target_headings",
    "reference_paths",
    "reference_headings",
    "score",
    "evidence",
    "target_coverage",
    "reference_coverage",
    "shared_terms",
    "target_only_terms",
    "reference_only_terms",
    "target_changes",
    "localisations",
    "directive",
    "notes",
    "reference_order",
    "target_order",
)
_FROZEN = "F2"


def _width(value: Any) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in str(value).split("\n")), default=0)


def _sheet_names(labels: Sequence[str]) -> list[str]:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique without regard to case. A name that
    had to be shortened starts with its number, which the summary sheet's `sheet` column maps back."""
    taken = {n.lower() for n in _RESERVED}
    names = []
    for i, label in enumerate(labels, start=1):
        base = _BAD_SHEET_CHARS.sub("-", label) or f"comparison {i}"
        if len(base) > 31 or base.lower() in taken:
            base = f"{i} {base}"[:31]
        name, n = base, 2
        while name.lower() in taken:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        taken.add(name.lower())
        names.append(name)
    return names


def _print_setup(ws: Any, one_page: bool = False) -> None:
    """Landscape A4, fitted to the page width (and height, for a reference sheet), header row repeated."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _write_table(  # type: ignore[no-untyped-def]
    ws: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    label_column: str | None = None,
    frozen: str = "A2",
    max_width: int = MAX_WIDTH,
    print_columns: int = 0,
    one_page: bool = False,
):
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws.append(list(header))
    for c in ws[1]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="E7E6E6")
        c.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(["" if v is None else v for v in row])
        for c in ws[ws.max_row]:
            if c.data_type == "f":  # document text is never a formula, even when it starts with "="
                c.data_type = "s"
    ws.freeze_panes = frozen
    last = get_column_letter(max(len(header), 1))
    ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    widths: list[int] = []
    for i, name in enumerate(header, start=1):
        widest = max([_width(name) + 2, *(_width(r[i - 1]) + 1 for r in rows if r[i - 1] is not None)])
        width = min(max(widest, 6), max_width)
        widths.append(width)
        ws.column_dimensions[get_column_letter(i)].width = width
        wrapped = name in _WRAPPED or widest > max_width
        for cells in ws.iter_rows(min_row=2, min_col=i, max_col=i):
            if wrapped:
                cells[0].alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cells[0].alignment = Alignment(vertical="top")
            if name in _PERCENT and isinstance(cells[0].value, float):
                cells[0].number_format = "+0.0%;-0.0%;0%" if name == "difference" else "0%"
    _row_heights(ws, rows, widths[: print_columns or None])
    _print_setup(ws, one_page)
    if print_columns:  # the columns a reader scans; the rest stay on screen for filtering and sorting
        ws.print_area = f"A1:{get_column_letter(print_columns)}{len(rows) + 1}"
    if label_column is not None and label_column in header:
        _colour_labels(ws, header.index(label_column) + 1, len(rows))


def _row_heights(ws: Any, rows: Sequence[Sequence[Any]], widths: Sequence[int]) -> None:
    """Heights that show all of the wrapped text: Excel does not grow a row to fit on its own."""
    for r, row in enumerate(rows, start=2):
        lines = 1
        for value, width in zip(row, widths, strict=False):
            if value is None or value == "":
                continue
            text_lines = str(value).split("\n")
            lines = max(lines, sum(-(-_width(t) // max(width - 1, 1)) or 1 for t in text_lines))
        if lines > 1:
            ws.row_dimensions[r].height = LINE_HEIGHT * lines


def _colour_labels(ws: Any, column: int, count: int, first_row: int = 2) -> None:
    from openpyxl.styles import Font, PatternFill

    for r in range(first_row, first_row + count):
        c = ws.cell(row=r, column=column)
        status = str(c.value or "").split(" ")[-1]
        status = "unjudged" if str(c.value or "").endswith("not judged") else status
        if status in STATUS_STYLES and status:
            style = STATUS_STYLES[status]
            c.fill = PatternFill("solid", fgColor=style.fill)
            c.font = Font(color=style.ink)


def _cell_text(label: str) -> str:
    return f"{symbol(label)} {display_name(label)}" if label else ""


def _matrix_sheet(ws: Any, result: Result) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    blocks = matrices(result)
    ids: list[str] = list(dict.fromkeys(c.target.info.id for m in blocks for c in m.columns))
    header = ["reference_id", "reference_order", "reference_path", "reference_heading", "reference_coverage", *ids]
    rows: list[list[Any]] = []
    cautions: list[tuple[int, int]] = []
    for m in blocks:
        cols = [c.target.info.id for c in m.columns]
        for order, r in enumerate(m.rows, start=1):
            by_id = {i: cell for i, cell in zip(cols, r.cells, strict=True)}
            for j, i in enumerate(ids):
                if i in by_id and by_id[i].unseen:
                    cautions.append((len(rows) + 2, 6 + j))
            rows.append(
                [
                    m.reference.info.id,
                    order,
                    r.clause.path,
                    r.clause.heading,
                    r.clause.coverage,
                    *(_cell_text(by_id[i].label) if i in by_id else "" for i in ids),
                ]
            )
    # The matrix cell holds the verdict alone, so it sorts and filters; ⚠ is the cell's comment.
    _write_table(ws, header, rows, frozen="E2")
    for j in range(len(ids)):
        _colour_labels(ws, 6 + j, len(rows))
    for row, column in cautions:
        ws.cell(row=row, column=column).comment = Comment(f"{CAUTION} {CAUTION_MEANING}", "policydiff")
    # Added clauses follow the matrix, below the filtered range, one block per reference.
    row = len(rows) + 3
    for m in blocks:
        added = {c.target.info.id: c.added for c in m.columns}
        ws.cell(row=row, column=1, value=m.reference.info.id)
        ws.cell(row=row, column=4, value="added clauses (count)").font = Font(bold=True)
        ws.cell(row=row + 1, column=4, value="added clauses").font = Font(bold=True)
        for j, i in enumerate(ids):
            if i in added:
                ws.cell(row=row, column=6 + j, value=len(added[i]))
                listing = joined(f"{r.path} {r.heading}" for v in added[i] for r in v.target)
                ws.cell(row=row + 1, column=6 + j, value=listing)
        row += 3
    ws.cell(row=row, column=1, value=legend_line(with_not_compared=True))


def render_xlsx(result: Result) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "summary"
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
    summary = summary_rows(result)
    columns = (*SUMMARY_COLUMNS, "sheet")
    _write_table(ws, columns, [[*(r[k] for k in SUMMARY_COLUMNS), n] for r, n in zip(summary, names, strict=True)])
    docs = document_rows(result)
    _write_table(wb.create_sheet("documents"), DOCUMENT_COLUMNS, [[d[k] for k in DOCUMENT_COLUMNS] for d in docs])
    for name, pair in zip(names, chosen, strict=True):
        rows = [
            {**r, "label": _cell_text(r["label"]), "caution": CAUTION if r["unseen"] else ""}
            for r in verdict_rows(result, pair)
        ]
        sheet = wb.create_sheet(name)
        _write_table(
            sheet,
            SHEET_COLUMNS,
            [[r[k] for k in SHEET_COLUMNS] for r in rows],
            "label",
            frozen=_FROZEN,
            max_width=PRINT_WIDTH,
            print_columns=SHEET_COLUMNS.index("evidence") + 1,
        )
    _matrix_sheet(wb.create_sheet("matrix"), result)
    if isinstance(result, Matrix) and result.instrument_mix:
        mix_rows = [[getattr(r, k) for k in MIX_COLUMNS] for r in result.instrument_mix]
        _write_table(wb.create_sheet("instruments"), MIX_COLUMNS, mix_rows)
    _write_table(wb.create_sheet("configuration"), ("setting", "value"), provenance(result), one_page=True)
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
