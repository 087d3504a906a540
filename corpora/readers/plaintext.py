"""Plain text and the project's digest format (plain text whose 【】 markers the segmenter turns into flags)."""

from __future__ import annotations

from policydiff.corpora.readers.base import SourceText


def read_text(text: str) -> SourceText:
    return SourceText(text if text.endswith("\n") else text + "\n", {}, "text")


def read_digest(text: str) -> SourceText:
    return SourceText(text if text.endswith("\n") else text + "\n", {}, "digest")
