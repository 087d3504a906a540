"""Exports read back the way users read them: CSV with pandas, XLSX with openpyxl, JSON against the shipped
schema, Markdown as table lines and HTML with lxml. The results are synthetic (see synthetic_results.py) so
every kind of verdict and some hostile text are always present."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from synthetic_results import CONFIG, HOSTILE_HEADING, matrix, report  # beside this file

from policydiff.compare.export import EXPORTERS, json_schema


@pytest.fixture(scope="module")
def results():  # type: ignore[no-untyped-def]
    return {"report": report(), "matrix": matrix()}


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
@pytest.mark.parametrize("kind", ["report", "matrix"])
def test_every_export_is_byte_identical_on_rerun(results, fmt: str, kind: str) -> None:
    assert EXPORTERS[fmt](results[kind]) == EXPORTERS[fmt](results[kind])


@pytest.mark.parametrize("fmt", ["csv", "md", "html", "json"])
@pytest.mark.parametrize("kind", ["report", "matrix"])
def test_every_text_export_carries_configuration_and_document_hashes(results, fmt: str, kind: str) -> None:
    text = EXPORTERS[fmt](results[kind]).decode("utf-8-sig")
    result = results[kind]
    for doc_sha in {result.reference.info.sha256 if kind == "matrix" else result.target.info.sha256}:
        assert doc_sha in text
    assert "match_threshold" in text and "0123456789abcdef" in text  # a setting and the rule set's fingerprint


def test_csv_opens_in_pandas_with_one_row_per_verdict(results) -> None:
    import pandas as pd

    data = EXPORTERS["csv"](results["report"])
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert list(df["label"]) == ["retained", "adapted", "added", "missing", "missing"]
    assert set(df["target_id"]) == {"synthetic-province"}
    assert df.loc[3, "reference_headings"] == HOSTILE_HEADING
    assert df.loc[1, "target_changes"] == "生产总值 raised 6万亿元→8万亿元"  # the indicator named once
    assert df.loc[1, "evidence"] == "target 生产总值 raised 6万亿元→8万亿元"  # the most telling phrase
    assert df.loc[1, "shared_terms"] == "发展; 目标"
    assert float(df.loc[1, "score"]) == pytest.approx(0.61)
    assert df.loc[2, "score"] == ""  # an added clause has no score
    assert json.loads(df.loc[0, "config"]) == CONFIG
    assert len(df.loc[0, "reference_sha256"]) == 64


def test_matrix_csv_pivots_back_into_the_matrix_in_the_documents_order(results) -> None:
    import pandas as pd

    df = pd.read_csv(io.BytesIO(EXPORTERS["csv"](results["matrix"])), encoding="utf-8-sig")
    # The README's recipe, verbatim.
    kept = df[df["label"] != "added"]
    table = kept.pivot_table(
        index=["reference_order", "reference_paths"], columns="target_id", values="label", aggfunc="first"
    ).droplevel("reference_order")
    assert table.loc["一/（一）", "synthetic-east"] == "retained"
    assert table.loc["一/（一）", "synthetic-west"] == "missing"
    assert table.loc["二/（四）", "synthetic-west"] == "adapted"
    assert list(table.index) == [row.clause.path for row in results["matrix"].rows]


def test_xlsx_has_summary_comparison_and_matrix_sheets_with_frozen_filtered_headers(results) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(EXPORTERS["xlsx"](results["matrix"])))
    assert wb.sheetnames == [
        "summary",
        "documents",
        "synthetic-east",
        "synthetic-west",
        "matrix",
        "configuration",
    ]
    frozen = {"synthetic-east": "F2", "synthetic-west": "F2", "matrix": "E2"}
    for ws in wb.worksheets:
        assert ws.freeze_panes == frozen.get(ws.title, "A2"), ws.title
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1, ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
    summary = wb["summary"]
    header = [c.value for c in summary[1]]
    east = dict(zip(header, [c.value for c in summary[2]], strict=True))
    assert (east["retained"], east["adapted"], east["added"], east["missing"]) == (1, 1, 1, 2)
    sheet = wb["synthetic-east"]
    header = [c.value for c in sheet[1]]
    label_col = header.index("label") + 1
    assert [sheet.cell(row=r, column=label_col).value for r in range(2, 7)] == [
        "✓ retained",
        "~ adapted",
        "+ added",
        "✗ missing",
        "✗ missing",
    ]
    assert sheet.cell(row=2, column=label_col).fill.fgColor.rgb.endswith("C6EFCE")  # retained is green
    assert sheet.cell(row=5, column=label_col).fill.fgColor.rgb.endswith("FFC7CE")  # missing is red
    hostile = sheet.cell(row=5, column=header.index("reference_headings") + 1)
    assert hostile.value == HOSTILE_HEADING and hostile.data_type == "s"
    width = sheet.column_dimensions["F"].width  # reference_paths
    assert width and width > 8
    m = wb["matrix"]
    assert [c.value for c in m[1]] == [
        "reference_id",
        "reference_order",
        "reference_path",
        "reference_heading",
        "reference_coverage",
        "synthetic-east",
        "synthetic-west",
    ]
    assert [c.value for c in m[2]][5:] == ["✓ retained", "✗ missing"]
    # The cell holds the verdict alone; ⚠ is its comment.
    cautioned = [c for row in m.iter_rows(min_row=2) for c in row[5:] if c.comment]
    assert cautioned and all("⚠" in c.comment.text and "⚠" not in str(c.value) for c in cautioned)
    values = [c.value for row in m.iter_rows() for c in row]
    assert "added clauses (count)" in values and "二/（三） 本省特色产业" in values
    settings = {r[0].value: r[1].value for r in wb["configuration"].iter_rows(min_row=2)}
    assert settings["config.match_threshold"] == "0.2" and settings["schema"] == "policydiff/matrix@1"
    docs = wb["documents"]
    assert {r[10].value for r in docs.iter_rows(min_row=2)} == {
        d.info.sha256 for d in (results["matrix"].reference, *(c.target for c in results["matrix"].columns))
    }


def test_xlsx_of_a_report_has_a_matrix_sheet_for_its_reference(results) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(EXPORTERS["xlsx"](results["report"])))
    # A name too long for Excel starts with its number; the summary's `sheet` column maps each comparison to it.
    assert wb.sheetnames == ["summary", "documents", "1 synthetic-province vs synthet", "matrix", "configuration"]
    summary = wb["summary"]
    header = [c.value for c in summary[1]]
    assert summary.cell(row=2, column=header.index("sheet") + 1).value == "1 synthetic-province vs synthet"
    assert [c.value for c in wb["matrix"][1]][-1] == "synthetic-province"


@pytest.mark.parametrize("kind", ["report", "matrix"])
def test_json_validates_against_the_shipped_schema(results, kind: str) -> None:
    import jsonschema

    data = json.loads(EXPORTERS["json"](results[kind]))
    jsonschema.Draft202012Validator.check_schema(json_schema())
    jsonschema.Draft202012Validator(json_schema()).validate(data)


def test_the_schema_rejects_a_broken_contract(results) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(json_schema())
    data = json.loads(EXPORTERS["json"](results["report"]))
    data["comparisons"][0]["verdicts"][0]["label"] = "kept"
    assert not validator.is_valid(data)
    data = json.loads(EXPORTERS["json"](results["report"]))
    data["comparisons"][0]["verdicts"][2]["reference"] = [{"path": "一/（一）", "heading": "x"}]  # an added verdict
    assert not validator.is_valid(data)
    data = json.loads(EXPORTERS["json"](results["matrix"]))
    del data["rows"][0]["cells"][0]["symbol"]
    assert not validator.is_valid(data)


def test_markdown_tables_keep_their_columns_whatever_the_text(results) -> None:
    import re

    text = EXPORTERS["md"](results["matrix"]).decode("utf-8")
    assert "## Summary" in text and "## Matrix: synthetic-centre" in text and "## Configuration" in text
    widths = []
    for line in text.splitlines():
        if line.startswith("| "):
            widths.append(len(re.findall(r"(?<!\\)\|", line)))
        elif widths:
            assert len(set(widths)) == 1, widths  # every row of a table has as many cells as its header
            widths = []
    assert "\\<script\\>" in text and "<script>" not in text
    assert "| 一/（一） | 总体思路 | ✓ | ✗ |" in text


def test_html_is_self_contained_and_escapes_document_text(results) -> None:
    import lxml.html

    data = EXPORTERS["html"](results["matrix"])
    doc = lxml.html.document_fromstring(data)
    assert doc.xpath("//script") == []  # the hostile heading stayed text
    assert any(HOSTILE_HEADING in t for t in doc.xpath("//td/text()"))
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]
    for attr in ("src", "action"):
        assert doc.xpath(f"//@{attr}") == [], attr  # nothing to load: no scripts, styles, fonts or images
    assert all(h.startswith("#") for h in doc.xpath("//@href"))  # the index of sections links within the page
    assert "@import" not in data.decode() and "url(" not in data.decode()
    heatmap = doc.xpath("//table[@class='heatmap']")[0]
    cells = [(td.get("class"), td.text) for td in heatmap.xpath(".//td[contains(@class, 'cell')]")][:8]
    assert cells[:2] == [("cell retained", "✓"), ("cell missing", "✗")]
    unseen = heatmap.xpath(".//td[contains(@class, 'unseen')]")
    assert unseen and all(td.text.endswith(" ⚠") for td in unseen)  # marked as in the terminal
    assert [i.text for i in doc.xpath("//table[@class='sbs']//ins")][:3] == ["本省", "8", "，建成区域中心"]
    assert [d.text for d in doc.xpath("//table[@class='sbs']//del")][:1] == ["6"]
    shas = "".join(doc.xpath("//td[@class='sha']/text()"))
    assert results["matrix"].reference.info.sha256 in shas


FORMULAS = ('=HYPERLINK("https://example.invalid","点击")', "+1+2", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1")


def _with_formulas():  # type: ignore[no-untyped-def]
    """The synthetic report with text that spreadsheets run as formulas, and a negative score."""
    from dataclasses import replace

    from policydiff.compare.result import ClauseRef

    base = report()
    comparison = base.comparisons[0]
    adapted = comparison.verdicts[1]
    hostile = replace(
        adapted,
        target=(ClauseRef("一/（二）", FORMULAS[0]),),
        reference=(ClauseRef("一/（二）", FORMULAS[1]),),
        score=-0.25,
        evidence=replace(
            adapted.evidence,
            shared_terms=(FORMULAS[2], "目标"),
            target_only_terms=(FORMULAS[3],),
            notes=(FORMULAS[4],),
            localisations=(FORMULAS[5],),
        ),
    )
    verdicts = (comparison.verdicts[0], hostile, *comparison.verdicts[2:])
    return replace(base, comparisons=(replace(comparison, verdicts=verdicts),))


def test_csv_cells_that_would_be_formulas_are_neutralised_and_numbers_stay_numbers() -> None:
    import pandas as pd

    df = pd.read_csv(io.BytesIO(EXPORTERS["csv"](_with_formulas())), encoding="utf-8-sig")
    row = df.loc[1]
    cells = [row[c] for c in ("target_headings", "reference_headings", "shared_terms", "target_only_terms", "notes")]
    assert cells == ["'" + FORMULAS[0], "'" + FORMULAS[1], "'" + FORMULAS[2] + "; 目标", "'" + FORMULAS[3],
                     "'" + FORMULAS[4]]  # fmt: skip
    assert row["localisations"] == "'" + FORMULAS[5]
    texts = [str(v) for v in df.to_numpy().ravel() if isinstance(v, str)]
    assert not [t for t in texts if t[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert df["score"].dtype.kind == "f" and row["score"] == -0.25  # a negative number is still a number
    assert df["verdict_no"].dtype.kind == "i" and df["sentence_pairs"].dtype.kind == "i"
    assert df.loc[0, "score"] == pytest.approx(0.93)


def _render_xlsx_at(monkeypatch: pytest.MonkeyPatch, result, when: datetime.datetime) -> bytes:  # type: ignore[no-untyped-def]
    """The XLSX export as rendered with the clock at `when` (openpyxl's document dates, the zip entries' times)."""
    import time
    import types

    import openpyxl.packaging.core
    import openpyxl.writer.excel

    class Clock(datetime.datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
            return when.astimezone(tz) if tz else when.replace(tzinfo=None)

    fake = types.SimpleNamespace(**{**vars(datetime), "datetime": Clock})
    with monkeypatch.context() as m:
        m.setattr(openpyxl.packaging.core, "datetime", fake)
        m.setattr(openpyxl.writer.excel, "datetime", fake)
        m.setattr(time, "time", when.timestamp)
        return EXPORTERS["xlsx"](result)


def test_xlsx_is_byte_identical_whenever_it_is_rendered(results, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    utc = datetime.timezone.utc
    early = _render_xlsx_at(monkeypatch, results["matrix"], datetime.datetime(1999, 2, 3, 4, 5, 6, tzinfo=utc))
    late = _render_xlsx_at(monkeypatch, results["matrix"], datetime.datetime(2037, 7, 8, 9, 10, 11, tzinfo=utc))
    assert early == late
    archive = zipfile.ZipFile(io.BytesIO(late))
    core = archive.read("docProps/core.xml").decode("utf-8")
    assert "1999-" not in core and "2037-" not in core  # the dates are fixed, not the clock's
    assert core.count(">1980-01-01T00:00:00Z<") == 2
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
