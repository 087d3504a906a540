"""Text from documents made safe for a terminal: no escape sequences, no control characters.

Titles, headings and clause text come from files and web pages a user did not write; an `ESC]0;…BEL` in a
page's <title> would retitle the terminal window. Everything document-derived that a terminal renderer shows
goes through `printable()` and is given to rich as plain `Text`, never as markup.
"""

from __future__ import annotations

import re

# CSI / OSC / other ESC sequences first (so their parameters go too), then any remaining C0/C1 control,
# DEL, and the bidi overrides that can make a line read differently from what it holds.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, keep_newlines: bool = False) -> str:
    """`text` without escape sequences and control characters; tabs and (unless kept) newlines become spaces."""
    text = _ESCAPES.sub("", text)
    text = _CONTROLS.sub("", text)
    text = text.replace("\t", " ")
    if not keep_newlines:
        text = text.replace("\r", " ").replace("\n", " ")
    return text
