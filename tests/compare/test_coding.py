"""Policy-instrument coding: every subtype fires on a sentence written for it and not on a near-miss; the seed's
coding is deterministic; instrument mix and instrument changes; the DataFrame."""

from __future__ import annotations

import pytest

from policydiff.compare.coding import (
    code_document,
    code_documents,
    code_text,
    codings_frame,
    default_codebook,
    instrument_changes,
    instrument_mix,
)

# (subtype, a sentence written for it, a near-miss that shares its vocabulary but states no such measure).
# Our own sentences, not quotations.
SENTENCES = [
    ("talent", "组织开展青年技能工人培训，扩大技能人才队伍。", "完善人才评价办法。"),
    ("funding", "设立专项资金，对新建项目给予一次性奖补。", "做好项目经费的审计工作。"),
    ("technology", "支持企业联合高校开展共性技术攻关。", "设立科技金融服务专窗。"),
    ("infrastructure", "新建两座水库并加固沿河堤防。", "推动两地基础设施互联互通。"),
    ("information", "搭建全市统一的企业信息服务平台，推动数据共享。", "发展新一代信息网络。"),
    ("public_services", "扩大社区养老和托育服务供给。", "推进公共服务标准化改革。"),
    ("planning", "到2030年，全市绿色建筑占新建建筑比重达到80%。", "实现两市规划衔接。"),
    ("financial", "引导银行扩大对小微企业的信贷投放，支持企业发行债券。", "建设区域金融中心。"),
    ("tax", "对符合条件的小微企业减免地方税费。", "推动口岸提效降费。"),
    ("regulation", "严格落实排污许可管理，加强执法检查。", "推进高标准农田建设。"),
    ("institutional_reform", "深化事业单位体制机制改革。", "坚持改革开放不动摇。"),
    ("strategic", "鼓励本地企业与沿海企业开展产业协作。", "推动产业链优化升级。"),
    ("procurement", "市政府优先采购本地创新产品。", "完善农产品收购体系。"),
    ("outsourcing", "通过政府购买服务方式委托社会组织开展养老评估。", "规范快递外包装回收。"),
    ("trade", "支持企业建设海外仓，拓展跨境电商出口。", "建设联通大湾区的投资贸易走廊。"),
    ("demonstration", "在五个街道开展垃圾分类试点。", "发挥龙头企业示范引领作用。"),
    ("consumption", "发放消费券，促进汽车以旧换新。", "控制能源消费总量。"),
]


def test_every_subtype_of_the_codebook_has_a_sentence():
    assert sorted(s for s, _, _ in SENTENCES) == sorted(s.id for s in default_codebook().subtypes)


@pytest.mark.parametrize(("subtype", "sentence", "near_miss"), SENTENCES, ids=[s for s, _, _ in SENTENCES])
def test_subtype_fires_on_its_sentence_and_not_on_a_near_miss(subtype: str, sentence: str, near_miss: str):
    book = default_codebook()
    codes = code_text(sentence, book)
    assert codes, sentence
    assert codes[0].subtype == subtype, [c.subtype for c in codes]
    assert codes[0].type == book.subtype(subtype).type
    assert codes[0].matched and codes[0].score >= 1
    assert subtype not in [c.subtype for c in code_text(near_miss, book)]


@pytest.mark.parametrize(
    "sentence",
    [
        "推动中部地区高质量发展，是一项重大决策部署。",
        "坚持扩大内需战略基点，加快构建新发展格局。",
        "加强工作协同，抓好贯彻落实。",
    ],
    ids=["slogan", "stock-formula", "boilerplate"],
)
def test_a_sentence_with_no_measure_gets_no_code(sentence: str):
    assert code_text(sentence, default_codebook()) == ()


# Rules added when the codebook was tuned on the tuning and first held-out samples: (sentence, primary subtype).
# Our own sentences, not quotations.
TUNED = [
    ("在民生发展上，养老和托育服务覆盖面明显扩大。", "planning"),  # a goal statement, not the service itself
    ("规划建设滨江湿地公园。", "infrastructure"),  # planning-and-building is building
    ("加快智能农机产业化，扩大新型电池生产能力。", "strategic"),  # developing an industry, no specific tool
    ("放宽新设企业住所登记的限制。", "institutional_reform"),
    ("健全科研成果评价制度。", "institutional_reform"),
    ("强化对农机企业的财税金融支持。", "funding"),
    ("办好地方经贸洽谈会，拓展保税物流功能。", "trade"),
    ("全面对接区域全面经济伙伴关系协定。", "trade"),
    ("建设职业院校合作办学项目，推进高校双一流建设。", "talent"),
    ("加强湖泊保护治理，落实禁渔制度。", "regulation"),
    ("完善殡葬服务设施网点。", "public_services"),
    ("建设集研究开发、检验检测于一体的公共平台。", "technology"),
]


@pytest.mark.parametrize(("sentence", "subtype"), TUNED, ids=[s for _, s in TUNED])
def test_tuned_rules_give_the_primary_instrument(sentence: str, subtype: str):
    codes = code_text(sentence, default_codebook())
    assert codes and codes[0].subtype == subtype, [c.subtype for c in codes]


def test_specific_instrument_comes_before_a_general_exhortation():
    codes = code_text("鼓励企业加强合作，设立专项资金支持技术改造。", default_codebook())
    assert [c.subtype for c in codes][:2] == ["funding", "technology"]
    assert codes[-1].subtype == "strategic"


def test_the_seeds_coding_is_deterministic(hunan):
    first = code_documents([hunan]).to_dict()
    default_codebook.cache_clear()
    second = code_documents([hunan]).to_dict()
    assert first == second
    doc = first["documents"][0]
    assert doc["strength"]["score"] == 1 and doc["strength"]["doc_type"] == "实施意见"
    summary = doc["summary"]["document"]
    assert summary["units"] == len(doc["units"]) > 200
    assert summary["coded"] + summary["uncoded"] == summary["units"]
    assert sum(v["units"] for v in summary["by_type"].values()) == summary["coded"]
    assert set(summary["by_type"]) == {"supply", "environment", "demand"}
    # Quotes come from the source text.
    assert doc["units"][0]["text"] in hunan.text


def test_summary_per_provision_adds_up_to_the_document(hunan):
    coding = code_document(hunan)
    assert sum(s.units for _, s in coding.provisions) == coding.summary.units
    assert sum(s.coded for _, s in coding.provisions) == coding.summary.coded
    assert [p for p, _ in coding.provisions][:2] == ["序言", "一/（一）"]


def test_codings_as_a_dataframe(hunan):
    df = codings_frame(code_documents([hunan]))
    assert {"document", "provision", "unit", "path", "type", "subtype", "rank", "score", "strength"} <= set(df.columns)
    primary = df[df["rank"] <= 1]
    assert primary["path"].is_unique  # one primary (or "none") row per unit
    assert set(df["type"]) <= {"supply", "environment", "demand", "none"}


def test_instrument_mix_and_difference_from_the_reference(hunan, central):
    report = code_documents([central, hunan])
    rows = instrument_mix(report.documents)
    ref = [r for r in rows if r.document == "central-2021"]
    assert all(r.difference == 0.0 for r in ref)
    hunan_types = [r for r in rows if r.document == "hunan-2021" and not r.subtype]
    assert [r.type for r in hunan_types] == ["supply", "environment", "demand"]
    assert sum(r.share for r in hunan_types) == pytest.approx(1.0, abs=1e-3)
    for r in rows:
        assert r.difference == pytest.approx(r.share - r.reference_share, abs=1e-3)


def test_instrument_changes_name_a_swap_an_addition_and_a_drop(tmp_path, catalogue):
    ref = tmp_path / "synthetic-centre.txt"
    tgt = tmp_path / "synthetic-province.txt"
    ref.write_text("一、支持产业\n（一）支持企业。设立专项资金，对企业给予奖补。\n", encoding="utf-8")
    tgt.write_text(
        "一、支持产业\n（一）支持企业。引导银行扩大对企业的信贷投放。\n（二）建设。新建两座水库。\n", encoding="utf-8"
    )
    r, t = catalogue.load(str(ref)), catalogue.load(str(tgt))
    assert instrument_changes(t.clauses[:1], r.clauses[:1]) == ("supply (funding) → environment (financial)",)
    assert instrument_changes(t.clauses, r.clauses) == (
        "dropped supply (funding)",
        "added environment (financial)",
        "added supply (infrastructure)",
    )
    assert instrument_changes(r.clauses, r.clauses) == ()
