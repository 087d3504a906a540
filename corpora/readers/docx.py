"""Word documents (.docx), read as a stream with a hardened XML parser.

A DOCX is a ZIP archive of XML parts, and a few kilobytes of ZIP can claim gigabytes of XML (a zip bomb), so
the archive is checked before anything is unpacked. Only the parts we need are parsed (the document body and
its properties), as a stream: the XML unpacked and the text extracted are counted as they go and stopped at
their limits, memory stays flat, and the parser neither loads DTDs nor expands entities nor touches the network.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

from policydiff.corpora import limits
from policydiff.corpora.readers.base import SourceText, UnreadableContent

# A long policy document's XML is a few megabytes; images make DOCX files larger, not their XML.
MAX_MEMBERS = 2000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XML_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200  # deflated XML compresses 5–20×; hundreds × is a bomb's signature
BODY = "word/document.xml"
PROPERTIES = "docProps/core.xml"
PARSED = (BODY, PROPERTIES)
_CHUNK = 64 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Subtrees whose text is not the document's: a fallback repeats its alternative (text boxes), moved-from
# text is the old place of a tracked move.
_SKIP = {f"{_MC}Fallback", f"{_W}moveFrom"}
# What run content reads as (python-docx's rules): only a line break <w:br> is a new line, not a page break.
_RUN_TEXT = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


def check_archive(data: bytes) -> None:
    """Refuse archives that are not DOCX or that would unpack to far more than any document needs.

    The sizes checked are the ones the archive declares; Python's zipfile never unpacks more than the declared
    size of a member, and the parts parsed are counted again as they are unpacked.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UnreadableContent("not a DOCX file (damaged or not a ZIP archive)") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UnreadableContent(f"DOCX archive has {len(members)} members (limit {MAX_MEMBERS}); not unpacked")
        names = {m.filename for m in members}
        if BODY not in names:
            raise UnreadableContent(f"not a DOCX file (no {BODY} in the archive)")
        total = sum(m.file_size for m in members)
        if total > MAX_UNPACKED_BYTES:
            raise UnreadableContent(
                f"DOCX archive would unpack to {total} bytes (limit {MAX_UNPACKED_BYTES}); not unpacked"
            )
        for m in members:
            if not m.filename.endswith((".xml", ".rels")):
                continue
            ratio = m.file_size / max(m.compress_size, 1)
            if m.file_size > MAX_XML_BYTES or (m.file_size > 1024 * 1024 and ratio > MAX_RATIO):
                raise UnreadableContent(
                    f"DOCX member {m.filename} would unpack to {m.file_size} bytes from {m.compress_size} "
                    "(a zip bomb?); not unpacked"
                )
        parsed = sum(m.file_size for m in members if m.filename in PARSED)
        if parsed > limits.MAX_DOCX_XML_BYTES:
            raise UnreadableContent(_too_much_xml(parsed))


def _too_much_xml(size: object) -> str:
    return f"DOCX text would unpack to {size} bytes of XML (the limit is {limits.MAX_DOCX_XML_BYTES}); not unpacked"


class _Budget:
    """Bytes of XML unpacked so far, across the parts parsed."""

    def __init__(self) -> None:
        self.used = 0

    def take(self, n: int) -> None:
        self.used += n
        if self.used > limits.MAX_DOCX_XML_BYTES:
            raise UnreadableContent(_too_much_xml(f"more than {limits.MAX_DOCX_XML_BYTES}"))


def _events(archive: zipfile.ZipFile, name: str, budget: _Budget) -> Iterator[tuple[str, object]]:
    """(event, element) pairs of one part, parsed as it is unpacked."""
    from lxml import etree

    parser = etree.XMLPullParser(
        events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    first = True
    with archive.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            budget.take(len(chunk))
            if first and (b"<!DOCTYPE" in chunk[:4096] or b"<!ENTITY" in chunk[:4096]):
                # Word never writes a DTD; one in a DOCX is there to declare entities (billion laughs, XXE).
                raise UnreadableContent(f"DOCX part {name} declares a DTD; not read")
            first = False
            try:
                parser.feed(chunk)
                yield from parser.read_events()
            except etree.XMLSyntaxError:
                raise UnreadableContent(f"cannot read DOCX (damaged XML in {name})") from None
        try:
            parser.close()
        except etree.XMLSyntaxError:
            raise UnreadableContent(f"cannot read DOCX (damaged XML in {name})") from None
        yield from parser.read_events()


def _body_lines(archive: zipfile.ZipFile, budget: _Budget) -> list[str]:
    """The body's paragraphs in reading order, a table row per line (cells joined by spaces)."""
    lines: list[str] = []
    chars = 0
    containers: list[str] = []  # "p" and "tc", innermost last
    paragraphs: list[list[str]] = []  # the text pieces of each open paragraph
    cells: list[list[str]] = []  # the paragraph texts of each open cell
    rows: list[list[str]] = []  # the cell texts of each open row
    skipping = 0

    def emit(text: str) -> None:
        nonlocal chars
        if containers and containers[-1] == "tc":
            cells[-1].append(text)
            return
        chars += len(text) + 1
        if chars > limits.MAX_TEXT_CHARS:
            raise UnreadableContent(limits.too_long(limits.MAX_TEXT_CHARS))
        lines.append(text)

    for event, element in _events(archive, BODY, budget):
        tag = element.tag  # type: ignore[attr-defined]
        if tag in _SKIP:
            skipping += 1 if event == "start" else -1
            continue
        if skipping:
            continue
        if event == "start":
            if tag == f"{_W}p":
                containers.append("p")
                paragraphs.append([])
            elif tag == f"{_W}tc":
                containers.append("tc")
                cells.append([])
            elif tag == f"{_W}tr":
                rows.append([])
            continue
        parent = element.getparent()  # type: ignore[attr-defined]
        in_run = parent is not None and parent.tag == f"{_W}r"
        if tag == f"{_W}t" and paragraphs:
            paragraphs[-1].append(element.text or "")  # type: ignore[attr-defined]
        elif in_run and tag in _RUN_TEXT and paragraphs:
            paragraphs[-1].append(_RUN_TEXT[tag])
        elif in_run and tag == f"{_W}br" and paragraphs:
            if element.get(f"{_W}type") in (None, "textWrapping"):  # type: ignore[attr-defined]
                paragraphs[-1].append("\n")
        elif tag == f"{_W}p" and paragraphs:
            containers.pop()
            emit("".join(paragraphs.pop()))
        elif tag == f"{_W}tc" and cells:
            containers.pop()
            text = " ".join(" ".join(cells.pop()).split())
            # A merged cell repeats its neighbour's text in some writers; once is enough.
            if rows and text and (not rows[-1] or rows[-1][-1] != text):
                rows[-1].append(text)
        elif tag == f"{_W}tr" and rows:
            row = rows.pop()
            if row:
                emit(" ".join(row))
        else:
            continue
        if tag in (f"{_W}p", f"{_W}tr"):
            # What has been read is not kept: memory stays flat however long the document.
            element.clear()  # type: ignore[attr-defined]
            while element.getprevious() is not None:  # type: ignore[attr-defined]
                del element.getparent()[0]  # type: ignore[attr-defined]
    return lines


def _properties(archive: zipfile.ZipFile, budget: _Budget) -> dict[str, str]:
    if PROPERTIES not in archive.namelist():
        return {}
    wanted = {
        "{http://purl.org/dc/elements/1.1/}title": "docx.title",
        "{http://purl.org/dc/elements/1.1/}creator": "docx.author",
    }
    meta: dict[str, str] = {}
    for event, element in _events(archive, PROPERTIES, budget):
        key = wanted.get(element.tag)  # type: ignore[attr-defined]
        if event == "end" and key and (text := (element.text or "").strip()):  # type: ignore[attr-defined]
            meta[key] = text[:1000]
    return meta


def read_docx(data: bytes) -> SourceText:
    check_archive(data)
    budget = _Budget()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            lines = _body_lines(archive, budget)
            meta = _properties(archive, budget)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError):
            raise UnreadableContent("cannot read DOCX (damaged archive)") from None
    # Word's line breaks inside a paragraph (Shift+Enter) are lines of their own, as in python-docx's reading.
    return SourceText("\n".join(lines).strip("\n") + "\n", meta, "docx")
