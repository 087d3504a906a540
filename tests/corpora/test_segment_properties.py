"""Property tests of segmentation: any text, any nesting of numbering, any line endings segment without an
exception into a tree that keeps every non-blank character exactly once, the same way every time."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from segment_checks import check_tree

from policydiff.corpora.model import DocumentInfo
from policydiff.corpora.segment import segment

INFO = DocumentInfo(id="synthetic", title="synthetic", source="synthetic.txt")
DIGEST = DocumentInfo(id="synthetic", title="synthetic", kind="digest", source="synthetic.txt")

# Pieces real documents are made of: every numbering scheme, wrappers, history lines, digest markers.
PIECES = [
    "第一编",
    "第一章 总则",
    "## 第二章 管理",
    "第一节",
    "第一条",
    "第二条",
    "第五条",
    "第五条规定的",
    "第十条【目的】",
    "一、",
    "二、总体要求",
    "（一）",
    "（三）",
    "(二)",
    "1.",
    "2、",
    "（1）",
    "①",
    "第一部分",
    "附件",
    "附件1",
    "附件2：",
    "目录",
    "序言。",
    "前言：",
    "（2015年6月1日通过　根据2019年4月2日第一次修正）",
    "2024年5月30日修订",
    "根据",
    "2023年6月20日",
    "关于印发《甲方案》的通知",
    "甲方案",
    "各市州人民政府：",
    "示例省人民政府",
    "【未见正文】",
    "〔标题未见〕",
    "（？）",
    "一是",
    "二是",
    "示例文字",
    "加强管理",
    "本办法",
    "。",
    "；",
    "，",
    "！",
    "？",
    " ",
    "\u3000",
    "\t",
    "#",
    "",
]
ENDINGS = ["\n", "\r\n", "\r", "\n\n", "\u2028", "\x85", "\x0c"]

line = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=5).map("".join)
documents = st.lists(st.tuples(line, st.sampled_from(ENDINGS)), max_size=25).map(
    lambda parts: "".join(a + b for a, b in parts)
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_any_structure_segments_into_a_tree_that_keeps_all_text(text: str):
    doc = segment(text, INFO)
    check_tree(doc)
    assert segment(text, INFO) == doc  # deterministic


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_text_segments(text: str):
    for info in (INFO, DIGEST):
        doc = segment(text, info)
        check_tree(doc)
        assert segment(text, info) == doc


def test_an_item_spans_the_items_nested_in_it():
    # Found by the property above: 1. holding （1） must reach to the end of （1）.
    doc = segment("（一）\n1.\n（1）\n", INFO)
    check_tree(doc)
    (item,) = doc.outline.children[0].children
    assert (item.label, item.children[0].label, item.end) == ("1.", "（1）", item.children[0].end)


def test_a_part_spans_text_under_its_chapter_before_any_article():
    doc = segment("第一编\n第一条\n第一章 总则\n一、\n", INFO)
    check_tree(doc)
    part = doc.outline.children[0]
    assert part.label == "第一编" and part.end == part.children[-1].end
