"""Writing a study's tables: the only module that imports pyarrow.

Each table goes out as Parquet (typed columns, for pandas, R's arrow, DuckDB) and as CSV (UTF-8 with BOM, for
Excel, formula-like text neutralised), both written atomically. The bytes depend only on the rows: no timestamps,
no index, a fixed compression, so two runs that found the same verdicts write identical files.

A table whose rows are made on many processes (a study's coded sentences, made on its workers) can be made there
in parts (`table_part`) and joined (`join_parts`) into the same frame and the same CSV bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
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


def csv_bytes(frame: Any, rows: Sequence[tuple[Any, ...]] | None = None) -> bytes:
    """CSV for Excel: text a spreadsheet would run as a formula gets a leading `'` (see `export.csv`); numbers,
    a negative one included, stay numbers. The Parquet copy keeps the text as it is. Lines end in CRLF as in the
    other CSV exports, which also makes the writer quote a field holding a lone carriage return.

    `rows`, the frame's rows as the Python tuples it was made from, are handed straight to the CSV writer pandas
    itself uses, instead of converting the frame back to Python values first: the same bytes in half the time
    for a study's 100,000 coded sentences. A frame with a missing value or a column of another type is written
    by pandas."""
    if rows is not None and len(rows) == len(frame) and _plain(frame):
        return _rows_csv(frame, rows).encode("utf-8-sig")
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if values.dtype.kind == "O" and _formula_like(values):
            safe[column] = values.map(lambda v: cell(v) if isinstance(v, str) else v)
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _plain(frame: Any) -> bool:
    """Whether pandas would write every value of `frame` as `str` of its Python value: text, whole numbers,
    booleans and float64 (written in their shortest form either way), nothing missing."""
    import numpy as np
    import pandas as pd

    for column in frame.columns:
        dtype = frame[column].dtype
        if not (isinstance(dtype, pd.StringDtype) or dtype.kind in "iub" or dtype == np.float64):
            return False
    return not bool(frame.isna().to_numpy().any())


def _rows_csv(frame: Any, rows: Sequence[tuple[Any, ...]]) -> str:
    formulas = {i for i, c in enumerate(frame.columns) if frame[c].dtype.kind == "O" and _formula_like(frame[c])}
    return _csv_lines([tuple(str(c) for c in frame.columns)], set()) + _csv_lines(rows, formulas)


def _csv_lines(rows: Sequence[tuple[Any, ...]], formulas: set[int]) -> str:
    """`rows` as CSV lines the way pandas writes them (minimal quoting, quotes doubled, CRLF), the values of the
    columns numbered in `formulas` as spreadsheet-safe cells."""
    import csv

    if formulas:
        rows = [tuple(cell(v) if i in formulas else v for i, v in enumerate(row)) for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def _formula_like(values: Any) -> bool:
    """Whether any text in the column starts like a formula; a column of strings is checked in one pass."""
    import pandas as pd

    if isinstance(values.dtype, pd.StringDtype):
        return bool(values.str.startswith(FORMULA_STARTS, na=False).any())
    return any(isinstance(v, str) and v.startswith(FORMULA_STARTS) for v in values.array)


def table_files(
    frame: Any, name: str, rows: Sequence[tuple[Any, ...]] | None = None, csv: bytes | None = None
) -> Iterator[tuple[str, bytes]]:
    """The files of one table: `name.parquet` and `name.csv` with their bytes, each made when asked for
    (`rows`: see `csv_bytes`; `csv`: the CSV already made, by `join_parts`)."""
    yield f"{name}.parquet", parquet_bytes(frame)
    yield f"{name}.csv", csv if csv is not None else csv_bytes(frame, rows)


# Arrow's type for the values of a column made in parts, by their Python type (numpy's, for its values). Text is
# Arrow's large string, as in a pandas frame: the joined column may pass 2 GB, the limit of a plain one.
_ARROW_TYPES = {str: "large_string", int: "int64", float: "float64", bool: "bool_"}
_NUMPY_TYPES = {int: "int64", float: "float64", bool: "bool"}
# A part's compression: LZ4 makes it a quarter of its size (zstd: a sixth) and expands the parts of a 256-target
# study in 0.02 s of the coordinating process's time after the last pair (zstd: 0.09-0.26 s), measured.
PART_CODEC = "lz4"


@dataclass(frozen=True)
class TablePart:
    """Some rows of a table, made where they were computed, in the two forms the table is written in: its CSV
    lines and its columns as an Arrow IPC stream, each compressed (`*_size`: its bytes expanded). A study's
    workers send their coded sentences this way, so that the process gathering the study joins bytes instead of
    turning every value of 100,000 rows into a frame and into CSV itself while the workers have stopped (0.7 s of
    a 256-target study against 0.3 s to join the parts, measured; a part takes its worker 2.5 ms). Compressed, a
    part takes a quarter of the space of its rows, in memory and in the study's `pairs/` folder."""

    rows: int
    csv: bytes
    csv_size: int
    arrow: bytes
    arrow_size: int


def table_part(rows: Sequence[tuple[Any, ...]], columns: Mapping[str, type]) -> TablePart:
    """`rows` (values in the order of `columns`, which gives each column's Python type: str, int, float or bool)
    as a part of a table (`join_parts` joins them)."""
    import pyarrow as pa

    kinds = list(columns.values())
    values = list(zip(*rows, strict=True)) if rows else [()] * len(kinds)
    # A cell is made spreadsheet-safe by itself (`export.csv.cell` leaves other text alone), so each part can
    # decide for its own rows what `csv_bytes` decides for the whole column.
    formulas = {i for i, kind in enumerate(kinds) if kind is str and _any_formula(values[i])}
    arrays = [_arrow_column(v, k) for v, k in zip(values, kinds, strict=True)]
    batch = pa.RecordBatch.from_arrays(arrays, names=list(columns))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as stream:
        stream.write_batch(batch)
    lines, arrow = _csv_lines(rows, formulas).encode("utf-8"), sink.getvalue()
    return TablePart(len(rows), _packed(lines), len(lines), _packed(arrow), arrow.size)


def _arrow_column(values: Sequence[Any], kind: type) -> Any:
    """An Arrow array of `values` (of Python type `kind`, None for a missing one) built from its buffers:
    `pyarrow.array` would import pandas on a study's workers, a quarter of a second before their first pair
    (measured), only to check that the values are not a pandas column."""
    import numpy as np
    import pyarrow as pa

    n = len(values)
    missing = values.count(None)
    validity = None
    if missing:
        present = np.fromiter((v is not None for v in values), dtype=bool, count=n)
        validity = pa.py_buffer(np.packbits(present, bitorder="little"))
        values = [v if v is not None else kind() for v in values]
    arrow_type = getattr(pa, _ARROW_TYPES[kind])()
    if kind is str:
        encoded = list(map(str.encode, values))
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=n), out=offsets[1:])
        buffers = [validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    else:
        filled = np.array(values, dtype=_NUMPY_TYPES[kind])
        data = np.packbits(filled, bitorder="little") if kind is bool else filled
        buffers = [validity, pa.py_buffer(data)]
    return pa.Array.from_buffers(arrow_type, n, buffers, null_count=missing)


def _packed(data: Any) -> bytes:
    import pyarrow as pa

    return pa.compress(data, codec=PART_CODEC, asbytes=True)


def _unpacked(data: bytes, size: int) -> Any:
    import pyarrow as pa

    return pa.decompress(data, size, codec=PART_CODEC)


def _any_formula(values: Sequence[str | None]) -> bool:
    """Whether a value may start like a formula, found in one pass over the values joined by line breaks. A line
    break inside a value may make it say yes wrongly, which only costs the time of making each cell safe."""
    text = "\n".join(filter(None, values))  # an empty value starts like nothing
    return _FORMULA_LINE.search("\n" + text) is not None


_FORMULA_LINE = re.compile("\n[" + re.escape("".join(FORMULA_STARTS)) + "]")


def join_parts(parts: Sequence[TablePart], columns: Mapping[str, type]) -> tuple[Any, bytes]:
    """The table of `parts` (rows in their order): its pandas frame and its CSV bytes, the same as
    `pandas.DataFrame(rows)` and `csv_bytes` of it would be."""
    import pandas as pd
    import pyarrow as pa

    header = _csv_lines([tuple(columns)], set()).encode("utf-8-sig")
    if not any(p.rows for p in parts):
        return pd.DataFrame(columns=list(columns)), header
    tables = [pa.ipc.open_stream(_unpacked(p.arrow, p.arrow_size)).read_all() for p in parts]
    # One chunk per column: Parquet cuts a column into pages of about 1 MB, and fed in parts it would cut them
    # elsewhere than in the file a frame made from the rows gives.
    frame = pa.concat_tables(tables).combine_chunks().to_pandas()
    return frame, b"".join([header, *(_unpacked(p.csv, p.csv_size) for p in parts)])


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
