"""Verdicts and their evidence: directive drift, localisation, target changes, character diffs."""

from __future__ import annotations

from pathlib import Path

from policydiff.compare import compare_documents
from policydiff.compare.cache import Cache


def _compare(catalogue, tmp_path: Path, target: str, reference: str):  # type: ignore[no-untyped-def]
    t, r = tmp_path / "synthetic-t.txt", tmp_path / "synthetic-r.txt"
    t.write_text(target, encoding="utf-8")
    r.write_text(reference, encoding="utf-8")
    report = compare_documents(catalogue.load(str(t)), [catalogue.load(str(r))], cache=Cache(tmp_path / "c"))
    return report.comparisons[0].verdicts


def test_weakened_directive_and_localised_places_make_an_adapted_verdict(catalogue, tmp_path: Path):
    ref = "一、开放\n（一）建设物流枢纽。必须加快郑州国家物流枢纽建设，发展多式联运和冷链物流。\n"
    tgt = "一、开放\n（一）建设物流枢纽。探索长沙国家物流枢纽建设，发展多式联运和冷链物流。\n"
    (v,) = _compare(catalogue, tmp_path, tgt, ref)
    e = v.evidence
    assert v.label == "adapted"
    assert e.directive == "weakened" and "必须→探索" in e.directive_detail
    assert e.localisations == ("长沙",) and e.reference_places == ("郑州",)
    assert "开放通道" in e.topics or "服务业融合" in e.topics
    (pair,) = [p for p in e.sentence_pairs if "长沙" in p.target_text]
    # A character-level diff: the changed place is its own replace, never the whole sentence.
    replaced = [pair.target_text[o.target_start : o.target_end] for o in pair.opcodes if o.tag != "equal"]
    assert any("长沙" in x and len(x) <= 6 for x in replaced)
    assert any(o.tag == "equal" and o.target_end - o.target_start >= 8 for o in pair.opcodes)


def test_strengthened_directive(catalogue, tmp_path: Path):
    ref = "一、生态\n（一）推进绿色转型。鼓励开展低碳城市试点，支持建设循环经济示范园区。\n"
    tgt = "一、生态\n（一）推进绿色转型。必须开展低碳城市试点，确保建设循环经济示范园区。\n"
    (v,) = _compare(catalogue, tmp_path, tgt, ref)
    assert v.label == "adapted" and v.evidence.directive == "strengthened"


def test_identical_clauses_are_retained_with_full_evidence(catalogue, tmp_path: Path):
    text = "一、目标\n（一）主要目标。到2025年，制造业增加值占地区生产总值比重达到30%，森林覆盖率稳定在59%以上。\n"
    (v,) = _compare(catalogue, tmp_path, text, text)
    e = v.evidence
    assert v.label == "retained" and e.relation == "1-1" and not e.moved and e.matched_by == ("tfidf",)
    assert e.scores.target_coverage > 0.99 and e.scores.reference_coverage > 0.99 and e.scores.heading > 0.99
    assert e.target_changes == () and e.shared_terms and not e.target_only_terms


def test_a_lowered_target_is_named(catalogue, tmp_path: Path):
    ref = "一、目标\n（一）主要目标。到2025年，森林覆盖率稳定在百分之五十九以上，对外贸易依存度提高到15%。\n"
    tgt = "一、目标\n（一）主要目标。到2025年，森林覆盖率稳定在55%以上，对外贸易依存度提高到15%。\n"
    (v,) = _compare(catalogue, tmp_path, tgt, ref)
    assert v.label == "adapted"
    assert [(c.indicator, c.change) for c in v.evidence.target_changes] == [("森林覆盖率", "lowered")]
