"""Synthetic result objects for the renderer tests: built by hand, in our own words, so renderers are tested
against every kind of verdict and hostile text without depending on how the engine scores the bundled corpus."""

from __future__ import annotations

from policydiff.compare.diff import char_opcodes
from policydiff.compare.matrix import MatrixColumn, assemble_matrix
from policydiff.compare.result import (
    ClauseRef,
    Comparison,
    DocumentSummary,
    Evidence,
    Report,
    Scores,
    SentencePair,
    TargetChange,
    Verdict,
)
from policydiff.corpora.model import DocumentInfo

HOSTILE_HEADING = '<script>alert("x")</script> =1+1 | 合成标题 *强调* & 其他'
CONFIG = {"match_threshold": 0.2, "word_weight": 0.5, "normalise": ["widths", "simplified"]}
RULES = {"sources": ["bundled"], "fingerprint": "0123456789abcdef"}


def summary(doc_id: str, kind: str = "full", level: str = "provincial", partial: bool = False) -> DocumentSummary:
    info = DocumentInfo(
        id=doc_id,
        title=f"合成文件 {doc_id} <i>标题</i>",
        kind=kind,  # type: ignore[arg-type]
        level=level,
        region="合成省",
        date="2021-01-01",
        source=f"{doc_id}.txt",
        sha256=(doc_id.encode().hex() * 64)[:64],
        corpus="file",
    )
    return DocumentSummary(
        info=info,
        clauses=4,
        sections=2,
        coverage={"full": 2 if partial else 4, "partial": 0, "heading-only": 2 if partial else 0, "unseen": 0},
        body_coverage=0.5 if partial else 1.0,
        partial=partial,
    )


def pair(target_text: str, reference_text: str, t_path: str = "一/（二）", r_path: str = "一/（二）") -> SentencePair:
    return SentencePair(
        target_path=t_path,
        target_unit=1,
        target_text=target_text,
        reference_path=r_path,
        reference_unit=1,
        reference_text=reference_text,
        score=0.6,
        opcodes=char_opcodes(target_text, reference_text),
    )


def verdicts(variant: int = 0) -> tuple[Verdict, ...]:
    """Four reference clauses (一/（一） … 二/（四）) and what a synthetic province did with them."""
    r1, r2 = ClauseRef("一/（一）", "总体思路"), ClauseRef("一/（二）", "发展目标")
    r3, r4 = ClauseRef("二/（三）", HOSTILE_HEADING, "heading-only"), ClauseRef("二/（四）", "开放合作", "heading-only")
    t1, t2 = ClauseRef("一/（一）", "总体思路"), ClauseRef("一/（二）", "奋斗目标")
    t3 = ClauseRef("二/（三）", "本省特色产业")
    adapted = Verdict(
        "adapted",
        (t2,),
        (r2,),
        0.61,
        Evidence(
            scores=Scores(combined=0.61, word=0.6, char=0.5, heading=0.4, target_coverage=0.7, reference_coverage=0.6),
            matched_by=("tfidf",),
            relation="1-1",
            shared_terms=("发展", "目标"),
            target_only_terms=("本省",),
            target_changes=(TargetChange("生产总值", "raised", "8万亿元", "6万亿元"),),
            localisations=("合成市",),
            sentence_pairs=(
                pair("到2025年，本省生产总值达到8万亿元，建成区域中心。", "到2025年，生产总值达到6万亿元。"),
            ),
        ),
    )
    retained = Verdict(
        "retained",
        (t1,),
        (r1,),
        0.93,
        Evidence(scores=Scores(combined=0.93, word=0.9, char=0.95), matched_by=("tfidf",), relation="1-1"),
    )
    added = Verdict("added", (t3,), (), 0.0, Evidence(target_only_terms=("特色", "产业")))
    missing = Verdict("missing", (), (r3,), 0.0, Evidence(unseen=True, notes=("known only by its heading",)))
    missing4 = Verdict("missing", (), (r4,), 0.0, Evidence(unseen=True))
    if variant == 1:  # a second province: adapts the fourth clause, leaves out the first
        adapted4 = Verdict(
            "adapted",
            (ClauseRef("二/（四）", "扩大开放"),),
            (r4,),
            0.42,
            Evidence(scores=Scores(combined=0.42), relation="1-1", unseen=True),
        )
        return (Verdict("missing", (), (r1,), 0.0), adapted, missing, adapted4)
    return (retained, adapted, added, missing, missing4)


def report() -> Report:
    reference = summary("synthetic-centre", kind="digest", level="central", partial=True)
    comparison = Comparison(reference, verdicts(), ("synthetic-centre is a digest",))
    return Report(
        config=CONFIG, target=summary("synthetic-province"), comparisons=(comparison,), rules=RULES, version="9.9"
    )


def matrix():  # type: ignore[no-untyped-def]
    reference = summary("synthetic-centre", kind="digest", level="central", partial=True)
    columns = [
        MatrixColumn(summary("synthetic-east"), Comparison(reference, verdicts(0))),
        MatrixColumn(summary("synthetic-west"), Comparison(reference, verdicts(1))),
    ]
    return assemble_matrix(reference, columns, CONFIG, RULES, "9.9")
