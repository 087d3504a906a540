"""`policydiff corpus list` in every format, and `compare ID` with no reference (its linked document)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from policydiff.cli.corpus_list_view import corpus_table, safe_rows
from policydiff.corpora.links import LIST_FIELDS

META = Path(__file__).resolve().parent.parent / "fixtures" / "metadata"


@pytest.fixture
def corpus(tmp_path: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    """A law, its provincial measures, an older text of the measures and a prefectural plan."""
    folder = tmp_path / "c"
    older = tmp_path / "older.md"
    measures = (META / "synthetic-provincial-measures.md").read_text(encoding="utf-8")
    older.write_text(
        measures.replace("2022年7月29日湖南省第十三届人民代表大会常务委员会第三十二次会议第二次修正\n", "")
    )
    for path, doc_id in (
        (META / "synthetic-law.md", "law"),
        (META / "synthetic-provincial-measures.md", "measures"),
        (older, "measures-2019"),
        (META / "synthetic-prefectural-plan.md", "plan"),
    ):
        r = cli("corpus", "add", str(path), "--id", doc_id, "--corpus", str(folder))
        assert r.code == 0, r.err
    return folder


def test_json_has_one_object_per_document_with_links_and_versions(corpus: Path, cli):
    r = cli("corpus", "list", "--format", "json", "--corpus", str(corpus))
    assert r.code == 0, r.err
    rows = {row["id"]: row for row in json.loads(r.out)}
    assert list(next(iter(rows.values()))) == list(LIST_FIELDS)
    assert {"hunan-2021", "central-2021", "law", "measures", "plan"} <= set(rows)
    assert rows["measures"] == {
        "id": "measures",
        "title": "湖南省实施《中华人民共和国社区阅读促进法》办法（合成测试文本）",
        "level": "provincial",
        "region": "湖南",
        "date": "2022-07-29",
        "type": "实施办法",
        "strength": "2",  # from the rules' strength table (provincial implementing measures)
        "kind": "full",
        "implements": ["law"],
        "corpus": str(corpus),
        "versions": ["measures-2019"],
    }
    assert rows["measures-2019"]["versions"] == ["measures"]
    assert rows["plan"]["implements"] == ["measures"]  # the latest text of the work it names
    assert rows["hunan-2021"]["implements"] == ["central-2021"]


def test_csv_reads_back_with_pandas(corpus: Path, cli, tmp_path: Path):
    out = tmp_path / "list.csv"
    r = cli("corpus", "list", "--format", "csv", "--corpus", str(corpus), "--output", str(out))
    assert (r.code, r.out) == (0, "")
    df = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(df.columns) == list(LIST_FIELDS)
    row = df.set_index("id").loc["measures"]
    assert (row["level"], row["region"], row["date"], row["type"]) == ("provincial", "湖南", "2022-07-29", "实施办法")
    assert (row["implements"], row["versions"]) == ("law", "measures-2019")
    assert df.set_index("id").loc["anhui-2022", "date"] == "2022"


def test_piped_output_is_plain_unwrapped_lines_that_grep_finds(corpus: Path, tmp_path: Path):
    env = {**os.environ, "COLUMNS": "40", "POLICYDIFF_CORPUS": str(corpus)}
    env.pop("NO_COLOR", None)
    out = subprocess.run(
        f"{sys.executable} -m policydiff.cli.app corpus list | grep '^central-2021'",
        shell=True,
        capture_output=True,
        env=env,
        check=True,
    ).stdout.decode("utf-8")
    assert out == (
        "central-2021\tcentral\t全国\t2021-04-23\t意见\t2\tdigest\t"
        "中共中央 国务院关于新时代推动中部地区高质量发展的意见\t\tbundled\n"
    )
    listed = subprocess.run(
        [sys.executable, "-m", "policydiff.cli.app", "corpus", "list"], capture_output=True, env=env, check=True
    ).stdout.decode("utf-8")
    assert "\x1b" not in listed and "…" not in listed
    assert listed.splitlines()[0] == "id\tlevel\tregion\tdate\ttype\tstrength\tkind\ttitle\timplements\tcorpus"
    assert (
        "measures\tprovincial\t湖南\t2022-07-29\t实施办法\t2\tfull\t湖南省实施《中华人民共和国社区阅读促进法》办法（合成测试文本）\tlaw\t"
        in listed
    )


HOSTILE_ROWS = [
    {
        "id": "hostile",
        "title": "[/broken] [bold]标题\x1b]0;owned\x07\x1b[31m红色\x1b[0m\n第二行",
        "level": "other",
        "region": "[red]",
        "date": "",
        "type": "",
        "strength": "",
        "kind": "full",
        "implements": ["\x1b[2J"],
        "corpus": "/tmp/[x]",
        "versions": [],
    }
]


@pytest.mark.parametrize("fmt", ["terminal", "plain", "json", "csv"])
def test_titles_with_markup_or_escape_sequences_neither_crash_nor_reach_the_terminal(fmt: str):
    from policydiff.cli.corpus_list_view import RENDERERS

    rows = safe_rows(HOSTILE_ROWS)
    if fmt == "terminal":
        buffer = io.StringIO()
        Console(file=buffer, width=200, force_terminal=True, color_system="truecolor").print(corpus_table(rows))
        text = buffer.getvalue()
        assert "[/broken] [bold]标题" in text and "[red]" in text  # shown as written, not read as markup
        assert "]0;owned" not in text and "\x1b[31m" not in text and "\x1b[2J" not in text
    else:
        text = RENDERERS[fmt](rows).decode("utf-8")
        assert "\x1b" not in text and "\x07" not in text
        assert "[/broken] [bold]标题红色 第二行" in text


def test_compare_without_a_reference_uses_the_document_it_implements(corpus: Path, cli, tmp_path: Path):
    out = tmp_path / "r.json"
    r = cli("compare", "measures", "--corpus", str(corpus), "--format", "json", "--output", str(out))
    assert r.code == 0, r.err
    # (segmentation warnings may follow while legal-style articles are not yet recognised)
    assert r.err.splitlines()[0] == "policydiff: comparing measures with law, the document it implements"
    assert [c["reference"]["id"] for c in json.loads(out.read_text(encoding="utf-8"))["comparisons"]] == ["law"]
    r = cli("compare", "hunan-2021", "--format", "json", "--output", str(out))
    assert r.code == 0, r.err
    assert r.err == "policydiff: comparing hunan-2021 with central-2021, the document it implements\n"


def test_compare_without_a_reference_or_a_link_is_one_clear_error(corpus: Path, cli, tmp_path: Path):
    r = cli("compare", "law", "--corpus", str(corpus))
    assert (r.code, r.out) == (2, "")
    assert r.err == "policydiff: error: law: names no document it implements; name a reference to compare with\n"
    lone = tmp_path / "synthetic-plan.md"
    shutil.copyfile(META / "synthetic-prefectural-plan.md", lone)
    r = cli("compare", str(lone))  # a file read ad hoc: its text names the measures, which are not catalogued
    assert r.code == 2
    assert r.err == (
        f"policydiff: error: {lone}: implements 《湖南省实施〈中华人民共和国社区阅读促进法〉办法》, which is in "
        "none of the corpora; add it (policydiff corpus add) or name a reference to compare with\n"
    )


def test_unknown_list_format_is_refused(cli):
    r = cli("corpus", "list", "--format", "xml")
    assert (r.code, r.err) == (
        2,
        "policydiff: error: unknown format 'xml'; known formats: terminal, json, csv, plain\n",
    )


def test_on_a_terminal_the_table_keeps_ids_whole_and_ellipsises_titles(corpus: Path):
    import re

    import pexpect

    env = {**os.environ, "COLUMNS": "80", "LINES": "40", "POLICYDIFF_CORPUS": str(corpus), "TERM": "xterm"}
    child = pexpect.spawn(
        sys.executable, ["-m", "policydiff.cli.app", "corpus", "list"], env=env, dimensions=(40, 80), timeout=60
    )
    child.expect(pexpect.EOF)
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before.decode("utf-8")).replace("\r", "")
    lines = screen.splitlines()
    assert all(len(line) <= 80 for line in lines)
    row = next(line for line in lines if line.strip().startswith("measures "))
    assert "measures" in row and "provincial" in row and "2022-07-29" in row and "实施办法" in row
    assert "…" in row and "\t" not in row  # the title did not fit: cut with an ellipsis, a table and not tab lines
    assert any(line.strip().startswith("measures-2019 ") for line in lines)


@pytest.mark.parametrize("width", [70, 100, 160])
def test_narrow_terminals_drop_columns_before_the_title_and_never_cut_an_id(width: int):
    rows = safe_rows(
        [
            {
                "id": "hunan-shequyueducujin-shishibanfa-2022",
                "title": "湖南省实施《中华人民共和国社区阅读促进法》办法（合成测试文本）",
                "level": "provincial",
                "region": "湖南",
                "date": "2022-07-29",
                "type": "实施办法",
                "strength": "2",
                "kind": "full",
                "implements": [],
                "corpus": "/tmp/c",
                "versions": [],
            }
        ]
    )
    buffer = io.StringIO()
    Console(file=buffer, width=width).print(corpus_table(rows, width))
    lines = buffer.getvalue().splitlines()
    row = next(line for line in lines if "hunan-" in line)
    assert "hunan-shequyueducujin-shishibanfa-2022" in row and "2022-07-29" in row
    assert "湖南省实施" in row  # some of the title is always there
    assert ("provincial" in row) == (width >= 100) and ("/tmp/c" in row) == (width >= 120)
    assert ("full" in row) == (width >= 120)


def test_a_hostile_title_in_a_catalogue_reaches_no_output_raw(tmp_path: Path, cli):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "h.txt").write_text("一、总体要求\n（一）合成。合成文字。\n", encoding="utf-8")
    (folder / "catalogue.toml").write_text(
        '[[document]]\nid = "h"\ntitle = "[/broken] \\u001b]0;owned\\u0007\\u001b[31m红\\u009b2J"\nfile = "h.txt"\n',
        encoding="utf-8",
    )
    for fmt in ("terminal", "plain", "json", "csv"):
        r = cli("corpus", "list", "--format", fmt, "--corpus", str(folder))
        assert r.code == 0, r.err
        assert not any(ch in r.out for ch in "\x1b\x07\x9b"), fmt
        assert "[/broken] 红2J" in r.out
