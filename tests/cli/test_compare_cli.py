"""The CLI end to end: corpus list/show, compare in the terminal and as JSON, and user errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest


def test_corpus_list_shows_bundled_documents(cli):
    r = cli("corpus", "list")
    assert r.code == 0
    for doc_id in ("hunan-2021", "central-2021", "anhui-2022"):
        assert doc_id in r.out
    assert "digest" in r.out and "provincial" in r.out


def test_corpus_show_prints_the_tree(cli):
    r = cli("corpus", "show", "hunan-2021")
    assert r.code == 0
    assert "（三） 打造国家重要先进制造业高地" in r.out
    assert "7 sections, 25 clauses" in r.out


def test_compare_in_a_pipe_prints_one_tab_separated_line_per_verdict(cli):
    r = cli("compare", "hunan-2021", "central-2021")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].split("\t")[:3] == ["target_id", "reference_id", "status"]
    rows = [line.split("\t") for line in lines[1:]]
    assert all(len(row) == 10 for row in rows)
    statuses = [row[2] for row in rows]
    assert statuses.count("missing") == 1 and statuses.count("unjudged") == 6 and statuses.count("adapted") == 18
    assert not any(ch in r.out for ch in "│┃━─╭")  # no box drawing


def test_swapped_levels_give_a_warning_saying_how_to_swap(cli):
    r = cli("compare", "central-2021", "hunan-2021")
    assert r.code == 0
    assert "policydiff: warning: central-2021 (central) is compared as the target of hunan-2021" in r.err
    assert "`policydiff compare hunan-2021 central-2021`" in r.err
    assert "warning" not in cli("compare", "hunan-2021", "central-2021").err


def test_json_contract(cli, tmp_path: Path):
    # Reproducibility (fresh against cached, another process, another hash seed) is tested once, below.
    a = tmp_path / "a.json"
    assert cli("compare", "hunan-2021", "central-2021", "anhui-2022", "--format", "json", "--output", str(a)).code == 0
    data = json.loads(a.read_text(encoding="utf-8"))
    assert data["schema"] == "policydiff/comparison@1"
    assert data["config"]["match_threshold"] > 0
    assert data["target"]["id"] == "hunan-2021" and len(data["target"]["sha256"]) == 64
    assert [c["reference"]["id"] for c in data["comparisons"]] == ["central-2021", "anhui-2022"]
    first = data["comparisons"][0]
    assert first["reference"]["kind"] == "digest"
    assert set(first["summary"]) == {"retained", "adapted", "added", "missing", "unjudged"}
    assert sum(first["summary"].values()) == len(first["verdicts"])
    for v in first["verdicts"]:
        assert v["label"] in first["summary"]
        assert (v["target"] == []) == (v["label"] in ("missing", "unjudged"))
        assert (v["reference"] == []) == (v["label"] == "added")
        assert {"path", "heading"} <= set((v["target"] or v["reference"])[0])


def test_a_file_argument_is_read_ad_hoc_and_named_after_the_file(cli, tmp_path: Path):
    doc = tmp_path / "synthetic-province.txt"
    doc.write_text(
        "一、总体要求\n（一）指导思想。推动高质量发展。\n（二）打造先进制造业高地。发展先进制造业。\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.json"
    r = cli("compare", str(doc), "central-2021", "--format", "json", "--output", str(out))
    assert r.code == 0, r.err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["target"]["id"] == "synthetic-province"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "file is empty"),
        (b"   \n\n", "file is empty"),
        (b"\x00\x01\x02binary\x00", "not a text file"),
        (bytes([0x81, 0x30, 0xFF, 0xFE, 0x80]) * 3, "cannot decode"),
    ],
)
def test_bad_files_give_one_line_and_exit_2(cli, tmp_path: Path, content: bytes, reason: str):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    r = cli("compare", str(bad), "central-2021")
    assert r.code == 2
    assert r.err.count("\n") == 1
    assert r.err.startswith(f"policydiff: error: {bad}: ")
    assert reason in r.err
    assert "Traceback" not in r.err


def test_unknown_id_lists_known_ids(cli):
    r = cli("compare", "hunan-2021", "hubei-2021")
    assert r.code == 2
    assert r.err == (
        "policydiff: error: unknown document 'hubei-2021'; known ids: hunan-2021, central-2021, anhui-2022\n"
    )


def test_missing_file_names_the_file(cli, tmp_path: Path):
    missing = tmp_path / "nothing-here.md"
    r = cli("corpus", "show", str(missing))
    assert r.code == 2 and r.err == f"policydiff: error: {missing}: no such file\n"


def test_unknown_format_is_refused(cli):
    r = cli("compare", "hunan-2021", "central-2021", "--format", "docx")
    assert r.code == 2 and "unknown format 'docx'" in r.err


def test_results_are_byte_identical_fresh_or_cached_across_processes_and_hash_seeds(cli, tmp_path: Path):
    """The one reproducibility test of the engine: a comparison and a matrix computed afresh (--no-cache) in
    another process with another hash seed give the same bytes as this process's runs, read from the cache."""
    import os
    import subprocess
    import sys

    runs = {
        "compare.json": ["compare", "hunan-2021", "central-2021", "anhui-2022", "--format", "json"],
        "matrix.json": ["matrix", "central-2021", "hunan-2021", "anhui-2022", "--format", "json"],
    }
    here = {}
    for name, args in runs.items():
        r = cli(*args)
        assert r.code == 0, r.err
        here[name] = r.out.encode("utf-8")
    seed = "54321" if os.environ.get("PYTHONHASHSEED") == "12345" else "12345"
    script = (
        "import json, sys\n"
        "from policydiff.cli.app import main\n"
        "runs = json.loads(sys.argv[1])\n"
        "sys.exit(max(main([*args, '--no-cache', '--output', name]) for name, args in runs.items()))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-c", script, json.dumps(runs)], check=True, env=env, cwd=tmp_path,
                   capture_output=True)  # fmt: skip
    for name in runs:
        assert (tmp_path / name).read_bytes() == here[name], name


def test_an_export_gets_ordinary_permissions_not_the_temp_files(cli, tmp_path: Path):
    import os

    umask = os.umask(0o022)
    os.umask(umask)
    out = tmp_path / "r.json"
    assert cli("compare", "hunan-2021", "central-2021", "--format", "json", "--output", str(out)).code == 0
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temp file left behind


def test_a_section_names_its_whole_subtree(cli):
    law = str(Path(__file__).resolve().parents[1] / "fixtures" / "shapes" / "synthetic-law.md")
    r = cli("compare", law, law, "--section", "第二章", "--format", "csv")
    assert r.code == 0, r.err
    paths = [row["target_paths"] for row in csv.DictReader(io.StringIO(r.out))]
    assert paths and all(p.startswith("第二章/") for p in paths)
    assert any(p.startswith("第二章/第一节/") for p in paths)  # the chapter's 节 come along
    r = cli("compare", law, law, "--section", "第二章/第一节", "--format", "csv")
    assert r.code == 0 and "第二章/第二节" not in r.out
