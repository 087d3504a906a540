"""The terminal renderings at a fixed width: header, sections, filters, side-by-side diffs, colour or none."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from policydiff.cli.cjkwrap import NO_LINE_END, NO_LINE_START, break_lines
from policydiff.cli.terminal import comparison_view, matrix_view
from policydiff.compare.views import Selection

_spec = importlib.util.spec_from_file_location(
    "synthetic_results", Path(__file__).resolve().parents[1] / "compare" / "synthetic_results.py"
)
assert _spec and _spec.loader
synthetic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic)

WIDTH = 72


def flat(text: str) -> str:
    """The words of a rendering without its frame and line breaks, to look for phrases that may wrap."""
    for ch in "│╭╮╰╯─┃┏┓┗┛━┡┩╇┳┴┬└┘┌┐":
        text = text.replace(ch, " ")
    return "".join(text.split())


def render(renderable, *, colour: bool = False, width: int = WIDTH) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    if colour:
        console = Console(file=out, width=width, force_terminal=True, color_system="truecolor", no_color=False)
    else:
        console = Console(file=out, width=width, force_terminal=False, no_color=True)
    console.print(renderable)
    return out.getvalue()


def test_header_names_documents_marks_the_digest_and_gives_counts_with_coverage() -> None:
    r = synthetic.report()
    text = render(comparison_view(r, r.comparisons[0]))
    assert "synthetic-province" in text and "synthetic-centre" in text
    words = flat(text)
    assert "digest(ournotes);bodiesseen50%" in words
    assert "retained 1 · adapted 1 · added 1 · missing 2" in text
    assert "referenceclausestakenup2/4judged(50%)" in words
    assert "✓retained·~adapted·+added·✗missing·?notjudged·⚠" in words  # the legend
    assert "score:theshareofthereferenceclause" in words  # and what the score means


def test_verdicts_are_grouped_by_section_in_reading_order() -> None:
    r = synthetic.report()
    text = render(comparison_view(r, r.comparisons[0]), width=160)
    one, two = text.index("section 一 · 1 retained, 1 adapted"), text.index("section 二 · 1 added, 2 missing")
    assert one < text.index("总体思路") < two < text.index("本省特色产业")


def test_filters_keep_the_full_counts_and_say_what_is_shown() -> None:
    r = synthetic.report()
    text = render(comparison_view(r, r.comparisons[0], Selection.parse("missing", "二")), width=160)
    words = flat(text)
    assert "showingonlymissing;section二:2of5verdicts" in words
    assert "本省特色产业" not in words and "总体思路" not in words and "开放合作" in words
    assert "missing 2" in text  # the header still counts everything


@pytest.mark.parametrize("width", [40, 72, 120])
def test_no_line_is_wider_than_the_terminal(width: int) -> None:
    r, m = synthetic.report(), synthetic.matrix()
    for view in (comparison_view(r, r.comparisons[0]), comparison_view(r, r.comparisons[0], side_by_side=True)):
        for line in render(view, width=width).splitlines():
            assert cell_len(line) <= width, line
    for line in render(matrix_view(m), width=max(width, 60)).splitlines():
        assert cell_len(line) <= max(width, 60), line


def test_side_by_side_without_colour_marks_deletions_and_insertions_in_text() -> None:
    r = synthetic.report()
    text = render(comparison_view(r, r.comparisons[0], Selection.parse("adapted"), side_by_side=True), width=100)
    assert "\x1b[" not in text
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("target ") and "│ reference" in line)
    body = [line for line in lines[start + 2 :] if "│" in line]  # after the header and the unit numbers
    left = "".join(line.split("│")[0].strip() for line in body)
    right = "".join(line.split("│")[1].strip() for line in body)
    assert left == "到2025年，{+本省+}生产总值达到{+8+}万亿元{+，建成区域中心+}。"  # target on the left
    assert right == "到2025年，生产总值达到[-6-]万亿元。"


def test_side_by_side_in_colour_strikes_deletions_red_and_shows_insertions_green() -> None:
    r = synthetic.report()
    text = render(comparison_view(r, r.comparisons[0], Selection.parse("adapted"), side_by_side=True), colour=True)
    assert "\x1b[9;31m6" in text  # struck through, red
    assert "\x1b[32m本省" in text  # green
    assert "[-" not in text and "{+" not in text


def test_matrix_view_shows_symbols_counts_and_added_clauses() -> None:
    text = render(matrix_view(synthetic.matrix()), width=100)
    row = next(line for line in text.splitlines() if "总体思路" in line)
    assert row.split("│")[2].strip() == "✓" and row.split("│")[3].strip() == "✗"
    assert "added by synthetic-east: 1" in text and "二/（三） 本省特色产业" in text
    assert "added by synthetic-west: 0" in text


def test_matrix_view_ends_with_each_documents_instrument_mix_against_the_reference() -> None:
    from dataclasses import replace

    from policydiff.compare.coding import MixRow

    mix = (
        MixRow("synthetic-centre", "supply", "", 2, 0.5, 0.5, 0.0),
        MixRow("synthetic-centre", "supply", "funding", 2, 0.5, 0.5, 0.0),
        MixRow("synthetic-east", "supply", "", 1, 0.25, 0.5, -0.25),
        MixRow("synthetic-east", "supply", "funding", 1, 0.25, 0.5, -0.25),
    )
    text = render(matrix_view(replace(synthetic.matrix(), instrument_mix=mix)), width=120)
    assert "instrument mix" in text and "synthetic-centre (digest)" in text
    row = next(line for line in text.splitlines() if "funding" in line)
    assert "50.0%" in row and "25.0% (-25.0)" in row
    assert "instrument mix" not in render(matrix_view(synthetic.matrix()), width=120)


SENTENCE = "到2025年，本省地区生产总值达到8万亿元（按可比价格计算），“三高四新”战略取得明显成效。"


@pytest.mark.parametrize("width", [6, 9, 10, 13, 20])
def test_chinese_wraps_by_cells_and_keeps_numbers_and_punctuation_rules(width: int) -> None:
    lines = [SENTENCE[a:b] for a, b in break_lines(SENTENCE, width)]
    assert "".join(lines) == SENTENCE
    for line in lines:
        assert cell_len(line) <= width
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START, lines
    for line in lines[:-1]:
        assert line[-1] not in NO_LINE_END, lines
    assert any("2025" in line for line in lines)  # a number is never cut


def test_wrapping_respects_existing_line_breaks_and_spaces() -> None:
    text = "first line\n第二行很长很长很长 and more"
    assert [text[a:b] for a, b in break_lines(text, 10)] == ["first line", "第二行很长", "很长很长", "and more"]
