"""Applying rules to text: numbers, targets, scope words, formulae, places, directive strength."""

from __future__ import annotations

import pytest

from policydiff.rules.apply import PLACE_CLASS, chinese_number, compare_targets, compile_rules
from policydiff.rules.ruleset import load_rules


@pytest.fixture(scope="module")
def rules():  # type: ignore[no-untyped-def]
    return compile_rules(load_rules())


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("30", 30),
        ("61.5", 61.5),
        ("三十", 30),
        ("十五", 15),
        ("一千二百", 1200),
        ("两万", 20000),
        ("百分之三十", 30),
        ("三", 3),
        ("一点五", 1.5),
        ("3850", 3850),
    ],
)
def test_chinese_numerals_are_normalised(text: str, value: float):
    assert chinese_number(text) == value


def test_targets_carry_indicator_value_unit_and_year(rules):
    text = (
        "到2025年，制造业增加值占地区生产总值比重达到30%，"
        "全社会研发经费投入年均增长12%以上，森林覆盖率稳定在百分之五十九以上。"
    )
    found = rules.targets(text)
    assert [(t.indicator, t.value, t.unit, t.bound, t.year) for t in found] == [
        ("制造业增加值占地区生产总值比重", 30.0, "%", "", "2025"),
        ("全社会研发经费投入", 12.0, "%", "以上", "2025"),
        ("森林覆盖率", 59.0, "%", "以上", "2025"),
    ]


def test_target_changes_say_raised_lowered_added_dropped(rules):
    ref = rules.targets(
        "到2025年，制造业增加值占比重达到30%，森林覆盖率稳定在59%以上，实施城市建设安全专项整治三年行动。"
    )
    tgt = rules.targets("到2025年，全省制造业增加值占比重达到35%，森林覆盖率稳定在55%以上，对外贸易依存度提高到15%。")
    changes = {(indicator, change) for indicator, change, _, _ in compare_targets(tgt, ref)}
    assert ("全省制造业增加值占比重", "raised") in changes
    assert ("森林覆盖率", "lowered") in changes
    assert ("对外贸易依存度", "added") in changes
    assert ("实施城市建设安全专项整治", "dropped") in changes


def test_scope_words_and_places_map_to_shared_tokens(rules):
    assert rules.map_token("中部地区") == rules.map_token("我省") == rules.map_token("湖南") == "本地区"
    assert rules.map_token("长沙") == rules.map_token("郑州") == PLACE_CLASS
    assert rules.map_token("光谷") == "光谷"  # platforms stay themselves
    assert rules.map_token("制造业") == "制造业"


def test_formulae_are_found_as_spans(rules):
    text = "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的十九大精神，加快建设先进制造业高地。"
    spans = rules.formula_spans(text)
    covered = "".join(text[s:e] for s, e in spans)
    assert "为指导" in covered and "精神" in covered
    assert "先进制造业" not in covered


def test_places_prefer_the_longest_name_and_topics_come_from_keywords(rules):
    names = [p.name for p in rules.places("支持中国（武汉）光谷和长株潭建设，推动湘西自治州发展")]
    assert names == ["中国（武汉）光谷", "长株潭", "湘西自治州"]
    assert "碳达峰碳中和" in rules.topics("统筹做好碳达峰、碳中和工作")


def test_directive_strength_reads_whole_tokens(rules):
    assert rules.strength(["必须", "加快"]) == (5, "必须")
    assert rules.strength(["探索", "建立"]) == (1, "探索")
    assert rules.strength(["要素", "市场"]) == (0, "")


def test_a_numeral_that_runs_into_a_word_is_not_a_target(rules):
    assert rules.targets("突破一批关键核心技术，打造一流营商环境，提高一些效率") == []
    assert [t.value for t in rules.targets("粮食产量突破1000万吨")] == [1000.0]


def test_a_digest_dash_ends_the_indicator_and_scope_words_do_not_break_the_pair(rules):
    province = rules.targets("到2025年，全省常住人口城镇化率年均提高1个百分点以上")
    digest = rules.targets("到2025年：常住人口城镇化率—年均提高1个百分点以上")
    assert digest[0].indicator == "常住人口城镇化率"
    assert [d[1] for d in compare_targets(province, digest)] == ["same"]
