"""`policydiff corpus validate`: every entry checked, every problem reported at once, exit 2 when any."""

from __future__ import annotations

from pathlib import Path

from corpora_helpers import PAGES, SYNTHETIC_TEXT


def _corpus(tmp_path: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "c"
    for page, doc_id in (
        (PAGES / "synthetic-central-policy.html", "central"),
        (PAGES / "synthetic-province-disclosure.html", "province"),
    ):
        assert cli("corpus", "add", str(page), "--id", doc_id, "--corpus", str(folder)).code == 0
    notice = tmp_path / "synthetic-notice.txt"
    notice.write_text(SYNTHETIC_TEXT, encoding="utf-8")
    args = ["--id", "notice", "--title", "示例通知（合成）", "--level", "prefectural", "--corpus", str(folder)]
    assert cli("corpus", "add", str(notice), *args).code == 0
    return folder


def test_a_sound_corpus_and_the_bundled_one_validate(tmp_path: Path, cli):
    folder = _corpus(tmp_path, cli)
    r = cli("corpus", "validate", "--corpus", str(folder))
    assert (r.code, r.err) == (0, "")
    assert r.out == "6 documents in 2 corpora: no problems\n"


def test_every_problem_is_reported_at_once(tmp_path: Path, cli):
    folder = _corpus(tmp_path, cli)
    # An edited document, a deleted one, a hand-edited catalogue with a bad date and level, and a text
    # without the 一、/（一） structure.
    (folder / "central.html").write_bytes((folder / "central.html").read_bytes().replace("2027年".encode(), b"2030"))
    (folder / "province.html").unlink()
    catalogue = folder / "catalogue.toml"
    text = catalogue.read_text(encoding="utf-8")
    # The notice's date (2024年6月1日 under its issuer) is read from the text; the hand edit breaks it.
    text = text.replace('level = "prefectural"', 'level = "city"').replace('date = "2024-06-01"', 'date = "2024-02-30"')
    catalogue.write_text(
        text
        + '\n[[document]]\nid = "loose"\ntitle = "无结构（合成）"\nfile = "loose.txt"\nkind = "full"\n'
        + 'level = "other"\nsha256 = "0000"\n',
        encoding="utf-8",
    )
    (folder / "loose.txt").write_text("这是一段没有编号的合成文字。\n另一段合成文字。\n", encoding="utf-8")

    r = cli("corpus", "validate", "--corpus", str(folder))
    assert r.code == 2
    lines = r.out.splitlines()
    assert lines[0].startswith("central: central.html has changed: sha256 is ")
    assert lines[1] == f"province: file province.html is missing from {folder}"
    assert "notice: level 'city' is not one of central, provincial, prefectural, county, other" in lines
    assert "notice: date '2024-02-30' is not a day of the calendar" in lines
    assert any(line.startswith("loose: loose.txt has changed") for line in lines)
    assert "loose: does not segment into clauses (no 一、 sections or （一） clauses found)" in lines
    assert len(lines) == 6
    assert r.err == "policydiff: error: 6 problems in 4 of 7 documents or catalogues\n"


def test_a_duplicate_id_across_corpora_and_a_broken_catalogue_are_reported(tmp_path: Path, cli):
    first = _corpus(tmp_path, cli)
    second = tmp_path / "second"
    second.mkdir()
    (second / "catalogue.toml").write_text((first / "catalogue.toml").read_text(encoding="utf-8"), encoding="utf-8")
    for name in ("central.html", "province.html", "notice.txt"):
        (second / name).write_bytes((first / name).read_bytes())
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "catalogue.toml").write_text("[[document]\nid = 1\n", encoding="utf-8")
    r = cli("corpus", "validate", "--corpus", str(first), "--corpus", str(second), "--corpus", str(broken))
    assert r.code == 2
    assert f"central: id appears twice: in {first} and in {second}" in r.out
    assert f"{broken / 'catalogue.toml'}: {broken / 'catalogue.toml'}: invalid TOML" in r.out
