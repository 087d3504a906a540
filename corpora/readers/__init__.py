"""Readers: one per input format, each turning a file into `SourceText` (text in original script + metadata).

`read_file` picks the reader from the file name and, where the name is not enough, from the content.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path

from policydiff.compare.errors import InputError
from policydiff.corpora.readers.base import SourceText, decode, read_bytes
from policydiff.corpora.readers.newspage import looks_like_newspage, read_newspage
from policydiff.corpora.readers.plaintext import read_digest, read_text

TextReader = Callable[[str], SourceText]

# Readers of decoded text, keyed by format name; the catalogue may name one explicitly.
TEXT_READERS: dict[str, TextReader] = {
    "newspage": read_newspage,
    "text": read_text,
    "digest": read_digest,
}


def detect_format(path: Path, text: str) -> str:
    name = path.name.lower()
    if name.endswith(".digest.txt"):
        return "digest"
    if looks_like_newspage(text):
        return "newspage"
    return "text"


def read_file(path: Path, format: str | None = None) -> SourceText:
    """Read any supported file. Errors name the file and the problem (`InputError`)."""
    if format is not None and format not in TEXT_READERS:
        raise InputError(path, f"unknown format {format!r}; known formats: {', '.join(sorted(TEXT_READERS))}")
    data = read_bytes(path)
    text = decode(path, data)
    fmt = format or detect_format(path, text)
    source = TEXT_READERS[fmt](text)
    if not source.text.strip():
        raise InputError(path, "no document text found")
    return dataclasses.replace(source, sha256=hashlib.sha256(data).hexdigest())


__all__ = ["TEXT_READERS", "SourceText", "detect_format", "read_file"]
