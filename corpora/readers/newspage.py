"""News-site reprints: YAML front matter followed by the article's HTML (the seed's format).

The article body is the text of its <p> elements, inline links included (a stock-quote <a> around 线上线下
is still part of the sentence). Site furniture — styles, comments, QR blocks, the editor's line — is
dropped, and the reprint's header lines (原标题, the dateline, 来源) become metadata.
"""

from __future__ import annotations

import re

from policydiff.corpora.readers.base import SourceText
from policydiff.corpora.readers.frontmatter import split_front_matter

_BOILERPLATE_RE = re.compile(r"^(责任编辑|编辑|校对|审核)[:：]")
_HEADER_RE = re.compile(r"^(原标题|来源|作者|编辑)[:：]\s*(.*)$")
# The dateline under a title: （2021年7月14日中国共产党…全体会议通过）
_DATELINE_RE = re.compile(r"^[（(](\d{4}年\d{1,2}月\d{1,2}日)(.*)[)）]$")


def looks_like_newspage(text: str) -> bool:
    meta, rest = split_front_matter(text)
    return bool(meta) and "<p" in rest[:5000]


def paragraphs_from_html(html: str) -> list[str]:
    """The text of each <p>, whitespace-trimmed, furniture removed."""
    import lxml.html

    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for bad in root.xpath("//style|//script|//noscript|//iframe"):
        bad.drop_tree()
    paras: list[str] = []
    for p in root.iter("p"):
        text = p.text_content().replace("\r", "")
        text = text.strip(" \t\n\u3000\u00a0")
        if text and not _BOILERPLATE_RE.match(text):
            paras.append(text)
    return paras


def split_header(paras: list[str]) -> tuple[dict[str, str], list[str]]:
    """Take the reprint's header block (原标题 … 来源) off the top of the paragraphs."""
    meta: dict[str, str] = {}
    if not paras or not paras[0].startswith("原标题"):
        return meta, paras
    # The block ends at 来源 when it comes within a few lines; otherwise only the 原标题 line is header.
    end = 1
    for i, para in enumerate(paras[:8]):
        if para.startswith("来源"):
            end = i + 1
            break
    title_parts: list[str] = []
    for para in paras[:end]:
        if m := _HEADER_RE.match(para):
            key, value = m.groups()
            if key == "原标题":
                title_parts.append(value)
            else:
                meta[key] = value
        elif m := _DATELINE_RE.match(para):
            meta["成文日期"] = m.group(1)
            meta["dateline"] = para
        else:
            title_parts.append(para)
    if title_parts:
        meta["原标题"] = " ".join(title_parts)
    return meta, paras[end:]


def read_newspage(text: str) -> SourceText:
    front, body = split_front_matter(text)
    header, paras = split_header(paragraphs_from_html(body))
    meta = {f"front_matter.{k}": v for k, v in front.items() if k in ("title", "date", "author")}
    meta.update(header)
    return SourceText("\n".join(paras) + "\n", meta, "newspage")
