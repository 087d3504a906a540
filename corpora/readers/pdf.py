"""Text PDFs (pdfplumber). Lines a page wrapped mid-sentence are joined again so sentences stay whole;
scanned PDFs (no text layer), encrypted ones and ones whose text does not decode are refused rather than read
as empty or as gibberish.

A PDF's streams are compressed, and a megabyte of flate can decode to gigabytes (a flate bomb). pdfminer
decodes a stream whole, so while a PDF is read here its decoders are capped: every byte they produce counts
against `limits.MAX_PDF_STREAM_BYTES`, and the page count is checked before any page is read.
"""

from __future__ import annotations

import contextlib
import io
import re
import zlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from policydiff.corpora import limits
from policydiff.corpora.readers.base import SourceText, UnreadableContent

MAX_PAGES = limits.MAX_PDF_PAGES
# Text that pdfminer could not map to characters comes out as "(cid:2838)"; past this share of the glyphs the
# text is not the document's.
MAX_UNDECODED_SHARE = 0.05
_CID_RE = re.compile(r"\(cid:\d+\)")
# A line that starts a new unit: a section, clause or item number, or the sign-off's date.
_STARTS_UNIT_RE = re.compile(
    r"^([一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]+[)）]|\d+[.．、]|[①-⑳]|第[一二三四五六七八九十百]+[章条])"
)
_ENDS_SENTENCE = tuple("。！？；：:!?;")
# Page furniture: "— 3 —", "- 3 -", "第 3 页", a bare number.
_PAGE_NUMBER_RE = re.compile(r"^[\s—\-－·]*(第\s*)?\d+\s*(页)?(\s*/\s*\d+)?[\s—\-－·]*$")


def join_wrapped(lines: list[str]) -> list[str]:
    """Join a line to the one before when that one ran to the full width of the page (it was wrapped), did not
    end a sentence, and this one does not start a new unit."""
    kept = [line.strip(" \t\u3000") for line in lines]
    kept = [line for line in kept if line and not _PAGE_NUMBER_RE.match(line)]
    full = max((len(line) for line in kept), default=0)
    out: list[str] = []
    previous = ""
    for line in kept:
        wrapped = previous and len(previous) >= full - 2 and not previous.endswith(_ENDS_SENTENCE)
        if out and wrapped and not _STARTS_UNIT_RE.match(line):
            out[-1] += line
        else:
            out.append(line)
        previous = line
    return out


class _StreamTooLarge(Exception):
    pass


# Bytes the streams of the PDF being read may still decode to; None outside `read_pdf` (pdfminer unchanged).
_budget: ContextVar[list[int] | None] = ContextVar("policydiff_pdf_budget", default=None)


def _take(n: int) -> None:
    budget = _budget.get()
    if budget is not None:
        budget[0] -= n
        if budget[0] < 0:
            raise _StreamTooLarge


def _room() -> int:
    budget = _budget.get()
    return budget[0] if budget is not None else -1


def _inflate(data: bytes, strict: bool) -> bytes:
    """zlib.decompress that stops at the budget; `strict` raises on a truncated stream as zlib does."""
    d = zlib.decompressobj()
    room = _room()
    out = d.decompress(data, room + 1) if room >= 0 else d.decompress(data)
    _take(len(out))
    if strict and not d.eof:
        raise zlib.error("incomplete or truncated stream")
    return out


class _CappedZlib:
    """Stands in for the `zlib` module inside pdfminer.pdftypes (only `decompress` and `error` are used)."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes, *args: Any) -> bytes:
        if _budget.get() is None:
            return zlib.decompress(data, *args)
        return _inflate(data, strict=True)

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def _capped(original: Callable[..., bytes], capped: Callable[..., bytes]) -> Callable[..., bytes]:
    def decode(*args: Any) -> bytes:
        return capped(*args) if _budget.get() is not None else original(*args)

    return decode


def _lzw(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    for piece in LZWDecoder(io.BytesIO(data)).run():
        _take(len(piece))
        out += piece
    return bytes(out)


def _runlength(data: bytes) -> bytes:
    out = bytearray()
    i, n = 0, len(data)
    while i < n and data[i] != 128:
        length = data[i]
        if length < 128:
            piece = data[i + 1 : i + length + 2]
            i += length + 2
        else:
            piece = data[i + 1 : i + 2] * (257 - length)
            i += 2
        _take(len(piece))
        out += piece
    return bytes(out)


def _refuse(*args: Any) -> bytes:
    # CCITT is a fax-image encoding; text extraction never decodes images, so one decoded here hides a bomb.
    raise _StreamTooLarge


_installed = False


def _install_caps() -> None:
    """Route pdfminer's stream decoders through the budget (once per process; without a budget they behave as
    before, so other users of pdfminer see no change)."""
    global _installed
    if _installed:
        return
    import pdfminer.pdftypes as pdftypes

    pdftypes.zlib = _CappedZlib()  # type: ignore[assignment]
    pdftypes.decompress_corrupted = _capped(pdftypes.decompress_corrupted, lambda data: _inflate(data, strict=False))
    pdftypes.lzwdecode = _capped(pdftypes.lzwdecode, _lzw)
    pdftypes.rldecode = _capped(pdftypes.rldecode, _runlength)
    pdftypes.ccittfaxdecode = _capped(pdftypes.ccittfaxdecode, _refuse)
    _installed = True


@contextlib.contextmanager
def _stream_budget() -> Iterator[None]:
    _install_caps()
    token = _budget.set([limits.MAX_PDF_STREAM_BYTES])
    try:
        yield
    finally:
        _budget.reset(token)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception, what it wraps (pdfplumber wraps pdfminer's in args[0]) and its causes."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo.extend(a for a in e.args if isinstance(a, BaseException))
        todo.extend(c for c in (e.__cause__, e.__context__) if c is not None)


def _why(exc: BaseException) -> str:
    for e in _causes(exc):
        if isinstance(e, UnreadableContent):
            return str(e)
        if isinstance(e, _StreamTooLarge):
            return f"PDF streams decode to more than {limits.MAX_PDF_STREAM_BYTES} bytes (a flate bomb?); not read"
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name:
            return "PDF is encrypted (password-protected); save an unprotected copy"
    if any(isinstance(e, (MemoryError, RecursionError)) for e in _causes(exc)):
        return "PDF is too complex to read"
    return "cannot read PDF (damaged or truncated)"


def undecoded_text(text: str) -> str:
    """Text with pdfminer's "(cid:N)" stand-ins; refused when they are more than a sliver of it."""
    cids = len(_CID_RE.findall(text))
    if not cids:
        return text
    glyphs = len("".join(_CID_RE.sub("\ufffd", text).split()))
    if cids > MAX_UNDECODED_SHARE * glyphs:
        raise UnreadableContent(
            f"the PDF's text did not decode ({cids} of {glyphs} characters are (cid:…) codes: its fonts do not say "
            "which characters they draw); use the document's Word or web version"
        )
    return _CID_RE.sub("\ufffd", text)  # a few stray glyphs: marked as characters that could not be read


def read_pdf(data: bytes) -> SourceText:
    if b"%PDF-" not in data[:1024]:
        raise UnreadableContent("not a PDF file (it does not start with %PDF-)")
    import pdfplumber

    lines: list[str] = []
    chars = 0
    try:
        with _stream_budget(), pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)  # the page tree only: no page is read before it is counted
            if pages > MAX_PAGES:
                raise UnreadableContent(f"PDF has {pages} pages (the limit is {MAX_PAGES})")
            raw_meta = pdf.metadata or {}
            for page in pdf.pages:
                text = page.extract_text() or ""
                chars += len(text)
                if chars > limits.MAX_TEXT_CHARS:
                    raise UnreadableContent(limits.too_long(limits.MAX_TEXT_CHARS))
                lines.extend(text.split("\n"))
                page.close()  # drop the page's layout objects: memory stays flat over many pages
    except Exception as exc:  # pdfminer raises PDFSyntaxError, PSEOF, KeyError … on damaged files
        raise UnreadableContent(_why(exc)) from None
    text = undecoded_text("\n".join(join_wrapped(lines)))
    if not text.strip():
        raise UnreadableContent("PDF has no text layer (a scanned image?); OCR is not supported")
    meta = {}
    for key in ("Title", "Author"):
        value = raw_meta.get(key)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if isinstance(value, str) and value.strip():
            meta[f"pdf.{key.lower()}"] = value.strip()
    return SourceText(text + "\n", meta, "pdf")
