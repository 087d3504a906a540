"""Plain text and the project's digest format (plain text whose 【】 markers the segmenter turns into flags)."""

from __future__ import annotations

import re

from policydiff.corpora.readers.base import SourceText

# A first line is a title when it is short, has no sentence punctuation, is not an addressee line (…：) and is
# not already numbered text.
_NOT_A_TITLE = re.compile(r"[。；！？]|[：:]$|^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十]+[)）]|^\d+[.、]")
MAX_TITLE = 80


def first_line_title(text: str) -> str:
    for line in text.split("\n"):
        line = line.strip(" \t\u3000")
        if not line:
            continue
        cjk = any("\u4e00" <= ch <= "\u9fff" for ch in line)
        return line if cjk and len(line) <= MAX_TITLE and not _NOT_A_TITLE.search(line) else ""
    return ""


def read_text(text: str) -> SourceText:
    title = first_line_title(text)
    return SourceText(text if text.endswith("\n") else text + "\n", {"text.title": title} if title else {}, "text")


def read_digest(text: str) -> SourceText:
    return SourceText(text if text.endswith("\n") else text + "\n", {}, "digest")
