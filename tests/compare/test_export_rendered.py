"""Exports as their readers open them: Markdown through a real renderer (markdown-it-py, GitHub-like tables and
raw HTML), XLSX printed to PDF by LibreOffice. Hunan vs central must print on at most 6 landscape pages."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from synthetic_results import HOSTILE_HEADING, report  # beside this file

import policydiff
from policydiff.compare.export import EXPORTERS


def test_markdown_renders_tables_legend_and_collapsible_evidence() -> None:
    import lxml.html
    from markdown_it import MarkdownIt

    result = report()
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(EXPORTERS["md"](result).decode("utf-8"))
    doc = lxml.html.fragment_fromstring(html, create_parent="div")
    tables = doc.xpath("//table")
    assert len(tables) >= 4  # documents, summary, matrix, verdicts, configuration
    documents = tables[0]
    shas = [td.text for td in documents.xpath(".//tbody/tr/td[6]")]
    assert shas and all(len(s) == 12 for s in shas)  # short in the table …
    details = doc.xpath("//details")
    assert result.target.info.sha256 in lxml.html.tostring(doc, encoding="unicode")  # … full in <details>
    assert len(details) >= 2  # the hashes and the full evidence of each comparison
    legend = [li.text_content() for li in doc.xpath("//li") if "**" not in li.text_content()]
    for word in ("retained", "adapted", "added", "missing", "not judged", "caution"):
        assert any(word in item for item in legend), word
    assert not doc.xpath("//li/ul")  # the "+" of "added" did not open a nested list
    verdicts = tables[3]
    header = [th.text_content() for th in verdicts.xpath(".//thead//th")]
    assert header == ["#", "verdict", "target clause", "reference clause", "score", "⚠", "evidence"]
    assert doc.xpath("//script") == [] and any(HOSTILE_HEADING in td.text_content() for td in doc.xpath("//td"))


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing: .ci/run installs libreoffice-calc-nogui")
        pytest.skip("LibreOffice (soffice) is not installed, so the XLSX cannot be printed to PDF here")
    return found


def test_hunan_xlsx_prints_on_at_most_six_landscape_pages(tmp_path: Path) -> None:
    import pdfplumber

    soffice = _soffice()
    xlsx = tmp_path / "hunan.xlsx"
    xlsx.write_bytes(policydiff.compare("hunan-2021", "central-2021").export("xlsx"))
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(xlsx),
        ],
        capture_output=True,
        timeout=300,
        check=False,
    )
    pdf_path = tmp_path / "hunan.pdf"
    assert pdf_path.exists(), done.stderr.decode(errors="replace")[-2000:]
    with pdfplumber.open(io.BytesIO(pdf_path.read_bytes())) as pdf:
        pages = pdf.pages
        print(f"LibreOffice: {len(pages)} pages")
        assert 1 <= len(pages) <= 6, len(pages)
        assert all(p.width > p.height for p in pages)  # landscape
        text = "".join(p.extract_text() or "" for p in pages)
    assert "指导思想" in text and "打造国家重要先进制造业高地" in text  # Chinese, with its font
    assert "verdict_no" in text and "label" in text


def test_unjudged_verdicts_validate_against_the_schema_and_show_greyed_in_html() -> None:
    import json

    import jsonschema
    import lxml.html

    from policydiff.compare.export import json_schema

    result = policydiff.matrix("central-2021", "hunan-2021")
    data = json.loads(result.export("json"))
    jsonschema.Draft202012Validator(json_schema()).validate(data)
    cells = [row["cells"][0] for row in data["rows"]]
    assert sum(c["label"] == "unjudged" for c in cells) == 6 and all(
        c["symbol"] == "?" and not c["unseen"] for c in cells if c["label"] == "unjudged"
    )
    assert data["comparisons"][0]["summary"]["unjudged"] == 6
    doc = lxml.html.document_fromstring(result.export("html"))
    assert len(doc.xpath("//table[@class='verdicts']//tr[@class='unjudged']")) == 6
    assert len(doc.xpath("//td[contains(@class, 'cell unjudged')]")) == 6
    style = doc.xpath("//style/text()")[0]
    assert ".unjudged{background:#E7E7E7;color:#6E7781}" in style  # greyed, from the shared vocabulary
    index = doc.xpath("//nav[@class='index']//a/@href")
    assert index and all(doc.xpath(f"//*[@id='{h[1:]}']") for h in index)  # every index link has its target
