"""CSV export: one row per verdict, UTF-8 with a byte-order mark so Excel opens the Chinese text correctly.

Every row repeats the document hashes, the rule set and the configuration, so a row copied out of the table can
still be traced. A matrix exports the same rows for each target; `pivot(index="reference_paths",
columns="target_id", values="label")` in pandas gives the matrix back.

Text that a spreadsheet would run as a formula (a clause heading `=HYPERLINK(…)`, a term `+1`) is neutralised
by OWASP's rule: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`.
Numbers are written as numbers, a negative one included.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from policydiff.compare.export.table import VERDICT_COLUMNS, Result, verdict_rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A value as a CSV cell: None is empty, text that could start a formula is quoted with a leading `'`."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def render_csv(result: Result) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=VERDICT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in verdict_rows(result):
        writer.writerow({k: cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8-sig")
