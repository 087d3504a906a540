"""Writing a study's files: the same bytes however they are made (overlapped with the disk's waits, CSV straight
from the rows, joined from parts made on the workers), and a file that cannot be written is an error, not a
silently missing table."""

from __future__ import annotations

import io
import itertools
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.compare.study import TABLES, StudyResult, study, write_study
from policydiff.compare.tables import csv_bytes, join_parts, parquet_bytes, table_part, write_table

sys.path.insert(0, str(Path(__file__).parent))
from study_helpers import TARGETS, make_corpus


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> StudyResult:
    corpus = tmp_path_factory.mktemp("corpus")
    make_corpus(corpus)
    return study("central-2021", [TARGETS[0][0], TARGETS[1][0]], corpus=[corpus], workers=0)


def test_written_while_the_next_file_is_made_the_files_are_the_tables(result: StudyResult, tmp_path: Path) -> None:
    written = write_study(result, tmp_path / "study")
    names = [f"{t}.{suffix}" for t in TABLES for suffix in ("parquet", "csv")]
    assert [p.name for p in written] == [*names, "study.json", "summary.md", "summary.html"]
    one_by_one = tmp_path / "one-by-one"
    one_by_one.mkdir()
    for name in TABLES:
        write_table(getattr(result, name), one_by_one, name)
    for name in names:
        assert (tmp_path / "study" / name).read_bytes() == (one_by_one / name).read_bytes(), name
    assert not list((tmp_path / "study").glob(".*.tmp"))  # no temporary file left behind


def test_a_file_that_cannot_be_written_stops_the_study_with_its_error(result: StudyResult, tmp_path: Path) -> None:
    out = tmp_path / "study"
    (out / "provisions.csv").mkdir(parents=True)  # a folder where the table should go
    with pytest.raises(OSError):
        write_study(result, out)


TEXT = st.text(alphabet=st.sampled_from(list("ab甲,\"\n\r\t=+-@ '")), max_size=6)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(TEXT, st.integers(-(2**62), 2**62), st.floats(allow_nan=False, allow_infinity=False), st.booleans()),
        min_size=1,
        max_size=8,
    )
)
def test_csv_written_from_rows_is_what_pandas_writes(rows: list[tuple[str, int, float, bool]]) -> None:
    frame = pd.DataFrame(rows, columns=["text", "whole", "score", "flag"])
    assert csv_bytes(frame, rows) == csv_bytes(frame)


COLUMNS = {"text": str, "whole": int, "score": float, "flag": bool}


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(TEXT, st.integers(-(2**62), 2**62), st.floats(allow_nan=False, allow_infinity=False), st.booleans()),
        max_size=8,
    ),
    st.lists(st.integers(0, 8), max_size=3),
)
def test_a_table_joined_from_parts_is_the_table_of_its_rows(
    rows: list[tuple[str, int, float, bool]], cuts: list[int]
) -> None:
    # however the rows were split among the workers (a part may be empty), the same frame and the same files
    edges = [0, *sorted(min(c, len(rows)) for c in cuts), len(rows)]
    parts = [table_part(rows[a:b], COLUMNS) for a, b in itertools.pairwise(edges)]
    frame, csv = join_parts(parts, COLUMNS)
    whole = pd.DataFrame(rows, columns=list(COLUMNS))
    pd.testing.assert_frame_equal(frame, whole)
    assert csv == csv_bytes(whole, rows) == csv_bytes(whole)
    if rows:
        assert parquet_bytes(frame) == parquet_bytes(whole)


def test_a_table_of_many_pages_joined_from_parts_is_the_same_parquet_file() -> None:
    # Parquet cuts a column into pages of about 1 MB: fed in parts, it would cut them elsewhere
    rows = [(f"{i}" + "字" * 1000, i, i / 7, i % 2 == 0) for i in range(999)]
    frame, _ = join_parts([table_part(rows[i : i + 333], COLUMNS) for i in range(0, 999, 333)], COLUMNS)
    assert parquet_bytes(frame) == parquet_bytes(pd.DataFrame(rows, columns=list(COLUMNS)))


def read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")


def test_a_missing_value_in_a_part_is_empty_and_whole_numbers_stay_whole() -> None:
    rows = [("a", 3, 0.5, True), ("=b", None, 1.5, False)]
    frame, csv = join_parts([table_part(rows[:1], COLUMNS), table_part(rows[1:], COLUMNS)], COLUMNS)
    pd.testing.assert_frame_equal(frame, pd.DataFrame(rows, columns=list(COLUMNS)))  # 3.0 and NaN, as pandas has it
    assert csv == "\ufefftext,whole,score,flag\r\na,3,0.5,True\r\n'=b,,1.5,False\r\n".encode()


def test_a_table_with_a_missing_value_is_written_by_pandas() -> None:
    rows = [("=1", 1.5), ("b", float("nan"))]
    frame = pd.DataFrame(rows, columns=["text", "score"])
    assert csv_bytes(frame, rows) == csv_bytes(frame) == "\ufefftext,score\r\n'=1,1.5\r\nb,\r\n".encode()


def test_the_studys_largest_tables_are_written_from_their_rows_or_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policydiff.compare import study as study_module

    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    handed: dict[str, int] = {}
    real = study_module.write_study

    def writing(result: StudyResult, out: Path) -> list[Path]:
        for name, rows in result.rows.items():
            handed[name] = len(rows)
            assert csv_bytes(getattr(result, name), rows) == csv_bytes(getattr(result, name)), name
        for name, data in result.csv.items():  # joined from the parts the pairs made
            handed[name] = len(getattr(result, name))
            # a document no strength rule covers has no score: pandas writes the others as floats, the parts as whole
            pd.testing.assert_frame_equal(read_csv(data), read_csv(csv_bytes(getattr(result, name))))
        return real(result, out)

    monkeypatch.setattr(study_module, "write_study", writing)
    result = study("central-2021", [TARGETS[0][0]], corpus=[corpus], workers=0, out=tmp_path / "study")
    assert handed == {"verdicts": len(result.verdicts), "instruments": len(result.instruments)}
    assert handed["instruments"] > 0 and handed["verdicts"] > 0
    assert result.rows == {} and result.csv == {}  # written, then let go: the frames hold the same values
