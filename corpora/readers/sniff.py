"""What a file is, from its content rather than its name: the one module that uses `filetype`.

A PDF called .txt, or served as text/plain, is still a PDF; a spreadsheet or an image called .txt is refused
with what it is, rather than decoded as text.
"""

from __future__ import annotations

import io
import zipfile

from policydiff.corpora.readers.base import UnreadableContent

# Content we recognise but cannot read, by MIME type, and what the researcher can do about it.
_UNSUPPORTED: dict[str, str] = {
    "application/msword": "an old Word .doc file; save it as .docx",
    "application/vnd.ms-excel": "a spreadsheet",
    "application/vnd.ms-powerpoint": "a presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "a spreadsheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "a presentation",
    "application/vnd.oasis.opendocument.text": "an OpenDocument file; save it as .docx",
    "application/vnd.oasis.opendocument.spreadsheet": "a spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "a presentation",
    "application/rtf": "an RTF file; save it as .docx or .txt",
    "application/epub+zip": "an e-book (EPUB)",
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None  # damaged: the DOCX reader says so when the name asks for one
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "a spreadsheet"
    if any(n.startswith("ppt/") for n in names):
        return "a presentation"
    return "a ZIP archive, not a document"


def _looks_like_text(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True  # UTF-16 text: its NULs are not binary content
    return b"\x00" not in head


def sniff(data: bytes) -> str | None:
    """'pdf' or 'docx' when the content is one; None for text (plain, Markdown, HTML) or content not recognised.

    Raises `UnreadableContent` for content that is recognisably something we cannot read (a spreadsheet, an
    image, an archive, an old .doc)."""
    if b"%PDF-" in data[:1024]:  # readers tolerate a little junk before the header, as Acrobat does
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
        if kind in (None, "docx"):
            return "docx"
        raise UnreadableContent(f"the content is {kind}; only .docx, .pdf, web pages and text can be read")
    if data.startswith(_OLE2):
        raise UnreadableContent("the content is an old Office file (.doc, .xls, .ppt or .wps); save it as .docx")
    if data.startswith(b"{\\rtf"):
        raise UnreadableContent(f"the content is {_UNSUPPORTED['application/rtf']}")
    if _looks_like_text(data):
        return None  # magic numbers inside text (an "ID3" or "ustar" by chance) are not trusted
    import filetype

    kind = filetype.guess(data[:8192])
    if kind is None:
        return None  # the text decoder says what is wrong with it
    if kind.mime.startswith("image/"):
        what = f"an image ({kind.extension.upper()}); scanned documents need OCR, which is not supported"
    else:
        what = _UNSUPPORTED.get(kind.mime, f"not a document ({kind.mime})")
    raise UnreadableContent(f"the content is {what}")
