"""The matrix's instrument-mix view, read back as users read it: JSON against the shipped schema, the
`instruments` sheet with pandas/openpyxl, the Markdown section as table lines, the HTML heatmap with lxml."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

import policydiff
from policydiff.compare.coding import code_documents, instrument_mix
from policydiff.compare.export import json_schema

TARGETS = ("hunan-2021", "anhui-2022")


@pytest.fixture(scope="module")
def result() -> policydiff.MatrixResult:
    return policydiff.matrix("central-2021", *TARGETS, cache=False)


@pytest.fixture(scope="module")
def expected() -> list:  # type: ignore[type-arg]
    docs = [policydiff.load(i) for i in ("central-2021", *TARGETS)]
    return instrument_mix(code_documents(docs).documents, reference="central-2021")


def test_json_carries_the_mix_and_validates(result: policydiff.MatrixResult, expected: list) -> None:  # type: ignore[type-arg]
    import jsonschema

    data = json.loads(result.export("json"))
    assert data["instrument_mix"] == [vars(r) for r in expected]
    assert {r["document"] for r in data["instrument_mix"]} == {"central-2021", *TARGETS}
    validator = jsonschema.Draft202012Validator(json_schema())
    validator.validate(data)
    del data["instrument_mix"]  # optional: a matrix without codings is still valid
    validator.validate(data)
    data = json.loads(result.export("json"))
    data["instrument_mix"][0]["share"] = "37%"
    assert not validator.is_valid(data)


def test_xlsx_has_an_instruments_sheet(result: policydiff.MatrixResult, expected: list) -> None:  # type: ignore[type-arg]
    from openpyxl import load_workbook

    data = result.export("xlsx")
    sheet = pd.read_excel(io.BytesIO(data), sheet_name="instruments", keep_default_na=False)
    assert list(sheet.columns) == ["document", "type", "subtype", "units", "share", "reference_share", "difference"]
    assert len(sheet) == len(expected)
    assert sheet["difference"].round(4).tolist() == [r.difference for r in expected]
    assert sheet["share"].round(4).tolist() == [r.share for r in expected]
    ws = load_workbook(io.BytesIO(data))["instruments"]
    assert ws["E2"].number_format == "0%" and "%" in ws["G2"].number_format


def test_markdown_has_the_mix_section(result: policydiff.MatrixResult, expected: list) -> None:  # type: ignore[type-arg]
    from markdown_it import MarkdownIt

    md = result.export("md").decode("utf-8")
    section = md.split("## Instrument mix")[1].split("\n## ")[0]
    html = MarkdownIt().enable("table").render(section)
    assert html.count("<table>") == 2
    row = next(r for r in expected if r.document == "anhui-2022" and r.subtype and r.difference)
    line = next(x for x in section.splitlines() if x.startswith(f"| {row.type} / {row.subtype} |"))
    assert line.split("|")[-2].strip() == f"{row.difference * 100:+.1f}"


def test_html_has_the_mix_heatmap(result: policydiff.MatrixResult, expected: list) -> None:  # type: ignore[type-arg]
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(result.export("html"))
    heat = tree.get_element_by_id("mix-heatmap")
    keys = {(r.type, r.subtype) for r in expected}
    cells = heat.xpath(".//td[@class='m']")
    assert len(cells) == len(keys) * len(TARGETS)
    assert all(c.get("style", "").startswith("background:#") for c in cells)
    assert tree.get_element_by_id("mix") is not None
