"""Real files of each format, written by the tests: synthetic policy text in our own words."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAGES = FIXTURES / "pages"
CENTRAL = PAGES / "synthetic-central-policy.html"
HOSTILE = FIXTURES / "hostile"

# A synthetic implementation notice (our own words), with the 一、/（一） structure the segmenter reads.
SYNTHETIC_LINES = [
    "示例市关于推进社区图书角建设的通知（合成测试文本）",
    "各区人民政府，市直各单位：",
    "为推进社区图书角建设，结合本市实际，现就有关事项通知如下。",
    "一、总体要求",
    "（一）工作目标。到2025年，全市社区图书角实现全覆盖，借阅服务便捷高效。",
    "（二）基本原则。坚持政府主导、社会参与，坚持因地制宜、注重实效。",
    "二、主要任务",
    "（三）完善设施布局。结合社区服务中心建设，设置图书角和自助借阅柜。",
    "（四）丰富阅读活动。定期开展亲子共读和读书分享活动，每季度至少一次。",
    "示例市人民政府办公室",
    "2024年6月1日",
]
SYNTHETIC_TEXT = "\n".join(SYNTHETIC_LINES) + "\n"


def write_docx(path: Path, lines: list[str] = SYNTHETIC_LINES, title: str = "") -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    if title:
        document.core_properties.title = title
    document.save(str(path))
    return path


def pdf_bytes(lines: list[str] = SYNTHETIC_LINES, title: str = "", wrap: int = 0) -> bytes:
    """A real text PDF drawn with reportlab's built-in CJK CID font (STSong-Light, not embedded)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    if title:
        c.setTitle(title)
    c.setFont("STSong-Light", 11)
    y = 800
    for line in lines:
        # `wrap` splits long lines the way a page does, to test that sentences are joined again.
        pieces = [line[i : i + wrap] for i in range(0, len(line), wrap)] if wrap else [line]
        for piece in pieces:
            c.drawString(60, y, piece)
            y -= 18
    c.drawString(280, 40, "- 1 -")
    c.showPage()
    c.save()
    return buf.getvalue()


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file under a folder → its sha256 (a folder that does not exist is {})."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def raw_pdf(page_contents: list[bytes], font: bytes = b"", stream_dict: bytes = b"") -> bytes:
    """A PDF written by hand, object by object: one page per content stream. `font` is the page's /F1 font
    object (its descendants follow it as extra objects when given as a list joined by b"\\x00")."""
    fonts = [f for f in font.split(b"\x00") if f]
    n_pages = len(page_contents)
    first_page = 3
    first_content = first_page + n_pages
    first_font = first_content + n_pages
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (first_page + i) for i in range(n_pages))
        + b"] /Count %d >>" % n_pages,
    ]
    resources = b"/Resources << /Font << /F1 %d 0 R >> >>" % first_font if fonts else b""
    for i in range(n_pages):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R %s >>"
            % (first_content + i, resources)
        )
    for content in page_contents:
        objects.append(b"<< /Length %d %s >>\nstream\n" % (len(content), stream_dict) + content + b"\nendstream")
    objects.extend(fonts)
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# A Type0 font with no /ToUnicode map: pdfminer can only say "(cid:N)" for what it draws.
IDENTITY_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /SyntheticCID /Encoding /Identity-H /DescendantFonts [%d 0 R] >>"
    b"\x00<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SyntheticCID "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R >>"
    b"\x00<< /Type /FontDescriptor /FontName /SyntheticCID /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0 "
    b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
)
