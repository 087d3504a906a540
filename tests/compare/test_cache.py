"""The cache folder is not trusted: an unusable folder is a warning, a planted or damaged entry is a miss.

The documents are two small synthetic notices written for these tests, compared as files given by path.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from policydiff.compare import compare_documents
from policydiff.compare.cache import FORMAT, Cache, seal, unseal

REFERENCE = (
    "一、总体要求\n"
    "（一）工作目标。到2025年，全市社区图书角实现全覆盖，借阅服务便捷高效。\n"
    "（二）完善设施布局。结合社区服务中心建设，设置图书角和自助借阅柜。\n"
)
TARGET = (
    "一、总体要求\n"
    "（一）工作目标。到2026年，全县社区图书角实现全覆盖，借阅服务便捷高效。\n"
    "（二）丰富阅读活动。定期开展亲子共读和读书分享活动，每季度至少一次。\n"
)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    target, reference = tmp_path / "synthetic-target.txt", tmp_path / "synthetic-reference.txt"
    target.write_text(TARGET, encoding="utf-8")
    reference.write_text(REFERENCE, encoding="utf-8")
    return target, reference


def _json_of(cli, pair, *extra: str) -> tuple[dict, str]:  # type: ignore[no-untyped-def]
    r = cli("compare", str(pair[0]), str(pair[1]), "--format", "json", *extra)
    assert r.code == 0, r.err
    return json.loads(r.out), r.err


def _unusable(tmp_path: Path, kind: str) -> Path:
    if kind == "file":
        (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
        return tmp_path / "a-file"
    if kind == "fifo":
        os.mkfifo(tmp_path / "a-fifo")
        return tmp_path / "a-fifo"
    if kind == "under-a-file":
        (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
        return tmp_path / "a-file" / "cache"
    return Path("/dev/null")


@pytest.mark.parametrize("kind", ["file", "dev-null", "fifo", "under-a-file"])
def test_an_unusable_cache_folder_is_a_warning_and_no_cache_touches_nothing(
    kind: str, tmp_path: Path, cli, monkeypatch, pair
):
    folder = _unusable(tmp_path, kind)
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(folder))
    before = sorted(os.listdir(tmp_path))
    uncached, err = _json_of(cli, pair, "--no-cache")
    assert err == ""
    assert sorted(os.listdir(tmp_path)) == before  # nothing created, nothing written
    warned, err = _json_of(cli, pair)
    assert err.count("\n") == 1 and err.startswith("policydiff: warning: ")
    assert err.endswith("; running without the cache\n") and str(folder) in err
    assert warned == uncached
    assert sorted(os.listdir(tmp_path)) == before


def test_no_cache_does_not_even_create_the_folder(tmp_path: Path, cli, monkeypatch, pair):
    monkeypatch.setenv("POLICYDIFF_CACHE_DIR", str(tmp_path / "new" / "cache"))
    _json_of(cli, pair, "--no-cache")
    assert not (tmp_path / "new").exists()
    _json_of(cli, pair)
    assert (tmp_path / "new" / "cache" / "analysis").is_dir()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory, catalogue):  # type: ignore[no-untyped-def]
    """The pair compared once into a fresh cache: (the report, the filled cache folder, the two files)."""
    folder = tmp_path_factory.mktemp("baseline")
    files = (folder / "synthetic-target.txt", folder / "synthetic-reference.txt")
    files[0].write_text(TARGET, encoding="utf-8")
    files[1].write_text(REFERENCE, encoding="utf-8")
    report = _compare(catalogue, files, Cache(folder / "cache"))
    return report, folder / "cache", files


@pytest.fixture
def root(tmp_path: Path, baseline) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the baseline's filled cache (jieba's dictionary cache included), for a test to damage."""
    shutil.copytree(baseline[1], tmp_path / "cache", symlinks=True)
    return tmp_path / "cache"


def _entries(root: Path) -> list[Path]:
    return sorted(p for kind in ("analysis", "comparisons") for p in (root / kind).iterdir())


def _compare(catalogue, pair, cache: Cache):  # type: ignore[no-untyped-def]
    target, reference = (catalogue.load(str(p)) for p in pair)
    return compare_documents(target, [reference], cache=cache)


def _in_a_thread(fn):  # type: ignore[no-untyped-def]
    """fn() or a failure if it does not return within 60 s (a hang would otherwise stop the suite)."""
    box: list[object] = []
    thread = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "hung"
    return box[0]


@pytest.mark.parametrize("plant", ["symlink-to-fifo", "fifo", "symlink-to-a-good-entry", "folder"])
def test_entries_that_are_not_regular_files_are_never_opened(
    catalogue, baseline, tmp_path: Path, root: Path, plant: str
):
    expected, _, pair = baseline
    entries = _entries(root)
    assert len(entries) == 3  # two analyses, one comparison
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.mkfifo(elsewhere / "fifo")
    for entry in entries:
        good = elsewhere / entry.name
        good.write_bytes(entry.read_bytes())
        entry.unlink()
        if plant == "symlink-to-fifo":
            entry.symlink_to(elsewhere / "fifo")
        elif plant == "fifo":
            os.mkfifo(entry)
        elif plant == "folder":
            entry.mkdir()
        else:
            entry.symlink_to(good)  # even a link to a good entry: what it points to may change
    got = _in_a_thread(lambda: _compare(catalogue, pair, Cache(root)))
    assert got == expected
    if plant != "folder":  # a folder cannot be renamed over; the entry stays a miss
        assert all(p.is_file() and not p.is_symlink() for p in _entries(root))  # replaced by real entries
        assert unseal(entries[0].read_bytes()) is not None


def test_a_symlinked_kind_folder_is_neither_read_nor_written(catalogue, baseline, tmp_path: Path, root: Path):
    expected, _, pair = baseline
    outside = tmp_path / "outside"
    (root / "analysis").rename(outside)
    (root / "analysis").symlink_to(outside)
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    for p in outside.iterdir():
        p.write_bytes(seal(b"{}"))  # would give empty analyses if it were read
    (root / "comparisons").joinpath(os.listdir(root / "comparisons")[0]).unlink()
    assert _compare(catalogue, pair, Cache(root)) == expected
    assert {p.name for p in outside.iterdir()} == set(before)  # nothing written through the link
    assert all(p.read_bytes() == seal(b"{}") for p in outside.iterdir())


@pytest.mark.parametrize(
    "damage",
    ["empty-object", "unsealed-old-format", "checksum", "truncated", "wrong-version", "tokens-do-not-give-the-text"],
)
def test_a_damaged_or_wrong_shaped_analysis_is_discarded_and_never_reaches_the_comparison_cache(
    catalogue, baseline, root: Path, damage: str
):
    expected, _, pair = baseline
    for entry in (root / "comparisons").iterdir():
        entry.unlink()
    for entry in (root / "analysis").iterdir():
        payload = unseal(entry.read_bytes())
        assert payload is not None
        tokens = json.loads(payload)
        if damage == "empty-object":
            data = seal(b"{}")  # the right JSON type, the wrong shape: once gave other scores, then was cached
        elif damage == "unsealed-old-format":
            data = payload
        elif damage == "checksum":
            data = seal(payload).replace(b"\xe5", b"\xe6", 1)
        elif damage == "truncated":
            data = seal(payload)[:-20]
        elif damage == "wrong-version":
            data = seal(payload).replace(FORMAT, b"policydiff-cache/1", 1)
        else:
            data = seal(json.dumps({text: ["x"] for text in tokens}, ensure_ascii=False).encode())
        entry.write_bytes(data)
    assert _compare(catalogue, pair, Cache(root)) == expected
    # What the run stored is right: a run from the cache alone gives the same verdicts again.
    for entry in (root / "analysis").iterdir():
        tokens = json.loads(unseal(entry.read_bytes()) or b"null")
        assert isinstance(tokens, dict) and tokens and all("".join(v) == k for k, v in tokens.items())
    assert _compare(catalogue, pair, Cache(root)) == expected


def test_a_wrong_comparison_entry_is_discarded(catalogue, baseline, root: Path):
    import pickle

    expected, _, pair = baseline
    (entry,) = (root / "comparisons").iterdir()
    entry.write_bytes(seal(pickle.dumps({"verdicts": []})))
    assert _compare(catalogue, pair, Cache(root)) == expected


def test_a_kind_folder_others_can_write_is_neither_read_nor_written(catalogue, baseline, root: Path):
    expected, _, pair = baseline
    analysis = root / "analysis"
    for entry in analysis.iterdir():
        entry.write_bytes(seal(b"{}"))  # planted by another user: would give empty analyses if read
    (root / "comparisons").joinpath(os.listdir(root / "comparisons")[0]).unlink()
    analysis.chmod(0o777)
    try:
        assert _compare(catalogue, pair, Cache(root)) == expected
        assert all(p.read_bytes() == seal(b"{}") for p in analysis.iterdir())  # not read, not rewritten
    finally:
        analysis.chmod(0o700)


def test_the_engine_fingerprint_covers_the_codebooks_and_their_examples():
    from policydiff.compare.cache import engine_sources

    names = {p.name for p in engine_sources()}
    # the examples choose instrument codes that compare's evidence names: a new example must not reuse old results
    assert {"rothwell-zegveld.toml", "rothwell-zegveld-examples.csv", "coding.py", "segment.py"} <= names
