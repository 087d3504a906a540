"""Any shape compares with any other, and the new paths reach every export: implementing measures against
their law (CSV read back with pandas), a wrapped plan against an opinion (JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

SHAPES = Path(__file__).resolve().parents[1] / "fixtures" / "shapes"


def test_measures_against_their_law_export_chapter_and_article_paths(cli, tmp_path: Path):
    out = tmp_path / "measures.csv"
    r = cli(
        "compare",
        str(SHAPES / "synthetic-measures.md"),
        str(SHAPES / "synthetic-law.md"),
        "--format",
        "csv",
        "--output",
        str(out),
    )
    assert r.code == 0, r.err
    df = pd.read_csv(out, encoding="utf-8-sig", keep_default_na=False)
    row = df[df["target_paths"] == "第二章/第五条"].iloc[0]
    assert row["section"] == "第二章"
    assert set(row["reference_paths"].split("; ")) == {"第二章/第一节/第七条", "第二章/第一节/第八条"}
    missing = df[df["label"] == "missing"]
    assert "第一章/第三条" in set(missing["reference_paths"])


def test_a_wrapped_plan_against_an_opinion_names_attachment_paths_in_json(cli):
    r = cli(
        "compare",
        str(SHAPES / "synthetic-notice-plan.txt"),
        str(SHAPES / "synthetic-opinion.txt"),
        "--format",
        "json",
    )
    assert r.code == 0, r.err
    verdicts = json.loads(r.out)["comparisons"][0]["verdicts"]
    pairs = {(t["path"], ref["path"]) for v in verdicts for t in v["target"] for ref in v["reference"]}
    assert ("附件1/二/3.", "二/（五）") in pairs and ("附件1/二/4.", "二/（五）") in pairs
    assert not any(t["path"].startswith("通知") for v in verdicts for t in v["target"])
