"""Every shape a policy document comes in, segmented: the synthetic fixtures in tests/fixtures/shapes/ (written
for these tests in our own words) and small texts with broken numbering."""

from __future__ import annotations

from pathlib import Path

import pytest
from segment_checks import check_tree

from policydiff.corpora.model import Document, DocumentInfo
from policydiff.corpora.segment import segment

SHAPES = Path(__file__).resolve().parents[1] / "fixtures" / "shapes"
INFO = DocumentInfo(id="synthetic", title="synthetic", source="synthetic.txt")


@pytest.fixture(scope="module")
def shapes(catalogue):  # type: ignore[no-untyped-def]
    return {p.stem: catalogue.load(str(p)) for p in sorted(SHAPES.iterdir())}


def kinds(doc: Document, kind: str) -> list:  # type: ignore[type-arg]
    return [n for n in doc.outline.walk() if n.kind == kind]


def events(doc: Document) -> list[tuple[str, str]]:
    return [(n.label, n.heading.split("日")[0] + "日") for n in kinds(doc, "event")]


# name: (style, provision level, chapters, 节, articles, provisions, sections in reports)
COUNTS = {
    "synthetic-law": ("legal", "article", 6, 2, 22, 22, 7),
    "synthetic-measures": ("legal", "article", 4, 0, 17, 17, 4),
    "synthetic-measures-2024": ("legal", "article", 4, 0, 17, 17, 4),
    "synthetic-measures-b": ("legal", "article", 0, 0, 12, 12, 0),
    "synthetic-opinion": ("official", "level2", 0, 0, 0, 11, 3),
    "synthetic-notice-plan": ("official", "mixed", 0, 0, 0, 15, 4),
}


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_each_fixture_has_its_exact_structure(shapes, name: str):
    doc = shapes[name]
    style, level, chapters, sections, articles, provisions, groups = COUNTS[name]
    assert (doc.style, doc.provision_level) == (style, level)
    assert len(kinds(doc, "chapter")) == chapters
    assert len(kinds(doc, "section")) == sections
    assert len(kinds(doc, "article")) == articles
    assert len(doc.clauses) == provisions
    assert len(doc.sections) == groups
    assert all(c.role == "clause" for c in doc.clauses)
    assert doc.warnings == ()
    check_tree(doc)


def test_every_history_event_is_a_node(shapes):
    assert events(shapes["synthetic-law"]) == [
        ("通过", "2015年6月1日"),
        ("修正", "2019年4月2日"),
        ("修正", "2022年10月8日"),
    ]
    assert events(shapes["synthetic-measures"]) == [("通过", "2017年3月30日"), ("修正", "2020年11月27日")]
    assert events(shapes["synthetic-measures-2024"]) == [
        ("通过", "2017年3月30日"),
        ("修正", "2020年11月27日"),
        ("修订", "2024年5月30日"),
    ]
    assert events(shapes["synthetic-measures-b"]) == [("通过", "2018年9月28日")]
    assert events(shapes["synthetic-opinion"]) == []
    # The history is neither preamble nor provision.
    law = shapes["synthetic-law"]
    (history,) = kinds(law, "history")
    assert not any(c.start <= history.start < c.end for c in law.clauses)
    (title,) = kinds(law, "title")  # the law's name line, before its history: no preamble sentence
    assert law.preamble is None and title.end <= history.start and not title.units


def test_a_law_nests_chapters_sections_articles_paragraphs_items_and_subitems(shapes):
    law = shapes["synthetic-law"]
    assert [s.label for s in law.sections][:3] == ["第一章", "第二章/第一节", "第二章/第二节"]
    assert [s.heading for s in law.sections][-1] == "附则"
    article = next(n for n in law.outline.walk() if n.path == "第二章/第一节/第八条")
    assert article.heading == ""
    (paragraph,) = article.children  # one 款, its four 项, the third with two 目
    assert [i.label for i in paragraph.children] == ["（一）", "（二）", "（三）", "（四）"]
    assert [s.label for s in paragraph.children[2].children] == ["1.", "2."]
    assert [s.kind for s in paragraph.children[2].children] == ["subitem", "subitem"]
    assert law.clause("第二章/第一节/第八条").items == 6
    second = next(n for n in law.outline.walk() if n.path == "第一章/第二条")
    assert [c.kind for c in second.children] == ["paragraph", "paragraph"]  # two 款
    # The 目录 lists the chapters; its lines are not chapters.
    (contents,) = kinds(law, "contents")
    assert "第六章 附则" in law.quote(contents.start, contents.end)
    assert law.clause("第五章/第十九条").section == "第五章"


def test_a_wrapped_plan_keeps_the_notice_out_and_names_provisions_by_attachment(shapes):
    doc = shapes["synthetic-notice-plan"]
    (wrapper,) = kinds(doc, "wrapper")
    assert "各区县人民政府" in doc.quote(wrapper.start, wrapper.end)
    assert not any(c.start < wrapper.end for c in doc.clauses)
    assert [(a.label, a.heading) for a in kinds(doc, "attachment")] == [
        ("附件1", "示例市社区互助服务提升行动方案"),
        ("附件2", "示例市社区互助服务示范社区评定办法"),
    ]
    paths = [c.path for c in doc.clauses]
    assert paths[:3] == ["附件1/一/1.", "附件1/一/2.", "附件1/二/1."]
    assert paths[-3:] == ["附件2/一", "附件2/二", "附件2/三"]
    assert doc.clause("附件1/二/3.").heading == "为老助残服务行动"
    assert doc.clause("附件1/二/3.").section == "附件1/二"
    # The attached plan's title line is the attachment's heading, not the first sentence of its preamble.
    assert doc.preamble is not None and doc.preamble.units[0].text.startswith("为贯彻落实")
    assert not any(u.text == "示例市社区互助服务提升行动方案" for c in doc.clauses for u in c.units)


def test_an_opinion_keeps_its_signoff(shapes):
    doc = shapes["synthetic-opinion"]
    assert doc.signoff is not None and "2023年3月15日" in doc.quote(doc.signoff.start, doc.signoff.end)
    assert [c.heading for c in doc.clauses][:2] == ["指导思想", "主要目标"]


def test_the_seed_and_digests_keep_a_whole_tree(catalogue):  # type: ignore[no-untyped-def]
    for doc_id in ("hunan-2021", "central-2021", "anhui-2022"):
        doc = catalogue.load(doc_id)
        assert doc.provision_level == "level2"
        check_tree(doc)


@pytest.mark.parametrize(
    "title",
    ["示例县人民政府关于印发示例县邻里互助方案的通知", "示例县人民政府关于印发示例县邻里互助方案等两个文件的通知"],
)
def test_an_official_style_notice_title_without_book_title_marks_finds_its_repeated_title(title: str) -> None:
    # Official titles carry no 《》 (关于印发X的通知): the attachment still starts where X is repeated.
    text = (
        f"{title}\n各乡镇人民政府：\n现将示例县邻里互助方案印发给你们，请认真执行。\n示例县人民政府\n2024年1月5日\n"
        "示例县邻里互助方案\n一、工作目标\n1.建好队伍。每村一支。\n2.建好制度。每年评议。\n"
    )
    doc = segment(text, INFO)
    assert [c.path for c in doc.clauses] == ["一/1.", "一/2."]
    assert kinds(doc, "wrapper") and kinds(doc, "attachment")[0].label == "附件"


def test_a_notice_without_an_attachment_line_starts_the_document_at_its_repeated_title():
    text = (
        "示例县人民政府关于印发《示例县邻里互助方案》的通知\n"
        "各乡镇人民政府：\n现将《示例县邻里互助方案》印发给你们，请认真执行。\n示例县人民政府\n2024年1月5日\n"
        "示例县邻里互助方案\n一、工作目标\n1.建好队伍。每村一支。\n2.建好制度。每年评议。\n"
        "二、工作措施\n1.加强培训。一是开展岗前培训，二是开展轮训。\n"
    )
    doc = segment(text, INFO)
    assert [c.path for c in doc.clauses] == ["一/1.", "一/2.", "二/1."]
    assert doc.provision_level == "level3"
    assert kinds(doc, "wrapper") and kinds(doc, "attachment")[0].label == "附件"
    # 一是…二是… lead-ins stay inside their provision.
    assert len(doc.clause("二/1.").body_units) == 1
    check_tree(doc)


def test_parts_and_skipped_levels_of_a_plan():
    text = (
        "第一部分 发展基础\n一、现状\n（一）基础较好。已有队伍。\n"
        "第二部分 主要任务\n一、壮大队伍\n1.扩大招募。面向居民。\n2.加强培训。每年一次。\n"
        "二、完善制度\n（一）记录制度。统一记录。\n"
    )
    doc = segment(text, INFO)
    assert [c.path for c in doc.clauses] == [
        "第一部分/一/（一）",
        "第二部分/一/1.",
        "第二部分/一/2.",
        "第二部分/二/（一）",
    ]
    check_tree(doc)


def test_line_endings_do_not_change_the_structure(shapes):
    text = (SHAPES / "synthetic-measures.md").read_text(encoding="utf-8")
    base = [c.path for c in segment(text, INFO).clauses]
    for ending in ("\r\n", "\r", "\u2028"):
        doc = segment(text.replace("\n", ending), INFO)
        assert [c.path for c in doc.clauses] == base
        check_tree(doc)


BROKEN = (
    "示例办法\n"
    "第一条 为了示例，制定本办法。\n"
    "第二条 本办法适用于示例地区。依照本办法第五条规定办理的事项，另行公布。\n"
    "第三条 有下列情形之一的，依照\n"
    "第五条规定处理：\n"
    "（一）情形甲；\n（二）情形乙；\n（三）情形丙；\n（三）情形丁。\n"
    "第五条 本办法所称“第九条”，指示例条文。\n"
    "第六条 本办法自公布之日起施行。\n"
)


def test_broken_numbering_segments_without_losing_text_and_says_what_it_noticed():
    doc = segment(BROKEN, INFO)
    assert [c.label for c in doc.clauses] == ["第一条", "第二条", "第三条", "第五条", "第六条"]
    third = doc.clause("第三条")
    assert "情形丁" in doc.quote(third.start, third.end)
    assert "第五条规定处理" in doc.quote(third.start, third.end)
    warnings = "\n".join(doc.warnings)
    assert "a line inside 第三条 opens with 第五条, read as a reference" in warnings
    assert "（三） under 第三条 repeats or goes back after number 3" in warnings
    assert "第五条 skips a number (the previous one is 3)" in warnings
    check_tree(doc)


def test_a_preamble_after_the_contents_is_its_own_node():
    text = (
        "示例条例\n目录\n第一章 总则\n第二章 附则\n序言：本条例为示例而写。\n"
        "第一章 总则\n第一条 示例。\n第二章 附则\n第二条 施行。\n"
    )
    doc = segment(text, INFO)
    assert [n.kind for n in doc.outline.children] == ["preamble", "contents", "preamble", "chapter", "chapter"]
    assert [c.path for c in doc.clauses] == ["第一章/第一条", "第二章/第二条"]
    check_tree(doc)


def test_an_attachment_line_may_carry_its_title():
    text = (
        "示例县人民政府关于印发两个方案的通知\n各乡镇人民政府：\n现将两个方案印发给你们。\n"
        "附件：1.甲方案\n2.乙方案\n示例县人民政府\n2024年1月5日\n"
        "附件1：甲方案\n一、目标\n（一）建队伍。每村一支。\n"
        "附件2：乙方案\n一、措施\n（一）办培训。每年一次。\n"
    )
    doc = segment(text, INFO)
    assert [(a.label, a.heading) for a in kinds(doc, "attachment")] == [("附件1", "甲方案"), ("附件2", "乙方案")]
    assert [c.path for c in doc.clauses] == ["附件1/一/（一）", "附件2/一/（一）"]
    check_tree(doc)


def test_a_heading_on_a_line_of_its_own_ends_there_and_keeps_the_next_sentence_in_the_body():
    text = (
        "示例县方案（合成文本）\n\n为做好工作，制定本方案。\n\n一、重点任务\n\n1. 丰富产品供给\n\n"
        "实施景区提升工程。推进乡村旅游发展。\n\n2.培育消费业态\n发展夜间经济。\n"
    )
    doc = segment(text, INFO)
    first, second = doc.clause("一/1."), doc.clause("一/2.")
    assert first.heading == "丰富产品供给" and second.heading == "培育消费业态"
    assert [u.text for u in first.body_units] == ["实施景区提升工程。", "推进乡村旅游发展。"]
    assert [u.text for u in second.body_units] == ["发展夜间经济。"]
    check_tree(doc)


CLOSING_OPINION = (
    "某市关于推进社区服务的实施意见（合成文本）\n"
    "为做好社区服务工作，结合本市实际，提出如下意见。\n"
    "一、总体要求\n（一）基本原则。坚持需求导向，统筹资源配置。\n（二）主要目标。到2025年，社区服务站覆盖率达到90%。\n"
    "二、重点任务\n（三）完善设施。新建社区服务站50个。\n（四）培育队伍。每年培训社区工作者1000人次。\n"
    "{tail}"
)


@pytest.mark.parametrize(
    ("tail", "closing"),
    [
        (
            "各区县要结合实际，认真抓好贯彻落实，重大问题及时报告。\n某市人民政府办公室\n2024年5月6日\n",
            "各区县要结合实际，认真抓好贯彻落实，重大问题及时报告。",
        ),
        ("本意见自印发之日起施行，有效期5年。\n", "本意见自印发之日起施行，有效期5年。"),
        (
            "各地各部门要把本意见落实情况纳入年度考核。\n本意见由市民政局负责解释。\n",
            "各地各部门要把本意见落实情况纳入年度考核。\n本意见由市民政局负责解释。",
        ),
    ],
)
def test_a_closing_paragraph_after_the_last_clause_is_not_that_clauses_text(tail: str, closing: str) -> None:
    doc = segment(CLOSING_OPINION.format(tail=tail), INFO)
    last = doc.clauses[-1]
    assert (
        last.path == "二/（四）" and doc.quote(last.start, last.end) == "（四）培育队伍。每年培训社区工作者1000人次。"
    )
    assert doc.closing is not None and doc.closing.label == "结语"
    assert doc.quote(doc.closing.start, doc.closing.end) == closing
    assert [c.label for c in doc.all_clauses][-2:] == (["结语", "落款"] if doc.signoff else ["（四）", "结语"])
    assert [n.kind for n in doc.outline.children][-2:] == (
        ["closing", "signoff"] if doc.signoff else ["level1", "closing"]
    )
    check_tree(doc)


def test_a_later_paragraph_of_the_last_clause_stays_in_it() -> None:
    # It opens as a closing might (各地要…), but says nothing of carrying the document out.
    doc = segment(CLOSING_OPINION.format(tail="各地要建立社区服务人才库，每年更新一次。\n"), INFO)
    assert doc.closing is None
    assert doc.quote(doc.clauses[-1].start, doc.clauses[-1].end).endswith("各地要建立社区服务人才库，每年更新一次。")


def test_an_official_texts_bracketed_adoption_line_is_its_history_not_its_preamble() -> None:
    text = (
        "某市促进夜间经济发展实施方案（合成文本）\n（2024年3月5日市人民政府第12次常务会议审议通过）\n"
        "为繁荣夜间消费，结合本市实际，制定本方案。\n一、工作目标\n（一）到2026年，培育夜间消费集聚区10个。\n"
        "二、主要任务\n（二）丰富夜间业态。支持商圈延长营业时间。\n"
    )
    doc = segment(text, DocumentInfo(id="synthetic", title="某市促进夜间经济发展实施方案（合成文本）"))
    assert [(n.label, n.heading) for n in kinds(doc, "event")] == [
        ("通过", "2024年3月5日市人民政府第12次常务会议审议通过")
    ]
    assert doc.preamble is not None and [u.text for u in doc.preamble.units] == [
        "为繁荣夜间消费，结合本市实际，制定本方案。"
    ]
    check_tree(doc)


def test_an_official_preamble_opening_with_a_date_stays_the_preamble() -> None:
    text = (
        "某县乡村旅游提升意见（合成文本）\n2023年5月，县人民政府常务会议审议通过乡村旅游规划，现提出如下意见。\n"
        "一、主要任务\n（一）建设精品线路。每年新建线路2条。\n"
    )
    doc = segment(text, DocumentInfo(id="synthetic", title="某县乡村旅游提升意见（合成文本）"))
    assert kinds(doc, "history") == []
    assert doc.preamble is not None and doc.preamble.units[0].text.startswith("2023年5月")
