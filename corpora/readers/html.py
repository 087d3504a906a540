"""Web pages (news sites, government sites): the main text by trafilatura, the page's metadata by
`policydiff.corpora.metadata`. Pages are parsed, never run: scripts are dropped, nothing is fetched.
"""

from __future__ import annotations

import re

from policydiff.corpora.metadata import html_metadata, text_info_lines
from policydiff.corpora.readers.base import SourceText, UnreadableContent
from policydiff.corpora.readers.newspage import split_header

# A comment's body cannot hold "-->": with a plain .*? the comments could be split in exponentially many ways
# when no <html> follows (forty "<!-- -->" took minutes).
_HTML_START_RE = re.compile(
    rb"\A(\xef\xbb\xbf)?\s*(<!--(?:(?!-->).)*-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S
)
_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
# Lines trafilatura keeps from page furniture that are not the document.
_SENTENCE_END_RE = re.compile(r"[。！？；]|[.!?;](\s|$)")
_FURNITURE_RE = re.compile(r"^(责任编辑|编辑|校对|审核|【?字号】?|打印本页|关闭窗口|分享到)[:：]?")


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_START_RE.match(data[:4096]))


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag (gov sites often still say gb2312)."""
    m = _CHARSET_RE.search(data[:8192])
    return m.group(1).decode("ascii", "replace") if m else None


def main_text(html: str) -> str:
    import trafilatura

    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=False,  # the info-disclosure table is metadata, read separately
        include_links=False,
        include_images=False,
        deduplicate=False,
        favor_recall=True,
    )
    return text or ""


def read_html(text: str) -> SourceText:
    meta = html_metadata(text)
    body = main_text(text)
    table, body = text_info_lines(body)
    for key, value in table.items():
        meta.setdefault(key, value)
    lines = [line.strip(" \t\u3000\xa0") for line in body.split("\n")]
    lines = [line for line in lines if line and not _FURNITURE_RE.match(line)]
    # A news reprint opens with 原标题 … 来源 lines, as in the seed: metadata, not the document.
    header, lines = split_header(lines)
    meta.update(header)
    body = "\n".join(lines)
    # A policy document has sentences; a page whose "main text" has none is a list of links.
    if len(body) < 30 or not _SENTENCE_END_RE.search(body):
        raise UnreadableContent("no main text found in the page (only navigation or links)")
    return SourceText(body + "\n", meta, "html")
