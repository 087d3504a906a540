"""The limits a researcher may run into, named in one place, with the words used to explain them.

A policy document is tens of thousands of characters: the longest Chinese code (民法典) has about 110,000
characters and 1,260 articles. The limits below are several times that, so a real document never meets them,
while a mistaken or hostile input (a 19 MB log, a zip or flate bomb) is refused in seconds instead of
running for minutes and gigabytes.
"""

from __future__ import annotations

# A file read from disk or downloaded (the size is checked before reading and again while reading).
MAX_FILE_BYTES = 20 * 1024 * 1024
# Characters of text a reader may extract from one document.
MAX_TEXT_CHARS = 600_000
# Provisions (clauses, articles, paragraphs) one document may segment into.
MAX_PROVISIONS = 6_000
# Pages of a PDF.
MAX_PDF_PAGES = 500
# Bytes the PDF's compressed streams (page contents, fonts, object streams; not images) may decode to, in all.
MAX_PDF_STREAM_BYTES = 64 * 1024 * 1024
# Bytes of XML a DOCX's parsed parts (the document body and its properties) may unpack to, in all.
MAX_DOCX_XML_BYTES = 32 * 1024 * 1024


def too_long(chars: int) -> str:
    return f"the text is too long ({chars:,}+ characters; the limit is {MAX_TEXT_CHARS:,})"


def too_many_provisions(count: int) -> str:
    return f"the document has too many provisions ({count:,}; the limit is {MAX_PROVISIONS:,})"
