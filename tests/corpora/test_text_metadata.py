"""Metadata read from a document's own text: level, region, issuer, dated history, date, type, what it
implements, and the ids `corpus add` chooses. Every fixture is a synthetic text written for these tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policydiff.corpora import Catalogue
from policydiff.corpora.catalogue import read_catalogue
from policydiff.corpora.divisions import divisions
from policydiff.corpora.ids import derived_id, name_id, unique_id
from policydiff.corpora.links import link_implements, title_key, versions
from policydiff.corpora.metadata import card_fields
from policydiff.corpora.model import HistoryEvent
from policydiff.corpora.readers import read_file
from policydiff.corpora.textmeta import doc_type, history, implemented_titles, text_facts

META = Path(__file__).resolve().parent.parent / "fixtures" / "metadata"
LAW = META / "synthetic-law.md"
MEASURES = META / "synthetic-provincial-measures.md"
PLAN = META / "synthetic-prefectural-plan.md"
NOTICE = META / "synthetic-county-notice.txt"
OPINION = META / "synthetic-central-opinion.md"


def facts(path: Path):  # type: ignore[no-untyped-def]
    source = read_file(path)
    return text_facts(card_fields(source.meta).title, source.text)


def test_the_divisions_list_is_complete_at_the_provincial_and_prefectural_levels():
    rows = divisions()
    assert sum(1 for d in rows if d.level == "provincial") == 34  # 31 on the mainland, 香港, 澳门, 台湾
    assert sum(1 for d in rows if d.level == "prefectural") == 333
    names = [d.name for d in rows]
    assert len(names) == len(set(names))
    provinces = {d.short for d in rows if d.level == "provincial"}
    assert all(d.province in provinces for d in rows if d.level != "provincial")


@pytest.mark.parametrize(
    ("path", "level", "region", "date", "kind"),
    [
        (LAW, "central", "全国", "2018-10-26", "法"),
        (MEASURES, "provincial", "湖南", "2022-07-29", "实施办法"),
        (PLAN, "prefectural", "湖南/长沙", "2023-04-10", "方案"),
        (NOTICE, "county", "长沙县", "2023-06-01", "通知"),
        (OPINION, "central", "全国", "2021-04-23", "意见"),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else None,
)
def test_level_region_date_and_type_from_the_text(path: Path, level: str, region: str, date: str, kind: str):
    f = facts(path)
    assert (f.level, f.region, f.date, f.doc_type) == (level, region, date, kind)


def test_every_history_event_of_the_measures_is_kept_and_the_date_is_the_latest():
    assert facts(MEASURES).history == (
        HistoryEvent("2016-05-27", "通过", "2016年5月27日湖南省第十二届人民代表大会常务委员会第二十二次会议通过"),
        HistoryEvent("2019-09-28", "修正", "2019年9月28日湖南省第十三届人民代表大会常务委员会第十三次会议第一次修正"),
        HistoryEvent("2022-07-29", "修正", "2022年7月29日湖南省第十三届人民代表大会常务委员会第三十二次会议第二次修正"),
    )


def test_a_history_block_in_parentheses_names_each_event_once():
    # 《关于修改〈…〉的决定》 between the date and 修正 is the amending decision, not an event of its own.
    assert [(e.date, e.event) for e in facts(LAW).history] == [("2015-03-01", "通过"), ("2018-10-26", "修正")]
    # 本法自2015年6月1日起施行 is an article of the body, not the history block.
    assert history("某法\n第一条 本法自2015年6月1日起施行。\n") == ()


def test_words_inside_a_quoted_decision_are_no_event():
    line = "（2010年1月1日通过　根据2018年10月26日某次会议《关于批准〈某某协定〉的决定》修正）"
    assert [(e.date, e.event) for e in history(f"某法（合成）\n{line}\n第一条 合成条文。\n")] == [
        ("2010-01-01", "通过"),
        ("2018-10-26", "修正"),
    ]


def test_a_wrappers_attachment_is_not_what_it_implements_even_when_told_to_carry_it_out():
    title = "示例县人民政府办公室关于印发《示例县阅读推广方案》的通知（合成）"
    text = (
        "现将《示例县阅读推广方案》印发给你们，请认真贯彻落实《示例县阅读推广方案》。\n"
        "为贯彻落实《示例市阅读条例》，制定本方案。"
    )
    assert implemented_titles(title, text) == ("示例市阅读条例",)


def test_history_dates_in_chinese_numerals_and_the_effective_date():
    text = "某条例（合成）\n（二〇一〇年十二月三十一日通过　自二〇一一年三月一日起施行）\n第一条 合成条文。\n"
    assert [(e.date, e.event) for e in history(text)] == [("2010-12-31", "通过"), ("2011-03-01", "施行")]


@pytest.mark.parametrize(
    ("path", "titles"),
    [
        (LAW, ()),
        (MEASURES, ("中华人民共和国社区阅读促进法",)),  # 根据《X》…制定本办法, and 实施《X》办法 in the title
        (PLAN, ("湖南省实施〈中华人民共和国社区阅读促进法〉办法",)),  # 为贯彻落实《X》
        # The wrapper issues 《长沙县…工作方案》 (its attachment, not implemented); the attachment carries out the plan.
        (NOTICE, ("长沙市社区阅读空间建设三年行动方案",)),
        (OPINION, ()),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else None,
)
def test_what_each_document_says_it_implements(path: Path, titles: tuple[str, ...]):
    assert facts(path).implements == titles


def test_the_seeds_title_links_to_the_central_opinion(catalogue):
    hunan = catalogue.get("hunan-2021")
    titles = implemented_titles(hunan.title, "")
    assert titles == ("中共中央国务院关于新时代推动中部地区高质量发展的意见",)
    assert link_implements(catalogue.entries, titles) == ("central-2021",)
    assert title_key("中华人民共和国 社区阅读促进法（2018年修正）") == title_key("《社区阅读促进法》")


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("关于贯彻落实《某某意见》的实施意见", "实施意见"),
        ("某省实施《中华人民共和国某某法》办法", "实施办法"),
        ("某市城市更新行动方案（试行）", "方案"),
        ("某省某某管理办法", "办法"),
        ("某某条例（2020年修正）", "条例"),
        ("关于印发《某某实施方案》的通知", "通知"),
        ("中华人民共和国某某法", "法"),
        ("某某工作要点", ""),
    ],
)
def test_type_from_how_the_title_ends(title: str, kind: str):
    assert doc_type(title) == kind


def test_derived_ids_are_readable_ascii_and_never_a_bare_date():
    assert derived_id("河南省实施《残疾人保障法》办法", "provincial", "河南", "2012-07-27") == (
        "henan-canjirenbaozhang-shishibanfa-2012"
    )
    assert derived_id("中华人民共和国社区阅读促进法（合成测试文本）", "central", "全国", "2018-10-26") == (
        "central-shequyueducujin-fa-2018"
    )
    assert derived_id("长沙市社区阅读空间建设三年行动方案", "prefectural", "湖南/长沙", "2023-04-10") == (
        "hunan-changsha-shequyuedukongjianjian-fangan-2023"
    )
    assert name_id("河南省实施《残疾人保障法》办法(2012-07-27).md") == ""
    assert name_id("2012-07-27.md") == ""
    assert name_id("guangdong-2021.docx") == "guangdong-2021"
    assert unique_id("a-2012", {"a-2012", "a-2012-2"}) == "a-2012-3"


def test_corpus_add_reads_a_law_and_its_measures_and_links_them(tmp_path: Path, cli):
    folder = tmp_path / "c"
    # Files named in Chinese, as a researcher saves them: the id comes from region, title and year.
    law_file, measures_file = tmp_path / "社区阅读促进法.md", tmp_path / "湖南省实施办法(2022-07-29).md"
    shutil.copyfile(LAW, law_file)
    shutil.copyfile(MEASURES, measures_file)
    law = cli("corpus", "add", str(law_file), "--corpus", str(folder))
    assert law.code == 0, law.err
    assert law.out.splitlines()[0] == f"added central-shequyueducujin-fa-2018 to {folder} (a new corpus)"
    assert "central, 全国, 2018-10-26" in law.out  # no --level needed: 中华人民共和国…法 is central
    assert "type 法, history 2015-03-01 通过; 2018-10-26 修正" in law.out
    measures = cli("corpus", "add", str(measures_file), "--corpus", str(folder))
    assert measures.code == 0, measures.err
    assert "implements central-shequyueducujin-fa-2018" in measures.out
    entries = {e.id: e for e in read_catalogue(folder)}
    m = entries["hunan-shequyueducujin-shishibanfa-2022"]
    assert (m.level, m.region, m.date, m.doc_type) == ("provincial", "湖南", "2022-07-29", "实施办法")
    assert m.implements == ("central-shequyueducujin-fa-2018",)
    assert [(e.date, e.event) for e in m.history] == [
        ("2016-05-27", "通过"),
        ("2019-09-28", "修正"),
        ("2022-07-29", "修正"),
    ]
    # The history survives the catalogue round trip onto the document's data card.
    info = Catalogue([folder]).load(m.id).info
    assert info.history == m.history and info.implements == m.implements and info.doc_type == "实施办法"


def test_two_files_that_differ_only_by_name_get_distinct_ids(tmp_path: Path, cli):
    folder = tmp_path / "c"
    first = tmp_path / "河南省实施《社区阅读促进法》办法(2022-07-29).md"
    second = tmp_path / "河南省实施《社区阅读促进法》办法(2022-07-29) 副本.md"
    for path in (first, second):
        shutil.copyfile(MEASURES, path)
    out = [cli("corpus", "add", str(p), "--corpus", str(folder)) for p in (first, second)]
    assert [r.code for r in out] == [0, 0], [r.err for r in out]
    ids = [e.id for e in read_catalogue(folder)]
    assert ids == ["hunan-shequyueducujin-shishibanfa-2022", "hunan-shequyueducujin-shishibanfa-2022-2"]
    assert out[1].out.startswith(f"added {ids[1]} to {folder}")
    assert "id chosen from the region, title and year" in out[1].out


def test_command_line_fields_still_override_what_the_text_says(tmp_path: Path, cli):
    folder = tmp_path / "c"
    r = cli(
        "corpus", "add", str(MEASURES), "--corpus", str(folder), "--id", "mine", "--level", "other",
        "--region", "示例", "--date", "2020", "--title", "示例办法（合成）",
    )  # fmt: skip
    assert r.code == 0, r.err
    (entry,) = read_catalogue(folder)
    assert (entry.id, entry.level, entry.region, entry.date, entry.title) == (
        "mine",
        "other",
        "示例",
        "2020",
        "示例办法（合成）",
    )


def test_versions_are_other_texts_of_the_same_work_ordered_by_date(tmp_path: Path, cli):
    folder = tmp_path / "c"
    older = tmp_path / "older.md"
    older.write_text(
        MEASURES.read_text(encoding="utf-8")
        .replace("（合成测试文本）", "（2019年修正）（合成测试文本）")
        # The older text's history stops at its first amendment.
        .replace("2022年7月29日湖南省第十三届人民代表大会常务委员会第三十二次会议第二次修正\n", ""),
        encoding="utf-8",
    )
    for path, doc_id in ((MEASURES, "current"), (older, "older"), (PLAN, "plan")):
        assert cli("corpus", "add", str(path), "--id", doc_id, "--corpus", str(folder)).code == 0
    found = versions(read_catalogue(folder))
    assert found == {"current": ("older",), "older": ("current",), "plan": ()}
    assert [e.date for e in read_catalogue(folder)][:2] == ["2022-07-29", "2019-09-28"]


def test_a_file_read_ad_hoc_is_described_from_its_text(tmp_path: Path):
    path = tmp_path / "湖南省实施办法(2022-07-29).md"
    shutil.copyfile(MEASURES, path)
    info = Catalogue().load(str(path)).info
    assert (info.id, info.level, info.region, info.date, info.doc_type) == (
        "hunan-shequyueducujin-shishibanfa-2022",
        "provincial",
        "湖南",
        "2022-07-29",
        "实施办法",
    )
    assert info.title == "湖南省实施《中华人民共和国社区阅读促进法》办法（合成测试文本）"
    assert len(info.history) == 3 and info.implements == ("中华人民共和国社区阅读促进法",)


@pytest.mark.parametrize(
    ("history_line", "level", "region"),
    [
        ("2016年5月27日湖南省第十二届人民代表大会常务委员会第二十二次会议通过", "provincial", "湖南"),
        ("2016年5月27日长沙市第十五届人民代表大会常务委员会第二次会议通过", "prefectural", "湖南/长沙"),
        ("2016年5月27日第十二届全国人民代表大会常务委员会第二十一次会议通过", "central", "全国"),
    ],
)
def test_the_level_comes_from_the_history_lines_when_the_title_does_not_say(
    history_line: str, level: str, region: str, tmp_path: Path, cli
):
    path = tmp_path / "社区阅读促进条例.md"
    path.write_text(f"# 社区阅读促进条例（合成测试文本）\n\n{history_line}\n\n第一条 合成条文。\n", encoding="utf-8")
    r = cli("corpus", "add", str(path), "--corpus", str(tmp_path / "c"))
    assert r.code == 0, r.err
    (entry,) = read_catalogue(tmp_path / "c")
    assert (entry.level, entry.region, entry.date, entry.doc_type) == (level, region, "2016-05-27", "条例")


def test_a_reprint_that_names_its_issuers_in_the_title_is_a_version_of_the_same_work(catalogue):
    from dataclasses import replace

    hunan = catalogue.get("hunan-2021")
    reprint = replace(hunan, id="reprint", title="中共湖南省委 湖南省人民政府 " + hunan.title, date="2021-07-27")
    other = replace(hunan, id="anhui", region="安徽")  # the same title from another province is another work
    assert versions([reprint, hunan, other]) == {"reprint": ("hunan-2021",), "hunan-2021": ("reprint",), "anhui": ()}


def test_a_hand_edited_history_that_is_not_a_list_of_tables_is_one_clear_error(tmp_path: Path, cli):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "catalogue.toml").write_text(
        '[[document]]\nid = "x"\ntitle = "某条例（合成）"\nfile = "x.md"\nhistory = ["2012-07-27 修正"]\n',
        encoding="utf-8",
    )
    r = cli("corpus", "list", "--corpus", str(folder))
    assert r.code == 2
    assert r.err == (
        f"policydiff: error: {folder / 'catalogue.toml'}:5: document 'x': 'history' must be a list of tables, "
        "not a list\n"
    )


def test_a_notices_date_is_its_date_line_even_after_a_dated_approval(tmp_path: Path):
    text = (
        "示例县人民政府办公室关于印发《示例方案》的通知（合成）\n"
        "经2023年5月20日县人民政府常务会议审议通过，现印发给你们。\n"
        "示例县人民政府办公室\n2023年6月1日\n"
    )
    f = text_facts(text.split("\n")[0], text)
    assert [(e.date, e.event) for e in f.history] == [("2023-05-20", "通过")]
    assert (f.date, f.level, f.region) == ("2023-06-01", "county", "示例县")


def test_markdown_without_a_heading_takes_its_first_line_as_title(tmp_path: Path, cli):
    path = tmp_path / "条例.md"
    path.write_text(MEASURES.read_text(encoding="utf-8").replace("# ", "", 1), encoding="utf-8")
    r = cli("corpus", "add", str(path), "--corpus", str(tmp_path / "c"))
    assert r.code == 0, r.err
    (entry,) = read_catalogue(tmp_path / "c")
    assert entry.title == "湖南省实施《中华人民共和国社区阅读促进法》办法（合成测试文本）"
