"""Documents without a single word (punctuation, numbering or blank space only) compare safely, with a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REFERENCE = (
    "一、总体要求\n"
    "（一）工作目标。到2025年，全市社区图书角实现全覆盖。\n"
    "（二）完善设施布局。结合社区服务中心建设，设置图书角。\n"
)
WORDLESS = {"punctuation": "。。\n", "numbering-only": "（一）\n", "blank-space": "\u3000\u200b\n\u3000\n"}


@pytest.mark.parametrize("kind", sorted(WORDLESS))
def test_a_document_without_words_is_compared_safely_with_a_warning(kind: str, tmp_path: Path, cli):
    empty = tmp_path / "synthetic-wordless.txt"
    empty.write_text(WORDLESS[kind], encoding="utf-8")
    full = tmp_path / "synthetic-full.txt"
    full.write_text(REFERENCE, encoding="utf-8")
    warning = (
        "policydiff: warning: synthetic-wordless: no words to compare (only punctuation, numbering or blank space)\n"
    )

    r = cli("compare", str(empty), str(full), "--format", "json")
    assert r.code == 0, r.err
    assert warning in r.err and "Traceback" not in r.err
    (comparison,) = json.loads(r.out)["comparisons"]
    assert [(v["label"], [x["path"] for x in v["reference"]]) for v in comparison["verdicts"]] == [
        ("missing", ["一/（一）"]),
        ("missing", ["一/（二）"]),
    ]  # nothing matched: every reference provision is missing from a text that has none
    assert any("synthetic-wordless has no words to compare" in n for n in comparison["notes"])

    r = cli("compare", str(full), str(empty), "--format", "json")
    assert r.code == 0 and warning in r.err
    (comparison,) = json.loads(r.out)["comparisons"]
    assert [(v["label"], [x["path"] for x in v["target"]]) for v in comparison["verdicts"]] == [
        ("added", ["一/（一）"]),
        ("added", ["一/（二）"]),
    ]

    r = cli("compare", str(empty), str(empty))  # piped: the rows on stdout, the comparison's notes on stderr
    assert r.code == 0 and warning in r.err
    assert "nothing was matched" in r.err
