"""Digests: markers become flags, coverage comes from the meta file (both of its shapes)."""

from __future__ import annotations

from policydiff.corpora.coverage import parse_coverage


def test_markers_are_flags_not_text(central):
    clause = central.clause("三/（七）")
    assert clause.heading == "主动融入区域重大战略"
    assert "未见正文" in clause.flags
    assert not clause.body_seen
    assert clause.body_units == ()
    for unit in (u for c in central.all_clauses for u in c.units):
        assert "【" not in unit.text and "未见正文" not in unit.text


def test_central_coverage_from_list_shape(central):
    assert len(central.sections) == 8
    assert len(central.clauses) == 25
    assert central.clause("一/（一）").coverage == "partial"
    assert central.clause("三/（七）").coverage == "heading-only"
    assert central.clause("六/（十九）").coverage == "unseen"
    assert central.clause("六/（十九）").heading == ""
    assert central.is_partial
    assert 0.3 < central.body_coverage < 0.6


def test_anhui_coverage_from_table_shape_and_unknown_numbers(catalogue):
    anhui = catalogue.load("anhui-2022")
    paths = [c.path for c in anhui.clauses]
    assert "三/（？）" in paths and "三/（？）#2" in paths
    assert anhui.clause("三/（？）#2").heading == "推动城市提质扩能"
    assert anhui.clause("三/（？）#2").coverage == "partial"
    assert anhui.clause("二/（三）").coverage == "heading-only"
    assert anhui.clause("二/（？）").heading == ""
    assert any("其后部分未见" in f for f in anhui.flags)


def test_parse_coverage_reads_both_shapes():
    table = {"coverage": {"（一）指导思想": "partial", "其余各部分": "unseen", "二、某某": "heading-only"}}
    listed = {
        "coverage": [
            {"clause": "（一）指导思想", "coverage": "partial"},
            {"clause": "（十九）", "coverage": "unseen"},
        ]
    }
    assert [(n.label, n.heading, n.coverage) for n in parse_coverage(table)] == [
        ("（一）", "指导思想", "partial"),
        ("二、", "某某", "heading-only"),
    ]
    assert [(n.label, n.coverage) for n in parse_coverage(listed)] == [
        ("（一）", "partial"),
        ("（十九）", "unseen"),
    ]
