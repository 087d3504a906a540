"""A study's summary for reading: per reference provision the share of targets retaining, adapting or missing
it (and, apart, not judging it), a heatmap of provisions × targets (ordered by region, level and date), each
target's adaptation profile, its instrument mix against the reference's, and a timeline when the targets'
dates differ. Markdown and one self-contained HTML page (no scripts, no requests); both are built from the
study's tables only, so they are as deterministic as the tables.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from typing import Any

from policydiff.compare.mix_view import MixView, mix_html, mix_markdown, mix_view
from policydiff.compare.result import LABELS
from policydiff.compare.vocabulary import (
    CAUTION,
    CAUTION_NOTE,
    STATUS_STYLES,
    display_name,
    fill,
    legend_entries,
    symbol,
)
from policydiff.corpora.model import LEVELS

# Per provision, the share of targets in each status; `unjudged` is shown beside the judged ones, never as missing.
SHOWN = ("retained", "adapted", "missing", "unjudged")
PROFILE_COLUMNS: tuple[str, ...] = ("target", *LABELS, "unjudged", "added_topics")
PROFILE_COLUMNS += ("raised", "lowered", "strengthened", "weakened")
NOT_MENTIONED = "not mentioned"  # a reference provision with no verdict for a target (no status at all)


def _colour(status: str) -> str:
    return "#" + fill(status)


def _ink(status: str) -> str:
    return STATUS_STYLES.get(status, STATUS_STYLES[""]).ink


STATUS_INK = STATUS_STYLES["unjudged"].ink


def _heading(status: str) -> str:
    """The column heading a status gets in the summaries ("not judged" for unjudged)."""
    return display_name(status)


def _target_order(result: Any) -> list[str]:
    docs = result.documents
    compared = set(result.pairs.loc[result.pairs["status"] == "compared", "target_id"])
    rows = docs[(docs["role"] == "target") & docs["id"].isin(compared)]
    rank = {level: i for i, level in enumerate(LEVELS)}
    keyed = sorted(
        ((str(r.region), rank.get(str(r.level), len(LEVELS)), str(r.date), str(r.id)) for r in rows.itertuples()),
    )
    return [k[3] for k in keyed]


def provision_shares(result: Any, n: int) -> list[dict[str, Any]]:
    """Per reference provision, in reading order: the share of the `n` compared targets retaining, adapting,
    missing it, of targets for which it is not judged (its reference text was not seen) and of targets never
    mentioning it."""
    prov = result.provisions
    out: list[dict[str, Any]] = []
    if not len(prov):
        return out
    for (order, path, heading), group in prov.groupby(["reference_order", "reference_path", "reference_heading"]):
        counts = Counter(group["label"].tolist())  # a list: iterating a column of text goes value by value
        out.append(
            {
                "order": int(order),
                "path": path,
                "heading": heading,
                **{label: counts.get(label, 0) / n if n else 0.0 for label in SHOWN},
                "not_mentioned": counts.get("", 0) / n if n else 0.0,
            }
        )
    return sorted(out, key=lambda r: r["order"])


def profiles(result: Any, targets: list[str]) -> list[dict[str, Any]]:
    """Per target: verdict counts, the topics of what it added, targets raised or lowered, directives shifted."""
    verdicts = result.verdicts
    counted = (*LABELS, "unjudged")
    counts = zip(*(result.pairs[c].tolist() for c in counted), strict=True)
    pairs = dict(zip(result.pairs["target_id"].tolist(), counts, strict=True))
    # One pass over the verdicts (in their order), not a scan of every verdict per target.
    topics: dict[str, Counter[str]] = {}
    changes: dict[str, list[str]] = {}
    directives: dict[str, Counter[str]] = {}
    if len(verdicts):
        columns = [verdicts[c].tolist() for c in ("target_id", "label", "topics", "target_changes", "directive")]
        for tid, label, cell, change, directive in zip(*columns, strict=True):
            if label == "added":
                topics.setdefault(tid, Counter()).update(t for t in str(cell).split("; ") if t)
            changes.setdefault(tid, []).append(str(change))
            directives.setdefault(tid, Counter())[directive] += 1
    out = []
    for tid in targets:
        found = topics.get(tid, Counter())
        changed = " ".join(changes.get(tid, []))
        shifted = directives.get(tid, Counter())
        out.append(
            {
                "target": tid,
                **{label: int(n) for label, n in zip(counted, pairs[tid], strict=True)},
                "added_topics": ", ".join(t for t, _ in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:5]),
                "raised": changed.count(": raised"),
                "lowered": changed.count(": lowered"),
                "strengthened": int(shifted["strengthened"]),
                "weakened": int(shifted["weakened"]),
            }
        )
    return out


def timeline(result: Any, targets: list[str]) -> list[dict[str, Any]]:
    """Per year of the targets' dates (when they differ): targets, and the mean share of provisions retained,
    adapted, missing and not judged."""
    dates = dict(zip(result.documents["id"].tolist(), result.documents["date"].tolist(), strict=True))
    prov = result.provisions
    years: dict[str, list[str]] = {}
    for tid in targets:
        year = str(dates[tid])[:4] or "undated"
        years.setdefault(year, []).append(tid)
    if len(years) < 2:
        return []
    out = []
    for year in sorted(years):
        sub = prov[prov["target_id"].isin(years[year])]
        total = len(sub) or 1
        counts = Counter(sub["label"].tolist())
        out.append({"year": year, "targets": len(years[year]), **{k: counts.get(k, 0) / total for k in SHOWN}})
    return out


def _mix(result: Any, targets: list[str]) -> MixView:
    """The instrument mix of the reference and the compared targets, in the heatmap's target order."""
    ref = str(result.documents.loc[result.documents["role"] == "reference", "id"].iloc[0])
    mix = result.instrument_mix
    rows = mix.to_dict("records") if mix is not None else []
    return mix_view(rows, ref, targets)


def _failed(result: Any) -> list[tuple[str, str]]:
    p = result.pairs
    return [(str(r.target_id), str(r.error)) for r in p[p["status"] == "failed"].itertuples()]


def _legend_md() -> list[str]:
    rows = [(symbol(""), NOT_MENTIONED, "no verdict for this reference provision in this target")]
    entries = legend_entries()
    return [f"- {sym} {name}: {meaning}" for sym, name, meaning in [*entries[:-1], *rows, entries[-1]]]


def _share_cells(r: dict[str, Any]) -> list[str]:
    return [f"{r[k]:.0%}" for k in (*SHOWN, "not_mentioned")]


@dataclass(frozen=True)
class Summary:
    """What both summaries show, worked out once from a study's tables."""

    reference_id: str
    reference_title: str
    targets: list[str]  # compared targets, by region, level, date
    described: dict[str, str]  # target → "id region level date", the heatmap's column titles
    shares: list[dict[str, Any]]  # provision_shares
    cells: dict[tuple[str, str], tuple[str, bool]]  # _cells
    profiles: list[dict[str, Any]]
    mix: MixView
    timeline: list[dict[str, Any]]
    failed: list[tuple[str, str]]

    @property
    def paths(self) -> list[str]:
        return [r["path"] for r in self.shares]


def summarise(result: Any) -> Summary:
    """The summary of a study's tables, for `summary_md` and `summary_html`."""
    ref = result.documents[result.documents["role"] == "reference"].iloc[0]
    targets = _target_order(result)
    docs = result.documents
    columns = [docs[c].tolist() for c in ("id", "region", "level", "date")]
    described = {str(i): f"{i} {region} {level} {date}" for i, region, level, date in zip(*columns, strict=True)}
    return Summary(
        str(ref["id"]),
        str(ref["title"]),
        targets,
        described,
        provision_shares(result, len(targets)),
        _cells(result),
        profiles(result, targets),
        _mix(result, targets),
        timeline(result, targets),
        _failed(result),
    )


def summary_md(s: Summary) -> str:
    targets = s.targets
    heads = [_heading(k) for k in SHOWN]
    lines = [
        f"# Study: {s.reference_id} — {s.reference_title}",
        "",
        f"{len(targets)} targets compared, {len(s.failed)} failed.",
        "",
        "## Legend",
        "",
        *_legend_md(),
        "",
        f"A provision is *{display_name('unjudged')}* when its reference text was not seen: it is counted apart, "
        "never as missing.",
        "",
        "## Provisions: share of targets",
        "",
        "| provision | heading | " + " | ".join(heads) + f" | {NOT_MENTIONED} |",
        "|---|---|" + "---|" * (len(SHOWN) + 1),
    ]
    for r in s.shares:
        lines.append(f"| {r['path']} | {_md(r['heading'])} | " + " | ".join(_share_cells(r)) + " |")
    lines += ["", "## Heatmap", "", _symbols_line(), ""]
    lines.append("| provision | " + " | ".join(targets) + " |")
    lines.append("|---" * (len(targets) + 1) + "|")
    for path in s.paths:
        lines.append(f"| {path} | " + " | ".join(_cell_mark(s.cells, path, t) for t in targets) + " |")
    lines += [
        "",
        "## Adaptation profiles",
        "",
        "| target | retained | adapted | added | missing | not judged | added topics | targets raised | lowered "
        "| directives strengthened | weakened |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in s.profiles:
        lines.append("| " + " | ".join(_md(str(p[k])) for k in PROFILE_COLUMNS) + " |")
    lines += ["", *mix_markdown(s.mix)]
    years = s.timeline
    if years:
        lines += ["", "## Timeline", "", "| year | targets | " + " | ".join(heads) + " |"]
        lines.append("|---|---|" + "---|" * len(SHOWN))
        for y in years:
            lines.append(f"| {y['year']} | {y['targets']} | " + " | ".join(f"{y[k]:.0%}" for k in SHOWN) + " |")
    if s.failed:
        lines += ["", "## Failed pairs", ""] + [f"- {tid}: {_md(err)}" for tid, err in s.failed]
    return "\n".join(lines) + "\n"


def _symbols_line() -> str:
    marks = ", ".join(f"{symbol(k)} {_heading(k)}" for k in SHOWN)
    return f"Symbols: {marks}, {symbol('')} {NOT_MENTIONED}; {CAUTION_NOTE}."


def _cell_mark(cells: dict[tuple[str, str], tuple[str, bool]], path: str, target: str) -> str:
    label, unseen = cells.get((path, target), ("", False))
    return symbol(label) + (f" {CAUTION}" if unseen else "")


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _cells(result: Any) -> dict[tuple[str, str], tuple[str, bool]]:
    """(reference path, target) → (status, whether the verdict rests on unseen reference text)."""
    prov = result.provisions
    columns = [prov[c].tolist() for c in ("reference_path", "target_id", "label", "unseen")]
    return {(str(p), str(t)): (str(label), bool(u)) for p, t, label, u in zip(*columns, strict=True)}


def summary_html(s: Summary) -> str:
    e = html.escape
    targets, cells = s.targets, s.cells
    heads = "".join(f"<th>{e(_heading(k))}</th>" for k in SHOWN)
    legend = "".join(
        f'<li><span class="key" style="background:{_colour(status)}">{e(symbol(status))}</span> {e(name)}: '
        f"{e(meaning)}</li>"
        for status, (_, name, meaning) in zip((*LABELS, "unjudged"), legend_entries(), strict=False)
    )
    legend += (
        f'<li><span class="key" style="background:{_colour("")}">{e(symbol(""))}</span> {NOT_MENTIONED}: '
        "no verdict for this reference provision in this target</li>"
        f"<li>{CAUTION} caution: {e(legend_entries()[-1][2])}</li>"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh"><head><meta charset="utf-8">',
        f"<title>Study: {e(s.reference_id)}</title>",
        "<style>body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}td.c{width:16px;height:16px;padding:0;"
        "text-align:center;font-size:11px}span.key{display:inline-block;width:16px;text-align:center}"
        ".bar{display:inline-block;height:10px}.unjudged{color:#" + STATUS_INK + "}</style></head><body>",
        f"<h1>Study: {e(s.reference_id)} — {e(s.reference_title)}</h1>",
        f"<p>{len(targets)} targets compared, {len(s.failed)} failed.</p>",
        f'<h2>Legend</h2><ul id="legend">{legend}</ul>',
        f"<p>A provision is <em>{e(display_name('unjudged'))}</em> when its reference text was not seen: it is "
        "counted apart, never as missing.</p>",
        "<h2>Provisions: share of targets</h2>",
        f'<table id="shares"><tr><th>provision</th><th>heading</th>{heads}<th>{NOT_MENTIONED}</th><th></th></tr>',
    ]
    for r in s.shares:
        bar = "".join(
            f'<span class="bar" style="width:{r[k] * 120:.0f}px;background:{_colour(k)}"></span>' for k in SHOWN
        )
        shares = "".join(
            f'<td class="unjudged">{r[k]:.0%}</td>' if k == "unjudged" else f"<td>{r[k]:.0%}</td>"
            for k in (*SHOWN, "not_mentioned")
        )
        parts.append(f"<tr><td>{e(r['path'])}</td><td>{e(str(r['heading']))}</td>{shares}<td>{bar}</td></tr>")
    parts.append("</table><h2>Heatmap (targets ordered by region, level, date)</h2>")
    parts.append('<table id="heatmap"><tr><th>provision</th>')
    for t in targets:
        parts.append(f'<th title="{e(s.described[t])}">{e(t)}</th>')
    parts.append("</tr>")
    for path in s.paths:
        row = ""
        for t in targets:
            status, unseen = cells.get((path, t), ("", False))
            title = _heading(status) if status else NOT_MENTIONED
            title += f" {CAUTION}" if unseen else ""
            row += (
                f'<td class="c" style="background:{_colour(status)};color:#{_ink(status)}" '
                f'title="{e(title)}">{e(_cell_mark(cells, path, t))}</td>'
            )
        parts.append(f"<tr><td>{e(path)}</td>{row}</tr>")
    parts.append("</table><h2>Adaptation profiles</h2>")
    parts.append(
        '<table id="profiles"><tr><th>target</th><th>retained</th><th>adapted</th><th>added</th><th>missing</th>'
        "<th>not judged</th><th>added topics</th><th>targets raised</th><th>lowered</th>"
        "<th>directives strengthened</th><th>weakened</th></tr>"
    )
    for p in s.profiles:
        parts.append("<tr>" + "".join(f"<td>{e(str(p[k]))}</td>" for k in PROFILE_COLUMNS) + "</tr>")
    parts.append("</table>")
    parts.append(mix_html(s.mix))
    years = s.timeline
    if years:
        parts.append(f'<h2>Timeline</h2><table id="timeline"><tr><th>year</th><th>targets</th>{heads}</tr>')
        for y in years:
            parts.append(
                f"<tr><td>{e(y['year'])}</td><td>{y['targets']}</td>"
                + "".join(f"<td>{y[k]:.0%}</td>" for k in SHOWN)
                + "</tr>"
            )
        parts.append("</table>")
    if s.failed:
        parts.append('<h2>Failed pairs</h2><ul id="failed">')
        parts += [f"<li>{e(t)}: {e(err)}</li>" for t, err in s.failed]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
