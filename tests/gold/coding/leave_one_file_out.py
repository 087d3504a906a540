"""Leave-one-out figures of the third and fourth tuning rounds (tests/gold/coding/README.md).

For each hand-coded file, the codebook without the items whose addition was motivated by that file's sentences
(the lists below are the codebook authors' own record, kept so the figures can be rerun), scored on that file.
The fourth round also leaves out one part of held-out sample 3 at a time (the seed's units, the synthetic 意见,
the synthetic 方案): an item motivated by several parts is kept when another part motivated it ("lenient") and
taken out whenever the left-out part was among its motives ("strict"). Prints agreement figures only.

    .venv/bin/python tests/gold/coding/leave_one_file_out.py
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from policydiff.compare.api import load
from policydiff.compare.coding import CodingReport, code_documents
from policydiff.compare.reliability import HandCode, Reliability, evaluate_coding, read_hand_coding
from policydiff.rules.codebook import Codebook, load_codebook

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parents[1] / "fixtures" / "coding"
DOCUMENTS = (
    "hunan-2021",
    str(FIXTURES / "synthetic-county-economy-opinion.md"),
    str(FIXTURES / "synthetic-digital-transformation-plan.md"),
)
FILES = {
    "tuning": "seed-sample.csv",
    "held-out 1": "seed-held-out-1.csv",
    "held-out 2": "seed-held-out-2.csv",
    "held-out 3": "held-out-3-coder-a.csv",
}
# The parts of held-out sample 3, by the document its rows name.
PARTS = {
    "seed": "hunan-2021",
    "意见": "synthetic-county-economy-opinion",
    "方案": "synthetic-digital-transformation-plan",
}

# Two patterns the third round widened because of held-out 2 (their round-2 forms are put back when leaving it out).
_INFRA = (
    "(?:建设|新建|建成|改扩建|扩建|改造|贯通|完善)[^，。；]{0,24}"
    "(?:设施|网络|枢纽|铁路|公路|高铁|机场|港口|管网|电网|水库)"
)
_STRATEGIC = "(?:发展|提升|做强|壮大|培育|打造)[^，。；]{0,30}(?:产业|经济|竞争力|产业集群)"
_RELIES_ON = "依托(?:(?!建设|打造|建立|发展|开发|实施|推进|开展|实现)[^，。；]){1,40}(?=，)"
# The general-measure rule (strategic): reported with and without it.
FALLBACK = (
    "(?:^|，)(?:加强|推进|推动|加快|完善|健全|建立|实施|支持|开展|深化|强化|提升|促进|着力|积极|大力|扎实|全面|持续"
    "|坚决|统筹|做好|打造|构建|培育|优化)"
)

# (where, field, value[, earlier value]): where is a subtype id, "ignore", "stock" (a whole formula) or
# "stockpat" (one pattern of a formula); an earlier value is put back in the item's place, and an empty value
# with an earlier one puts back what the round took out.
Item = tuple[str, ...]
MOTIVATED_BY: dict[str, list[Item]] = {
    "held-out 2": [
        *[
            ("regulation", "keywords", w)
            for w in (
                "知识产权保护",
                "保护知识产权",
                "耕地保护",
                "保护耕地",
                "资源保护",
                "生态功能区",
                "河长制",
                "湖长制",
                "林长制",
                "垃圾分类",
                "审评",
                "合法权益",
                "国家公园",
                "法治",
                "保护地",
            )
        ],
        ("regulation", "exclusions", "疫情防控"),
        ("regulation", "patterns", "(?:保护|保障)[^，。；]{0,6}(?:耕地|资源|权益|产权|水源|湿地)"),
        ("regulation", "patterns", "(?:耕地|资源|产权|权益|水源|湿地|生态)[^，。；]{0,4}保护"),
        *[("institutional_reform", "keywords", w) for w in ("扁平化", "运营市场化")],
        *[("tax", "keywords", w) for w in ("价格机制", "电价", "水价", "气价", "价格政策")],
        *[
            ("infrastructure", "keywords", w)
            for w in ("配送中心", "海绵城市", "供水", "市政设施", "老旧小区", "棚户区")
        ],
        *[("infrastructure", "exclusions", w) for w in ("科技基础设施", "体育设施", "体育公园", "国家公园")],
        ("infrastructure", "patterns", _INFRA, "建设[^，。；]{0,12}(?:设施|网络|枢纽)"),
        *[
            ("technology", "keywords", w)
            for w in (
                "科创园",
                "科创中心",
                "科创平台",
                "科创走廊",
                "科技基础设施",
                "科学中心",
                "创新联合体",
                "创新主体",
            )
        ],
        *[
            ("public_services", "keywords", w)
            for w in ("普法", "法律服务", "公共卫生", "疫情防控", "传染病", "历史文化", "文物")
        ],
        ("public_services", "exclusions", "医疗器械"),
        *[("strategic", "keywords", w) for w in ("供应基地", "生产基地", "做大做强", "做强做优")],
        ("strategic", "patterns", _STRATEGIC, "(?:发展|提升|做强|壮大)[^，。；]{0,12}(?:产业|经济|竞争力)"),
        ("strategic", "patterns", "(?:实施|开展|推进)[^，。；]{0,20}(?:行动|工程)"),
        *[("financial", "exclusions", w) for w in ("金融产业", "金融业", "基金小镇")],
        ("trade", "exclusions", "改革开放平台"),
        *[("planning", "keywords", w) for w in ("建设用地", "计划指标", "用地指标")],
        ("stock", "lead_formula", ""),
        ("stock", "significance", ""),
        *[
            ("stockpat", "implementation_duty", p)
            for p in (
                "按照?职责分工",
                "加强(?:组织|统筹)(?:领导|指导|协调)",
                "(?:本|该)(?:实施)?(?:意见|方案|办法|规定|细则|措施)(?:贯彻落实|实施|执行|落实)",
                "督促(?:检查|督查|落实)|督导检查|督查督办|跟踪问效",
                "实施效果评估",
            )
        ],
        ("ignore", "", "在[^。；]{1,60}?方面(?=[^，。；]{0,6}(?:交流|合作|协作))"),
        ("ignore", "", _RELIES_ON),
    ],
    "tuning": [("ignore", "", _RELIES_ON)],
    "held-out 1": [
        ("stockpat", "guiding_ideology", "构建[^，。；]{0,40}新发展格局"),
        ("ignore", "", "以[^，。；]{1,30}为(?:重点|依托|载体|龙头|引领|核心|牵引|突破口)(?=，)"),
        ("ignore", "", "按照[^。；]{1,60}?要求(?=，)"),
    ],
}


# The fourth round's items, each with the parts of held-out sample 3 whose sentences motivated it ("" for none:
# formulae of document shapes no hand-coded sentence has, written from the conventions).
_FUNDS = ("产业投资基金", "产业基金", "子基金")
_PLATFORM = (
    "(?:建设|搭建|建立|开发|组建|打造)(?:(?!创新|研发|研究|检验|检测|试验|中试|孵化|创业|开放|科技|交易|合作|产业)"
    "[^，。；]){0,16}平台"
)
ROUND_4: list[tuple[str, Item]] = [
    (
        "方案 意见",
        ("ignore", "", "(?<![针面相绝应])对[^，。；]{1,40}(?:项目|企业|单位|主体|商户|机构|服务商|行为)(?=，)"),
    ),
    ("方案", ("ignore", "", "[^，。；]{1,40}(?:发生|产生)的(?:费用|支出)(?=，)")),
    ("", ("ignore", "", "将[^，。；]{1,30}?(?=(?:纳入|列入)[^，。；]{0,12}(?:规划|预算|范围|目录|清单|体系))")),
    ("方案", ("stockpat", "principle", "坚持[^，。；]{2,20}(?:与|和)[^，。；]{2,20}相结合")),
    ("意见", ("stockpat", "implementation_duty", "联席会议")),
    ("方案", ("stockpat", "implementation_duty", "工作专班")),
    ("方案", ("stockpat", "implementation_duty", "领导小组")),
    ("意见", ("stockpat", "implementation_duty", "考核评价办法|考核结果[^，。；]{0,6}作为|纳入[^，。；]{0,16}考核")),
    ("意见", ("stockpat", "implementation_duty", "营造[^，。；]{0,30}氛围")),
    *[
        ("", ("stockpat", "implementation_duty", p))
        for p in (
            "印发给你们",
            "请[^，。；]{0,12}认真(?:贯彻|组织)?(?:执行|落实|实施)",
            "(?:牵头|责任|配合)(?:单位|部门)[:：]",
            "完成时限[:：]",
        )
    ],
    *[("意见 方案", ("funding", "keywords", w)) for w in _FUNDS],
    *[("意见 方案", ("financial", "exclusions", w)) for w in _FUNDS],
    (
        "方案",
        (
            "funding",
            "patterns",
            "(?:安排|统筹|设立|整合)[^，。；]{0,16}资金",
            "(?:安排|统筹|设立|整合)[^，。；]{0,8}资金",
        ),
    ),
    ("方案", ("technology", "keywords", "", "数字化转型")),
    *[("seed 方案", ("technology", "keywords", w)) for w in ("重大专项", "科技专项")],
    ("方案", ("technology", "patterns", "推广[^，。；]{0,16}(?:技术|工艺|解决方案)")),
    *[("方案", ("infrastructure", "keywords", w)) for w in ("光网", "5G网络", "千兆", "算力", "计算节点")],
    *[("意见", ("information", "keywords", w)) for w in ("监测统计", "统计监测")],
    ("方案", ("information", "keywords", "监测体系")),
    ("意见 方案", ("information", "patterns", _PLATFORM)),
    ("意见 方案", ("information", "patterns", "(?:发布|公布|公开)[^，。；]{0,16}(?:信息|目录|数据)")),
    ("seed", ("planning", "patterns", "(?:出台|制定|编制)[^，。；]{0,20}(?:规划|方案|计划)")),
    ("方案", ("planning", "patterns", "\\d+(?:\\.\\d+)?(?:个|家|项|所|万家)以上")),
    ("方案", ("planning", "patterns", "累计(?:突破|达到|超过)")),
    ("方案", ("planning", "exclusions", "布局建设")),
    *[("意见", ("financial", "keywords", w)) for w in ("农业保险", "政策性保险")],
    *[("意见", ("tax", "keywords", w)) for w in ("地价", "价款")],
    ("方案", ("tax", "keywords", "资费")),
    ("意见", ("tax", "patterns", "不再(?:增收|收取|征收)|免收|减半收取")),
    ("方案", ("tax", "patterns", "(?:资费|收费|价格|电价|水价|气价|地价|租金)[^。；]{0,20}(?:优惠|减免|减半)")),
    *[("意见", ("regulation", "keywords", w)) for w in ("信用评价", "信用记录", "信用监管", "惩戒")],
    *[("方案", ("regulation", "keywords", w)) for w in ("管理制度", "网络安全", "数据安全", "风险预警")],
    ("seed", ("regulation", "keywords", "山水林田湖草")),
    ("seed", ("regulation", "patterns", "(?:生态|环境|流域|水土流失|污染|综合|系统)[^，。；]{0,4}治理")),
    (
        "方案",
        (
            "regulation",
            "patterns",
            "(?:制定|修订|完善|健全|出台|执行|实施)[^，。；]{0,16}标准",
            "(?:制定|修订|完善|健全|出台|执行|实施)[^，。；]{0,10}标准",
        ),
    ),
    *[("意见", ("institutional_reform", "keywords", w)) for w in ("下放", "应放尽放")],
    (
        "方案",
        (
            "institutional_reform",
            "patterns",
            "(?:优化|简化|压缩|精简)[^，。；]{0,16}(?:流程|手续|审批|环节|时限)",
            "(?:优化|简化|压缩|精简)[^，。；]{0,8}(?:流程|手续|审批|环节|时限)",
        ),
    ),
    ("意见", ("trade", "keywords", "招商")),
    ("意见", ("strategic", "keywords", "", "招商")),
    ("方案", ("strategic", "patterns", "举办[^，。；]{0,20}(?:大会|大赛|论坛|博览会|展会|推介)")),
    ("方案", ("procurement", "patterns", "开放[^，。；]{0,8}场景")),
    ("seed", ("consumption", "keywords", "网购")),
    ("", ("consumption", "keywords", "夜间经济")),
]


def round_4(part: str | None = None, strict: bool = True) -> list[Item]:
    """The fourth round's items motivated by held-out 3 (by one part of it when part is given): strict, every
    item among whose motives the part is; lenient, only the items no other part motivated."""
    out = []
    for motives, item in ROUND_4:
        parts = motives.split()
        if (part is None and parts) or (part in parts and (strict or parts == [part])):
            out.append(item)
    return out


def without(book: Codebook, items: list[Item]) -> Codebook:
    """The codebook with the given items taken out (or put back to their earlier form)."""
    subs = {s.id: s for s in book.subtypes}
    ignore, stock = list(book.ignore), list(book.stock)
    for where, field, value, *old in items:
        if where == "ignore":
            ignore.remove(value)
        elif where == "stock":
            stock = [s for s in stock if s.id != field]
        elif where == "stockpat":
            stock = [
                dataclasses.replace(s, patterns=tuple(p for p in s.patterns if p != value)) if s.id == field else s
                for s in stock
            ]
            assert any(s.id == field for s in stock), field
        else:
            values = list(getattr(subs[where], field))
            if not value:  # taken out by the round: put it back
                assert old and old[0] not in values, (where, old)
                values.extend(old[:1])
            else:
                at = values.index(value)  # ValueError: the list above no longer matches the codebook
                values[at : at + 1] = old[:1]
            subs[where] = dataclasses.replace(subs[where], **{field: tuple(values)})
    return dataclasses.replace(
        book, subtypes=tuple(subs[s.id] for s in book.subtypes), ignore=tuple(ignore), stock=tuple(stock)
    )


_REPORTS: dict[Codebook, CodingReport] = {}


def _hand(name: str, book: Codebook) -> list[HandCode]:
    return read_hand_coding(HERE / FILES[name], book)


def scores(book: Codebook) -> dict[str, Reliability]:
    """Agreement on each file, on each part of held-out 3 ("held-out 3: 方案") and on the seed's 206 units."""
    report = code_documents([load(d) for d in DOCUMENTS], book)
    out = {name: evaluate_coding(report, _hand(name, book), f) for name, f in FILES.items()}
    third = _hand("held-out 3", book)
    for part, document in PARTS.items():
        out[f"held-out 3: {part}"] = evaluate_coding(report, [h for h in third if h.document == document], part)
    seed = [h for name in FILES for h in _hand(name, book) if h.document == "hunan-2021"]
    out["seed, all 206"] = evaluate_coding(report, seed, "seed")
    return out


def _line(name: str, r: Reliability) -> str:
    t, s = r.by_type, r.by_subtype
    figures = f"agreement {t.percent:.3f}, alpha {t.alpha:.3f}"
    return f"{name:16} ({r.aligned:3}) type kappa {t.kappa:.3f} ({figures}), subtype kappa {s.kappa:.3f}"


def main() -> None:
    book = load_codebook()
    print("fourth round, all items:")
    for name, r in scores(book).items():
        print("  " + _line(name, r))
    print("third round (the fourth round's items taken out):")
    for name, r in scores(without(book, round_4())).items():
        print("  " + _line(name, r))
    print("leave one file out (third-round items of tuning, held-out 1, 2; fourth-round items of held-out 3):")
    for name in FILES:
        items = round_4() if name == "held-out 3" else MOTIVATED_BY[name]
        print("  " + _line(name, scores(without(book, items))[name]))
    print("leave one part of held-out 3 out (fourth-round items; lenient / strict):")
    for part in PARTS:
        for strict in (False, True):
            r = scores(without(book, round_4(part, strict)))[f"held-out 3: {part}"]
            print("  " + _line(f"{part} ({'strict' if strict else 'lenient'})", r))
    print("the same, without the general-measure rule:")
    fallback: list[Item] = [("strategic", "patterns", FALLBACK)]
    for name in FILES:
        items = round_4() if name == "held-out 3" else MOTIVATED_BY[name]
        print("  " + _line(name, scores(without(book, items + fallback))[name]))


if __name__ == "__main__":
    main()
