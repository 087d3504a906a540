"""Text PDFs (pdfplumber). Lines a page wrapped mid-sentence are joined again so sentences stay whole;
scanned PDFs (no text layer) are refused rather than read as empty.
"""

from __future__ import annotations

import io
import re

from policydiff.corpora.readers.base import SourceText, UnreadableContent

MAX_PAGES = 500
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


def read_pdf(data: bytes) -> SourceText:
    if not data.startswith(b"%PDF-"):
        raise UnreadableContent("not a PDF file (it does not start with %PDF-)")
    import pdfplumber

    lines: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise UnreadableContent(f"PDF has {len(pdf.pages)} pages (limit {MAX_PAGES})")
            raw_meta = pdf.metadata or {}
            for page in pdf.pages:
                lines.extend((page.extract_text() or "").split("\n"))
    except UnreadableContent:
        raise
    except Exception as exc:  # pdfminer raises PDFSyntaxError, PSEOF, KeyError … on damaged files
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise UnreadableContent("PDF is encrypted") from None
        raise UnreadableContent("cannot read PDF (damaged or truncated)") from None
    text = "\n".join(join_wrapped(lines))
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
