"""CSV export: one row per verdict, UTF-8 with a byte-order mark so Excel opens the Chinese text correctly.

Every row repeats the document hashes, the rule set and the configuration, so a row copied out of the table can
still be traced. A matrix exports the same rows for each target; `pivot(index="reference_paths",
columns="target_id", values="label")` in pandas gives the matrix back.
"""

from __future__ import annotations

import csv
import io

from policydiff.compare.export.table import VERDICT_COLUMNS, Result, verdict_rows


def render_csv(result: Result) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=VERDICT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in verdict_rows(result):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue().encode("utf-8-sig")
