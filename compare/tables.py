"""Writing a study's tables: the only module that imports pyarrow.

Each table goes out as Parquet (typed columns, for pandas, R's arrow, DuckDB) and as CSV (UTF-8 with BOM, for
Excel, formula-like text neutralised), both written atomically. The bytes depend only on the rows: no timestamps,
no index, a fixed compression, so two runs that found the same verdicts write identical files.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from policydiff.compare.export.csv import FORMULA_STARTS, cell
from policydiff.corpora.atomic import atomic_write


def parquet_bytes(frame: Any) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def csv_bytes(frame: Any) -> bytes:
    """CSV for Excel: text a spreadsheet would run as a formula gets a leading `'` (see `export.csv`); numbers,
    a negative one included, stay numbers. The Parquet copy keeps the text as it is. Lines end in CRLF as in the
    other CSV exports, which also makes the writer quote a field holding a lone carriage return."""
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if values.dtype.kind == "O" and _formula_like(values):
            safe[column] = values.map(lambda v: cell(v) if isinstance(v, str) else v)
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _formula_like(values: Any) -> bool:
    """Whether any text in the column starts like a formula; a column of strings is checked in one pass."""
    import pandas as pd

    if isinstance(values.dtype, pd.StringDtype):
        return bool(values.str.startswith(FORMULA_STARTS, na=False).any())
    return any(isinstance(v, str) and v.startswith(FORMULA_STARTS) for v in values.array)


def table_files(frame: Any, name: str) -> Iterator[tuple[str, bytes]]:
    """The files of one table: `name.parquet` and `name.csv` with their bytes, each made when asked for."""
    yield f"{name}.parquet", parquet_bytes(frame)
    yield f"{name}.csv", csv_bytes(frame)


def write_table(frame: Any, folder: Path, name: str) -> list[Path]:
    """`name.parquet` and `name.csv` in `folder`; returns the two paths."""
    out = []
    for filename, data in table_files(frame, name):
        atomic_write(folder / filename, data)
        out.append(folder / filename)
    return out


def write_frame(frame: Any, path: Path) -> None:
    """One table to one file, Parquet or CSV by the file's suffix."""
    atomic_write(path, parquet_bytes(frame) if path.suffix == ".parquet" else csv_bytes(frame))


def read_parquet(path: Path) -> Any:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pandas()
