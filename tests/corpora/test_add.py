"""`policydiff corpus add` and `corpus remove`: metadata from the file, required fields, ids, the default corpus,
nothing lost (a refused or interrupted add leaves the folder byte for byte as it was), and a round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from corpora_helpers import CENTRAL, HOSTILE, PAGES, SYNTHETIC_TEXT, folder_digest

from policydiff.corpora import Catalogue
from policydiff.corpora.catalogue import BUNDLED_DIR, read_catalogue
from policydiff.corpora.manage import NewDocument, add_document

PROVINCE = PAGES / "synthetic-province-disclosure.html"
REPRINT = PAGES / "synthetic-news-reprint.html"


def test_add_reads_the_metadata_the_page_holds(corpus: Path):
    (entry,) = read_catalogue(corpus)
    assert entry.id == "synth-central"
    assert entry.title == "国务院办公厅关于推进城乡社区公共阅读空间建设的指导意见（合成测试文本）"
    assert (entry.level, entry.region, entry.date, entry.issuer) == ("central", "全国", "2024-03-01", ("国务院办公厅",))
    extra = dict(entry.extra)
    assert extra["发文字号"] == "示办发〔2024〕1号" and extra["索引号"] == "000000000/2024-00001"
    # The original is copied byte for byte and its hash recorded.
    assert (corpus / entry.file).read_bytes() == CENTRAL.read_bytes()
    assert entry.file == "synth-central.html" and entry.format == "html"
    import hashlib

    assert entry.sha256 == hashlib.sha256(CENTRAL.read_bytes()).hexdigest()


def test_add_prints_what_it_catalogued(tmp_path: Path, cli):
    r = cli("corpus", "add", str(PROVINCE), "--corpus", str(tmp_path / "new"))
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == f"added synthetic-province-disclosure to {tmp_path / 'new'} (a new corpus)"
    assert "provincial, 示例, 2024-05-20, 示例省人民政府办公厅; 3 sections, 7 clauses" in r.out
    assert (tmp_path / "new" / "catalogue.toml").is_file()


def test_command_line_fields_override_the_file(tmp_path: Path, cli):
    folder = tmp_path / "c"
    r = cli(
        "corpus", "add", str(REPRINT), "--corpus", str(folder), "--id", "reprint", "--level", "provincial",
        "--region", "示例", "--issuer", "示例省人民政府办公厅", "--issuer", "示例省委办公厅", "--date", "2024年5月20日",
        "--title", "示例标题（合成）", "--source-url", "https://example.org/synthetic",
    )  # fmt: skip
    assert r.code == 0, r.err
    (entry,) = read_catalogue(folder)
    assert (entry.title, entry.level, entry.region, entry.date) == (
        "示例标题（合成）",
        "provincial",
        "示例",
        "2024-05-20",
    )
    assert entry.issuer == ("示例省人民政府办公厅", "示例省委办公厅")
    assert entry.source_url == "https://example.org/synthetic"
    assert dict(entry.extra)["来源"] == "示例日报"


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (lambda d: HOSTILE / "synthetic-empty.txt", [], "{f}: file is empty"),
        (lambda d: HOSTILE / "synthetic-noise.txt", [], "{f}: not a text file (binary content)"),
        (
            lambda d: HOSTILE / "synthetic-undecodable.txt",
            [],
            "{f}: cannot decode text (not UTF-8, GB18030/GBK or Big5)",
        ),
        (
            lambda d: _write(d / "synthetic-notice.docx", SYNTHETIC_TEXT.encode()),
            [],
            "{f}: the name ends in .docx but the content is not a DOCX file (wrong extension?)",
        ),
        (
            lambda d: _write(d / "synthetic-notice.doc", b"\xd0\xcf\x11\xe0"),
            [],
            "{f}: unsupported file type '.doc': old Word .doc files are not supported; save it as .docx",
        ),
        (
            lambda d: HOSTILE / "synthetic-zip-bomb.docx",
            [],
            "{f}: DOCX member word/document.xml would unpack to 41944646 bytes from 41415 (a zip bomb?); not unpacked",
        ),
        (lambda d: HOSTILE / "synthetic-truncated.pdf", [], "{f}: cannot read PDF (damaged or truncated)"),
        (
            lambda d: PAGES / "synthetic-no-main-text.html",
            [],
            "{f}: no main text found in the page (only navigation or links)",
        ),
        (lambda d: d / "synthetic-missing.txt", [], "{f}: no such file"),
        (
            lambda d: _write(d / "synthetic-notice.txt", SYNTHETIC_TEXT.encode().split(b"\n", 1)[1]),
            [],
            "{f}: missing required title, level: the file does not say; give --title, --level",
        ),
        (
            # A plain text's first line is its title when it reads like one; the level must still be given.
            lambda d: _write(d / "synthetic-notice.txt", SYNTHETIC_TEXT.encode()),
            [],
            "{f}: missing required level: the file does not say; give --level",
        ),
        (
            lambda d: PROVINCE,
            ["--id", "synth-central"],
            "document id 'synth-central' already exists (in {corpus}); choose another --id",
        ),
        (
            lambda d: PROVINCE,
            ["--id", "hunan-2021"],
            "document id 'hunan-2021' already exists (in bundled); choose another --id",
        ),
        (
            lambda d: PROVINCE,
            ["--id", "../escape"],
            "invalid id '../escape': use lower-case letters, digits, '.', '_' and '-' (at most 64, no path "
            "separators, no '..')",
        ),
        (
            lambda d: PROVINCE,
            ["--id", "sub/dir"],
            "invalid id 'sub/dir': use lower-case letters, digits, '.', '_' and '-' (at most 64, no path "
            "separators, no '..')",
        ),
        (
            lambda d: PROVINCE,
            ["--level", "national"],
            "level 'national' is not one of central, provincial, prefectural, county, other",
        ),
        (lambda d: PROVINCE, ["--date", "2024-02-30"], "date '2024-02-30' is not a day of the calendar"),
    ],
    ids=lambda v: "" if callable(v) or isinstance(v, list) else v.split(":")[-1][:40].strip(),
)
def test_refused_add_says_why_and_leaves_the_corpus_untouched(corpus: Path, tmp_path: Path, cli, make, args, message):
    path = make(tmp_path)
    before = folder_digest(corpus)
    r = cli("corpus", "add", str(path), "--corpus", str(corpus), *args)
    assert r.code == 2
    assert r.err == f"policydiff: error: {message.format(f=path, corpus=corpus)}\n"
    assert r.out == ""
    assert folder_digest(corpus) == before


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_refused_add_to_a_new_folder_does_not_create_it(tmp_path: Path, cli):
    folder = tmp_path / "never-made"
    r = cli("corpus", "add", str(REPRINT), "--corpus", str(folder), "--level", "national")
    assert r.code == 2
    assert not folder.exists()


@pytest.mark.parametrize("fail_on", ["document", "catalogue"])
@pytest.mark.parametrize("error", [KeyboardInterrupt, OSError])
def test_an_interrupted_add_leaves_the_corpus_byte_for_byte(corpus: Path, monkeypatch, fail_on, error):
    import policydiff.corpora.manage as manage

    real = manage.atomic_write

    def failing(path: Path, data: bytes) -> None:
        if (path.name == "catalogue.toml") == (fail_on == "catalogue"):
            # Half a file on disk, then the interruption: what a kill or a full disk leaves behind.
            (path.parent / f".{path.name}.partial.tmp").write_bytes(data[: len(data) // 2])
            raise error("interrupted")
        real(path, data)

    def cleanup_partial(folder: Path) -> None:
        for p in folder.glob(".*.partial.tmp"):
            p.unlink()

    before = folder_digest(corpus)
    monkeypatch.setattr(manage, "atomic_write", failing)
    with pytest.raises(error):
        add_document(PROVINCE, NewDocument(id="synth-province"), [corpus])
    # Our stand-in leaves a temp file as a crashed write would; the real atomic_write removes its own.
    cleanup_partial(corpus)
    assert folder_digest(corpus) == before
    assert [e.id for e in read_catalogue(corpus)] == ["synth-central"]


def test_an_interrupted_add_to_a_new_folder_removes_it(tmp_path: Path, monkeypatch):
    import policydiff.corpora.manage as manage

    real = manage.atomic_write

    def failing(path: Path, data: bytes) -> None:
        if path.name == "catalogue.toml":
            raise KeyboardInterrupt
        real(path, data)

    monkeypatch.setattr(manage, "atomic_write", failing)
    with pytest.raises(KeyboardInterrupt):
        add_document(PROVINCE, None, [tmp_path / "new"])
    assert not (tmp_path / "new").exists()


def test_default_corpus_is_the_first_policydiff_corpus_folder(tmp_path: Path, cli, monkeypatch):
    first, second = tmp_path / "first", tmp_path / "second"
    monkeypatch.setenv("POLICYDIFF_CORPUS", f"{first}{__import__('os').pathsep}{second}")
    assert cli("corpus", "add", str(PROVINCE)).code == 0
    assert [e.id for e in read_catalogue(first)] == ["synthetic-province-disclosure"]
    assert not second.exists()


def test_default_corpus_without_settings_is_the_user_corpus(cli, monkeypatch, tmp_path: Path):
    monkeypatch.setenv("POLICYDIFF_DATA_DIR", str(tmp_path / "data"))
    assert cli("corpus", "add", str(PROVINCE)).code == 0
    user = tmp_path / "data" / "corpus"
    assert [e.id for e in read_catalogue(user)] == ["synthetic-province-disclosure"]
    assert not list(BUNDLED_DIR.glob("synthetic-*"))
    # `corpus list` (no --corpus, no POLICYDIFF_CORPUS) sees the user corpus.
    assert cli("corpus", "list").code == 0
    assert Catalogue.default().get("synthetic-province-disclosure").origin == str(user)


def test_the_bundled_corpus_cannot_be_changed(cli):
    r = cli("corpus", "add", str(PROVINCE), "--corpus", str(BUNDLED_DIR))
    assert (r.code, r.err) == (
        2,
        "policydiff: error: the bundled corpus cannot be changed; give --corpus DIR for your own corpus\n",
    )
    r = cli("corpus", "remove", "hunan-2021")
    assert (r.code, r.err) == (2, "policydiff: error: 'hunan-2021' is in the bundled corpus, which cannot be changed\n")


def test_round_trip_add_list_compare_remove(tmp_path: Path, cli):
    folder = tmp_path / "round-trip"
    for page, doc_id in ((CENTRAL, "synth-central"), (PROVINCE, "synth-province")):
        assert cli("corpus", "add", str(page), "--id", doc_id, "--corpus", str(folder)).code == 0

    listed = cli("corpus", "list", "--corpus", str(folder))
    assert listed.code == 0
    rows = [line for line in listed.out.splitlines() if "synth-" in line]
    assert len(rows) == 2 and all(str(folder)[:30] in row for row in rows)  # the "from" column (folded)

    out = tmp_path / "result.json"
    r = cli("compare", "synth-province", "synth-central", "--corpus", str(folder), "--format", "json", "-o", str(out))
    assert r.code == 0, r.err
    result = json.loads(out.read_text(encoding="utf-8"))
    comparison = result["comparisons"][0]
    assert comparison["reference"]["id"] == "synth-central"
    labels = {(v["label"], tuple(t["heading"] for t in v["target"])) for v in comparison["verdicts"]}
    assert ("added", ("推动数字化建设",)) in labels  # the province's own clause
    assert any(label == "missing" for label, _ in labels)  # 创新运营模式 has no provincial counterpart
    assert ("retained", ("指导思想",)) in labels

    assert cli("corpus", "remove", "synth-province", "--corpus", str(folder)).code == 0
    assert [e.id for e in read_catalogue(folder)] == ["synth-central"]
    assert not (folder / "synth-province.html").exists()
    r = cli("compare", "synth-province", "synth-central", "--corpus", str(folder))
    assert r.code == 2 and "unknown document 'synth-province'" in r.err
    assert cli("corpus", "remove", "synth-central", "--corpus", str(folder)).code == 0
    assert read_catalogue(folder) == [] and sorted(p.name for p in folder.iterdir()) == [
        ".catalogue.lock",
        "catalogue.toml",
    ]


def test_remove_keeps_the_researchers_comments_and_other_entries(corpus: Path, cli):
    catalogue = corpus / "catalogue.toml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "\n# 我的备注：下面是省级文件\n", encoding="utf-8")
    assert cli("corpus", "add", str(PROVINCE), "--id", "synth-province", "--corpus", str(corpus)).code == 0
    assert cli("corpus", "remove", "synth-central", "--corpus", str(corpus)).code == 0
    text = catalogue.read_text(encoding="utf-8")
    assert "# 我的备注：下面是省级文件" in text and "A policydiff corpus" in text
    assert [e.id for e in Catalogue([corpus]).entries if e.origin != "bundled"] == ["synth-province"]


def test_a_plain_texts_title_line_becomes_its_title(tmp_path: Path, cli):
    notice = _write(tmp_path / "synthetic-notice.txt", SYNTHETIC_TEXT.encode())
    r = cli("corpus", "add", str(notice), "--level", "prefectural", "--corpus", str(tmp_path / "c"))
    assert r.code == 0, r.err
    (entry,) = read_catalogue(tmp_path / "c")
    assert entry.title == "示例市关于推进社区图书角建设的通知（合成测试文本）"
