"""The instrument-mix view that study summaries and matrix exports share: for each document the share of its
coded sentences by policy-instrument type and subtype, and by subtype the difference from the reference.

It reads the rows of `coding.instrument_mix` (objects or dicts with document, type, subtype, units, share,
reference_share, difference), so a study can build it from its table and a matrix from its codings, and both
show the same thing in the same words and colours.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

Key = tuple[str, str]  # (type, subtype); subtype "" is the type's own row

MIX_SENTENCE = (
    "Share of each document's coded sentences by primary instrument (type, then subtype), and by subtype the "
    "difference from the reference in percentage points (pp): + the target uses the instrument more, − less."
)
SATURATION = 0.20  # a difference of 20 pp or more is drawn at full colour
MORE, LESS = (33, 102, 172), (178, 24, 43)  # blue for more than the reference, red for less


@dataclass(frozen=True)
class MixView:
    reference: str
    documents: tuple[str, ...]  # the reference first, then the targets in the order given
    keys: tuple[Key, ...]  # codebook order: each type, then its subtypes
    share: dict[tuple[str, Key], float]
    coded: dict[str, int]  # coded sentences per document

    @property
    def targets(self) -> tuple[str, ...]:
        return self.documents[1:]

    def difference(self, document: str, key: Key) -> float:
        return round(self.share.get((document, key), 0.0) - self.share.get((self.reference, key), 0.0), 4)


def _get(row: Any, name: str) -> Any:
    return row[name] if isinstance(row, dict) else getattr(row, name)


def mix_view(rows: Iterable[Any], reference: str, targets: Sequence[str]) -> MixView:
    """The view of `rows` for `reference` and `targets` (shown in that order; documents without rows get zeros)."""
    keys: list[Key] = []
    share: dict[tuple[str, Key], float] = {}
    coded: dict[str, int] = {}
    for row in rows:
        key = (str(_get(row, "type")), str(_get(row, "subtype")))
        doc = str(_get(row, "document"))
        if key not in keys:
            keys.append(key)
        share[(doc, key)] = float(_get(row, "share"))
        if not key[1]:
            coded[doc] = coded.get(doc, 0) + int(_get(row, "units"))
    ordered = [k for t, s in keys if not s for k in [(t, s), *[(t2, s2) for t2, s2 in keys if t2 == t and s2]]]
    return MixView(reference, (reference, *[t for t in targets if t != reference]), tuple(ordered), share, coded)


def matrix_mix(matrix: Any) -> MixView | None:
    """The view of a matrix's instrument mix (reference, then its targets in column order), if it has one."""
    rows = getattr(matrix, "instrument_mix", ())
    if not rows:
        return None
    return mix_view(rows, matrix.reference.info.id, [c.target.info.id for c in matrix.columns])


def _name(key: Key) -> str:
    return f"{key[0]} / {key[1]}" if key[1] else key[0]


def _pp(value: float) -> str:
    points = round(value * 100, 1)
    return "0" if points == 0 else f"{points:+.1f}"


def _types(view: MixView) -> list[Key]:
    return [k for k in view.keys if not k[1]]


def mix_markdown(view: MixView, level: str = "##") -> list[str]:
    """The view as Markdown lines: a table of type shares per document, then the subtype differences."""
    if not view.keys:
        return []
    types = _types(view)
    lines = [f"{level} Instrument mix", "", MIX_SENTENCE, ""]
    lines.append("| document | coded sentences | " + " | ".join(t for t, _ in types) + " |")
    lines.append("|---|---|" + "---|" * len(types))
    for doc in view.documents:
        name = f"{doc} (reference)" if doc == view.reference else doc
        shares = " | ".join(f"{view.share.get((doc, k), 0.0):.0%}" for k in types)
        lines.append(f"| {name} | {view.coded.get(doc, 0)} | {shares} |")
    if view.targets:
        lines += ["", f"{level}# Difference from the reference (pp)", ""]
        lines.append("| instrument | reference share | " + " | ".join(view.targets) + " |")
        lines.append("|---|---|" + "---|" * len(view.targets))
        for key in view.keys:
            ref = f"{view.share.get((view.reference, key), 0.0):.0%}"
            diffs = " | ".join(_pp(view.difference(t, key)) for t in view.targets)
            name = f"**{_name(key)}**" if not key[1] else _name(key)
            lines.append(f"| {name} | {ref} | {diffs} |")
    return lines


def mix_colour(difference: float) -> str:
    """A cell's background: white at no difference, towards blue (more) or red (less) up to SATURATION."""
    strength = min(abs(difference) / SATURATION, 1.0)
    end = MORE if difference > 0 else LESS
    rgb = (round(255 + (c - 255) * strength) for c in end)
    return "#" + "".join(f"{c:02X}" for c in rgb)


def mix_html(view: MixView, level: str = "h2") -> str:
    """The view as HTML: the type shares (`id="mix"`) and the heatmap of subtype differences (`id="mix-heatmap"`)."""
    if not view.keys:
        return ""
    e = html.escape
    sub = f"h{int(level[1]) + 1}"
    types = _types(view)
    parts = [f"<{level}>Instrument mix</{level}>", f"<p>{e(MIX_SENTENCE)}</p>"]
    parts.append(
        '<table id="mix"><tr><th>document</th><th>coded sentences</th>'
        + "".join(f"<th>{e(t)}</th>" for t, _ in types)
        + "</tr>"
    )
    for doc in view.documents:
        name = f"{doc} (reference)" if doc == view.reference else doc
        parts.append(
            f"<tr><td>{e(name)}</td><td>{view.coded.get(doc, 0)}</td>"
            + "".join(f"<td>{view.share.get((doc, k), 0.0):.0%}</td>" for k in types)
            + "</tr>"
        )
    parts.append("</table>")
    if view.targets:
        parts.append(f"<{sub}>Difference from the reference (pp)</{sub}>")
        parts.append(
            '<table id="mix-heatmap"><tr><th>instrument</th><th>reference share</th>'
            + "".join(f"<th>{e(t)}</th>" for t in view.targets)
            + "</tr>"
        )
        for key in view.keys:
            ref = view.share.get((view.reference, key), 0.0)
            cells = []
            for t in view.targets:
                d = view.difference(t, key)
                title = f"{t}, {_name(key)}: {view.share.get((t, key), 0.0):.1%} vs {ref:.1%}"
                cells.append(f'<td class="m" style="background:{mix_colour(d)}" title="{e(title)}">{e(_pp(d))}</td>')
            name = f"<b>{e(_name(key))}</b>" if not key[1] else e(_name(key))
            parts.append(f"<tr><td>{name}</td><td>{ref:.0%}</td>{''.join(cells)}</tr>")
        parts.append("</table>")
    return "\n".join(parts)
