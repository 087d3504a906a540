"""Text primitives of segmentation: non-blank lines, sentence units, opening headings, digest markers.

Everything works on the analysis text (same length as the original), so every span quotes the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policydiff.corpora.model import Unit, UnitKind
from policydiff.corpora.normalise import MARKER_RE

ITEM_RE = re.compile(r"^(?:\d{1,2}[.、](?!\d)|（\d{1,2}）|[①-⑳])")
# Inside an article, （一） items (项) are items too.
LEGAL_ITEM_RE = re.compile(r"^(?:\d{1,2}[.、](?!\d)|（\d{1,2}）|（[一二三四五六七八九十]+）|[①-⑳])")
# A sentence ends at 。！？； (the digest's notes are ；-separated) or at a line break.
SENTENCE_END = "。！？；"
# A heading is the opening phrase up to the first 。 when it is short; longer openings are body text.
MAX_HEADING = 40


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # exclusive, trimmed of surrounding whitespace


def lines(text: str, original: str) -> list[Line]:
    """Non-blank lines of the analysis text; a line blank only because its markers were masked still counts.

    Every line break counts (\\n, \\r\\n, \\r, and the Unicode separators str.splitlines knows), so no
    text hides in a line the segmenter never sees.
    """
    out: list[Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
        s, e = pos, pos + len(body)
        while s < e and original[s].isspace():
            s += 1
        while e > s and original[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Line(s, e))
        pos += len(raw)
    return out


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "，、"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def markers(original: str, start: int, end: int) -> tuple[str, ...]:
    found: list[str] = []
    for m in MARKER_RE.finditer(original, start, end):
        for part in re.split(r"[；;]", m.group()[1:-1]):
            part = part.strip()
            if part and part not in found:
                found.append(part)
    return tuple(found)


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _is_break(ch: str) -> bool:
    return ch in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def units(ana: str, start: int, end: int, first_index: int = 0, item_re: re.Pattern[str] = ITEM_RE) -> list[Unit]:
    out: list[Unit] = []
    s = start
    for i in range(start, end + 1):
        if i == end or ana[i] in SENTENCE_END or _is_break(ana[i]):
            us, ue = trim(ana, s, i + 1 if i < end and not _is_break(ana[i]) else i)
            body = clean(ana[us:ue])
            if body.strip(SENTENCE_END + " "):
                kind: UnitKind = "item" if item_re.match(body) else "sentence"
                out.append(Unit(first_index + len(out), kind, us, ue, body))
            s = i + 1
    return out


def opening_heading(ana: str, start: int, end: int) -> tuple[str, int, int]:
    """A provision's opening title phrase and where the body starts after it."""
    stop = ana.find("。", start, end)
    # A heading on a line of its own (a Markdown heading, a DOCX heading paragraph) ends with its line: the
    # readers have already joined lines a page wrapped, so a line break before any 。 is the heading's end.
    lead = ana[start : end if stop == -1 else stop]
    line_end = ana.find("\n", start + len(lead) - len(lead.lstrip()), start + len(lead))
    if line_end != -1:
        phrase = ana[start:line_end]
        if len(phrase.strip()) <= MAX_HEADING and not any(p in phrase for p in "；！？"):
            return phrase, start, line_end + 1
    if stop == -1:
        stop = end
        if end - start > MAX_HEADING:
            return "", start, start
    phrase = ana[start:stop]
    if len(phrase.strip()) > MAX_HEADING or any(p in phrase for p in "；！？"):
        return "", start, start
    return phrase, start, min(stop + 1, end)
