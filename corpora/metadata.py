"""What a file says about itself: HTML meta tags and the info-disclosure table of government pages, and how
that (with front matter and document properties) becomes a catalogue data card: title, issuer, date, level.

Government pages open with a table (政府信息公开 / 信息公开目录) of 索引号, 发文机关, 成文日期, 发文字号 and
主题分类; sites lay it out as a <table>, a <ul> of spans or plain "标签：值" lines, so it is read from the page's
text in reading order rather than from one markup shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from policydiff.corpora.textmeta import level_region

# The info-disclosure labels, longest first so 发文机关 is not read as a shorter label.
INFO_LABELS: tuple[str, ...] = (
    "索引号",
    "发文机关",
    "发布机构",
    "成文日期",
    "发布日期",
    "发文字号",
    "主题分类",
    "标题",
    "名称",
)
# Sites space labels out to align a column ("索 引 号", "标　　题"), so whitespace may sit between characters.
_LABEL_RE = re.compile(r"^(" + "|".join(r"\s*".join(label) for label in INFO_LABELS) + r")\s*([:：]?)\s*(.*)$")
# <meta name=…> that carry facts about the document (gov.cn uses the first four on every policy page).
META_NAMES: tuple[str, ...] = (
    "articletitle",
    "pubdate",
    "contentsource",
    "author",
    "keywords",
    "description",
    "og:title",
    "article:published_time",
)
# Site names that pages append to their <title>: "…_中国政府网", "… - 新浪财经".
_TITLE_SUFFIX_RE = re.compile(r"\s*[_|\-—–]+\s*[^_|\-—–]{1,20}$")


def _text(value: str) -> str:
    return " ".join(value.replace("\u3000", " ").replace("\xa0", " ").split())


def html_metadata(html: str) -> dict[str, str]:
    """`html.title`, `meta.<name>` and the info-table labels (索引号 …) found in a page; nothing is executed."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # lxml raises ParserError or ValueError on a document with no elements
        return {}
    meta: dict[str, str] = {}
    titles = root.xpath("//title")
    if titles and _text(titles[0].text_content()):
        meta["html.title"] = _text(titles[0].text_content())
    for tag in root.xpath("//meta[@name or @property]"):
        name = (tag.get("name") or tag.get("property") or "").strip().lower()
        content = _text(tag.get("content") or "")
        if name in META_NAMES and content and f"meta.{name}" not in meta:
            meta[f"meta.{name}"] = content
    for bad in root.xpath("//script|//style|//noscript|//template|//title"):
        bad.drop_tree()
    meta.update(info_table(_text(piece) for piece in root.itertext()))
    return meta


def _labelled(piece: str) -> tuple[str, str] | None:
    """(label, value) of a piece that is a label ("发文机关", "发文机关：") or starts with one and a colon."""
    m = _LABEL_RE.match(piece.strip())
    if m and (m.group(2) or not m.group(3)):
        return re.sub(r"\s+", "", m.group(1)), m.group(3).strip()
    return None


def info_table(pieces: Iterable[str]) -> dict[str, str]:
    """Read "标签：值" pairs from text pieces in reading order; the value may be the next piece (a table cell)."""
    texts = [p for p in pieces if p and p.strip(":： ")]
    found: dict[str, str] = {}
    for i, piece in enumerate(texts):
        m = _labelled(piece) if len(piece) <= 120 else None
        if not m or m[0] in found:
            continue  # the first table is the document's; later ones belong to related links
        label, value = m
        if not value and i + 1 < len(texts) and not _labelled(texts[i + 1]):
            value = texts[i + 1]
        if value and len(value) <= 100:
            found[label] = value
    return found


def text_info_lines(text: str, limit: int = 40) -> tuple[dict[str, str], str]:
    """Take "索引号：…" lines off the top of extracted text; they are metadata, not the document."""
    lines = text.split("\n")
    meta: dict[str, str] = {}
    keep: list[str] = []
    for i, line in enumerate(lines):
        m = _labelled(line) if i < limit else None
        if m and m[1]:
            meta.setdefault(*m)
            continue
        keep.append(line)
    return meta, "\n".join(keep)


# --- from raw metadata to a data card -------------------------------------------------------------------------

_DATE_PATTERNS = (
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"D:(\d{4})(\d{2})(\d{2})"),  # PDF dates
)


def normalise_date(value: str) -> str:
    """Any of 2024年3月1日, 2024-03-01, 2024/3/1, an e-mail date or a PDF date → 2024-03-01; "" if none."""
    value = value.strip()
    for pattern in _DATE_PATTERNS:
        if m := pattern.search(value):
            year, month, day = (int(g) for g in m.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    from email.utils import parsedate_tz

    parsed = parsedate_tz(value)
    if parsed:
        return f"{parsed[0]:04d}-{parsed[1]:02d}-{parsed[2]:02d}"
    if re.fullmatch(r"\d{4}(-\d{2})?", value):
        return value
    return ""


def infer_level_region(issuers: tuple[str, ...]) -> tuple[str, str]:
    """The administrative level and region an issuer's name implies: 中共湖南省委 → (provincial, 湖南).

    The most local marker wins (湖南省长沙市人民政府 is prefectural, 湖南/长沙); ("", "") when the name says nothing.
    """
    return level_region(issuers)


def split_issuers(value: str) -> tuple[str, ...]:
    parts = re.split(r"[\s、，,;；]+", value.strip())
    return tuple(p for p in parts if p)


@dataclass
class CardFields:
    """Catalogue fields a file's own metadata suggests; command-line values override each of them."""

    title: str = ""
    issuer: tuple[str, ...] = ()
    date: str = ""
    level: str = ""
    region: str = ""
    source_url: str = ""
    extra: dict[str, str] = field(default_factory=dict)


# Keys whose values are kept in the catalogue's [document.metadata] table.
_KEEP_EXTRA = (*INFO_LABELS, "原标题", "来源", "dateline", "meta.contentsource", "meta.keywords", "meta.pubdate")


def card_fields(meta: dict[str, str]) -> CardFields:
    """Map a reader's metadata (front matter, HTML meta, info table, document properties) to data-card fields."""

    def first(*keys: str) -> str:
        for k in keys:
            value = _text(meta.get(k, ""))
            if value and value.lower() not in ("untitled", "unspecified", "anonymous"):
                return value
        return ""

    title = first(
        "标题",
        "名称",
        "front_matter.policy_title",
        "原标题",
        "meta.articletitle",
        "front_matter.title",
        "markdown.h1",
        "docx.title",
        "pdf.title",
        "meta.og:title",
        "text.title",
    )
    if not title and (page_title := first("html.title")):
        title = _TITLE_SUFFIX_RE.sub("", page_title) or page_title
    issuer_text = first("发文机关", "front_matter.issuer", "发布机构")
    issuers = split_issuers(issuer_text)
    date = ""
    for k in ("成文日期", "front_matter.date", "发布日期", "meta.pubdate", "meta.article:published_time"):
        if date := normalise_date(meta.get(k, "")):
            break
    level, region = infer_level_region(issuers)
    return CardFields(
        title=title,
        issuer=issuers,
        date=date,
        level=first("front_matter.level") or level,
        region=first("front_matter.region") or region,
        source_url=first("front_matter.source_url", "front_matter.url"),
        extra={k: _text(v) for k, v in sorted(meta.items()) if k in _KEEP_EXTRA and _text(v)},
    )
