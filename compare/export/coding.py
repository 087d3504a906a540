"""Exports of `policydiff code`: JSON (`policydiff/coding@1`), CSV (one row per code) and XLSX (units, summary,
provisions, codebook). Each turns a `CodingReport` into bytes; the caller writes them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from policydiff.compare.coding import FRAME_COLUMNS, CodingReport, DocumentCoding, Summary, coding_rows, instrument_mix

CODING_SCHEMA_FILE = "coding.schema.json"
SUMMARY_COLUMNS: tuple[str, ...] = (
    "document",
    "provision",
    "level",
    "key",
    "label",
    "units",
    "share",
)
# Share of coded sentences per document by type ("" subtype) and subtype, against the first document.
MIX_COLUMNS: tuple[str, ...] = ("document", "type", "subtype", "units", "share", "reference_share", "difference")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def render_coding_json(report: CodingReport) -> bytes:
    return (json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _cell(value: Any) -> Any:
    # A spreadsheet must not run document text as a formula.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return "" if value is None else value


def render_coding_csv(report: CodingReport) -> bytes:
    buffer = io.StringIO(newline="")
    columns = [*FRAME_COLUMNS, "codebook_sha256", "document_sha256"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    sha = {d.info.id: d.info.sha256 for d in report.documents}
    for row in coding_rows(report):
        row = {**row, "codebook_sha256": report.codebook.get("sha256", ""), "document_sha256": sha[row["document"]]}
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8-sig")


def _summary_rows(doc: DocumentCoding, provision: str, s: Summary, labels: dict[str, str]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for level, counts in (("type", s.by_type), ("subtype", s.by_subtype)):
        for key, n in counts:
            share = round(n / s.coded, 4) if s.coded else 0.0
            rows.append([doc.info.id, provision, level, key, labels.get(key, ""), n, share])
    rows.append([doc.info.id, provision, "uncoded", "none", "", s.units - s.coded, ""])
    return rows


def summary_table(report: CodingReport, provisions: bool = False) -> list[list[Any]]:
    """Counts and shares by type and subtype: per document, or per provision when `provisions`."""
    labels = {t["id"]: t["label"] for t in report.codebook.get("types", [])}
    labels.update({f"{s['type']}/{s['id']}": s["label"] for s in report.codebook.get("subtypes", [])})
    rows: list[list[Any]] = []
    for d in report.documents:
        if provisions:
            for path, s in d.provisions:
                rows += _summary_rows(d, path, s, labels)
        else:
            rows += _summary_rows(d, "", d.summary, labels)
    return rows


def render_coding_xlsx(report: CodingReport) -> bytes:
    from openpyxl import Workbook

    from policydiff.compare.export.xlsx import _reproducible, _write_table

    wb = Workbook()
    ws = wb.active
    ws.title = "documents"
    doc_header = ("id", "title", "level", "doc_type", "strength", "strength_label", "units", "coded", "sha256")
    doc_rows = [
        [
            d.info.id,
            d.info.title,
            d.info.level,
            d.strength.doc_type,
            d.strength.score,
            d.strength.label,
            d.summary.units,
            d.summary.coded,
            d.info.sha256,
        ]
        for d in report.documents
    ]
    _write_table(ws, doc_header, doc_rows)
    _write_table(wb.create_sheet("summary"), SUMMARY_COLUMNS, summary_table(report))
    _write_table(wb.create_sheet("provisions"), SUMMARY_COLUMNS, summary_table(report, provisions=True))
    mix = instrument_mix(report.documents)
    mix_rows = [[r.document, r.type, r.subtype, r.units, r.share, r.reference_share, r.difference] for r in mix]
    _write_table(wb.create_sheet("mix"), MIX_COLUMNS, mix_rows)
    rows = coding_rows(report)
    _write_table(wb.create_sheet("units"), FRAME_COLUMNS, [[r[k] for k in FRAME_COLUMNS] for r in rows])
    cb = report.codebook
    settings = [
        ("schema", "policydiff/coding@1"),
        ("policydiff_version", report.version),
        *((f"codebook.{k}", v) for k, v in cb.items() if not isinstance(v, (list, dict))),
        *((f"subtype.{s['type']}/{s['id']}", s["label"]) for s in cb.get("subtypes", [])),
    ]
    _write_table(wb.create_sheet("codebook"), ("setting", "value"), settings)
    raw = io.BytesIO()
    wb.save(raw)
    return _reproducible(raw.getvalue())


def coding_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `policydiff/coding@1`."""
    from importlib.resources import files

    text = files("policydiff.compare.export").joinpath(CODING_SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


CODING_EXPORTERS: dict[str, Callable[[CodingReport], bytes]] = {
    "csv": render_coding_csv,
    "json": render_coding_json,
    "xlsx": render_coding_xlsx,
}
