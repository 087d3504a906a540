"""JSON export: the `policydiff/comparison@1` contract (or `policydiff/matrix@1` for a matrix), byte-identical
for identical inputs. `policydiff.schema.json` beside this module is the JSON Schema of both."""

from __future__ import annotations

import json
from typing import Any

from policydiff.compare.export.table import Result

SCHEMA_FILE = "policydiff.schema.json"


def render_json(result: Result) -> bytes:
    return (json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def json_schema() -> dict[str, Any]:
    """The shipped JSON Schema (draft 2020-12) that every JSON export validates against."""
    from importlib.resources import files

    text = files("policydiff.compare.export").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)  # type: ignore[no-any-return]
