"""policydiff study: the same dataset in-process, on a LocalCluster and on a real scheduler with workers;
resumable; failures recorded; every output read back with pandas and pyarrow; the summary in Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from policydiff.compare.study import PAIRS_FOLDER, TABLES, study

sys.path.insert(0, str(Path(__file__).parent))
from study_helpers import TARGETS, DaskCluster, free_port, make_corpus

IDS = [t[0] for t in TARGETS]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    make_corpus(folder, broken=True)
    return folder


@pytest.fixture(scope="module")
def in_process(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("in-process")
    study("central-2021", IDS, corpus=[corpus], out=out, workers=0)
    return out


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policydiff.cli.app", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def _same_tables(a: Path, b: Path) -> None:
    for name in TABLES:
        assert (a / f"{name}.parquet").read_bytes() == (b / f"{name}.parquet").read_bytes(), name
        assert (a / f"{name}.csv").read_bytes() == (b / f"{name}.csv").read_bytes(), name
    for name in ("summary.md", "summary.html"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_tables_read_back_with_pandas_and_pyarrow(in_process: Path) -> None:
    verdicts = pd.read_parquet(in_process / "verdicts.parquet")
    assert set(verdicts["target_id"]) == set(IDS)
    assert set(verdicts["label"]) <= {"retained", "adapted", "added", "missing", "unjudged"}
    for column in ("target_paths", "reference_paths", "score", "verdict_order", "target_level", "reference_date"):
        assert column in verdicts.columns
    pairs = pq.read_table(in_process / "pairs.parquet").to_pandas()
    assert list(pairs["target_id"]) == IDS
    assert (pairs["status"] == "compared").all()
    # The four counts and `unjudged` beside them add up to the verdicts; the digest reference leaves some unjudged.
    assert (pairs[["retained", "adapted", "added", "missing", "unjudged"]].sum(axis=1) == pairs["verdicts"]).all()
    assert (pairs["unjudged"] > 0).all()
    provisions = pd.read_csv(in_process / "provisions.csv", encoding="utf-8-sig", keep_default_na=False)
    documents = pq.read_table(in_process / "documents.parquet").to_pandas()
    n_reference = int(documents.loc[documents["role"] == "reference", "clauses"].iloc[0])
    assert len(provisions) == n_reference * len(IDS)
    matrix = provisions.pivot_table(index="reference_path", columns="target_id", values="label", aggfunc="first")
    assert matrix.shape == (n_reference, len(IDS))
    record = __import__("json").loads((in_process / "study.json").read_text(encoding="utf-8"))
    assert record["reference"]["id"] == "central-2021"
    assert set(record["documents"]) == {"central-2021", *IDS}
    assert record["rules"]["fingerprint"]


def test_same_verdicts_as_compare(corpus: Path, in_process: Path) -> None:
    from policydiff.compare.cache import Cache
    from policydiff.compare.run import compare_documents
    from policydiff.corpora import Catalogue

    catalogue = Catalogue.default([corpus])
    report = compare_documents(catalogue.load(IDS[1]), [catalogue.load("central-2021")], cache=Cache(enabled=False))
    expected = [v.label for v in report.comparisons[0].verdicts]
    verdicts = pd.read_parquet(in_process / "verdicts.parquet")
    got = verdicts[verdicts["target_id"] == IDS[1]].sort_values("verdict_order")["label"].tolist()
    assert got == expected


def test_local_cluster_and_real_scheduler_write_identical_files(corpus: Path, in_process: Path, tmp_path: Path) -> None:
    local = tmp_path / "local"
    result = study("central-2021", IDS, corpus=[corpus], out=local, workers=2)
    assert result.record["run"]["pool"].startswith("local cluster of 2")
    _same_tables(in_process, local)

    cluster = DaskCluster(workers=2)
    try:
        remote = tmp_path / "remote"
        done = _cli("study", "central-2021", *IDS, "--corpus", str(corpus), "--out", str(remote),
                    "--scheduler", cluster.address)  # fmt: skip
        assert done.returncode == 0, done.stderr
        _same_tables(in_process, remote)
    finally:
        cluster.close()


def test_rerun_skips_finished_pairs(corpus: Path, in_process: Path, tmp_path: Path) -> None:
    out = tmp_path / "study"
    shutil.copytree(in_process, out)
    stored = sorted((out / PAIRS_FOLDER).glob("*.pickle"))
    assert len(stored) == len(IDS)
    stored[0].unlink()  # as if the run had been killed before this pair finished
    seen: list[tuple[int, int, int]] = []
    result = study("central-2021", IDS, corpus=[corpus], out=out, workers=0, progress=lambda *a: seen.append(a))
    assert result.record["run"]["reused"] == len(IDS) - 1
    assert result.record["run"]["computed"] == 1
    assert seen[0] == (len(IDS) - 1, len(IDS), len(IDS) - 1)
    _same_tables(in_process, out)
    again = study("central-2021", IDS, corpus=[corpus], out=out, workers=0, fresh=True)
    assert again.record["run"]["computed"] == len(IDS)


def test_killed_worker_study_finishes_and_rerun_reuses(corpus: Path, in_process: Path, tmp_path: Path) -> None:
    cluster = DaskCluster(workers=2, nanny=False)
    out = tmp_path / "study"
    killed: list[int] = []

    def kill_one(done: int, total: int, reused: int) -> None:
        if done and not killed:  # the first pair has finished; the others are on the workers
            victim = cluster.workers[0]
            os.kill(victim.pid, signal.SIGKILL)
            killed.append(victim.pid)

    try:
        result = study("central-2021", IDS, corpus=[corpus], out=out, scheduler=cluster.address, progress=kill_one)
    finally:
        cluster.close()
    assert killed
    # Dask gives the dead worker's pairs to the other one: nothing is lost.
    assert result.failed == 0, result.pairs["error"].tolist()
    _same_tables(in_process, out)
    rerun = study("central-2021", IDS, corpus=[corpus], out=out, workers=0)
    assert rerun.record["run"]["computed"] == 0
    assert rerun.record["run"]["reused"] == len(IDS)


def test_unreadable_target_is_recorded_and_exit_status_says_so(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "study"
    done = _cli("study", "central-2021", IDS[0], "synthetic-study-broken", "--corpus", str(corpus),
                "--out", str(out), "--workers", "0")  # fmt: skip
    assert done.returncode == 3, done.stderr
    pairs = pd.read_parquet(out / "pairs.parquet")
    broken = pairs[pairs["target_id"] == "synthetic-study-broken"].iloc[0]
    assert broken["status"] == "failed"
    assert "cannot read" in broken["error"]
    assert pairs[pairs["target_id"] == IDS[0]].iloc[0]["status"] == "compared"
    assert "synthetic-study-broken" in (out / "summary.md").read_text(encoding="utf-8")


def test_targets_default_to_the_documents_implementing_the_reference(corpus: Path, tmp_path: Path) -> None:
    from policydiff.compare.study import select_targets
    from policydiff.corpora import Catalogue

    catalogue = Catalogue.default([corpus])
    implementing = select_targets(catalogue, catalogue.load("central-2021"))
    assert implementing == sorted(["anhui-2022", "hunan-2021", *IDS, "synthetic-study-broken"])
    below_hunan = select_targets(catalogue, catalogue.load("hunan-2021"), all_below=True)
    assert below_hunan == ["synthetic-study-b", "synthetic-study-broken", "synthetic-study-c"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-document", "--out", "{tmp}/o"], "no-such-document"),
        (["central-2021", "hunan-2021", "--out", "{tmp}/file.txt"], "is a file"),
    ],
)
def test_bad_inputs_one_line_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    done = _cli("study", *[a.format(tmp=tmp_path) for a in args])
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policydiff: error:") and message in lines[0]


def test_unreachable_scheduler_one_line_exit_2_within_timeout(tmp_path: Path) -> None:
    started = time.monotonic()
    done = _cli("study", "central-2021", "hunan-2021", "--out", str(tmp_path / "o"),
                "--scheduler", f"tcp://127.0.0.1:{free_port()}")  # fmt: skip
    assert time.monotonic() - started < 30
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the Dask scheduler" in lines[0], done.stderr


def test_summary_html_renders_in_chromium(in_process: Path, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("no chromium")
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
         (in_process / "summary.html").as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    dom = done.stdout
    assert 'id="heatmap"' in dom and 'id="profiles"' in dom and 'id="shares"' in dom
    provisions = pd.read_parquet(in_process / "provisions.parquet")
    assert dom.count('class="c"') == len(provisions)
    # Targets dated in different years: a timeline.
    assert 'id="timeline"' in dom


def test_summaries_count_unjudged_apart_in_the_shared_vocabulary(in_process: Path) -> None:
    """A reference provision nobody could judge (digest text not seen) is 'not judged', never missing, and is
    drawn with the symbol and colour every other renderer uses."""
    from policydiff.compare.vocabulary import STATUS_STYLES

    provisions = pd.read_parquet(in_process / "provisions.parquet")
    by_path = provisions.groupby("reference_path")["label"].agg(set)
    unjudged = sorted(p for p, labels in by_path.items() if labels == {"unjudged"})
    assert unjudged, "the digest reference should leave some provisions unjudged"
    md = (in_process / "summary.md").read_text(encoding="utf-8")
    header = next(line for line in md.splitlines() if line.startswith("| provision | heading |"))
    columns = [c.strip() for c in header.strip("|").split("|")]
    assert columns[2:] == ["retained", "adapted", "missing", "not judged", "not mentioned"]
    for path in unjudged:
        row = next(line for line in md.splitlines() if line.startswith(f"| {path} |") and "%" in line)
        shares = dict(zip(columns, [c.strip() for c in row.strip("|").split("|")], strict=True))
        assert shares["missing"] == "0%" and shares["not judged"] == "100%", row
        heat = next(line for line in md.splitlines() if line.startswith(f"| {path} |") and "%" not in line)
        assert set(heat.strip("|").split("|")[1:]) == {f" {STATUS_STYLES['unjudged'].symbol} "}
    assert "? not judged" in md and "⚠" in md.split("## Provisions")[0]
    page = (in_process / "summary.html").read_text(encoding="utf-8")
    grey = f"background:#{STATUS_STYLES['unjudged'].fill}"
    assert page.count(f'<td class="c" style="{grey}') == len(unjudged) * len(IDS)
    assert f"background:#{STATUS_STYLES['missing'].fill}" in page
    assert 'id="legend"' in page and "not judged" in page


def test_study_csv_cells_cannot_run_as_formulas(tmp_path: Path) -> None:
    """Text a spreadsheet would run (a heading `=HYPERLINK(…)`, a term `+1`) gets a leading `'` in the CSV copy;
    numbers stay numbers, the Parquet copy keeps the text as it is."""
    from policydiff.compare.tables import write_table

    frame = pd.DataFrame(
        {
            "heading": ['=HYPERLINK("http://x")', "+1", "-2 项", "@SUM(A1)", "\tx", "\rx", "普通 - 文本"],
            "score": [-0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            "count": [-3, 1, 2, 3, 4, 5, 6],
        }
    )
    write_table(frame, tmp_path, "t")
    back = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig", keep_default_na=False)
    assert back["heading"].tolist() == ["'" + h for h in frame["heading"][:6]] + ["普通 - 文本"]
    assert back["score"].tolist() == frame["score"].tolist() and back["count"].tolist() == frame["count"].tolist()
    assert back["count"].dtype.kind == "i" and back["score"].dtype.kind == "f"
    assert pd.read_parquet(tmp_path / "t.parquet")["heading"].tolist() == frame["heading"].tolist()


def test_instruments_table_is_the_coding_of_every_document(corpus: Path, in_process: Path) -> None:
    """instruments.parquet holds document × provision × unit × code for the reference and each target, exactly
    as `policydiff code` codes them; the summaries show the mix and its difference from the reference."""
    from policydiff.compare.coding import code_documents, codings_frame, instrument_mix
    from policydiff.corpora import Catalogue

    catalogue = Catalogue.default([corpus])
    docs = [catalogue.load(i) for i in ("central-2021", *sorted(IDS))]
    expected = codings_frame(code_documents(docs))
    got = pq.read_table(in_process / "instruments.parquet").to_pandas()
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert list(dict.fromkeys(got["document"])) == ["central-2021", *sorted(IDS)]
    assert {"document", "provision", "unit", "type", "subtype", "rank"} <= set(got.columns)
    back = pd.read_csv(in_process / "instruments.csv", encoding="utf-8-sig", keep_default_na=False)
    assert len(back) == len(got)

    mix = pd.read_parquet(in_process / "instrument_mix.parquet")
    rows = instrument_mix(code_documents(docs).documents, reference="central-2021")
    assert len(mix) == len(rows)
    hunan_like = mix[(mix["document"] == IDS[0]) & (mix["subtype"] == "")]
    assert abs(hunan_like["share"].sum() - 1.0) < 0.01  # the type shares of a document add up to one
    md = (in_process / "summary.md").read_text(encoding="utf-8")
    section = md.split("## Instrument mix")[1].split("\n## ")[0]
    assert "| central-2021 (reference) |" in section and "Difference from the reference" in section
    first = next(r for r in rows if r.document == IDS[0] and r.subtype)
    line = next(x for x in section.splitlines() if x.startswith(f"| {first.type} / {first.subtype} |"))
    assert f"{first.difference * 100:+.1f}" in line or first.difference == 0
    page = (in_process / "summary.html").read_text(encoding="utf-8")
    heat = page.split('id="mix-heatmap"')[1].split("</table>")[0]
    assert heat.count('class="m"') == len(IDS) * len({(r.type, r.subtype) for r in rows})


def test_a_pair_whose_comparison_fails_keeps_its_target_rows(
    corpus: Path, in_process: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A comparison that raises on its worker is a failed pair with its error; the target was read, so its
    documents row and its instrument coding are as in a study where it was compared. Nothing is stored for it,
    so a rerun compares it."""
    import policydiff.compare.run as run

    real = run.compare_pair

    def flaky(target, reference, *args, **kwargs):  # type: ignore[no-untyped-def]
        if target.info.id == IDS[1]:
            raise RuntimeError("synthetic failure")
        return real(target, reference, *args, **kwargs)

    monkeypatch.setattr(run, "compare_pair", flaky)
    out = tmp_path / "study"
    result = study("central-2021", IDS, corpus=[corpus], out=out, workers=0)
    assert result.failed == 1
    pairs = result.pairs.set_index("target_id")
    assert pairs.loc[IDS[1], "status"] == "failed" and "synthetic failure" in pairs.loc[IDS[1], "error"]
    assert pairs.loc[IDS[1], "target_clauses"] > 0
    assert IDS[1] not in set(result.verdicts["target_id"]) and IDS[1] not in set(result.provisions["target_id"])
    for name in ("documents", "instruments", "instrument_mix"):
        assert (out / f"{name}.parquet").read_bytes() == (in_process / f"{name}.parquet").read_bytes(), name
    assert len(list((out / PAIRS_FOLDER).glob("*.pickle"))) == len(IDS) - 1
    monkeypatch.setattr(run, "compare_pair", real)
    rerun = study("central-2021", IDS, corpus=[corpus], out=out, workers=0)
    assert rerun.record["run"]["computed"] == 1 and rerun.failed == 0


def test_a_stored_pair_of_another_shape_is_compared_again(corpus: Path, in_process: Path, tmp_path: Path) -> None:
    """`pairs/KEY.pickle` holds a pair's rows; a file that holds anything else (an older version's whole
    comparison, a damaged file) is not trusted: that pair is compared again and the tables come out the same."""
    import pickle

    out = tmp_path / "study"
    shutil.copytree(in_process, out)
    stored = sorted((out / PAIRS_FOLDER).glob("*.pickle"))
    stored[0].write_bytes(pickle.dumps({"verdicts": []}))
    stored[1].write_bytes(b"\x80\x05 damaged")
    result = study("central-2021", IDS, corpus=[corpus], out=out, workers=0)
    assert result.record["run"]["computed"] == 2
    _same_tables(in_process, out)


def test_the_cyclic_collector_is_off_during_a_study_and_as_it_was_after(corpus: Path, tmp_path: Path) -> None:
    import gc

    seen: list[bool] = []
    assert gc.isenabled()
    study(
        "central-2021",
        IDS[:1],
        corpus=[corpus],
        out=tmp_path / "a",
        workers=0,
        progress=lambda *a: seen.append(gc.isenabled()),
    )
    assert seen and not any(seen)
    assert gc.isenabled()

    def fail(*_: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        study("central-2021", IDS[:1], corpus=[corpus], out=tmp_path / "b", workers=0, progress=fail)
    assert gc.isenabled()
    gc.disable()
    try:  # a caller that had it off keeps it off
        study("central-2021", IDS[:1], corpus=[corpus], out=tmp_path / "c", workers=0)
        assert not gc.isenabled()
    finally:
        gc.enable()
