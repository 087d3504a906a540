"""policydiff similar: top-K similar provisions in other documents, the same in-process and on workers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).parent))
from study_helpers import make_corpus

IDS = ["synthetic-study-a", "synthetic-study-b", "hunan-2021"]


def _run(corpus: Path, out: Path, *extra: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "policydiff.cli.app", "similar", *IDS, "--corpus", str(corpus), "--out", str(out),
         "--top", "2", "--min", "0.6", *extra],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_top_k_in_other_documents_same_on_workers(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    _run(corpus, tmp_path / "a.parquet", "--workers", "0")
    _run(corpus, tmp_path / "b.parquet", "--workers", "2")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    table = pq.read_table(tmp_path / "a.parquet").to_pandas()
    assert len(table)
    assert (table["document"] != table["similar_document"]).all()
    assert (table["score"] >= 0.6).all() and (table["score"] <= 1.0 + 1e-9).all()
    assert table.groupby(["document", "path"])["rank"].max().max() <= 2
    # Both perturbed copies and the seed share their clause 一/（二）: found in each other, with which came first.
    rows = table[(table["document"] == "synthetic-study-a") & (table["path"] == "一/（二）")]
    assert list(rows["similar_document"]) == ["synthetic-study-b", "hunan-2021"]
    assert list(rows["similar_path"]) == ["一/（二）", "一/（二）"]
    assert list(rows["rank"]) == [1, 2]
    assert list(rows["earlier"]) == ["this", "other"]  # a (2021-08) precedes b (2022), follows hunan (2021-07)
    _run(corpus, tmp_path / "c.csv", "--workers", "0")
    csv = pd.read_csv(tmp_path / "c.csv", encoding="utf-8-sig", keep_default_na=False)
    assert len(csv) == len(table)
