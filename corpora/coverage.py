"""Per-clause coverage from a digest's meta file.

Two shapes exist and both are read: a `[coverage]` table keyed by "（一）指导思想", and a `[[coverage]]`
list of `{clause = "（一）指导思想", coverage = "partial"}`.
"""

from __future__ import annotations

import re
from typing import Any

from policydiff.corpora.model import COVERAGES
from policydiff.corpora.segment import CoverageNote

_LABEL_RE = re.compile(r"^(序言|[一二三四五六七八九十百]+、|（[一二三四五六七八九十百？]+）)(.*)$")


def parse_coverage(meta: dict[str, Any]) -> tuple[CoverageNote, ...]:
    raw = meta.get("coverage")
    pairs: list[tuple[str, str]] = []
    if isinstance(raw, dict):
        pairs = [(str(k), str(v)) for k, v in raw.items()]
    elif isinstance(raw, list):
        pairs = [(str(e.get("clause", "")), str(e.get("coverage", ""))) for e in raw if isinstance(e, dict)]
    notes: list[CoverageNote] = []
    for key, value in pairs:
        m = _LABEL_RE.match(key.strip())
        if not m or value not in COVERAGES:
            continue  # "其余各部分" and similar summary lines describe no single clause
        label, heading = m.groups()
        heading = re.sub(r"〔[^〕]*〕|【[^】]*】", "", heading).strip()
        notes.append(CoverageNote(label, heading, value))
    return tuple(notes)


def summarise(counts: dict[str, int]) -> str:
    """'25 clauses: 0 full, 12 partial, 9 heading-only, 4 unseen'."""
    total = sum(counts.values())
    parts = ", ".join(f"{counts.get(c, 0)} {c}" for c in COVERAGES)
    return f"{total} clauses: {parts}"
