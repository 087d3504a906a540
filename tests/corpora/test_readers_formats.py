"""Every supported format read from a real file made here: HTML pages, Markdown, plain text, DOCX, PDF, and the
encodings UTF-8, GB18030/GBK and Big5 (traditional script analysed as simplified, shown as written)."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpora_helpers import HOSTILE, PAGES, SYNTHETIC_TEXT, pdf_bytes, write_docx

from policydiff.corpora.metadata import card_fields, infer_level_region, normalise_date
from policydiff.corpora.model import DocumentInfo
from policydiff.corpora.readers import read_file
from policydiff.corpora.segment import segment

HEADINGS = ["工作目标", "基本原则", "完善设施布局", "丰富阅读活动"]


def clause_headings(text: str) -> list[str]:
    return [c.heading for c in segment(text, DocumentInfo(id="t", title="t")).clauses]


def test_plain_text_utf8_with_bom(tmp_path: Path):
    path = tmp_path / "synthetic-notice.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SYNTHETIC_TEXT.replace("\n", "\r\n").encode("utf-8"))
    source = read_file(path)
    assert source.format == "text"
    assert source.text == SYNTHETIC_TEXT
    assert clause_headings(source.text) == HEADINGS


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_gb_encodings_are_detected(tmp_path: Path, encoding: str):
    path = tmp_path / f"synthetic-{encoding}.txt"
    path.write_bytes(SYNTHETIC_TEXT.encode(encoding))
    assert read_file(path).text == SYNTHETIC_TEXT


def test_committed_gbk_fixture_reads_as_chinese():
    source = read_file(HOSTILE / "synthetic-gbk.txt")
    assert source.text.startswith("示例市关于加强社区图书角管理的通知")
    assert clause_headings(source.text) == ["工作目标", "完善管理制度", "加强志愿服务"]


def test_big5_traditional_is_analysed_as_simplified_and_shown_as_written():
    source = read_file(HOSTILE / "synthetic-big5.txt")
    assert "鄉村閱讀服務" in source.text
    doc = segment(source.text, DocumentInfo(id="t", title="t"))
    first = doc.clauses[0]
    assert "全县乡村阅读服务点" in doc.analysis_text[first.start : first.end]  # analysis: simplified
    assert "全縣鄉村閱讀服務點" in doc.quote(first.start, first.end)  # display: the original script


def test_markdown_with_front_matter(tmp_path: Path):
    path = tmp_path / "synthetic-notice.md"
    body = "\n".join(
        f"## {line}" if line.endswith("要求") or line.endswith("任务") else line for line in SYNTHETIC_TEXT.split("\n")
    )
    path.write_text(
        "---\ntitle: 示例市关于推进社区图书角建设的通知（合成测试文本）\nissuer: 示例市人民政府办公室\n"
        "date: 2024-06-01\n---\n\n" + body.replace("每季度至少一次", "**每季度至少一次**"),
        encoding="utf-8",
    )
    source = read_file(path)
    assert source.format == "markdown"
    assert "##" not in source.text and "**" not in source.text
    assert clause_headings(source.text) == HEADINGS
    card = card_fields(source.meta)
    assert card.title == "示例市关于推进社区图书角建设的通知（合成测试文本）"
    assert card.issuer == ("示例市人民政府办公室",)
    # 示例市 is in no list of divisions, and a 市 may be prefectural or county-level: the level is not guessed.
    assert (card.level, card.region, card.date) == ("", "", "2024-06-01")


def test_markdown_without_front_matter_takes_its_h1_as_title(tmp_path: Path):
    path = tmp_path / "synthetic-plain.md"
    path.write_text("# " + SYNTHETIC_TEXT, encoding="utf-8")
    source = read_file(path)
    assert card_fields(source.meta).title == "示例市关于推进社区图书角建设的通知（合成测试文本）"
    assert clause_headings(source.text) == HEADINGS


def test_docx_written_by_python_docx(tmp_path: Path):
    path = write_docx(tmp_path / "synthetic-notice.docx", title="示例市图书角通知（合成）")
    source = read_file(path)
    assert source.format == "docx"
    assert source.text == SYNTHETIC_TEXT
    assert card_fields(source.meta).title == "示例市图书角通知（合成）"


def test_text_pdf_with_cjk_font_and_wrapped_lines(tmp_path: Path):
    path = tmp_path / "synthetic-notice.pdf"
    path.write_bytes(pdf_bytes(title="示例市图书角通知（合成）", wrap=24))
    source = read_file(path)
    assert source.format == "pdf"
    # Lines the page wrapped are joined again and the page number is dropped: the text is the document's.
    assert source.text == SYNTHETIC_TEXT
    assert clause_headings(source.text) == HEADINGS
    assert card_fields(source.meta).title == "示例市图书角通知（合成）"


def test_central_policy_page_reads_info_table_and_main_text():
    source = read_file(PAGES / "synthetic-central-policy.html")
    assert source.format == "html"
    assert source.meta["索引号"] == "000000000/2024-00001"  # label spaced out with &nbsp; in the page
    assert source.meta["发文字号"] == "示办发〔2024〕1号"
    assert source.meta["主题分类"].startswith("文化")
    assert "脚本不应被执行" not in source.text and "首页" not in source.text and "版权所有" not in source.text
    card = card_fields(source.meta)
    assert card.title == "国务院办公厅关于推进城乡社区公共阅读空间建设的指导意见（合成测试文本）"
    assert (card.issuer, card.date, card.level, card.region) == (("国务院办公厅",), "2024-03-01", "central", "全国")
    doc = segment(source.text, DocumentInfo(id="t", title="t"))
    assert [s.heading for s in doc.sections] == ["总体要求", "重点任务", "保障措施"]
    assert len(doc.clauses) == 7 and doc.warnings == ()


def test_provincial_disclosure_page_in_gb2312_reads_its_list_layout():
    source = read_file(PAGES / "synthetic-province-disclosure.html")
    assert source.meta["发文机关"] == "示例省人民政府办公厅"
    assert source.meta["成文日期"] == "2024-05-20"
    assert "（五）推动数字化建设。" in source.text
    assert "索引号" not in source.text
    card = card_fields(source.meta)
    assert (card.level, card.region, card.date) == ("provincial", "示例", "2024-05-20")


def test_news_reprint_header_lines_become_metadata():
    source = read_file(PAGES / "synthetic-news-reprint.html")
    assert source.text.startswith("一、总体要求\n")
    assert "责任编辑" not in source.text and "热门文章" not in source.text
    assert source.meta["来源"] == "示例日报"
    card = card_fields(source.meta)
    assert card.title == "示例省人民政府办公厅关于推进城乡社区公共阅读空间建设的实施意见（合成测试文本）"
    assert card.level == ""  # a reprint names no issuer: the researcher must give --level


def test_the_seed_still_reads_as_a_news_page(catalogue):
    source = read_file(catalogue.get("hunan-2021").path)
    assert source.format == "newspage"
    assert "原标题" in source.meta


@pytest.mark.parametrize(
    ("issuer", "expected"),
    [
        ("中共湖南省委", ("provincial", "湖南")),
        ("湖南省长沙市人民政府", ("prefectural", "湖南/长沙")),
        ("长沙市岳麓区人民政府", ("county", "湖南/长沙/岳麓区")),
        ("湘西州人民政府", ("prefectural", "湖南/湘西州")),
        ("青海省海南藏族自治州人民政府", ("prefectural", "青海/海南州")),
        ("内蒙古自治区阿拉善盟行政公署", ("prefectural", "内蒙古/阿拉善盟")),
        ("湖南省浏阳市人民政府", ("county", "湖南/浏阳市")),
        ("示例县人民政府", ("county", "示例县")),
        ("示例市人民政府", ("", "")),  # an unknown 市 may be prefectural or county-level: no guess
        ("国家税务总局", ("central", "全国")),
        ("教育部等九部门", ("central", "全国")),
        ("湖南省教育厅", ("provincial", "湖南")),
        ("北京市人民政府", ("provincial", "北京")),
        ("北京市海淀区人民政府", ("county", "北京/海淀区")),
        ("广西壮族自治区人民政府", ("provincial", "广西")),
        ("国家发展改革委", ("central", "全国")),
        ("财政部", ("central", "全国")),
        ("示例研究会", ("", "")),
    ],
)
def test_level_and_region_from_the_issuer(issuer: str, expected: tuple[str, str]):
    assert infer_level_region((issuer,)) == expected


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("2024年03月01日", "2024-03-01"),
        ("2024/3/1", "2024-03-01"),
        ("Tue, 27 Jul 2021 08:49:37 GMT", "2021-07-27"),
        ("D:20240301120000+08'00'", "2024-03-01"),
        ("不详", ""),
    ],
)
def test_dates_are_normalised(raw: str, date: str):
    assert normalise_date(raw) == date
