"""`corpus show`: the tree of every shape in the terminal, piped output unwrapped, and the JSON outline."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pexpect
from rich.cells import cell_len

SHAPES = Path(__file__).resolve().parents[1] / "fixtures" / "shapes"


def test_show_draws_wrapper_attachments_and_provisions_unwrapped_when_piped(cli):
    r = cli("corpus", "show", str(SHAPES / "synthetic-notice-plan.txt"))
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    # The notice's long title stays on one line: piped output is never wrapped.
    assert any(
        "关于印发《示例市社区互助服务提升行动方案》和《示例市社区互助服务示范社区评定办法》的通知" in x for x in lines
    )
    assert any("附件1 示例市社区互助服务提升行动方案" in x for x in lines)
    assert any("3. 为老助残服务行动" in x for x in lines)
    assert "4 sections, 15 clauses" in r.out


def test_show_draws_a_law_with_history_chapters_and_articles(cli):
    r = cli("corpus", "show", str(SHAPES / "synthetic-law.md"))
    assert r.code == 0, r.err
    assert "沿革" in r.out and "修正  2019年4月2日" in r.out
    assert "第二章 互助组织" in r.out and "第一节 设立" in r.out
    assert "第七条 设立社区互助服务组织" in r.out  # an article without heading shows its opening words
    assert "7 sections, 22 clauses; provisions: articles (条)" in r.out


def test_show_json_prints_the_data_card_and_the_outline(cli):
    r = cli("corpus", "show", str(SHAPES / "synthetic-law.md"), "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["schema"] == "policydiff/document@1"
    assert data["document"]["id"] == "synthetic-law" and data["provision_level"] == "article"
    outline = data["outline"]
    kinds = [c["kind"] for c in outline["children"]]
    # The law's first line is its title: a node of its own, not a preamble sentence.
    assert kinds == ["title", "history", "contents"] + ["chapter"] * 6
    assert outline["children"][0]["heading"] == "示例社区互助服务法" and outline["children"][0]["units"] == 0
    chapter2 = outline["children"][4]
    assert [s["path"] for s in chapter2["children"]] == ["第二章/第一节", "第二章/第二节"]
    article = chapter2["children"][0]["children"][1]
    assert (article["path"], article["provision"], article["heading"]) == ("第二章/第一节/第八条", True, "")
    items = article["children"][0]["children"]
    assert [i["label"] for i in items] == ["（一）", "（二）", "（三）", "（四）"]
    assert [c["kind"] for c in outline["children"][1]["children"]] == ["event"] * 3
    assert all(isinstance(c["units"], int) for c in outline["children"])


def test_show_rejects_an_unknown_format(cli):
    r = cli("corpus", "show", "hunan-2021", "--format", "xml")
    assert r.code == 2 and "policydiff: error:" in r.err


def test_show_in_a_real_terminal_wraps_to_its_width_and_prints_no_escape_from_the_text(tmp_path: Path):
    doc = tmp_path / "synthetic-hostile.txt"
    long = "二、" + "坚持创新发展构建现代产业体系" * 4 + "\n（二）乙。内容。\n"
    doc.write_text("一、总体要求\n（一）标题\x1b[31m甲。内容\x1b]2\x07。\n" + long, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS")}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "policydiff.cli.app", "corpus", "show", str(doc)],
        env=env,
        dimensions=(40, 60),
        encoding="utf-8",
        timeout=60,
    )
    child.expect(pexpect.EOF)
    out = child.before
    assert "（一）\x1b[0m 标题甲" in out  # rich's own bold label, then the heading without the text's escape
    assert "\x1b[31m" not in out and "\x07" not in out
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert max(cell_len(line) for line in plain.splitlines()) <= 60  # the long section heading wraps
