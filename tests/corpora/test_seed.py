"""The seed (Hunan 2021, a news-site reprint) must come out as the document it is."""

from __future__ import annotations

SEED_HEADINGS = {
    "一": ("总体要求", ["指导思想", "主要目标"]),
    "二": (
        "坚持创新发展，构建以先进制造业为支撑的现代产业体系",
        [
            "打造国家重要先进制造业高地",
            "打造具有核心竞争力的科技创新高地",
            "建设“五好”园区",
            "争当承接产业转移“领头雁”",
            "推动先进制造业和现代服务业深度融合",
        ],
    ),
    "三": (
        "坚持协调发展，增强城乡区域发展协同性",
        [
            "全面融入国家区域重大战略",
            "大力推动省内区域协调发展",
            "扎实推进省际毗邻区域协同发展",
            "全面提升城市功能和品质",
            "加快农业农村现代化建设",
        ],
    ),
    "四": (
        "坚持绿色发展，打造人与自然和谐共生的美丽湖南",
        ["全面构筑生态安全屏障", "加强生态环境保护治理", "加快形成绿色生产生活方式"],
    ),
    "五": (
        "坚持开放发展，打造内陆地区改革开放高地",
        ["构建开放大通道", "建设高水平开放平台", "打造市场化法治化国际化营商环境"],
    ),
    "六": (
        "坚持共享发展，提升公共服务保障水平",
        [
            "提高基本公共服务保障能力",
            "增加高品质公共服务供给",
            "加强和创新社会治理",
            "实现巩固拓展脱贫攻坚成果同乡村振兴有效衔接",
        ],
    ),
    "七": ("保障措施", ["加强组织领导", "完善政策体系", "强化协调推进"]),
}


def test_seed_has_7_sections_and_25_clauses_with_exact_headings(hunan):
    assert [s.label for s in hunan.sections] == list(SEED_HEADINGS)
    for section in hunan.sections:
        heading, clause_headings = SEED_HEADINGS[section.label]
        assert section.heading == heading
        assert [c.heading for c in section.clauses] == clause_headings
    assert len(hunan.clauses) == 25
    assert hunan.clauses[2].path == "二/（三）"
    assert hunan.clauses[-1].path == "七/（二十五）"
    assert hunan.warnings == ()


def test_preamble_is_its_own_unit_not_a_clause(hunan):
    assert hunan.preamble is not None
    assert hunan.preamble.role == "preamble"
    assert hunan.quote(hunan.preamble.start, hunan.preamble.end).startswith("推动中部地区高质量发展")
    assert all(c.role == "clause" for c in hunan.clauses)


def test_inline_link_text_survives(hunan):
    for word in (
        "推动生活服务业线上线下融合",
        "益阳、常德、张家界、湘西自治州",
        "大力实施重要农产品保障战略",
    ):
        assert word in hunan.text


def test_site_furniture_is_dropped_and_header_goes_to_metadata(hunan):
    for junk in ("责任编辑", "海量资讯", "appendQr", "原标题", "来源：", "news_keyword_pub"):
        assert junk not in hunan.text
    extra = dict(hunan.info.extra)
    assert extra["来源"] == "湖南日报"
    assert extra["原标题"].startswith("中共湖南省委 湖南省人民政府 关于贯彻落实")
    assert extra["成文日期"] == "2021年7月14日"


def test_clause_spans_quote_the_original(hunan):
    clause = hunan.clause("二/（五）")
    assert hunan.quote(clause.start, clause.end).startswith("（五）建设“五好”园区。按照")
    first_body = clause.body_units[0]
    assert hunan.quote(first_body.start, first_body.end).startswith("按照“规划定位好")
    assert len(hunan.text) == len(hunan.analysis_text)


def test_goals_clause_keeps_its_second_paragraph(hunan):
    goals = hunan.clause("一/（二）")
    assert "到2035年" in hunan.quote(goals.start, goals.end)
