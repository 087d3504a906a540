"""The display vocabulary: every word, symbol, colour, legend and note text a renderer shows about a verdict.

The terminal, HTML, XLSX, Markdown and CSV renderers all read this module, so a label is named, drawn and
explained the same way everywhere; changing a colour or a legend here changes it in every output.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    """How one verdict status is shown: its name, symbol, meaning and colours."""

    name: str
    symbol: str
    meaning: str
    terminal: str  # a rich style
    fill: str  # a background colour (hex, no #) for tables and the heatmap
    ink: str = "1F2328"  # text colour on that background


STATUS_STYLES: dict[str, Status] = {
    "retained": Status("retained", "✓", "the target keeps the reference clause in substance", "green", "C6EFCE"),
    "adapted": Status("adapted", "~", "the target carries the reference clause out with changes", "yellow", "FFEB9C"),
    "added": Status("added", "+", "the target clause has no counterpart in the reference", "cyan", "DDEBF7"),
    "missing": Status("missing", "✗", "the target has no counterpart for the reference clause", "red", "FFC7CE"),
    "unjudged": Status(
        "unjudged",
        "?",
        "the reference text was not seen: nothing of the clause is known, so nothing is said about it",
        "bright_black",
        "E7E7E7",
        "6E7781",
    ),
    "": Status("", "·", "not compared", "dim", "F6F8FA", "6E7781"),
}

# The four verdicts that are counted; `unjudged` is reported beside them, never inside them.
COUNTED: tuple[str, ...] = ("retained", "adapted", "added", "missing")

UNJUDGED_PHRASE = "not judged (reference text not seen)"
CAUTION = "⚠"
CAUTION_MEANING = (
    "the verdict might change if the unseen part of the reference were known "
    "(a match resting on a heading alone, a missing clause known only by its heading, or an added clause "
    "whose counterpart may sit in a reference clause nobody has seen)"
)

SCORE_SENTENCE = (
    "score: the share of the reference clause's known content found in the target, weighted by sentence "
    "length (1.00 = all of it, as for identical text)"
)

DELETE_LEGEND = "deleted from the reference"
INSERT_LEGEND = "inserted by the target"


def symbol(status: str) -> str:
    return STATUS_STYLES.get(status, STATUS_STYLES[""]).symbol


def terminal_style(status: str) -> str:
    return STATUS_STYLES.get(status, STATUS_STYLES[""]).terminal


def fill(status: str) -> str:
    return STATUS_STYLES.get(status, STATUS_STYLES[""]).fill


def display_name(status: str) -> str:
    """The word a reader sees for a status ("not judged" for unjudged)."""
    return "not judged" if status == "unjudged" else status


def legend_entries(with_not_compared: bool = False) -> list[tuple[str, str, str]]:
    """(symbol, name, meaning) for every status, then ⚠: the one legend every renderer shows."""
    statuses = [*COUNTED, "unjudged", *([""] if with_not_compared else [])]
    rows = [(symbol(s), display_name(s) or "not compared", STATUS_STYLES[s].meaning) for s in statuses]
    rows.append((CAUTION, "caution", CAUTION_MEANING))
    return rows


def legend_line(with_not_compared: bool = False) -> str:
    """The legend on one line: ✓ retained · ~ adapted · … · ⚠ …"""
    parts = [f"{sym} {name}" for sym, name, _ in legend_entries(with_not_compared)[:-1]]
    return " · ".join(parts) + f" · {CAUTION} might change if the unseen reference text were known"


def counts_phrase(counts: dict[str, int]) -> str:
    """ "retained 0 · adapted 18 · added 7 · missing 1 · 6 not judged (reference text not seen)"."""
    text = " · ".join(f"{label} {counts.get(label, 0)}" for label in COUNTED)
    if counts.get("unjudged"):
        text += f" · {counts['unjudged']} {UNJUDGED_PHRASE}"
    return text


CAUTION_NOTE = f"{CAUTION} might change if the unseen reference text were known"


def legend_dict() -> dict[str, str]:
    """The legend for a JSON export: each status's meaning, ⚠'s and the score's."""
    out = {status: STATUS_STYLES[status].meaning for status in (*COUNTED, "unjudged")}
    out["caution"] = CAUTION_MEANING
    out["score"] = SCORE_SENTENCE.removeprefix("score: ")
    return out


# How an instrument code was found, where a renderer shows the keywords that fired: a code the codebook's
# examples gave names no keyword.
CODED_BY_EXAMPLES = "by examples"
