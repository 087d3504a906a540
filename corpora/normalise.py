"""Normalisation for analysis: named `str -> str` steps that never change the text's length.

Keeping the length fixed is what lets every offset found on the analysis text point into the original text,
so a report can quote the document as the reader extracted it (traditional characters included).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from policydiff.corpora.errors import ConfigError

Step = Callable[[str], str]

# Half-width forms that Chinese documents mix with full-width ones; mapped to the full-width form the
# segmenter's patterns expect.  ASCII letters and digits go the other way (full-width → ASCII) so that
# "２０２５" and "2025" are one token.
_TO_FULLWIDTH = str.maketrans(
    {"(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
    # Half-width ideographic and small-form variants some OCR and legacy encodings produce.
    | {"､": "、", "｡": "。", "﹙": "（", "﹚": "）", "﹐": "，", "﹑": "、", "﹔": "；", "﹕": "："}
)
_FULLWIDTH_ALNUM = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF5B) if chr(c - 0xFEE0).isalnum()}
_FULLWIDTH_ALNUM.update({"．": ".", "％": "%", "　": " ", "\u00a0": " ", "\u200b": " ", "\ufeff": " "})
_TO_HALFWIDTH = str.maketrans(_FULLWIDTH_ALNUM)

# Digest markers (see the digest README): 【…】 notes, 〔…〕 unknown headings, and （？） unknown numbers.
MARKER_RE = re.compile(r"【[^】\n]*】|〔[^〕\n]*〕")


def widths(text: str) -> str:
    """Unify full-/half-width variants: brackets and Chinese punctuation full-width, letters/digits ASCII."""
    return text.translate(_TO_HALFWIDTH).translate(_TO_FULLWIDTH)


@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    import opencc  # imported here: only documents with traditional script pay for it

    return opencc.OpenCC("t2s").convert


def simplified(text: str) -> str:
    """Traditional → simplified (OpenCC), kept character-aligned with the original."""
    if text.isascii():
        return text
    convert = _t2s()
    out = convert(text)
    if len(out) == len(text):
        return out
    # A phrase rule changed the length; fall back to character-by-character conversion.
    return "".join(convert(ch) if len(convert(ch)) == 1 else ch for ch in text)


def mask_markers(text: str) -> str:
    """Blank out digest markers so that no verdict can rest on a marker's words."""
    return MARKER_RE.sub(lambda m: " " * len(m.group()), text)


STEPS: dict[str, Step] = {
    "widths": widths,
    "simplified": simplified,
    "mask_markers": mask_markers,
}

DEFAULT_STEPS: tuple[str, ...] = ("widths", "simplified", "mask_markers")


def normalise(text: str, steps: tuple[str, ...] = DEFAULT_STEPS) -> str:
    for name in steps:
        try:
            step = STEPS[name]
        except KeyError:
            raise ConfigError(f"unknown normalisation step {name!r}; known steps: {', '.join(sorted(STEPS))}") from None
        out = step(text)
        if len(out) != len(text):  # a broken step would silently misplace every quote
            raise AssertionError(f"normalisation step {name!r} changed the text length")
        text = out
    return text
