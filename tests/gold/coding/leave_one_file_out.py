"""Leave-one-file-out figures of the third tuning round (tests/gold/coding/README.md).

For each of the three hand-coded files, the codebook without the third-round items whose addition was motivated
by that file's sentences (the list below is the codebook author's own record, kept so the figure can be rerun),
scored on that file. Prints agreement figures only, never the codes of units outside the three files.

    .venv/bin/python tests/gold/coding/leave_one_file_out.py
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from policydiff.compare.coding import code_documents
from policydiff.compare.reliability import Reliability, evaluate_coding, read_hand_coding
from policydiff.corpora.catalogue import Catalogue
from policydiff.rules.codebook import Codebook, load_codebook

HERE = Path(__file__).resolve().parent
FILES = {"tuning": "seed-sample.csv", "held-out 1": "seed-held-out-1.csv", "held-out 2": "seed-held-out-2.csv"}

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

# (where, field, value[, round-2 value]): where is a subtype id, "ignore", "stock" (a whole formula) or
# "stockpat" (one pattern of a formula).
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


def without(book: Codebook, items: list[Item]) -> Codebook:
    """The codebook with the given items taken out (or put back to their round-2 form)."""
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
            at = values.index(value)  # ValueError: the list above no longer matches the codebook
            values[at : at + 1] = old[:1]
            subs[where] = dataclasses.replace(subs[where], **{field: tuple(values)})
    return dataclasses.replace(
        book, subtypes=tuple(subs[s.id] for s in book.subtypes), ignore=tuple(ignore), stock=tuple(stock)
    )


def scores(book: Codebook) -> dict[str, Reliability]:
    report = code_documents([Catalogue().load("hunan-2021")], book)
    return {name: evaluate_coding(report, read_hand_coding(HERE / f, book), f) for name, f in FILES.items()}


def _line(name: str, r: Reliability) -> str:
    t, s = r.by_type, r.by_subtype
    figures = f"agreement {t.percent:.3f}, alpha {t.alpha:.3f}"
    return f"{name:11} type kappa {t.kappa:.3f} ({figures}), subtype kappa {s.kappa:.3f}"


def main() -> None:
    book = load_codebook()
    for label, extra in (("", []), (" without the general-measure rule", [("strategic", "patterns", FALLBACK)])):
        full = scores(without(book, extra))
        print(f"all items{label}:")
        for name, r in full.items():
            print("  " + _line(name, r))
        print(f"leave one file out{label}:")
        for name, items in MOTIVATED_BY.items():
            print("  " + _line(name, scores(without(book, items + extra))[name]))


if __name__ == "__main__":
    main()
