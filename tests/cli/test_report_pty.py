"""The compare report as a person sees it: through a real pseudo-terminal at 80×24 and 120×40, through the
pager, and piped into grep. The goals come from issue 10: Hunan against the central digest fits in at most
4 screens at 80×24 and 2 at 120×40, with the summary on the first screen."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

POLICYDIFF = str(Path(sys.executable).with_name("policydiff"))
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES", "PAGER")}
    env.update({"TERM": "xterm-256color", **extra})
    return env


def run_in_pty(args: list[str], columns: int, rows: int, **env: str) -> list[str]:
    child = pexpect.spawn(POLICYDIFF, args, dimensions=(rows, columns), encoding="utf-8", env=_env(**env), timeout=120)
    child.expect(pexpect.EOF)
    child.close()
    text = ANSI.sub("", child.before or "")
    # The progress spinner redraws its line with \r on stderr; keep what the report printed.
    lines = [line.split("\r")[-1] for line in text.split("\r\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    return [line for line in lines if "comparing with" not in line]


@pytest.mark.parametrize(("columns", "rows", "screens"), [(80, 24, 4), (120, 40, 2)])
def test_hunan_report_fits_its_screens_with_the_summary_first(columns: int, rows: int, screens: int) -> None:
    lines = run_in_pty(["compare", "hunan-2021", "central-2021", "--no-pager"], columns, rows)
    print(f"{columns}x{rows}: {len(lines)} lines")
    assert len(lines) <= screens * rows, len(lines)
    first_screen = "\n".join(lines[:rows])
    assert "adapted 18 · added 7 · missing 1 · 6 not judged (reference text not seen)" in first_screen.replace(
        "\n", " "
    )
    assert max(len(line) for line in lines) <= columns + 2  # ⚠ and CJK are wide; nothing runs far over
    # One line per provision (two at most): 32 verdicts, 8 section titles, a header.
    verdict_lines = [line for line in lines if line[:2] in ("~ ", "✓ ", "+ ", "✗ ", "? ")]
    assert len([line for line in verdict_lines if not line.startswith("✓ retained · ")]) == 32


def test_explain_shows_one_verdict_in_labelled_lines() -> None:
    lines = run_in_pty(["compare", "hunan-2021", "central-2021", "--explain", "一/（二）", "--no-pager"], 120, 40)
    text = "\n".join(lines)
    for label in ("verdict", "target", "reference", "score", "components", "shared", "only target", "targets"):
        assert re.search(rf"^{label}\s", text, re.M), label
    assert "制造业增加值占地区生产总值比重 added 30%" in text  # the indicator written once
    assert "sentence pairs (target left, reference right)" in text


def test_long_output_goes_through_the_pager_unless_told_not_to(tmp_path: Path) -> None:
    marker = tmp_path / "paged"
    pager = tmp_path / "pager.sh"
    pager.write_text(f"#!/bin/sh\ncat > {marker}\n", encoding="utf-8")
    pager.chmod(0o755)
    run_in_pty(["compare", "hunan-2021", "central-2021"], 80, 24, PAGER=str(pager))
    assert marker.exists() and "6 not judged" in marker.read_text(encoding="utf-8")
    marker.unlink()
    lines = run_in_pty(["compare", "hunan-2021", "central-2021", "--no-pager"], 80, 24, PAGER=str(pager))
    assert not marker.exists() and len(lines) > 24


def test_xlsx_is_never_written_to_a_terminal() -> None:
    lines = run_in_pty(["compare", "hunan-2021", "central-2021", "-f", "xlsx"], 80, 24)
    assert lines == [
        "policydiff: error: xlsx is a binary format and is not written to a terminal; add --output FILE.xlsx"
    ]


def _piped(*args: str, columns: str = "40") -> str:
    env = _env(COLUMNS=columns)
    done = subprocess.run([POLICYDIFF, *args], capture_output=True, env=env, check=True)
    return done.stdout.decode("utf-8")


def test_piped_output_is_plain_tab_separated_and_every_id_and_heading_greppable() -> None:
    narrow = _piped("compare", "hunan-2021", "central-2021", columns="40")
    assert narrow == _piped("compare", "hunan-2021", "central-2021", columns="200")  # COLUMNS changes nothing
    assert "\x1b" not in narrow and not any(ch in narrow for ch in "│┃━─╭╰")
    data = json.loads(_piped("compare", "hunan-2021", "central-2021", "-f", "json"))
    fields = {f for line in narrow.splitlines() for f in line.split("\t")}
    for v in data["comparisons"][0]["verdicts"]:
        for side in ("target", "reference"):
            for ref in v[side]:
                assert ref["path"] in fields and (not ref["heading"] or ref["heading"] in fields), ref
    grep = subprocess.run(["grep", "-c", "打造国家重要先进制造业高地"], input=narrow.encode(), capture_output=True)
    assert grep.stdout.strip() == b"1"
    matrix = _piped("matrix", "central-2021", "hunan-2021", "anhui-2022")
    assert "\t主动融入区域重大战略\t" in matrix and "\x1b" not in matrix


def test_csv_to_stdout_has_no_bom_but_a_file_keeps_it(tmp_path: Path) -> None:
    out = _piped("compare", "hunan-2021", "central-2021", "--format", "CSV")  # any case
    assert out.startswith("target_id,")
    path = tmp_path / "r.csv"
    _piped("compare", "hunan-2021", "central-2021", "-o", str(path))  # the format from the extension
    assert path.read_bytes().startswith(b"\xef\xbb\xbftarget_id,")


@pytest.mark.parametrize("columns", [80, 120])
def test_matrix_keeps_one_line_per_reference_provision(columns: int) -> None:
    """The "(heading-only)"/"(partial)" markers stay on the provision's line: the heading is ellipsised, the path
    and the marker never are, and no row of the table spills onto a second line."""
    import policydiff

    reference = policydiff.load("central-2021")
    lines = run_in_pty(["matrix", "central-2021", "hunan-2021", "anhui-2022", "--no-pager"], columns, 40)
    table = lines[: next(i for i, line in enumerate(lines) if line.startswith("added by"))]
    body = [line for line in table if line.startswith("│ ")]
    assert len(body) == len(reference.clauses) + 5  # the provisions, then the four counts and "added"
    for clause, line in zip(reference.clauses, body, strict=False):
        assert line.startswith(f"│ {clause.path} "), line
        if clause.coverage != "full":
            assert f"({clause.coverage})" in line, line
    assert max(len(line) for line in lines) <= columns + 2
