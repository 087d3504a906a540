"""Word documents (.docx). The archive is checked before anything is unpacked: a DOCX is a ZIP file, and a
few kilobytes of ZIP can claim gigabytes of XML (a zip bomb).
"""

from __future__ import annotations

import io
import zipfile

from policydiff.corpora.readers.base import SourceText, UnreadableContent

# A long policy document's XML is a few megabytes; images make DOCX files larger, not their XML.
MAX_MEMBERS = 2000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XML_BYTES = 50 * 1024 * 1024
MAX_RATIO = 200  # deflated XML compresses 5–20×; hundreds × is a bomb's signature


def check_archive(data: bytes) -> None:
    """Refuse archives that are not DOCX or that would unpack to far more than any document needs.

    The sizes checked are the ones the archive declares; Python's zipfile never unpacks more than the declared
    size of a member, so a lying header cannot get past this check.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableContent("not a DOCX file (damaged or not a ZIP archive)") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UnreadableContent(f"DOCX archive has {len(members)} members (limit {MAX_MEMBERS}); not unpacked")
        names = {m.filename for m in members}
        if "word/document.xml" not in names:
            raise UnreadableContent("not a DOCX file (no word/document.xml in the archive)")
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


def read_docx(data: bytes) -> SourceText:
    check_archive(data)
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds (KeyError, XMLSyntaxError, ValueError …)
        raise UnreadableContent(f"cannot read DOCX ({type(exc).__name__})") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                        cells.append(text)
                if cells:
                    lines.append(" ".join(cells))
        else:
            lines.append(block.text.replace("\v", "\n"))
    props = document.core_properties
    meta = {k: v for k, v in (("docx.title", props.title or ""), ("docx.author", props.author or "")) if v.strip()}
    return SourceText("\n".join(lines).strip("\n") + "\n", meta, "docx")
