"""Hostile and careless inputs to the readers and `corpus add`: each is one clear line (or read correctly), fast,
and leaves the corpus as it was. Big inputs are made here at test time; small ones live in fixtures/hostile/."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from corpora_helpers import (
    HOSTILE,
    IDENTITY_FONT,
    SYNTHETIC_LINES,
    SYNTHETIC_TEXT,
    folder_digest,
    pdf_bytes,
    raw_pdf,
    write_docx,
)

from policydiff.corpora import limits
from policydiff.corpora.catalogue import read_catalogue
from policydiff.corpora.errors import InputError
from policydiff.corpora.readers import read_file

ADD = ["--title", "合成测试", "--level", "other"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _refused(cli, corpus: Path, path: Path, reason: str, *args: str) -> None:  # type: ignore[no-untyped-def]
    before = folder_digest(corpus)
    r = cli("corpus", "add", str(path), "--corpus", str(corpus), *ADD, *args)
    assert (r.code, r.out) == (2, "")
    assert r.err == f"policydiff: error: {path}: {reason}\n"
    assert folder_digest(corpus) == before


# --- 7. nothing to compare ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["。。\n", "（一）\n", "（一）\n（二）\n", "一、\n（一）。\n", "\u3000\u200b\n", "\u200b\u200b\n"]
)
def test_a_document_without_words_is_refused_at_add(corpus: Path, tmp_path: Path, cli, text: str):
    path = _write(tmp_path / "synthetic-hollow.txt", text.encode("utf-8"))
    _refused(cli, corpus, path, "no words to compare: the text holds only punctuation, numbering or blank characters")


def test_validate_reports_a_document_without_words(corpus: Path, cli):
    (corpus / "hollow.txt").write_text("（一）\n（二）。。\n", encoding="utf-8")
    catalogue = corpus / "catalogue.toml"
    catalogue.write_text(
        catalogue.read_text(encoding="utf-8")
        + '\n[[document]]\nid = "hollow"\ntitle = "合成"\nfile = "hollow.txt"\nkind = "full"\nlevel = "other"\n',
        encoding="utf-8",
    )
    r = cli("corpus", "validate", "--corpus", str(corpus))
    assert "hollow: no words to compare: the text holds only punctuation, numbering or blank characters" in r.out


# --- 11. only regular files, size checked before and while reading -----------------------------------------------


def test_a_device_is_refused_before_it_is_read(corpus: Path, cli):
    _refused(cli, corpus, Path("/dev/zero"), "not a regular file (a device)")


def test_a_fifo_is_refused_at_once(tmp_path: Path):
    fifo = tmp_path / "synthetic-notice.txt"
    os.mkfifo(fifo)
    # In a child process: if the FIFO were opened for reading, it would wait for a writer forever.
    code = "import sys; from policydiff.cli.app import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.run(
        [sys.executable, "-c", code, "corpus", "add", str(fifo), "--corpus", str(tmp_path / "c")],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.decode() == f"policydiff: error: {fifo}: not a regular file (a FIFO)\n"
    assert not (tmp_path / "c").exists()


def test_a_file_over_the_size_cap_is_refused_before_reading(corpus: Path, tmp_path: Path, cli):
    big = tmp_path / "synthetic-big.txt"
    with big.open("wb") as fh:  # sparse: no 20 MB written to disk
        fh.truncate(limits.MAX_FILE_BYTES + 1)
    _refused(
        cli, corpus, big, f"file is too large ({limits.MAX_FILE_BYTES + 1} bytes; the limit is {limits.MAX_FILE_BYTES})"
    )


def test_a_file_that_grows_past_the_cap_while_read_is_refused(tmp_path: Path, monkeypatch):
    from policydiff.corpora.readers import base

    path = _write(tmp_path / "synthetic-notice.txt", SYNTHETIC_TEXT.encode() * 40)
    real_stat = os.stat

    def small_stat(p, *args, **kw):  # type: ignore[no-untyped-def]
        st = real_stat(p, *args, **kw)
        return os.stat_result((st.st_mode, *st[1:6], 10, *st[7:]))  # claims 10 bytes when first looked at

    monkeypatch.setattr(base.os, "stat", small_stat)
    with pytest.raises(InputError, match="file is too large \\(more than 1000 bytes"):
        base.read_bytes(path, max_bytes=1000)


# --- 12. DOCX: the XML parsed and the text extracted are capped; the parser is hardened --------------------------


def _docx_with_body(body: bytes) -> bytes:
    """A real DOCX (python-docx) whose word/document.xml is replaced by `body`."""
    buf = io.BytesIO()
    write_docx_path = io.BytesIO()
    import docx

    docx.Document().save(write_docx_path)
    with zipfile.ZipFile(write_docx_path) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            out.writestr(item, body if item.filename == "word/document.xml" else src.read(item.filename))
    return buf.getvalue()


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _paragraphs(n: int, text: str = "（一）合成测试条款。") -> bytes:
    return _body([text] * n)


def _body(texts: list[str]) -> bytes:
    paras = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts).encode()
    return b"<?xml version='1.0' encoding='UTF-8'?><w:document " + _W + b"><w:body>" + paras + b"</w:body></w:document>"


def test_docx_xml_over_the_limit_is_not_parsed(corpus: Path, tmp_path: Path, cli, monkeypatch):
    # Compresses ~30×, under the zip-bomb ratio: only the limit on XML parsed stops it.
    monkeypatch.setattr(limits, "MAX_DOCX_XML_BYTES", 2 * 1024 * 1024)
    body = _body([f"（{i}）合成测试条款第{i}项。" for i in range(40000)])
    path = _write(tmp_path / "synthetic-big.docx", _docx_with_body(body))
    with zipfile.ZipFile(path) as z:  # the body and the document properties are the parts parsed
        parsed = sum(z.getinfo(n).file_size for n in ("word/document.xml", "docProps/core.xml"))
    assert len(body) > limits.MAX_DOCX_XML_BYTES
    _refused(cli, corpus, path, f"DOCX text would unpack to {parsed} bytes of XML (the limit is 2097152); not unpacked")


def test_docx_text_over_the_limit_is_refused(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 5000)
    path = _write(tmp_path / "synthetic-long.docx", _docx_with_body(_paragraphs(1000)))
    with pytest.raises(InputError, match="the text is too long"):
        read_file(path)


def test_docx_with_a_dtd_is_refused(tmp_path: Path):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "haha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b"<w:document " + _W + b"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    path = _write(tmp_path / "synthetic-laughs.docx", _docx_with_body(laughs))
    with pytest.raises(InputError, match=r"DOCX part word/document\.xml declares a DTD; not read"):
        read_file(path)


def test_docx_tables_and_text_boxes_are_read_once(tmp_path: Path):
    cells = "".join(f"<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>" for t in ("指标", "2025"))
    row = f"<w:tr>{cells}</w:tr>"
    fallback = (
        '<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
        "<mc:Choice><w:t>框内</w:t></mc:Choice><mc:Fallback><w:t>框内</w:t></mc:Fallback></mc:AlternateContent>"
        "</w:r><w:r><w:tab/><w:t>后</w:t></w:r></w:p>"
    )
    body = (
        f"<w:document {_W.decode()}><w:body><w:p><w:pPr><w:tabs><w:tab w:val='left' w:pos='1'/></w:tabs></w:pPr>"
        f"<w:r><w:t>一、总体要求</w:t></w:r></w:p><w:tbl>{row}</w:tbl>{fallback}</w:body></w:document>"
    )
    source = read_file(_write(tmp_path / "synthetic-table.docx", _docx_with_body(body.encode())))
    assert source.text == "一、总体要求\n指标 2025\n框内\t后\n"


def test_a_docx_written_by_python_docx_keeps_its_title(tmp_path: Path):
    source = read_file(write_docx(tmp_path / "synthetic.docx", title="示例标题（合成）"))
    assert source.meta == {"docx.title": "示例标题（合成）", "docx.author": "python-docx"}
    assert source.text == SYNTHETIC_TEXT


# --- 16. limits a researcher can see -----------------------------------------------------------------------------


def test_a_text_over_the_character_limit_is_refused(corpus: Path, tmp_path: Path, cli):
    n = limits.MAX_TEXT_CHARS // 10 + 1
    path = _write(tmp_path / "synthetic-long.txt", ("合成测试文字内容九。" * n).encode("utf-8"))
    _refused(cli, corpus, path, f"the text is too long ({n * 10 + 1:,}+ characters; the limit is 600,000)")


def test_a_document_over_the_provision_limit_is_refused(corpus: Path, tmp_path: Path, cli):
    path = _write(tmp_path / "synthetic-many.txt", "合成测试条款。\n".encode() * (limits.MAX_PROVISIONS + 1))
    _refused(cli, corpus, path, "the document has too many provisions (6,001; the limit is 6,000)")
    r = cli("compare", str(path), "central-2021")
    assert r.err == f"policydiff: error: {path}: the document has too many provisions (6,001; the limit is 6,000)\n"


def _flate_bomb(decoded: int) -> bytes:
    c = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    return b"".join(c.compress(chunk) for _ in range(decoded >> 20)) + c.flush()


def test_a_flate_bomb_pdf_is_refused(corpus: Path, tmp_path: Path, cli):
    bomb = _flate_bomb(limits.MAX_PDF_STREAM_BYTES + (8 << 20))
    assert len(bomb) < 200_000
    path = _write(tmp_path / "synthetic-bomb.pdf", raw_pdf([bomb], stream_dict=b"/Filter /FlateDecode"))
    _refused(
        cli,
        corpus,
        path,
        f"PDF streams decode to more than {limits.MAX_PDF_STREAM_BYTES} bytes (a flate bomb?); not read",
    )


@pytest.mark.parametrize("filters", [b"[/FlateDecode /FlateDecode]", b"/FlateDecode /DecodeParms << >>"])
def test_a_stacked_or_corrupted_flate_bomb_is_refused(tmp_path: Path, filters: bytes):
    bomb = _flate_bomb(limits.MAX_PDF_STREAM_BYTES + (8 << 20))
    # Stacked: a bomb inside a bomb. Broken checksum: pdfminer retries byte by byte (decompress_corrupted).
    bomb = zlib.compress(bomb) if filters.startswith(b"[") else bomb[:-4] + b"\0\0\0\0"
    path = _write(tmp_path / "synthetic-bomb.pdf", raw_pdf([bomb], stream_dict=b"/Filter " + filters))
    with pytest.raises(InputError, match="a flate bomb"):
        read_file(path)


def test_a_pdf_over_the_page_limit_is_refused(tmp_path: Path):
    path = _write(tmp_path / "synthetic-pages.pdf", raw_pdf([b""] * (limits.MAX_PDF_PAGES + 1)))
    with pytest.raises(InputError, match="PDF has 501 pages \\(the limit is 500\\)"):
        read_file(path)


# --- 17. what a careless user gives: links, FIFOs, UTF-16, encrypted and undecodable PDFs, misnamed files --------


def test_a_linked_document_is_read_from_its_target(tmp_path: Path, cli):
    real = tmp_path / "texts" / "synthetic-notice.txt"
    real.parent.mkdir()
    real.write_text(SYNTHETIC_TEXT, encoding="utf-8")
    link = tmp_path / "my-notice.txt"
    link.symlink_to(real)
    r = cli("corpus", "show", str(link))
    assert r.code == 0, r.err
    assert "完善设施布局" in r.out
    r = cli("corpus", "add", str(link), "--corpus", str(tmp_path / "c"), "--level", "other")
    assert r.code == 0, r.err
    (entry,) = read_catalogue(tmp_path / "c")
    assert (entry.id, entry.file) == ("my-notice", "my-notice.txt")
    assert (tmp_path / "c" / "my-notice.txt").read_bytes() == real.read_bytes()
    assert not (tmp_path / "c" / "my-notice.txt").is_symlink()


def test_a_dangling_link_says_no_such_file(tmp_path: Path, cli):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    r = cli("corpus", "add", str(link), "--corpus", str(tmp_path / "c"))
    assert r.err == f"policydiff: error: {link}: no such file\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path: Path, codec: str):
    data = SYNTHETIC_TEXT.replace("\n", "\r\n").encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    source = read_file(_write(tmp_path / "synthetic-notice.txt", data))
    assert source.text == SYNTHETIC_TEXT


def _encrypted_pdf(user_password: str) -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, encrypt=StandardEncryption(user_password, ownerPassword="synthetic-owner"))
    c.setFont("STSong-Light", 11)
    for i, line in enumerate(SYNTHETIC_LINES):
        c.drawString(60, 800 - 18 * i, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_a_password_protected_pdf_is_said_to_be_encrypted(corpus: Path, tmp_path: Path, cli):
    path = _write(tmp_path / "synthetic-locked.pdf", _encrypted_pdf("synthetic-secret"))
    _refused(cli, corpus, path, "PDF is encrypted (password-protected); save an unprotected copy")


def test_a_pdf_whose_text_does_not_decode_is_refused(corpus: Path, tmp_path: Path, cli):
    # An empty user password opens the file, but its text comes out as (cid:NNNN) codes.
    path = _write(tmp_path / "synthetic-open.pdf", _encrypted_pdf(""))
    before = folder_digest(corpus)
    r = cli("corpus", "add", str(path), "--corpus", str(corpus), *ADD)
    assert r.code == 2 and r.err.startswith(f"policydiff: error: {path}: the PDF's text did not decode (")
    assert folder_digest(corpus) == before
    font = IDENTITY_FONT % (6, 7)
    path = _write(tmp_path / "synthetic-cid.pdf", raw_pdf([b"BT /F1 12 Tf 72 700 Td <0B160B170B18> Tj ET"], font))
    with pytest.raises(InputError, match=r"did not decode \(3 of 3 characters are \(cid:…\) codes"):
        read_file(path)


def test_a_pdf_named_txt_is_read_as_a_pdf(tmp_path: Path, cli):
    path = _write(tmp_path / "synthetic-notice.txt", pdf_bytes())
    r = cli("corpus", "add", str(path), "--corpus", str(tmp_path / "c"), *ADD)
    assert r.code == 0, r.err
    (entry,) = read_catalogue(tmp_path / "c")
    assert (entry.file, entry.format) == ("synthetic-notice.pdf", "pdf")
    assert cli("corpus", "show", "synthetic-notice", "--corpus", str(tmp_path / "c")).code == 0


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
            "the content is an image (PNG); scanned documents need OCR, which is not supported",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
            "the content is an old Office file (.doc, .xls, .ppt or .wps); save it as .docx",
        ),
        (b"{\\rtf1\\ansi synthetic}", "the content is an RTF file; save it as .docx or .txt"),
        (b"\x1f\x8b\x08\x00" + b"\x00" * 64, "the content is not a document (application/gzip)"),
    ],
    ids=["png", "ole", "rtf", "gzip"],
)
def test_content_that_is_not_a_document_is_named(corpus: Path, tmp_path: Path, cli, data: bytes, reason: str):
    _refused(cli, corpus, _write(tmp_path / "synthetic-notice.txt", data), reason)


def test_a_spreadsheet_named_docx_is_named(tmp_path: Path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(InputError, match=r"the content is a spreadsheet; only \.docx, \.pdf, web pages and text"):
        read_file(_write(tmp_path / "synthetic.docx", buf.getvalue()))


HOSTILE_READINGS = {
    "synthetic-empty.txt": "file is empty",
    "synthetic-noise.txt": "not a text file (binary content)",
    "synthetic-undecodable.txt": "cannot decode text (not UTF-8, GB18030/GBK or Big5)",
    "synthetic-truncated.pdf": "cannot read PDF (damaged or truncated)",
    "synthetic-zip-bomb.docx": "DOCX member word/document.xml would unpack to 41944646 bytes from 41415 (a zip bomb?); "
    "not unpacked",
    "synthetic-entities.docx": "DOCX part word/document.xml declares a DTD; not read",
    "synthetic-cid.pdf": "the PDF's text did not decode (3 of 3 characters are (cid:…) codes: its fonts do not say "
    "which characters they draw); use the document's Word or web version",
    "synthetic-hollow.txt": None,  # read; refused at add (no words)
    "synthetic-utf16.txt": None,
    "synthetic-comments.txt": None,
    "synthetic-gbk.txt": None,
    "synthetic-big5.txt": None,
}


@pytest.mark.parametrize("name", sorted(HOSTILE_READINGS))
def test_each_committed_hostile_fixture_reads_as_expected(name: str):
    path = HOSTILE / name
    expected = HOSTILE_READINGS[name]
    if expected is None:
        assert read_file(path).text.strip()
        return
    with pytest.raises(InputError) as info:
        read_file(path)
    assert str(info.value) == f"{path}: {expected}"


def test_every_hostile_fixture_is_listed():
    assert {p.name for p in HOSTILE.iterdir() if p.suffix != ".md"} == set(HOSTILE_READINGS)


def test_the_committed_utf16_and_hollow_fixtures(corpus: Path, cli):
    assert read_file(HOSTILE / "synthetic-utf16.txt").text == SYNTHETIC_TEXT
    path = HOSTILE / "synthetic-hollow.txt"
    _refused(cli, corpus, path, "no words to compare: the text holds only punctuation, numbering or blank characters")


# --- found while looking for the next breaks: patterns that backtracked for minutes ------------------------------


def test_a_file_opening_with_many_comments_is_read_at_once(tmp_path: Path):
    # The HTML sniffing pattern split 40 comments in exponentially many ways (22 took a second, 40 for ever).
    path = _write(tmp_path / "synthetic-notice.txt", ("<!-- -->" * 200 + "\n" + SYNTHETIC_TEXT).encode("utf-8"))
    assert read_file(path).format == "text"


def test_markdown_with_unclosed_emphasis_and_brackets_is_read_at_once(tmp_path: Path):
    # Each "*" or "[" scanned to the end of the line: 60,000 characters of "*a " took 20 s; now one pass.
    lines = ["*a " * 20000, "[" * 20000 + "]", "[" * 20000 + "合成](" * 20000, "**每季度至少一次**与*强调*", "**a*b**"]
    source = read_file(_write(tmp_path / "synthetic.md", "\n".join(lines).encode("utf-8")))
    out = source.text.split("\n")
    assert out[0] == lines[0].rstrip() and out[1] == lines[1]
    assert out[3:5] == ["每季度至少一次与强调", "a*b"]


def test_a_fifo_or_a_device_given_to_compare_is_named(tmp_path: Path, cli):
    fifo = tmp_path / "synthetic-notice.txt"
    os.mkfifo(fifo)
    r = cli("compare", str(fifo), "central-2021")
    assert (r.code, r.err) == (2, f"policydiff: error: {fifo}: not a regular file (a FIFO)\n")
    r = cli("corpus", "show", "/dev/null")
    assert (r.code, r.err) == (2, "policydiff: error: /dev/null: not a regular file (a device)\n")


def test_a_page_holding_far_more_text_than_the_limit_is_refused_before_extraction(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 2000)
    paragraphs = "".join(f"<p>合成测试条款第{i}项。</p>" for i in range(1000))
    page = f"<html><head><script>{'x' * 50000}</script></head><body>{paragraphs}</body></html>"
    path = _write(tmp_path / "synthetic-page.html", page.encode("utf-8"))
    with pytest.raises(InputError, match=r"the text is too long \(11,890\+ characters; the limit is 2,000\)"):
        read_file(path)


def test_visible_text_of_a_page_leaves_out_markup_scripts_and_styles():
    from policydiff.corpora.readers.html import visible_chars

    assert visible_chars("<p>合成 文字</p><SCRIPT>var x</script ><style>p{}</style>\u3000一") == 5
    assert visible_chars("<script>" * 1000) == 0 and visible_chars("<" * 1000 + "合") == 1001
