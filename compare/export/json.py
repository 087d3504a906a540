"""JSON export: the `policydiff/comparison@1` contract, byte-identical for identical inputs."""

from __future__ import annotations

import json

from policydiff.compare.result import Report


def render_json(report: Report) -> bytes:
    return (json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
