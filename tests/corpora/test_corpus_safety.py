"""Nothing read outside a corpus, nothing lost: catalogue paths are checked where files are opened, policydiff's own
files are never a document's, an add killed half-way can be recovered, and a catalogue of the wrong shape is one
line naming the file, the line and the field."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from corpora_helpers import PAGES, SYNTHETIC_TEXT, folder_digest

from policydiff.corpora.catalogue import read_catalogue

PROVINCE = PAGES / "synthetic-province-disclosure.html"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A readable policy text outside the corpus: what a hostile catalogue would have us read and export."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.txt").write_text(SYNTHETIC_TEXT, encoding="utf-8")
    (folder / "meta.toml").write_text('[coverage]\n"（一）工作目标" = "partial"\n', encoding="utf-8")
    return folder


def _append(corpus: Path, entry: str) -> None:
    catalogue = corpus / "catalogue.toml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "\n[[document]]\n" + entry, encoding="utf-8")


def _entry(file: str, doc_id: str = "evil", extra: str = "") -> str:
    return f'id = "{doc_id}"\ntitle = "合成"\nfile = "{file}"\nkind = "full"\nlevel = "other"\n{extra}'


def _own(corpus: Path) -> None:
    (corpus / "own.txt").write_text(SYNTHETIC_TEXT, encoding="utf-8")


# --- 1. every path from a catalogue stays inside its corpus folder ------------------------------------------------


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda c, o: _entry("../../../../etc/passwd"), "file '../../../../etc/passwd' must be a plain file name"),
        (lambda c, o: _entry("../elsewhere/secret.txt"), "file '../elsewhere/secret.txt' must be a plain file name"),
        (lambda c, o: _entry(str(o / "secret.txt")), "must be a plain file name inside the corpus folder"),
        (
            lambda c, o: (c / "link.txt").symlink_to(o / "secret.txt") or _entry("link.txt"),
            "file 'link.txt' is a link to a file outside the corpus folder",
        ),
        (
            lambda c, o: (c / "escape").symlink_to(o) or _entry("escape"),
            "file 'escape' is a link to a file outside the corpus folder",
        ),
        (lambda c, o: os.mkfifo(c / "pipe.txt") or _entry("pipe.txt"), "file 'pipe.txt' is not a regular file"),
        (
            lambda c, o: _own(c) or _entry("own.txt", extra='meta = "../elsewhere/meta.toml"\n'),
            "meta '../elsewhere/meta.toml' must be a plain file name",
        ),
        (
            lambda c, o: (
                _own(c)
                or (c / "own.meta.toml").symlink_to(o / "meta.toml")
                or _entry("own.txt", extra='meta = "own.meta.toml"\n')
            ),
            "meta 'own.meta.toml' is a link to a file outside the corpus folder",
        ),
    ],
    ids=["etc-passwd", "dotdot", "absolute", "symlink-out", "symlink-dir", "fifo", "meta-dotdot", "meta-symlink"],
)
def test_a_catalogue_path_leading_outside_is_never_read(
    corpus: Path, outside: Path, tmp_path: Path, cli, make, problem
):
    _append(corpus, make(corpus, outside))
    catalogue = corpus / "catalogue.toml"
    export = tmp_path / "out.json"
    for args in (
        ["compare", "evil", "synth-central"],
        ["compare", "synth-central", "evil", "--format", "json", "--output", str(export)],
        ["corpus", "show", "evil"],
    ):
        r = cli(*args, "--corpus", str(corpus))
        assert r.code == 2, (args, r.out)
        assert r.err.startswith(f"policydiff: error: {catalogue}: document 'evil': "), r.err
        assert problem in r.err and r.err.count("\n") == 1
        assert r.out == ""
    assert not export.exists()
    r = cli("corpus", "validate", "--corpus", str(corpus))
    assert r.code == 2 and problem.split(" must ")[0].split(" is ")[0] in r.out


def test_a_link_inside_the_corpus_to_a_file_inside_it_is_read(corpus: Path, cli):
    (corpus / "notice.txt").write_text(SYNTHETIC_TEXT, encoding="utf-8")
    (corpus / "alias.txt").symlink_to("notice.txt")
    _append(corpus, _entry("alias.txt", doc_id="alias"))
    r = cli("corpus", "show", "alias", "--corpus", str(corpus))
    assert r.code == 0, r.err
    assert "完善设施布局" in r.out


# --- 2. policydiff's own files are never a document's ------------------------------------------------------------


def test_an_id_named_catalogue_cannot_take_the_catalogues_place(corpus: Path, tmp_path: Path, cli):
    notes = tmp_path / "notes.toml"
    notes.write_text(SYNTHETIC_TEXT, encoding="utf-8")
    args = ["--id", "catalogue", "--title", "合成", "--level", "other", "--corpus", str(corpus)]
    assert cli("corpus", "add", str(notes), *args).code == 0
    (entry,) = [e for e in read_catalogue(corpus) if e.id == "catalogue"]
    assert entry.file == "catalogue.txt"  # stored by what it is, never under a name of ours
    assert cli("corpus", "remove", "catalogue", "--corpus", str(corpus)).code == 0
    assert [e.id for e in read_catalogue(corpus)] == ["synth-central"]
    assert (corpus / "synth-central.html").is_file()


@pytest.mark.parametrize("name", ["catalogue.toml", ".catalogue.lock", ".catalogue.journal", ".hidden", "x.tmp"])
def test_remove_never_deletes_what_the_catalogue_does_not_own(corpus: Path, cli, name: str):
    (corpus / ".hidden").write_text("keep", encoding="utf-8")
    (corpus / "x.tmp").write_text("keep", encoding="utf-8")
    (corpus / ".catalogue.journal").write_text("# nothing pending\n", encoding="utf-8")
    _append(corpus, _entry(name, extra='meta = "catalogue.toml"\noriginal = ".catalogue.lock"\n'))
    kept = {p.name: p.read_bytes() for p in corpus.iterdir() if p.name != "catalogue.toml"}
    r = cli("corpus", "validate", "--corpus", str(corpus))
    assert f"evil: file {name!r} is a name policydiff keeps for itself" in r.out
    assert cli("corpus", "remove", "evil", "--corpus", str(corpus)).code == 0
    assert [e.id for e in read_catalogue(corpus)] == ["synth-central"]  # the catalogue is still there
    assert {p.name: p.read_bytes() for p in corpus.iterdir() if p.name != "catalogue.toml"} == kept


def test_store_refuses_a_reserved_name(corpus: Path):
    from policydiff.corpora.catalogue import Entry
    from policydiff.corpora.errors import CorpusError
    from policydiff.corpora.manage import store

    before = folder_digest(corpus)
    entry = Entry(id="x", title="合成", file="catalogue.toml", corpus=corpus)
    with pytest.raises(CorpusError, match=r"'catalogue\.toml' cannot be a document's file"):
        store(corpus, entry, {"catalogue.toml": b"[[document]]\n"})
    assert folder_digest(corpus) == before


# --- 3. an add killed between the document and the catalogue can be recovered ----------------------------------

_KILL_BEFORE_CATALOGUE = """
import os, signal, sys
from pathlib import Path
import policydiff.corpora.manage as manage

real = manage.atomic_write
def killing(path, data, **kw):
    if path.name == "catalogue.toml":
        os.kill(os.getpid(), signal.SIGKILL)  # what kill -9 or a power cut does between the two writes
    real(path, data, **kw)
manage.atomic_write = killing
manage.add_document(Path(sys.argv[1]), manage.NewDocument(id="synth-province"), [Path(sys.argv[2])])
"""


def _killed_add(corpus: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "POLICYDIFF_CORPUS"}
    proc = subprocess.run(
        [sys.executable, "-c", _KILL_BEFORE_CATALOGUE, str(PROVINCE), str(corpus)], env=env, capture_output=True
    )
    assert proc.returncode == -9, proc.stderr.decode()


def test_an_add_killed_before_the_catalogue_leaves_an_orphan_validate_reports_and_a_re_add_replaces(corpus: Path, cli):
    _killed_add(corpus)
    assert (corpus / "synth-province.html").is_file()  # the orphan
    assert [e.id for e in read_catalogue(corpus)] == ["synth-central"]
    r = cli("corpus", "validate", "--corpus", str(corpus))
    assert r.code == 2
    assert (
        f"{corpus}: synth-province.html ({PROVINCE.stat().st_size:,} bytes) is an orphan: not in the catalogue, "
        "left by an interrupted add or remove; `policydiff corpus validate --repair` removes it"
    ) in r.out.splitlines()
    # Adding it again works, replacing the orphan, and leaves no trace of the interruption.
    r = cli("corpus", "add", str(PROVINCE), "--id", "synth-province", "--corpus", str(corpus))
    assert r.code == 0, r.err
    assert [e.id for e in read_catalogue(corpus)] == ["synth-central", "synth-province"]
    assert not (corpus / ".catalogue.journal").exists()
    assert cli("corpus", "validate", "--corpus", str(corpus)).code == 0


def test_validate_repair_removes_orphans_and_temporary_files_and_says_so(corpus: Path, cli):
    _killed_add(corpus)
    temp = corpus / ".catalogue.toml.k3j4h5g6.tmp"
    temp.write_bytes(b"x" * 1000)  # what an interrupted atomic write leaves
    r = cli("corpus", "validate", "--corpus", str(corpus))
    assert r.code == 2
    assert (
        f"{corpus}: .catalogue.toml.k3j4h5g6.tmp (1,000 bytes) is a temporary file left by an interrupted write"
        in r.out
    )
    before = {p.name for p in corpus.iterdir()}
    r = cli("corpus", "validate", "--repair", "--corpus", str(corpus))
    assert r.code == 0, r.out
    assert f"removed {corpus / 'synth-province.html'}" in r.out
    assert f"removed {temp}" in r.out
    assert before - {p.name for p in corpus.iterdir()} == {
        "synth-province.html",
        ".catalogue.toml.k3j4h5g6.tmp",
        ".catalogue.journal",
    }
    assert r.out.splitlines()[-1] == "4 documents in 2 corpora: no problems"


def test_a_file_the_researcher_put_in_the_folder_is_not_an_orphan(corpus: Path, cli):
    (corpus / "my-notes.txt").write_text("我的笔记", encoding="utf-8")
    r = cli("corpus", "validate", "--repair", "--corpus", str(corpus))
    assert r.code == 0 and "removed" not in r.out
    assert (corpus / "my-notes.txt").is_file()
    # …and an add never overwrites it: an id derived from the file name moves on to the next free one…
    notes = corpus.parent / "my-notes.txt"
    notes.write_text(SYNTHETIC_TEXT, encoding="utf-8")
    r = cli("corpus", "add", str(notes), "--title", "合成", "--level", "other", "--corpus", str(corpus))
    assert r.code == 0 and "added my-notes-2 " in r.out, r.err
    assert (corpus / "my-notes.txt").read_text(encoding="utf-8") == "我的笔记"
    # …and an id given with --id is refused.
    before = folder_digest(corpus)
    r = cli(
        "corpus", "add", str(notes), "--id", "my-notes", "--title", "合成", "--level", "other", "--corpus", str(corpus)
    )
    assert r.code == 2
    assert r.err == (
        f"policydiff: error: {corpus / 'my-notes.txt'} is already in the corpus folder but not in its catalogue; "
        "move it away or choose another --id\n"
    )
    assert folder_digest(corpus) == before


def test_a_remove_killed_after_the_catalogue_leaves_orphans_repair_removes(corpus: Path, cli, monkeypatch):
    import policydiff.corpora.manage as manage

    monkeypatch.setattr(Path, "unlink", _interrupt)
    with pytest.raises(KeyboardInterrupt):
        manage.remove_document("synth-central", [corpus])
    monkeypatch.undo()
    assert read_catalogue(corpus) == [] and (corpus / "synth-central.html").exists()
    r = cli("corpus", "validate", "--repair", "--corpus", str(corpus))
    assert f"removed {corpus / 'synth-central.html'}" in r.out
    assert sorted(p.name for p in corpus.iterdir()) == [".catalogue.lock", "catalogue.toml"]


def _interrupt(self: Path, missing_ok: bool = False) -> None:
    raise KeyboardInterrupt


# --- 8. a catalogue of the wrong shape --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("catalogue", "message"),
    [
        ("document = [1, 2]\n", "{p}: document 1 must be a [[document]] table, not a number"),
        ('document = "x"\n', "{p}: 'document' must be a list of [[document]] tables, not a string"),
        (
            '[[document]]\nid = "a"\ntitle = "合成"\nfile = "a.txt"\nissuer = 5\n',
            "{p}:5: document 'a': 'issuer' must be a string or a list of strings, not a number",
        ),
        (
            '# notes\n\n[[document]]\nid = "a"\ntitle = "合成"\nfile = "a.txt"\n\n[[document]]\nid = "b"\n'
            'title = "合成"\nfile = "b.txt"\nknown_issues = 5\n',
            "{p}:12: document 'b': 'known_issues' must be a list of strings, not a number",
        ),
        (
            '[[document]]\nid = "a"\ntitle = ["合成"]\nfile = "a.txt"\nimplements = [1]\n',
            "{p}:3: document 'a': 'title' must be a string, not a list (and 1 more; `policydiff corpus validate` "
            "lists them)",
        ),
        ('[[document]]\nid = 7\ntitle = "合成"\n', "{p}:1: document 1: 'file' is missing (and 1 more; "),
        ('[[document]]\nid = "a"\ntitle = "t"\nfile = "a.txt"\n[document.metadata]\nx = [1]\n', "{p}:5: document "),
        ("a = " + "[" * 5000 + "\n", "{p}: invalid TOML: nested too deeply"),
    ],
    ids=["document-list", "document-string", "issuer", "known-issues", "title-list", "id-number", "meta", "deep"],
)
def test_a_catalogue_of_the_wrong_shape_is_one_line_for_every_command(tmp_path: Path, cli, catalogue, message):
    folder = tmp_path / "bad"
    folder.mkdir()
    path = folder / "catalogue.toml"
    path.write_text(catalogue, encoding="utf-8")
    expected = message.format(p=path)
    for args in (["corpus", "list"], ["corpus", "show", "hunan-2021"], ["compare", "hunan-2021", "central-2021"]):
        r = cli(*args, "--corpus", str(folder))
        assert r.code == 2, args
        assert r.err.startswith(f"policydiff: error: {expected}"), r.err
        assert r.err.count("\n") == 1
    r = cli("corpus", "validate", "--corpus", str(folder))
    assert r.code == 2 and "Traceback" not in r.err
    assert f"{path}: {expected.split(' (and ')[0]}" in r.out


def test_validate_lists_every_shape_problem_and_unknown_fields(tmp_path: Path, cli):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "catalogue.toml").write_text(
        '[[document]]\nid = "a"\ntitle = ["合成"]\nfile = "a.txt"\nissuer = 5\n', encoding="utf-8"
    )
    r = cli("corpus", "validate", "--corpus", str(folder))
    path = folder / "catalogue.toml"
    assert f"{path}: {path}:3: document 'a': 'title' must be a string, not a list" in r.out
    assert f"{path}: {path}:5: document 'a': 'issuer' must be a string or a list of strings, not a number" in r.out
    (folder / "catalogue.toml").write_text('[[document]]\nid = "a"\ntitle = "合成"\nfile = "a.txt"\nisuer = "x"\n')
    (folder / "a.txt").write_text(SYNTHETIC_TEXT, encoding="utf-8")
    r = cli("corpus", "validate", "--corpus", str(folder))
    assert "a: unknown field 'isuer' (policydiff does not read it; a typo?)" in r.out
