"""The notebook surface: `import policydiff`, its four verbs, the README's "From Python" example run as
written, and scores that mean what the help says (1.00 for identical text, lower as text goes)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import policydiff
from policydiff.compare.result import Verdict

README = Path(__file__).resolve().parents[2] / "README.md"


def _from_python_example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## From Python", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's From Python section has a python code block"
    return match.group(1)


def test_the_readme_example_runs_as_written() -> None:
    namespace: dict[str, object] = {}
    exec(compile(_from_python_example(), "README.md", "exec"), namespace)
    df = namespace["df"]
    assert len(df) == 32 and {"reference_order", "target_order", "label", "score", "evidence"} <= set(df.columns)
    matrix = namespace["matrix"]
    assert list(matrix.columns) == ["hunan-2021", "anhui-2022"]
    assert list(matrix.index)[:3] == ["一/（一）", "一/（二）", "二/（三）"]  # the central document's order
    counts = namespace["counts"]
    assert counts.loc["hunan-2021"].tolist() == [0, 18, 7, 1, 6]  # as `compare` counts them, unjudged apart
    mix = namespace["mix"]
    assert set(mix["document"]) == {"central-2021", "hunan-2021", "anhui-2022"}
    shares = namespace["shares"]
    assert shares[shares["document"] == "hunan-2021"]["difference"].eq(0).all()  # the first is the reference
    links = namespace["links"]
    assert ("hunan-2021", "central-2021") in set(zip(links["document"], links["implements"], strict=True))
    reuse = namespace["reuse"]
    assert len(reuse) and (reuse["score"] >= 0.2).all()


def test_compare_returns_typed_verdicts_and_one_row_per_verdict() -> None:
    result = policydiff.compare("hunan-2021", "central-2021")
    assert all(isinstance(v, Verdict) for v in result.verdicts)
    assert result.summary["central-2021"] == {"retained": 0, "adapted": 18, "added": 7, "missing": 1, "unjudged": 6}
    df = result.to_pandas()
    assert len(df) == len(result.verdicts) and list(df["label"]) == [v.label for v in result.verdicts]
    assert "<table" in result._repr_html_() and "not judged" in result._repr_html_()
    assert result.warnings == ()
    assert policydiff.compare("central-2021", "hunan-2021").warnings  # swapped: the library says so


def test_load_corpus_and_matrix() -> None:
    hunan = policydiff.load("hunan-2021")
    assert hunan.info.id == "hunan-2021" and len(hunan.clauses) == 25
    assert "central-2021" in [e.id for e in policydiff.corpus().list()]
    m = policydiff.matrix("central-2021", hunan)
    assert len(m.matrix.rows) == 25 and len(m.to_pandas()) == len(m.verdicts)


def test_every_public_name_has_a_docstring() -> None:
    from policydiff.compare import api

    for name in api.__all__:
        obj = getattr(api, name)
        assert obj.__doc__ and obj.__doc__.strip(), name
        for attr, member in vars(obj).items() if isinstance(obj, type) and obj.__module__ == api.__name__ else ():
            if (not attr.startswith("_") and callable(member)) or isinstance(member, property):
                assert member.__doc__, f"{name}.{attr}"


def test_import_policydiff_cli_stays_light() -> None:
    code = (
        "import sys, policydiff, policydiff.cli.app;"
        "heavy = [m for m in ('pandas', 'sklearn', 'numpy', 'jieba', 'openpyxl') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_a_document_compared_with_itself_scores_one_on_every_clause() -> None:
    result = policydiff.compare("hunan-2021", "hunan-2021", cache=False)
    assert {v.label for v in result.verdicts} == {"retained"}
    assert [round(v.score, 4) for v in result.verdicts] == [1.0] * 25


def test_the_score_falls_as_the_reference_clause_is_lost(tmp_path: Path) -> None:
    sentences = [
        f"第{n}句推动{w}产业发展壮大。"
        for n, w in zip("一二三四五六", ["汽车", "钢铁", "化工", "纺织", "粮食", "旅游"], strict=True)
    ]
    reference = tmp_path / "synthetic-centre.txt"
    reference.write_text("一、总体要求\n（一）发展产业。" + "".join(sentences) + "\n", encoding="utf-8")
    scores = []
    for keep in (6, 4, 2):
        target = tmp_path / f"synthetic-province-{keep}.txt"
        target.write_text("一、总体要求\n（一）发展产业。" + "".join(sentences[:keep]) + "\n", encoding="utf-8")
        (v,) = policydiff.compare(target, reference, cache=False).verdicts
        scores.append(v.score)
    assert scores[0] == pytest.approx(1.0) and scores[0] > scores[1] > scores[2] > 0


def test_study_link_and_similar_from_python(tmp_path: Path) -> None:
    seen: list[tuple[int, int, int]] = []
    out = tmp_path / "study"
    result = policydiff.study("central-2021", "hunan-2021", workers=0, out=out, progress=lambda *a: seen.append(a))
    assert seen[-1] == (1, 1, 0) and result.failed == 0
    assert set(result.tables()) == {"verdicts", "documents", "pairs", "provisions", "instruments", "instrument_mix"}
    assert result.to_pandas() is result.verdicts and (out / "instruments.parquet").exists()
    assert set(result.instruments["document"]) == {"central-2021", "hunan-2021"}
    again = policydiff.study("central-2021", "hunan-2021", workers=0, out=out)
    assert again.record["run"]["reused"] == 1
    from policydiff.corpora.errors import ConfigError

    with pytest.raises(ConfigError, match="not both"):
        policydiff.study("central-2021", "hunan-2021", workers=1, scheduler="tcp://127.0.0.1:1")
    table = policydiff.similar("central-2021", "hunan-2021", min_score=0.2, out=tmp_path / "s.csv")
    import pandas as pd

    assert len(table) == len(pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")) > 0
    assert policydiff.link().saved == ()


def test_agreement_with_hand_coding_and_between_coders_from_python() -> None:
    import json
    from pathlib import Path

    import policydiff

    gold = Path(__file__).resolve().parents[1] / "gold" / "coding"
    rel = policydiff.code("hunan-2021").agreement(gold / "seed-sample.csv")
    assert rel.aligned == 75 and rel.by_type.kappa > 0
    json.dumps(rel.to_dict())  # what --evaluate -f json prints
    between = policydiff.coder_agreement(gold / "seed-sample.csv", gold / "seed-sample.csv")
    assert between.paired == 75 and between.by_type.kappa == 1.0 and not between.disagreements
