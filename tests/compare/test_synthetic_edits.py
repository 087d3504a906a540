"""The synthetic edit suite: documents made from the Hunan seed at test time with known edits, compared with
the seed, must give exactly the expected verdicts (every untouched clause retained, in place)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from policydiff.compare import compare_documents
from policydiff.compare.cache import Cache
from policydiff.compare.result import Verdict
from policydiff.corpora.model import Document

# Our own words: a clause no Hunan text has.
NEW_CLAUSE = (
    "（二十六）发展冰雪和户外运动产业。依托山地资源建设滑雪场和露营基地，举办山地越野和冰雪赛事，"
    "培育户外运动装备制造企业，打造四季皆宜的运动休闲目的地。"
)

Blocks = list[tuple[str, list[str]]]  # (section line, clause texts)


def _blocks(doc: Document) -> tuple[str, Blocks]:
    pre = doc.quote(doc.preamble.start, doc.preamble.end) if doc.preamble else ""
    return pre, [(f"{s.label}、{s.heading}", [doc.quote(c.start, c.end) for c in s.clauses]) for s in doc.sections]


def _text(pre: str, blocks: Blocks) -> str:
    lines = [pre]
    for head, clauses in blocks:
        lines.append(head)
        lines.extend(clauses)
    return "\n".join(lines) + "\n"


def _find(blocks: Blocks, heading: str) -> tuple[int, int]:
    for si, (_, clauses) in enumerate(blocks):
        for ci, text in enumerate(clauses):
            if re.match(r"（[一二三四五六七八九十]+）" + re.escape(heading), text):
                return si, ci
    raise KeyError(heading)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=。)", text) if s]


def numbers_changed(b: Blocks) -> None:
    si, ci = _find(b, "主要目标")
    b[si][1][ci] = b[si][1][ci].replace("达到30%", "达到35%").replace("稳定在59%以上", "稳定在57%以上")


def clause_removed(b: Blocks) -> None:
    si, ci = _find(b, "建设“五好”园区")
    del b[si][1][ci]


def clause_split(b: Blocks) -> None:
    si, ci = _find(b, "推动先进制造业和现代服务业深度融合")
    parts = _sentences(b[si][1][ci])
    b[si][1][ci : ci + 1] = ["".join(parts[:5]), "（三十）发展物流和现代金融。" + "".join(parts[5:])]


def clauses_merged(b: Blocks) -> None:
    si, ci = _find(b, "全面构筑生态安全屏障")
    second = b[si][1].pop(ci + 1)
    b[si][1][ci] += second.split("。", 1)[1]  # the second clause's body, without its label and heading


def clause_moved(b: Blocks) -> None:
    si, ci = _find(b, "建设“五好”园区")
    moved = b[si][1].pop(ci)
    b[-1][1].append(moved)


def scope_renamed(b: Blocks) -> None:
    for si, (head, clauses) in enumerate(b):
        b[si] = (head, [c.replace("湖南", "本省").replace("全省", "我省") for c in clauses])


def clause_added(b: Blocks) -> None:
    b[5][1].append(NEW_CLAUSE)


def sentences_cut(b: Blocks) -> None:
    si, ci = _find(b, "全面提升城市功能和品质")
    b[si][1][ci] = "".join(_sentences(b[si][1][ci])[:3])


# Edit → the verdicts expected for the clauses it touches: (target headings, reference headings, label,
# relation, moved). Every other Hunan clause must come back retained, 1-1, in place.
CASES: dict[str, tuple[Callable[[Blocks], None], list[tuple[tuple[str, ...], tuple[str, ...], str, str, bool]]]] = {
    "numbers changed": (numbers_changed, [(("主要目标",), ("主要目标",), "adapted", "1-1", False)]),
    "clause removed": (clause_removed, [((), ("建设“五好”园区",), "missing", "", False)]),
    "clause split": (
        clause_split,
        [
            (
                ("推动先进制造业和现代服务业深度融合", "发展物流和现代金融"),
                ("推动先进制造业和现代服务业深度融合",),
                "retained",
                "split",
                False,
            )
        ],
    ),
    "two merged": (
        clauses_merged,
        [(("全面构筑生态安全屏障",), ("全面构筑生态安全屏障", "加强生态环境保护治理"), "retained", "merge", False)],
    ),
    "clause moved": (clause_moved, [(("建设“五好”园区",), ("建设“五好”园区",), "retained", "1-1", True)]),
    "scope words renamed": (scope_renamed, []),
    "new clause added": (clause_added, [(("发展冰雪和户外运动产业",), (), "added", "", False)]),
    "sentences cut": (
        sentences_cut,
        [(("全面提升城市功能和品质",), ("全面提升城市功能和品质",), "adapted", "1-1", False)],
    ),
}


def _key(v: Verdict) -> tuple[tuple[str, ...], tuple[str, ...], str, str, bool]:
    return (
        tuple(r.heading for r in v.target),
        tuple(r.heading for r in v.reference),
        v.label,
        v.evidence.relation,
        v.evidence.moved,
    )


@pytest.fixture(scope="module")
def results(hunan: Document, catalogue, tmp_path_factory: pytest.TempPathFactory, session_cache_dir):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("edits")
    cache = Cache(session_cache_dir)  # the run's: Hunan's analysis and jieba's dictionary are shared
    pre, _ = _blocks(hunan)
    out = {}
    for name, (edit, _) in CASES.items():
        _, blocks = _blocks(hunan)
        blocks = [(h, list(c)) for h, c in blocks]
        edit(blocks)
        path = folder / f"synthetic-{name.replace(' ', '-')}.txt"
        path.write_text(_text(pre, blocks), encoding="utf-8")
        edited = catalogue.load(str(path))
        out[name] = compare_documents(edited, [hunan], cache=cache).comparisons[0]
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_edit_gives_exactly_the_expected_verdicts(results, hunan: Document, name: str):
    _, expected_changed = CASES[name]
    comparison = results[name]
    touched = {h for t, r, *_ in expected_changed for h in (*t, *r)}
    expected = set(expected_changed)
    for clause in hunan.clauses:
        if clause.heading not in touched:
            expected.add(((clause.heading,), (clause.heading,), "retained", "1-1", False))
    got = {_key(v) for v in comparison.verdicts}
    assert got == expected


def test_changed_numbers_are_named_raised_and_lowered(results):
    v = next(v for v in results["numbers changed"].verdicts if v.target and v.target[0].heading == "主要目标")
    changes = {(c.change, c.target.split()[-1]) for c in v.evidence.target_changes}
    assert ("raised", "达到35%") in changes
    assert ("lowered", "稳定在57%以上") in changes
    assert all(c.change in ("raised", "lowered") for c in v.evidence.target_changes)


def test_a_cut_clause_says_how_much_of_the_reference_it_still_covers(results):
    v = next(v for v in results["sentences cut"].verdicts if v.label == "adapted")
    assert v.evidence.scores.target_coverage < 0.8 <= v.evidence.scores.reference_coverage
    assert v.evidence.sentence_pairs and all(p.opcodes for p in v.evidence.sentence_pairs)


def test_renamed_scope_words_still_show_in_the_character_diff(results):
    pairs = [p for v in results["scope words renamed"].verdicts for p in v.evidence.sentence_pairs]
    changed = [p for p in pairs if "本省" in p.target_text and "湖南" in p.reference_text]
    assert changed
    p = changed[0]
    edits = [o for o in p.opcodes if o.tag != "equal"]
    assert any(p.target_text[o.target_start : o.target_end] == "本省" for o in edits)
