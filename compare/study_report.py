"""A study's summary for reading: per reference provision the share of targets retaining, adapting or missing
it, a heatmap of provisions × targets (ordered by region, level and date), each target's adaptation profile,
and a timeline when the targets' dates differ. Markdown and one self-contained HTML page (no scripts, no
requests); both are built from the study's tables only, so they are as deterministic as the tables.
"""

from __future__ import annotations

import html
from collections import Counter
from typing import Any

from policydiff.compare.matrix import SYMBOLS
from policydiff.corpora.model import LEVELS

SHOWN = ("retained", "adapted", "missing")
PROFILE_COLUMNS: tuple[str, ...] = ("target", "retained", "adapted", "added", "missing", "added_topics")
PROFILE_COLUMNS += ("raised", "lowered", "strengthened", "weakened")
COLOURS = {"retained": "#1a9850", "adapted": "#fdae61", "missing": "#d73027", "": "#eeeeee"}


def _target_order(result: Any) -> list[str]:
    docs = result.documents
    compared = set(result.pairs.loc[result.pairs["status"] == "compared", "target_id"])
    rows = docs[(docs["role"] == "target") & docs["id"].isin(compared)]
    rank = {level: i for i, level in enumerate(LEVELS)}
    keyed = sorted(
        ((str(r.region), rank.get(str(r.level), len(LEVELS)), str(r.date), str(r.id)) for r in rows.itertuples()),
    )
    return [k[3] for k in keyed]


def provision_shares(result: Any) -> list[dict[str, Any]]:
    """Per reference provision, in reading order: how many targets retain, adapt, miss or never mention it."""
    prov = result.provisions
    n = len(_target_order(result))
    out: list[dict[str, Any]] = []
    if not len(prov):
        return out
    for (order, path, heading), group in prov.groupby(["reference_order", "reference_path", "reference_heading"]):
        counts = Counter(group["label"])
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


def profiles(result: Any) -> list[dict[str, Any]]:
    """Per target: verdict counts, the topics of what it added, targets raised or lowered, directives shifted."""
    verdicts = result.verdicts
    pairs = result.pairs.set_index("target_id")
    out = []
    for tid in _target_order(result):
        rows = verdicts[verdicts["target_id"] == tid]
        added = rows[rows["label"] == "added"]
        topics = Counter(t for cell in added["topics"] for t in str(cell).split("; ") if t)
        changes = " ".join(rows["target_changes"].astype(str))
        out.append(
            {
                "target": tid,
                **{label: int(pairs.loc[tid, label]) for label in ("retained", "adapted", "added", "missing")},
                "added_topics": ", ".join(t for t, _ in sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))[:5]),
                "raised": changes.count(": raised"),
                "lowered": changes.count(": lowered"),
                "strengthened": int((rows["directive"] == "strengthened").sum()),
                "weakened": int((rows["directive"] == "weakened").sum()),
            }
        )
    return out


def timeline(result: Any) -> list[dict[str, Any]]:
    """Per year of the targets' dates (when they differ): targets, and the mean share of provisions retained,
    adapted and missing."""
    docs = result.documents.set_index("id")
    prov = result.provisions
    years: dict[str, list[str]] = {}
    for tid in _target_order(result):
        year = str(docs.loc[tid, "date"])[:4] or "undated"
        years.setdefault(year, []).append(tid)
    if len(years) < 2:
        return []
    out = []
    for year in sorted(years):
        sub = prov[prov["target_id"].isin(years[year])]
        total = len(sub) or 1
        counts = Counter(sub["label"])
        out.append({"year": year, "targets": len(years[year]), **{k: counts.get(k, 0) / total for k in SHOWN}})
    return out


def _failed(result: Any) -> list[tuple[str, str]]:
    p = result.pairs
    return [(str(r.target_id), str(r.error)) for r in p[p["status"] == "failed"].itertuples()]


def summary_md(result: Any) -> str:
    ref = result.documents[result.documents["role"] == "reference"].iloc[0]
    targets = _target_order(result)
    lines = [
        f"# Study: {ref['id']} — {ref['title']}",
        "",
        f"{len(targets)} targets compared, {len(_failed(result))} failed.",
        "",
        "## Provisions: share of targets",
        "",
        "| provision | heading | retained | adapted | missing | not mentioned |",
        "|---|---|---|---|---|---|",
    ]
    for r in provision_shares(result):
        lines.append(
            f"| {r['path']} | {_md(r['heading'])} | {r['retained']:.0%} | {r['adapted']:.0%} | {r['missing']:.0%} "
            f"| {r['not_mentioned']:.0%} |"
        )
    lines += ["", "## Heatmap", "", "Symbols: ✓ retained, ~ adapted, ✗ missing, · not mentioned.", ""]
    cells = _cells(result)
    lines.append("| provision | " + " | ".join(targets) + " |")
    lines.append("|---" * (len(targets) + 1) + "|")
    for path in _provision_paths(result):
        lines.append(f"| {path} | " + " | ".join(SYMBOLS.get(cells.get((path, t), ""), "?") for t in targets) + " |")
    lines += [
        "",
        "## Adaptation profiles",
        "",
        "| target | retained | adapted | added | missing | added topics | targets raised | lowered "
        "| directives strengthened | weakened |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in profiles(result):
        lines.append(
            f"| {p['target']} | {p['retained']} | {p['adapted']} | {p['added']} | {p['missing']} "
            f"| {_md(p['added_topics'])} | {p['raised']} | {p['lowered']} | {p['strengthened']} | {p['weakened']} |"
        )
    years = timeline(result)
    if years:
        lines += ["", "## Timeline", "", "| year | targets | retained | adapted | missing |", "|---|---|---|---|---|"]
        for y in years:
            lines.append(
                f"| {y['year']} | {y['targets']} | {y['retained']:.0%} | {y['adapted']:.0%} | {y['missing']:.0%} |"
            )
    failed = _failed(result)
    if failed:
        lines += ["", "## Failed pairs", ""] + [f"- {tid}: {_md(err)}" for tid, err in failed]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _cells(result: Any) -> dict[tuple[str, str], str]:
    prov = result.provisions
    return {(str(r.reference_path), str(r.target_id)): str(r.label) for r in prov.itertuples()}


def _provision_paths(result: Any) -> list[str]:
    return [r["path"] for r in provision_shares(result)]


def summary_html(result: Any) -> str:
    e = html.escape
    ref = result.documents[result.documents["role"] == "reference"].iloc[0]
    targets = _target_order(result)
    docs = result.documents.set_index("id")
    cells = _cells(result)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh"><head><meta charset="utf-8">',
        f"<title>Study: {e(str(ref['id']))}</title>",
        "<style>body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}td.c{width:14px;height:14px;padding:0}"
        ".bar{display:inline-block;height:10px}</style></head><body>",
        f"<h1>Study: {e(str(ref['id']))} — {e(str(ref['title']))}</h1>",
        f"<p>{len(targets)} targets compared, {len(_failed(result))} failed.</p>",
        "<h2>Provisions: share of targets</h2>",
        '<table id="shares"><tr><th>provision</th><th>heading</th><th>retained</th><th>adapted</th>'
        "<th>missing</th><th>not mentioned</th><th></th></tr>",
    ]
    for r in provision_shares(result):
        bar = "".join(
            f'<span class="bar" style="width:{r[k] * 120:.0f}px;background:{COLOURS[k]}"></span>' for k in SHOWN
        )
        parts.append(
            f"<tr><td>{e(r['path'])}</td><td>{e(str(r['heading']))}</td><td>{r['retained']:.0%}</td>"
            f"<td>{r['adapted']:.0%}</td><td>{r['missing']:.0%}</td><td>{r['not_mentioned']:.0%}</td><td>{bar}</td></tr>"
        )
    parts.append("</table><h2>Heatmap (targets ordered by region, level, date)</h2>")
    parts.append('<table id="heatmap"><tr><th>provision</th>')
    for t in targets:
        label = f"{t} {docs.loc[t, 'region']} {docs.loc[t, 'level']} {docs.loc[t, 'date']}"
        parts.append(f'<th title="{e(label)}">{e(t)}</th>')
    parts.append("</tr>")
    for path in _provision_paths(result):
        row = "".join(
            f'<td class="c" style="background:{COLOURS.get(cells.get((path, t), ""), "#fff")}" '
            f'title="{e(cells.get((path, t), "") or "not mentioned")}"></td>'
            for t in targets
        )
        parts.append(f"<tr><td>{e(path)}</td>{row}</tr>")
    parts.append("</table><h2>Adaptation profiles</h2>")
    parts.append(
        '<table id="profiles"><tr><th>target</th><th>retained</th><th>adapted</th><th>added</th><th>missing</th>'
        "<th>added topics</th><th>targets raised</th><th>lowered</th><th>directives strengthened</th>"
        "<th>weakened</th></tr>"
    )
    for p in profiles(result):
        parts.append("<tr>" + "".join(f"<td>{e(str(p[k]))}</td>" for k in PROFILE_COLUMNS) + "</tr>")
    parts.append("</table>")
    years = timeline(result)
    if years:
        parts.append('<h2>Timeline</h2><table id="timeline"><tr><th>year</th><th>targets</th><th>retained</th>')
        parts.append("<th>adapted</th><th>missing</th></tr>")
        for y in years:
            parts.append(
                f"<tr><td>{e(y['year'])}</td><td>{y['targets']}</td><td>{y['retained']:.0%}</td>"
                f"<td>{y['adapted']:.0%}</td><td>{y['missing']:.0%}</td></tr>"
            )
        parts.append("</table>")
    failed = _failed(result)
    if failed:
        parts.append('<h2>Failed pairs</h2><ul id="failed">')
        parts += [f"<li>{e(t)}: {e(err)}</li>" for t, err in failed]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
