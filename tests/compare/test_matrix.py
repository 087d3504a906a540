"""The province matrix and the shared views: clause order, cells, added clauses, selection and coverage."""

from __future__ import annotations

import pytest
from synthetic_results import matrix, report, summary  # beside this file

from policydiff.compare.matrix import MatrixColumn, assemble_matrix, build_matrix, matrices_of_report
from policydiff.compare.result import ClauseRef, Comparison, Evidence, Verdict
from policydiff.compare.views import Selection, chinese_number, coverage_figures, path_key, select_report
from policydiff.corpora.errors import ConfigError


def test_chinese_numbers_and_paths_sort_in_reading_order() -> None:
    assert [chinese_number(x) for x in ("一", "十", "十一", "二十", "二十五", "（十三）", "3", "序言")] == [
        1,
        10,
        11,
        20,
        25,
        13,
        3,
        None,
    ]
    paths = ["二/（十）", "十一/（二十五）", "序言", "二/（九）", "一/（一）", "落款", "九/（二十）"]
    assert sorted(paths, key=path_key) == [
        "序言",
        "一/（一）",
        "二/（九）",
        "二/（十）",
        "九/（二十）",
        "十一/（二十五）",
        "落款",
    ]


def test_matrix_cells_follow_each_targets_verdicts() -> None:
    m = matrix()
    assert [r.clause.path for r in m.rows] == ["一/（一）", "一/（二）", "二/（三）", "二/（四）"]
    assert [[c.symbol for c in r.cells] for r in m.rows] == [["✓", "✗"], ["~", "~"], ["✗", "✗"], ["✗", "~"]]
    east, west = m.columns
    assert [v.target[0].path for v in east.added] == ["二/（三）"] and west.added == ()
    assert m.rows[3].cells[1].unseen and m.rows[3].cells[1].counterparts[0].heading == "扩大开放"


def test_a_reference_clause_split_across_target_clauses_shows_its_closest_relation() -> None:
    ref = summary("synthetic-centre")
    r1 = ClauseRef("一/（一）", "总体思路")
    verdicts = (
        Verdict("adapted", (ClauseRef("一/（一）", "甲"),), (r1,), 0.4, Evidence(relation="split")),
        Verdict("retained", (ClauseRef("一/（二）", "乙"),), (r1,), 0.9, Evidence(relation="split")),
        Verdict("adapted", (ClauseRef("一/（三）", "丙"),), (r1,), 0.5, Evidence(relation="split")),
    )
    m = assemble_matrix(ref, [MatrixColumn(summary("synthetic-east"), Comparison(ref, verdicts))], {"a": 1}, {})
    (cell,) = m.rows[0].cells
    assert cell.label == "retained" and cell.score == 0.9
    assert [c.heading for c in cell.counterparts] == ["乙"]


def test_document_order_comes_first_and_unmentioned_clauses_show_as_not_compared() -> None:
    ref = summary("synthetic-centre")
    order = [ClauseRef("二/（二）", "后"), ClauseRef("一/（一）", "先"), ClauseRef("三/（三）", "未比")]
    verdicts = (Verdict("missing", (), (ClauseRef("一/（一）", "先"),), 0.0),)
    m = assemble_matrix(ref, [MatrixColumn(summary("t"), Comparison(ref, verdicts))], {"a": 1}, {}, order=order)
    assert [r.clause.path for r in m.rows] == ["二/（二）", "一/（一）", "三/（三）"]
    assert [r.cells[0].symbol for r in m.rows] == ["·", "✗", "·"]


def test_a_report_gives_one_single_column_matrix_per_reference() -> None:
    (m,) = matrices_of_report(report())
    assert m.reference.info.id == "synthetic-centre" and [c.target.info.id for c in m.columns] == ["synthetic-province"]
    assert [r.cells[0].label for r in m.rows] == ["retained", "adapted", "missing", "missing"]


def test_selection_filters_by_label_and_section_and_says_so_in_the_notes() -> None:
    r = select_report(report(), Selection.parse("adapted,missing", "2"))
    (c,) = r.comparisons
    assert [(v.label, v.section) for v in c.verdicts] == [("missing", "二"), ("missing", "二")]
    assert c.summary == {"retained": 0, "adapted": 0, "added": 0, "missing": 2, "unjudged": 0}
    assert c.notes[-1] == "filtered (only adapted, missing; section 二): 2 of 5"
    with pytest.raises(ConfigError, match=r"unknown verdict label.*kept.*known: retained"):
        Selection.parse("kept")


def test_coverage_figures_count_clauses_not_verdicts() -> None:
    figures = coverage_figures(report().comparisons[0])
    assert (figures.reference_matched, figures.reference_clauses) == (2, 4)
    assert (figures.target_matched, figures.target_clauses) == (2, 3)


def test_build_matrix_lays_real_comparisons_out_in_reference_order(catalogue, central, hunan) -> None:
    from policydiff.compare import compare_documents

    anhui = catalogue.load("anhui-2022")
    m = build_matrix(central, [hunan, anhui])
    assert [r.clause.path for r in m.rows] == [c.path for c in central.clauses]
    assert [c.target.info.id for c in m.columns] == ["hunan-2021", "anhui-2022"]
    alone = compare_documents(hunan, [central]).comparisons[0]
    missing = {r.path for v in alone.verdicts if v.label == "missing" for r in v.reference}
    assert {r.clause.path for r in m.rows if r.cells[0].label == "missing"} == missing
    assert len(m.columns[0].added) == alone.summary["added"]
    seen = []
    build_matrix(central, [hunan], progress=seen.append)
    assert seen == ["hunan-2021"]
    with pytest.raises(ConfigError, match="more than once: hunan-2021"):
        build_matrix(central, [hunan, hunan])
