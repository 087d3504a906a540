"""Writing a study's files: the same bytes however they are made, and a file that cannot be written is an error,
not a silently missing table."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from policydiff.compare.study import TABLES, StudyResult, study, write_study
from policydiff.compare.tables import write_table

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
