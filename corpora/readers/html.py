"""Web pages (news sites, government sites): the main text by trafilatura, the page's metadata by
`policydiff.corpora.metadata`. Pages are parsed, never run: scripts are dropped, nothing is fetched.
"""

from __future__ import annotations

import re

from policydiff.corpora import limits
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


_TAG_RE = re.compile(r"<[^<>]*>")  # [^<>]: an unclosed "<" ends at the next one, not the end of the page
# The page's visible text may exceed the document's (menus, footers) but not by this much.
_FURNITURE_FACTOR = 2


def _without_scripts(html: str) -> str:
    """The page without <script> and <style> contents, in one pass (a regex with .*? would rescan the rest of
    the page from every unclosed <script>)."""
    lower = html.lower()
    out: list[str] = []
    at = 0
    while True:
        starts = [i for i in (lower.find("<script", at), lower.find("<style", at)) if i >= 0]
        if not starts:
            out.append(html[at:])
            return "".join(out)
        start = min(starts)
        out.append(html[at:start])
        closing = "</script" if lower.startswith("<script", start) else "</style"
        end = lower.find(closing, start)
        if end < 0:
            return "".join(out)
        close = lower.find(">", end)
        at = len(html) if close < 0 else close + 1


def visible_chars(html: str) -> int:
    """A cheap upper bound of the page's text: tags, scripts, styles and blanks taken out."""
    text = _TAG_RE.sub("", _without_scripts(html))
    return len(text) - sum(text.count(c) for c in " \t\n\r\u3000\xa0")


def read_html(text: str) -> SourceText:
    # Main-text extraction costs seconds and hundreds of MB per 10 MB of page: a page that holds far more text
    # than any document may is refused before it is parsed.
    if (chars := visible_chars(text)) > _FURNITURE_FACTOR * limits.MAX_TEXT_CHARS:
        raise UnreadableContent(limits.too_long(chars))
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
