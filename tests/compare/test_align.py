"""Order-aware alignment: on the bundled pair and on small synthetic documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from policydiff.compare import compare_documents
from policydiff.compare.cache import Cache


@pytest.fixture(scope="module")
def hunan_central(hunan_report):  # type: ignore[no-untyped-def]
    return hunan_report.comparisons[0]


def _pairs(comparison):  # type: ignore[no-untyped-def]
    return {(v.target[0].path, v.reference[0].path): v for v in comparison.verdicts if v.target and v.reference}


def test_a_clause_out_of_the_central_order_is_matched_and_flagged_moved(hunan_central):
    pairs = _pairs(hunan_central)
    # Hunan puts its industrial-transfer clause after the innovation clause; the central text before it. The
    # transfer clause is the one out of order (the innovation clause keeps its place in the sequence), and in
    # section 三 Hunan's clause on neighbouring provinces comes before its city clause, unlike the central text.
    assert pairs[("二/（六）", "二/（四）")].evidence.moved
    assert not pairs[("二/（四）", "二/（五）")].evidence.moved
    moved = {k for k, v in pairs.items() if v.evidence.moved}
    assert moved == {("二/（六）", "二/（四）"), ("三/（十）", "三/（十一）")}
    assert all("tfidf" in v.evidence.matched_by for v in pairs.values())


def test_heading_only_and_unseen_reference_clauses(hunan_central):
    pairs = _pairs(hunan_central)
    v = pairs[("三/（八）", "三/（七）")]
    assert v.label == "adapted" and v.evidence.unseen
    assert any("heading only" in n for n in v.evidence.notes)
    missing = {v.reference[0].path: v for v in hunan_central.verdicts if v.label == "missing"}
    assert "三/（八）" in missing  # 促进城乡融合发展: known by heading, taken up by no Hunan clause
    assert missing["三/（八）"].evidence.unseen  # ⚠: only its heading is known
    unjudged = {v.reference[0].path: v for v in hunan_central.verdicts if v.label == "unjudged"}
    # Nothing of these was seen: they are neither missing nor counted, and carry no ⚠ (the status says it all).
    assert set(unjudged) == {
        "六/（十九）",
        "六/（二十）",
        "六/（二十一）",
        "七/（二十三）",
        "八/（二十四）",
        "八/（二十五）",
    }
    assert any("cannot be judged" in n for n in unjudged["六/（十九）"].evidence.notes)
    assert not any(v.evidence.unseen for v in unjudged.values())
    assert hunan_central.summary == {"retained": 0, "adapted": 18, "added": 7, "missing": 1, "unjudged": 6}
    # ⚠ only where a verdict could change: not on matches whose reference clause body was (partly) seen.
    assert not pairs[("一/（一）", "一/（一）")].evidence.unseen


def test_a_digest_clause_without_heading_is_found_by_its_notes(hunan_central):
    v = _pairs(hunan_central)[("七/（二十四）", "七/（二十二）")]
    assert any("技术改造综合奖补政策" in p.target_text for p in v.evidence.sentence_pairs)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_boilerplate_alone_does_not_make_a_match(catalogue, tmp_path: Path):
    ref = _write(
        tmp_path,
        "synthetic-ref.txt",
        "一、总体要求\n（一）指导思想。以习近平新时代中国特色社会主义思想为指导，全面贯彻党的十九大精神，推动区域协调发展。\n"
        "二、产业\n（二）发展先进制造业。建设装备制造产业集群，推进传统产业智能化改造。\n",
    )
    tgt = _write(
        tmp_path,
        "synthetic-target.txt",
        "一、产业\n（一）壮大装备制造业。建设装备制造产业集群，推动传统产业智能化改造升级。\n"
        "二、保障\n（二）加强组织领导。以习近平新时代中国特色社会主义思想为指导，全面贯彻党的十九大精神，落实主体责任。\n",
    )
    c = compare_documents(catalogue.load(str(tgt)), [catalogue.load(str(ref))], cache=Cache(tmp_path / "c"))
    got = {
        (tuple(t.heading for t in v.target), tuple(r.heading for r in v.reference), v.label)
        for v in c.comparisons[0].verdicts
    }
    assert (("壮大装备制造业",), ("发展先进制造业",), "adapted") in got
    assert (("加强组织领导",), (), "added") in got
    assert ((), ("指导思想",), "missing") in got


def test_scope_words_do_not_break_a_match(catalogue, tmp_path: Path):
    body = "支持{}加快发展先进制造业，建设装备制造产业集群，推进传统产业智能化、绿色化改造。"
    ref = _write(tmp_path, "synthetic-central.txt", "一、产业\n（一）发展先进制造业。" + body.format("中部地区") + "\n")
    tgt = _write(tmp_path, "synthetic-prov.txt", "一、产业\n（一）发展先进制造业。" + body.format("我省") + "\n")
    c = compare_documents(catalogue.load(str(tgt)), [catalogue.load(str(ref))], cache=Cache(tmp_path / "c"))
    (v,) = c.comparisons[0].verdicts
    assert v.label == "retained"
    assert v.evidence.scores.target_coverage > 0.95 and v.evidence.scores.reference_coverage > 0.95
