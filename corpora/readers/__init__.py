"""Readers: one per input format, each turning a file into `SourceText` (text in original script + metadata).

`read_file` picks the reader from the content (a PDF called .txt is read as a PDF), then from the file name.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path

from policydiff.corpora import limits
from policydiff.corpora.errors import InputError
from policydiff.corpora.readers.base import SourceText, UnreadableContent, decode, read_bytes
from policydiff.corpora.readers.newspage import looks_like_newspage, read_newspage
from policydiff.corpora.readers.plaintext import read_digest, read_text
from policydiff.corpora.readers.sniff import sniff

TextReader = Callable[[str], SourceText]
BytesReader = Callable[[bytes], SourceText]


def _read_markdown(text: str) -> SourceText:
    from policydiff.corpora.readers.markdown import read_markdown

    return read_markdown(text)


def _read_html(text: str) -> SourceText:
    from policydiff.corpora.readers.html import read_html

    return read_html(text)


def _read_docx(data: bytes) -> SourceText:
    from policydiff.corpora.readers.docx import read_docx

    return read_docx(data)


def _read_pdf(data: bytes) -> SourceText:
    from policydiff.corpora.readers.pdf import read_pdf

    return read_pdf(data)


# Readers of decoded text, keyed by format name; the catalogue may name one explicitly.
TEXT_READERS: dict[str, TextReader] = {
    "newspage": read_newspage,
    "text": read_text,
    "digest": read_digest,
    "markdown": _read_markdown,
    "html": _read_html,
}
# Readers of binary formats, given the file's bytes.
BYTES_READERS: dict[str, BytesReader] = {"docx": _read_docx, "pdf": _read_pdf}
FORMATS: tuple[str, ...] = tuple(sorted([*TEXT_READERS, *BYTES_READERS]))

SUFFIX_FORMATS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
UNSUPPORTED_SUFFIXES: dict[str, str] = {
    ".doc": "old Word .doc files are not supported; save it as .docx",
    ".wps": "WPS files are not supported; save it as .docx",
    ".rtf": "RTF files are not supported; save it as .docx or .txt",
    ".odt": "OpenDocument files are not supported; save it as .docx",
    ".xls": "spreadsheets are not supported",
    ".xlsx": "spreadsheets are not supported",
    ".ppt": "presentations are not supported",
    ".pptx": "presentations are not supported",
}
SUPPORTED = ", ".join(sorted(SUFFIX_FORMATS))


def detect_format(path: Path, text: str) -> str:
    """Format of a decoded text file (kept for callers that already hold the text)."""
    name = path.name.lower()
    if name.endswith(".digest.txt"):
        return "digest"
    if looks_like_newspage(text):
        return "newspage"
    suffix_format = SUFFIX_FORMATS.get(path.suffix.lower())
    if suffix_format in ("markdown", "html"):
        return suffix_format
    return "text"


def choose_format(path: Path, data: bytes) -> str:
    """Format from the content first (a PDF called .txt is a PDF), then from the file name."""
    suffix = path.suffix.lower()
    try:
        sniffed = sniff(data)
    except UnreadableContent as exc:
        if suffix in UNSUPPORTED_SUFFIXES:
            raise InputError(path, f"unsupported file type {suffix!r}: {UNSUPPORTED_SUFFIXES[suffix]}") from None
        raise InputError(path, str(exc)) from None
    if sniffed is not None:
        return sniffed
    named = SUFFIX_FORMATS.get(suffix)
    if named in BYTES_READERS:
        raise InputError(
            path, f"the name ends in {suffix} but the content is not a {named.upper()} file (wrong extension?)"
        )
    from policydiff.corpora.readers.html import looks_like_html

    if looks_like_html(data):
        return "html"
    if suffix in UNSUPPORTED_SUFFIXES:
        raise InputError(path, f"unsupported file type {suffix!r}: {UNSUPPORTED_SUFFIXES[suffix]}")
    return named or "text"


def read_file(
    path: Path, format: str | None = None, charset: str | None = None, *, follow_symlinks: bool = True
) -> SourceText:
    """Read any supported file. Errors name the file and the problem (`InputError`).

    `charset` is what a web server declared for the bytes (fetch); a <meta charset> in the page is used otherwise.
    Only regular files are read (not devices or FIFOs), and at most `limits.MAX_FILE_BYTES` of them.
    """
    if format is not None and format not in TEXT_READERS and format not in BYTES_READERS:
        raise InputError(path, f"unknown format {format!r}; known formats: {', '.join(FORMATS)}")
    return read_data(path, read_bytes(path, follow_symlinks=follow_symlinks), format, charset)


def read_data(path: Path, data: bytes, format: str | None = None, charset: str | None = None) -> SourceText:
    """Read bytes already in hand (`path` names them in errors and by its suffix)."""
    fmt = format or choose_format(path, data)
    try:
        if fmt in BYTES_READERS:
            source = BYTES_READERS[fmt](data)
        else:
            if fmt == "html" and charset is None:
                from policydiff.corpora.readers.html import declared_charset

                charset = declared_charset(data)
            text = decode(path, data, charset)
            if format is None:
                fmt = _refine_text_format(path, text, fmt)
            source = TEXT_READERS[fmt](text)
    except UnreadableContent as exc:
        raise InputError(path, str(exc)) from None
    if not source.text.strip():
        raise InputError(path, "no document text found")
    if len(source.text) > limits.MAX_TEXT_CHARS:
        raise InputError(path, limits.too_long(len(source.text)))
    return dataclasses.replace(source, sha256=hashlib.sha256(data).hexdigest())


def _refine_text_format(path: Path, text: str, fmt: str) -> str:
    # The seed's format (front matter + news HTML) keeps its own reader whatever the file is called.
    if path.name.lower().endswith(".digest.txt"):
        return "digest"
    if fmt in ("text", "markdown") and looks_like_newspage(text):
        return "newspage"
    return fmt


__all__ = [
    "BYTES_READERS",
    "FORMATS",
    "TEXT_READERS",
    "SourceText",
    "choose_format",
    "detect_format",
    "read_data",
    "read_file",
]
