"""`policydiff matrix` and the export formats end to end through the real CLI and engine, read back like users
do; the HTML page is rendered once in headless Chromium."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

MATRIX = ("matrix", "central-2021", "hunan-2021", "anhui-2022")
CHROMIUM = "/usr/bin/chromium"


def test_matrix_in_a_pipe_is_tab_separated(cli) -> None:
    r = cli(*MATRIX)
    assert r.code == 0, r.err
    lines = [line.split("\t") for line in r.out.splitlines()]
    assert lines[0] == ["reference_path", "reference_heading", "hunan-2021", "anhui-2022"]
    assert len(lines) == 1 + 25 + 1  # header, 25 central clauses, added counts
    assert lines[1][:3] == ["一/（一）", "指导思想", "adapted"]
    assert {row[2] for row in lines[1:-1]} >= {"adapted", "missing ⚠", "unjudged"}
    assert lines[-1][1] == "added"
    assert "\x1b[" not in r.out and "│" not in r.out


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "md", "html", "json"])
def test_matrix_exports_every_format_byte_identically(cli, tmp_path: Path, fmt: str) -> None:
    a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    assert cli(*MATRIX, "--format", fmt, "--output", str(a)).code == 0
    # From the cache both times: results computed afresh are compared once, in test_compare_cli.py.
    assert cli(*MATRIX, "--format", fmt, "--output", str(b)).code == 0
    assert a.read_bytes() == b.read_bytes()


def test_matrix_json_matches_the_schema_and_the_terminal_counts(cli, tmp_path: Path) -> None:
    import jsonschema

    from policydiff.compare.export import json_schema

    out = tmp_path / "m.json"
    assert cli(*MATRIX, "--format", "json", "--output", str(out)).code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json_schema()).validate(data)
    assert data["schema"] == "policydiff/matrix@1" and data["reference"]["id"] == "central-2021"
    assert [t["id"] for t in data["targets"]] == ["hunan-2021", "anhui-2022"]
    assert len(data["rows"]) == data["reference"]["clauses"]
    for k, added in enumerate(data["added"]):
        summary = data["comparisons"][k]["summary"]
        assert added["count"] == summary["added"] == len(added["clauses"])
        column = [row["cells"][k]["label"] for row in data["rows"]]
        assert column.count("missing") == summary["missing"]


def test_compare_csv_and_xlsx_read_back_with_pandas_and_openpyxl(cli, tmp_path: Path) -> None:
    import pandas as pd
    from openpyxl import load_workbook

    csv, xlsx = tmp_path / "r.csv", tmp_path / "r.xlsx"
    base = ("compare", "hunan-2021", "central-2021", "anhui-2022")
    assert cli(*base, "--format", "csv", "--output", str(csv)).code == 0
    assert cli(*base, "--format", "xlsx", "--output", str(xlsx)).code == 0
    df = pd.read_csv(csv, encoding="utf-8-sig", keep_default_na=False)
    assert list(dict.fromkeys(df["reference_id"])) == ["central-2021", "anhui-2022"]
    assert set(df["label"]) <= {"retained", "adapted", "added", "missing", "unjudged"}
    assert "打造国家重要先进制造业高地" in set(df["target_headings"])
    assert set(df["target_sha256"]) == {df["target_sha256"][0]} and len(df["target_sha256"][0]) == 64
    wb = load_workbook(xlsx)
    assert wb.sheetnames == [
        "summary",
        "documents",
        "hunan-2021 vs central-2021",
        "hunan-2021 vs anhui-2022",
        "matrix",
        "configuration",
    ]
    sheet = wb["hunan-2021 vs central-2021"]
    # Header row and the verdict and target columns stay in view; the page prints landscape, header repeated.
    assert sheet.freeze_panes == "F2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
    assert [c.value for c in sheet[1]][:5] == ["verdict_no", "label", "caution", "target_paths", "target_headings"]
    assert sheet.max_row - 1 == (df["reference_id"] == "central-2021").sum()


def test_compare_filters_apply_to_exports_and_are_noted(cli, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    r = cli(
        "compare",
        "hunan-2021",
        "central-2021",
        "--only",
        "adapted,missing",
        "--section",
        "2",
        "-f",
        "json",
        "-o",
        str(out),
    )
    assert r.code == 0, r.err
    (comparison,) = json.loads(out.read_text(encoding="utf-8"))["comparisons"]
    assert comparison["verdicts"], "section 二 has adapted or missing clauses"
    for v in comparison["verdicts"]:
        assert v["label"] in ("adapted", "missing")
        assert (v["target"] or v["reference"])[0]["path"].startswith("二/")
    assert comparison["notes"][-1].startswith("filtered (only adapted, missing; section 二)")


def test_compare_side_by_side_in_the_terminal(cli) -> None:
    r = cli("compare", "hunan-2021", "central-2021", "--only", "adapted", "--side-by-side")
    assert r.code == 0, r.err
    assert "target" in r.out and "│ reference" in r.out  # target on the left, as in the one-line report
    assert "{+" in r.out and "[-" in r.out  # no colour here, so changes are marked in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("compare", "hunan-2021", "central-2021", "--only", "kept"), "unknown verdict label(s) kept"),
        (("compare", "hunan-2021", "central-2021", "--format", "pdf"), "unknown format 'pdf'"),
        (("matrix", "central-2021", "hunan-2021", "--output", "x.txt"), "cannot tell the format from the extension"),
        (("matrix", "central-2021", "hunan-2021", "-f", "terminal", "-o", "x.md"), "--output needs a file format"),
        (
            ("compare", "hunan-2021", "central-2021", "--section", "九"),
            "no section 九 in this comparison; sections: 一",
        ),
        (("compare", "hunan-2021", "central-2021", "--explain", "九/（一）"), "no verdict about clause"),
        (("matrix", "central-2021", "hunan-2021", "hunan-2021"), "given more than once: hunan-2021"),
        (("matrix", "central-2021", "nowhere-2030"), "unknown document 'nowhere-2030'"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(cli, args: tuple[str, ...], message: str) -> None:
    r = cli(*args)
    assert r.code == 2
    assert r.err.startswith("policydiff: error: ") and message in r.err
    assert "Traceback" not in r.err and r.err.count("\n") == 1


def _png_is_not_blank(png: bytes) -> tuple[int, float]:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    white = sum(n for n, c in colours if c == (255, 255, 255))
    return len(colours), 1 - white / (image.width * image.height)


def test_html_report_renders_in_headless_chromium(cli, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    import lxml.html

    page = tmp_path / "matrix.html"
    assert cli(*MATRIX, "--format", "html", "--output", str(page)).code == 0
    doc = lxml.html.document_fromstring(page.read_bytes())
    assert doc.xpath("//script") == [] and doc.xpath("//@src") == []
    assert all(href.startswith("#") for href in doc.xpath("//@href"))  # only the index of sections, in the page
    assert len(doc.xpath("//table[@class='heatmap']//tbody/tr")) == 25 + 2  # 25 central clauses, added rows
    assert doc.xpath("//del") and doc.xpath("//ins")
    png = tmp_path / "page.png"
    profile = tmp_path / "profile"
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        "--window-size=1200,900",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert png.exists(), done.stderr.decode(errors="replace")[-2000:]
    colours, inked = _png_is_not_blank(png.read_bytes())
    assert colours > 20 and inked > 0.02, (colours, inked)
    shutil.rmtree(profile, ignore_errors=True)


def _screenshot(page: Path, png: Path, profile: Path, size: str = "1000,300") -> bytes:
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        f"--window-size={size}",
        page.resolve().as_uri(),
    ]
    done = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert png.exists(), done.stderr.decode(errors="replace")[-2000:]
    return png.read_bytes()


def test_the_html_report_shows_chinese_glyphs_not_boxes(cli, tmp_path: Path) -> None:
    """A missing CJK font draws every character as the same box: the report's own heading is rendered once
    with distinct characters and once with one character repeated, and the two must look different."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    from PIL import Image, ImageChops

    page = tmp_path / "report.html"
    assert cli("compare", "hunan-2021", "central-2021", "-o", str(page)).code == 0
    html = page.read_text(encoding="utf-8")
    heading = html[html.index("<h1>") : html.index("</h1>") + 5]
    images = []
    for k, text in enumerate(("中部地区高质量发展", "中" * 9)):
        variant = tmp_path / f"variant-{k}.html"
        variant.write_text(html.replace(heading, f"<h1>{text}</h1>"), encoding="utf-8")
        png = _screenshot(variant, tmp_path / f"variant-{k}.png", tmp_path / f"profile-{k}")
        images.append(Image.open(io.BytesIO(png)).convert("L").crop((0, 0, 600, 90)))
    distinct, repeated = images
    inked = sum(1 for p in distinct.tobytes() if p < 128)
    assert inked > 200, "the heading was drawn"
    changed = sum(1 for p in ImageChops.difference(distinct, repeated).tobytes() if p > 64)
    # Different characters, different glyphs: a real CJK font. Boxes (checked with private-use characters,
    # which no font has) change nothing.
    assert changed > 0.3 * inked, (changed, inked)
