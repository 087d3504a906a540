"""Segmentation of synthetic documents (written for these tests) in the shapes real documents take."""

from __future__ import annotations

from policydiff.corpora.model import DocumentInfo
from policydiff.corpora.segment import segment

INFO = DocumentInfo(id="synthetic", title="synthetic test document", source="synthetic.txt")


def test_half_width_brackets_restarting_numbers_items_and_signoff():
    text = (
        "为做好示例工作，提出如下意见。\n"
        "一、总体目标\n"
        "(一)示例标题甲。第一句话。第二句话；第三句话！\n"
        "(二)示例标题乙。1.条目一内容。2.条目二内容。\n"
        "二、重点任务\n"
        "(一)示例标题丙。重新从一编号的条款。\n"
        "示例省人民政府\n"
        "2024年3月1日\n"
    )
    doc = segment(text, INFO)
    assert [c.path for c in doc.clauses] == ["一/（一）", "一/（二）", "二/（一）"]
    assert [c.heading for c in doc.clauses] == ["示例标题甲", "示例标题乙", "示例标题丙"]
    assert len(doc.clause("一/（一）").body_units) == 3
    assert doc.clause("一/（二）").items == 2
    assert doc.signoff is not None
    assert "2024年3月1日" in doc.quote(doc.signoff.start, doc.signoff.end)
    assert doc.preamble is not None and doc.preamble.role == "preamble"


def test_unstructured_text_degrades_to_paragraphs_with_a_warning():
    doc = segment("第一段没有编号的文字。\n\n第二段也没有编号。\n", INFO)
    assert [c.role for c in doc.clauses] == ["paragraph", "paragraph"]
    assert doc.warnings and "paragraph by paragraph" in doc.warnings[0]


def test_long_opening_sentence_is_not_a_heading():
    text = "一、总体要求\n（一）" + "这是一个很长的开头句子" * 6 + "。第二句。\n"
    doc = segment(text, INFO)
    assert doc.clauses[0].heading == ""
    assert len(doc.clauses[0].body_units) == 2


def test_section_without_clauses_keeps_its_paragraphs():
    doc = segment("一、总体要求\n第一段。\n第二段。\n二、任务\n（一）标题。内容。\n", INFO)
    assert [c.path for c in doc.clauses] == ["一/¶1", "一/¶2", "二/（一）"]


def test_nothing_crashes_on_odd_input():
    expected = {  # what each odd text becomes: clause paths and the units each holds
        "。。。\n": [("¶1", [])],
        "（）\n": [("¶1", ["（）"])],
        "一、\n": [("一", [])],  # a lone section is the provision when nothing is numbered below it
        "（一）\n": [("（一）", [])],
        "\n\n\n x \n": [("¶1", ["x"])],
    }
    for text, shape in expected.items():
        doc = segment(text, INFO)
        assert [(c.path, [u.text for u in c.units]) for c in doc.all_clauses] == shape, text
        # Every unit quotes its own span of the text, in reading order, without overlaps.
        spans = [(u.start, u.end) for c in doc.all_clauses for u in c.units]
        assert spans == sorted(spans) and all(0 <= a < b <= len(text) for a, b in spans)
        assert all(u.text == text[u.start : u.end] for c in doc.all_clauses for u in c.units)
        # Nothing written is dropped: every non-blank character lies in a section or a provision.
        parts = [(x.start, x.end) for x in (*doc.sections, *doc.all_clauses)]
        assert all(any(a <= i < b for a, b in parts) for i, ch in enumerate(text) if not ch.isspace()), text
        assert segment(text, INFO) == doc  # deterministic
