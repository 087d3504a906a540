"""`policydiff code` end to end: terminal, JSON against its schema, CSV and XLSX read back, --codebook,
--evaluate against the hand-coded samples, and user errors as one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parents[1] / "gold" / "coding"


def test_code_in_the_terminal(cli):
    r = cli("code", "hunan-2021")
    assert r.code == 0, r.err
    assert "政策力度" in r.out and "实施意见" in r.out
    assert "supply/infrastructure" in r.out and "instrument mix" in r.out


def test_code_json_validates_and_is_reproducible(cli, tmp_path: Path):
    import jsonschema

    from policydiff.compare.export.coding import coding_json_schema

    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert cli("code", "hunan-2021", "central-2021", "-f", "json", "-o", str(a)).code == 0
    assert cli("code", "hunan-2021", "central-2021", "-f", "json", "-o", str(b)).code == 0
    assert a.read_bytes() == b.read_bytes()
    data = json.loads(a.read_text(encoding="utf-8"))
    jsonschema.validate(data, coding_json_schema())
    assert data["schema"] == "policydiff/coding@1"
    doc = data["documents"][0]
    assert doc["document"]["id"] == "hunan-2021" and doc["strength"]["score"] == 1
    coded = [u for u in doc["units"] if u["codes"]]
    codes = [c for u in coded for c in u["codes"]]
    assert coded and all(c["matched"] for c in codes if c["by"] == "keywords")
    # the examples code some sentences no keyword reaches; such a code names no keyword
    assert all(not c["matched"] and c["score"] == 0 for c in codes if c["by"] == "examples")
    assert data["codebook"]["examples"]["count"] >= 509
    assert data["documents"][1]["strength"]["score"] == 2  # the central 意见


def test_code_csv_and_xlsx_read_back(cli, tmp_path: Path):
    import openpyxl
    import pandas as pd

    csv_path, xlsx_path = tmp_path / "codes.csv", tmp_path / "codes.xlsx"
    assert cli("code", "hunan-2021", "-f", "csv", "-o", str(csv_path)).code == 0
    df = pd.read_csv(csv_path, encoding="utf-8-sig")
    assert set(df["type"]) <= {"supply", "environment", "demand", "none"}
    assert (df["document"] == "hunan-2021").all() and (df["strength"] == 1).all()
    assert df[df["rank"] <= 1]["path"].is_unique
    assert cli("code", "hunan-2021", "-f", "xlsx", "-o", str(xlsx_path)).code == 0
    wb = openpyxl.load_workbook(xlsx_path)
    assert wb.sheetnames == ["documents", "summary", "provisions", "mix", "units", "codebook"]
    summary = list(wb["summary"].iter_rows(values_only=True))
    assert summary[0] == ("document", "provision", "level", "key", "label", "units", "share")
    types = {row[3]: row[5] for row in summary[1:] if row[2] == "type"}
    units = [row for row in wb["units"].iter_rows(values_only=True)][1:]
    primaries = [row for row in units if row[5] == 1]
    assert sum(types.values()) == len(primaries)


def test_own_codebook(cli, tmp_path: Path):
    from policydiff.rules.codebook import CODEBOOKS

    r = cli("code", "hunan-2021", "--codebook", str(CODEBOOKS / "mcdonnell-elmore.toml"), "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["codebook"]["name"].startswith("McDonnell")
    types = {c["type"] for u in data["documents"][0]["units"] for c in u["codes"]}
    assert types and types <= {"mandate", "inducement", "capacity", "system_change"}


def test_evaluate_against_the_tuning_sample(cli):
    r = cli("code", "--evaluate", str(GOLD / "seed-sample.csv"), "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["schema"] == "policydiff/coding-agreement@1"
    assert data["rows"] == data["aligned"] == 75 and not data["unaligned"]
    assert data["by_type"]["cohen_kappa"] >= 0.7
    assert sum(map(sum, data["by_type"]["confusion"])) == 75
    terminal = cli("code", "hunan-2021", "--evaluate", str(GOLD / "seed-sample.csv"))
    assert "Cohen's kappa" in terminal.out and "confusion matrix" in terminal.out


# Floors of the keywords alone (the default codebook without its examples), at the figures measured when they
# were last tuned (tests/gold/coding/README.md): a guard against regressions, not a claim of reliability. The
# first four files are tuning data since the fourth round (each held-out sample was scored once before it became
# tuning data: type kappa 0.343, 0.270, then 0.574); samples 4, 5 and 7 were scored once with these keywords and
# never tuned on (0.576, 0.544 and 0.541 against their first coders). Samples 3 to 7 name synthetic documents,
# given as files.
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "coding"
HELD_OUT_3 = (
    "hunan-2021",
    *(str(FIXTURES / f"synthetic-{n}.md") for n in ("county-economy-opinion", "digital-transformation-plan")),
)
HELD_OUT_4 = tuple(
    str(FIXTURES / f"synthetic-{n}.md")
    for n in (
        "sme-promotion-measures",
        "rural-living-environment-notice",
        "city-innovation-opinion",
        "county-tourism-consumption-plan",
    )
)
HELD_OUT_5 = tuple(
    str(FIXTURES / f"synthetic-{n}.md")
    for n in (
        "province-green-transition-regulation",
        "city-manufacturing-cluster-action-plan",
        "province-employment-notice",
        "county-elderly-care-opinion",
    )
)
HELD_OUT_7 = tuple(
    str(FIXTURES / f"synthetic-{n}.md")
    for n in (
        "city-talent-attraction-policies",
        "province-work-safety-regulation",
        "province-nev-consumption-action-plan",
        "county-digital-village-implementation-plan",
    )
)
DEFAULT_CODEBOOK = Path(__file__).resolve().parents[2] / "rules" / "data" / "codebooks" / "rothwell-zegveld.toml"


@pytest.fixture(scope="module")
def keywords_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default codebook without its `examples` line: the keywords, patterns and stock formulae alone."""
    text = DEFAULT_CODEBOOK.read_text(encoding="utf-8")
    kept = "\n".join(line for line in text.splitlines() if not line.startswith("examples = "))
    assert kept != text
    path = tmp_path_factory.mktemp("codebook") / "keywords-only.toml"
    path.write_text(kept, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("sample", "documents", "rows", "type_kappa", "subtype_kappa"),
    [
        ("seed-sample.csv", (), 75, 0.910, 0.894),
        ("seed-held-out-1.csv", (), 50, 0.937, 0.955),
        ("seed-held-out-2.csv", (), 60, 0.974, 0.962),
        ("held-out-3-coder-a.csv", HELD_OUT_3, 111, 0.947, 0.932),
        ("held-out-3-coder-b.csv", HELD_OUT_3, 111, 0.947, 0.922),
        ("held-out/held-out-4-coder-c.csv", HELD_OUT_4, 213, 0.576, 0.633),
        ("held-out/held-out-4-coder-d.csv", HELD_OUT_4, 213, 0.597, 0.648),
        ("held-out/held-out-5-coder-e.csv", HELD_OUT_5, 197, 0.544, 0.494),
        ("held-out/held-out-5-coder-f.csv", HELD_OUT_5, 197, 0.557, 0.511),
        ("held-out/held-out-7-coder-i.csv", HELD_OUT_7, 181, 0.541, 0.463),
        ("held-out/held-out-7-coder-j.csv", HELD_OUT_7, 181, 0.575, 0.495),
    ],
    ids=[
        "tuning",
        "held-out-1",
        "held-out-2",
        "held-out-3-coder-a",
        "held-out-3-coder-b",
        "held-out-4-c",
        "held-out-4-d",
        "held-out-5-e",
        "held-out-5-f",
        "held-out-7-i",
        "held-out-7-j",
    ],
)
def test_keyword_agreement_with_each_hand_coded_sample_keeps_its_measured_floor(
    cli,
    keywords_only: Path,
    sample: str,
    documents: tuple[str, ...],
    rows: int,
    type_kappa: float,
    subtype_kappa: float,
):
    r = cli("code", *documents, "--codebook", str(keywords_only), "--evaluate", str(GOLD / sample), "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["codebook"]["examples"] is None
    assert data["rows"] == data["aligned"] == rows and not data["unaligned"]
    assert round(data["by_type"]["cohen_kappa"], 3) >= type_kappa
    assert round(data["by_subtype"]["cohen_kappa"], 3) >= subtype_kappa


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("document,text,kind\nhunan-2021,x,supply\n", "line 1"),
        ("document,text,type,subtype\nhunan-2021,某句。,supply,money\n", "line 2: unknown subtype 'money'"),
        ("document,text,type,subtype\nhunan-2021,某句。,suply,talent\n", "line 2: unknown type 'suply'"),
    ],
)
def test_a_bad_hand_coding_is_one_line(cli, tmp_path: Path, content: str, message: str):
    path = tmp_path / "hand.csv"
    path.write_text(content, encoding="utf-8")
    r = cli("code", "hunan-2021", "--evaluate", str(path))
    assert r.code == 2
    assert r.err.startswith("policydiff: error: ") and message in r.err and len(r.err.splitlines()) == 1


def test_a_bad_codebook_or_format_is_one_line(cli, tmp_path: Path):
    path = tmp_path / "book.toml"
    path.write_text('name = "x"\n[[type]]\nid = "Bad Id"\nlabel = "x"\n', encoding="utf-8")
    r = cli("code", "hunan-2021", "--codebook", str(path))
    assert r.code == 2 and f"{path}:3:" in r.err and len(r.err.splitlines()) == 1
    assert cli("code", "hunan-2021", "-f", "html").code == 2
    assert cli("code").code == 2


def test_several_documents_get_a_mix_table_with_differences(cli, tmp_path: Path):
    import openpyxl

    r = cli("code", "central-2021", "hunan-2021")
    assert r.code == 0, r.err
    assert "instrument mix: share of coded sentences (Δ against central-2021" in r.out
    assert "central-2021 (digest)" in r.out and "not of its text" in r.out
    out = tmp_path / "mix.xlsx"
    assert cli("code", "central-2021", "hunan-2021", "-f", "xlsx", "-o", str(out)).code == 0
    rows = list(openpyxl.load_workbook(out)["mix"].iter_rows(values_only=True))
    assert rows[0] == ("document", "type", "subtype", "units", "share", "reference_share", "difference")
    central = [r for r in rows[1:] if r[0] == "central-2021"]
    assert central and all(r[6] == 0 for r in central)
    hunan_types = [r for r in rows[1:] if r[0] == "hunan-2021" and not r[2]]
    assert [r[1] for r in hunan_types] == ["supply", "environment", "demand"]


def test_hand_rows_align_by_path_when_the_text_is_not_given_and_unknown_rows_are_listed(cli, tmp_path: Path):
    path = tmp_path / "hand.csv"
    path.write_text(
        "document,path,text,type,subtype\n"
        "hunan-2021,一/（二）#1,,environment,planning\n"
        "hunan-2021,,某个并不存在的句子。,supply,talent\n",
        encoding="utf-8",
    )
    data = json.loads(cli("code", "--evaluate", str(path), "-f", "json").out)
    assert data["rows"] == 2 and data["aligned"] == 1
    assert data["unaligned"][0]["line"] == 3
    assert data["by_type"]["percent_agreement"] == 1.0


def test_compare_evidence_names_instrument_changes(cli):
    r = cli("compare", "hunan-2021", "central-2021", "--format", "json")
    assert r.code == 0, r.err
    verdicts = json.loads(r.out)["comparisons"][0]["verdicts"]
    changes = [c for v in verdicts for c in v["evidence"].get("instrument_changes", [])]
    assert changes and all(c.startswith(("added ", "dropped ")) or " → " in c for c in changes)
    # Only matched verdicts carry them: an added or missing clause has no counterpart to change from.
    assert not any(v["evidence"]["instrument_changes"] for v in verdicts if v["label"] in ("added", "missing"))


def test_a_second_coder_adds_inter_coder_reliability(cli, tmp_path: Path):
    import csv

    rows = list(csv.DictReader((GOLD / "seed-sample.csv").open(encoding="utf-8")))
    second = [dict(r) for r in rows[:-1]]  # the second coder left the last sentence out
    for r in second[:5]:  # and disagrees on the first five
        r["type"], r["subtype"] = ("none", "") if r["type"] != "none" else ("environment", "strategic")
    path = tmp_path / "coder-b.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(second)
    first = str(GOLD / "seed-sample.csv")
    r = cli("code", "--evaluate", first, "--second-coder", str(path), "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["schema"] == "policydiff/coder-agreement@1"
    alone = json.loads(cli("code", "--evaluate", first, "-f", "json").out)
    assert data["policydiff_vs_first"] == alone
    assert data["policydiff_vs_second"]["rows"] == 74
    between = data["between_coders"]
    assert between["paired"] == 74 and [u["line"] for u in between["unpaired"]] == [76]
    assert between["by_type"]["percent_agreement"] == round(69 / 74, 4)
    assert len(between["disagreements"]) == 5
    terminal = cli("code", "--evaluate", first, "--second-coder", str(path))
    assert "agreement between the coders" in terminal.out and "coded by one coder only" in terminal.out
    alone_second = cli("code", "--second-coder", str(path))
    assert alone_second.code == 2 and "--second-coder needs --evaluate" in alone_second.err


# The default codebook (keywords proposing, examples choosing) on held-out sample 7, which it was scored on once
# (tests/gold/coding/README.md, "Held-out sample 7"): sample 7 is not among its examples. Floors at those figures.
@pytest.mark.parametrize(
    ("sample", "type_kappa", "subtype_kappa"),
    [("held-out-7-coder-i.csv", 0.714, 0.631), ("held-out-7-coder-j.csv", 0.748, 0.657)],
    ids=["coder-i", "coder-j"],
)
def test_the_default_codebook_keeps_its_held_out_agreement(cli, sample: str, type_kappa: float, subtype_kappa: float):
    r = cli("code", *HELD_OUT_7, "--evaluate", str(GOLD / "held-out" / sample), "-f", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert data["codebook"]["examples"]["count"] == 922
    assert data["rows"] == data["aligned"] == 181 and not data["unaligned"]
    assert round(data["by_type"]["cohen_kappa"], 3) >= type_kappa
    assert round(data["by_subtype"]["cohen_kappa"], 3) >= subtype_kappa
