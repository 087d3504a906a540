"""A document that carries out 《X》 is linked to the notice that issues X (关于印发《X》的通知), where X's text is,
when no document of its own is titled X. The texts are synthetic, written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policydiff.corpora.catalogue import read_catalogue
from policydiff.corpora.links import find_by_title
from policydiff.corpora.wrapper import issued_titles

NOTICE = (
    "# 湖南省人民政府关于印发《湖南省社区服务提升行动方案》的通知\n\n各市州人民政府，省政府各厅委、各直属机构：\n\n"
    "现将《湖南省社区服务提升行动方案》印发给你们，请认真组织实施。\n\n湖南省人民政府\n2023年3月1日\n\n"
    "湖南省社区服务提升行动方案\n\n一、总体目标\n\n1. 到2025年，社区综合服务设施覆盖率达到100%。\n\n"
    "二、重点任务\n\n1. 完善社区服务设施。每个街道建设1个综合服务中心。\n\n"
    "2. 培育社区服务队伍。每年培训社区工作者1万人次。\n"
)
CITY = (
    "# 长沙市社区服务提升实施意见\n\n为贯彻落实《湖南省社区服务提升行动方案》，结合我市实际，提出如下意见。\n\n"
    "一、总体目标\n\n（一）到2025年，全市社区综合服务设施覆盖率达到100%。\n\n二、重点任务\n\n"
    "（二）完善社区服务设施。每个街道建设1个综合服务中心。\n\n长沙市人民政府\n2023年6月1日\n"
)


def write(folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    notice, city = folder / "synthetic-province-notice.md", folder / "synthetic-city-opinion.md"
    notice.write_text(NOTICE, encoding="utf-8")
    city.write_text(CITY, encoding="utf-8")
    return notice, city


def test_a_notices_title_names_what_it_issues() -> None:
    assert issued_titles("湖南省人民政府关于印发《湖南省社区服务提升行动方案》的通知") == (
        "湖南省社区服务提升行动方案",
    )
    assert issued_titles("某市关于印发《甲方案》和《乙办法》的通知") == ("甲方案", "乙办法")
    assert issued_titles("关于贯彻落实《甲方案》的实施意见") == ()


@pytest.mark.parametrize(
    ("title", "issued"),
    [
        # official titles are written without book-title marks
        ("湖南省人民政府关于印发湖南省社区服务提升行动方案的通知", ("湖南省社区服务提升行动方案",)),
        ("某省人民政府办公厅关于印发某省甲行动方案等三个文件的通知", ("某省甲行动方案",)),
        ("某省人民政府关于印发《某省甲方案》等文件的通知", ("某省甲方案",)),
        ("某市关于印发促进男女平等方案的通知", ("促进男女平等方案",)),  # 平等 is no 等…文件
        ("某市关于印发《中华人民共和国甲法》实施办法的通知", ("中华人民共和国甲法实施办法",)),
        (
            "某省人民政府办公厅关于转发省发展改革委关于推进甲工作的意见的通知",
            ("省发展改革委关于推进甲工作的意见", "关于推进甲工作的意见"),
        ),
        ("某省人民政府关于印发《某省甲方案》的通知（某政发〔2023〕5号）", ("某省甲方案",)),
        # a document that cites a notice is no notice
        ("某市贯彻落实《国务院关于印发甲方案的通知》的实施意见", ()),
        ("某省关于做好甲工作的通知", ()),
    ],
)
def test_what_a_notice_title_issues(title: str, issued: tuple[str, ...]) -> None:
    assert issued_titles(title) == issued


def test_a_notice_titled_in_the_official_style_is_found_by_what_it_issues(tmp_path: Path, cli) -> None:
    notice, city = write(tmp_path / "src")
    notice.write_text(
        NOTICE.replace("关于印发《湖南省社区服务提升行动方案》", "关于印发湖南省社区服务提升行动方案"), encoding="utf-8"
    )
    corpus = tmp_path / "corpus"
    for path in (notice, city):
        assert cli("corpus", "add", str(path), "--corpus", str(corpus)).code == 0
    by_id = {e.id: e for e in read_catalogue(corpus)}
    assert by_id["synthetic-province-notice"].title == "湖南省人民政府关于印发湖南省社区服务提升行动方案的通知"
    assert by_id["synthetic-city-opinion"].implements == ("synthetic-province-notice",)


def test_adding_the_implementing_document_after_the_notice_links_it_to_the_notice(tmp_path: Path, cli) -> None:
    notice, city = write(tmp_path / "src")
    corpus = tmp_path / "corpus"
    for path in (notice, city):
        assert cli("corpus", "add", str(path), "--corpus", str(corpus)).code == 0
    by_id = {e.id: e for e in read_catalogue(corpus)}
    assert by_id["synthetic-city-opinion"].implements == ("synthetic-province-notice",)


def test_a_title_recorded_before_the_notice_came_finds_it_in_link_and_study(tmp_path: Path, cli) -> None:
    notice, city = write(tmp_path / "src")
    corpus = tmp_path / "corpus"
    for path in (city, notice):  # the city's 《…》 is kept as a title: nothing was catalogued under it yet
        assert cli("corpus", "add", str(path), "--corpus", str(corpus)).code == 0
    assert {e.id: e for e in read_catalogue(corpus)}["synthetic-city-opinion"].implements == (
        "湖南省社区服务提升行动方案",
    )
    r = cli("link", "--corpus", str(corpus), "--format", "json")
    assert r.code == 0, r.err
    (link,) = [x for x in json.loads(r.out) if x["document"] == "synthetic-city-opinion"]
    assert (link["implements"], link["method"]) == ("synthetic-province-notice", "metadata")
    r = cli(
        "study", "synthetic-province-notice", "--corpus", str(corpus), "--out", str(tmp_path / "s"), "--workers", "0"
    )
    assert r.code == 0, r.err
    assert r.out.startswith("1 pairs: 1 compared")


def test_a_document_titled_x_comes_before_the_notice_that_issues_x(tmp_path: Path, cli) -> None:
    notice, _ = write(tmp_path / "src")
    plan = tmp_path / "src" / "synthetic-province-plan.md"
    plan.write_text(
        NOTICE.split("2023年3月1日\n\n", 1)[1].replace("湖南省社区服务提升行动方案", "# 湖南省社区服务提升行动方案", 1),
        encoding="utf-8",
    )
    corpus = tmp_path / "corpus"
    for path in (notice, plan):
        assert cli("corpus", "add", str(path), "--corpus", str(corpus), "--date", "2023-03-01").code == 0
    found = find_by_title(read_catalogue(corpus), "湖南省社区服务提升行动方案")
    assert [e.id for e in found] == ["synthetic-province-plan", "synthetic-province-notice"]


# A notice that names only the first of the two documents it issues; the second is named above its attachment.
TWO = (
    "# 某市人民政府关于印发某市社区食堂建设方案等两个文件的通知\n\n各区县人民政府，市直各单位：\n\n"
    "现将某市社区食堂建设方案、某市社区食堂运营补贴办法印发给你们，请认真贯彻执行。\n\n某市人民政府\n2024年2月1日\n\n"
    "附件1\n\n某市社区食堂建设方案\n\n一、建设目标\n\n1. 到2025年，每个街道建成1个社区食堂。\n\n"
    "二、建设任务\n\n1. 盘活闲置用房。优先利用社区公共用房。\n\n"
    "附件2\n\n某市社区食堂运营补贴办法\n\n一、补贴对象\n\n1. 运营满一年的社区食堂。\n\n"
    "二、补贴标准\n\n1. 按每餐2元给予运营补贴。\n"
)
COUNTY = (
    "# 某县社区食堂运营补贴实施细则\n\n为贯彻落实《某市社区食堂运营补贴办法》，结合我县实际，制定本细则。\n\n"
    "一、补贴对象\n\n（一）运营满一年的社区食堂。\n\n二、补贴标准\n\n（二）按每餐2元给予运营补贴，县财政另补0.5元。\n\n"
    "某县人民政府\n2024年5月1日\n"
)


def test_a_document_issued_as_a_notices_second_attachment_is_found_by_link_and_study(tmp_path: Path, cli) -> None:
    src, corpus = tmp_path / "src", tmp_path / "corpus"
    src.mkdir()
    for name, text, level in (
        ("synthetic-city-notice.md", TWO, "prefectural"),
        ("synthetic-county-rules.md", COUNTY, "county"),
    ):
        (src / name).write_text(text, encoding="utf-8")
        assert cli("corpus", "add", str(src / name), "--corpus", str(corpus), "--level", level).code == 0
    r = cli("link", "--corpus", str(corpus), "--format", "json")
    assert r.code == 0, r.err
    (link,) = [x for x in json.loads(r.out) if x["document"] == "synthetic-county-rules"]
    assert (link["implements"], link["method"]) == ("synthetic-city-notice", "metadata")
    r = cli("study", "synthetic-city-notice", "--corpus", str(corpus), "--out", str(tmp_path / "s"), "--workers", "0")
    assert r.code == 0, r.err
    assert r.out.startswith("1 pairs: 1 compared")


def test_what_a_notice_issues_includes_its_attachments_but_an_opinions_annex_is_not_issued() -> None:
    from policydiff.corpora.model import DocumentInfo
    from policydiff.corpora.segment import segment
    from policydiff.corpora.wrapper import issued_documents

    notice = segment(TWO, DocumentInfo(id="n", title="某市人民政府关于印发某市社区食堂建设方案等两个文件的通知"))
    assert issued_documents(notice) == ("某市社区食堂建设方案", "某市社区食堂运营补贴办法")
    opinion = (
        "# 某市关于发展社区食堂的实施意见\n\n一、总体要求\n\n（一）到2025年，每个街道建成1个社区食堂。\n\n"
        "二、重点任务\n\n（二）盘活闲置用房。\n\n附件\n\n重点任务分工表\n\n1. 盘活闲置用房：市民政局负责。\n"
    )
    doc = segment(opinion, DocumentInfo(id="o", title="某市关于发展社区食堂的实施意见"))
    assert any(n.kind == "attachment" for n in doc.outline.walk())
    assert issued_documents(doc) == ()
