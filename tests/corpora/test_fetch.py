"""`policydiff corpus fetch URL` against a real HTTP server on 127.0.0.1 serving synthetic pages."""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from corpora_helpers import PAGES, folder_digest, pdf_bytes

from policydiff.corpora.catalogue import read_catalogue
from policydiff.corpora.errors import FetchError
from policydiff.corpora.fetch import download, id_from_url
from policydiff.corpora.manage import validate_corpora

RELEASE = threading.Event()  # lets the slow handler go when the test is over


def _routes() -> dict[str, tuple[int, dict[str, str], bytes]]:
    html = {"Content-Type": "text/html; charset=utf-8"}

    def page(name: str) -> bytes:
        return (PAGES / name).read_bytes()

    return {
        "/zhengce/content/2024-03/content_0001.htm": (200, html, page("synthetic-central-policy.html")),
        # Served as many provincial sites do: GB-encoded, the charset only in the page's <meta>.
        "/xxgk/t20240520_0002.html": (200, {"Content-Type": "text/html"}, page("synthetic-province-disclosure.html")),
        "/news/2024-05-22/synthetic-reprint.shtml": (200, html, page("synthetic-news-reprint.html")),
        "/nav.html": (200, html, page("synthetic-no-main-text.html")),
        "/files/synthetic-notice.pdf": (200, {"Content-Type": "application/pdf"}, pdf_bytes()),
        "/picture.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
        "/moved": (302, {"Location": "/zhengce/content/2024-03/content_0001.htm"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        # Redirects to what is not a web page: every hop's target is checked before it is followed.
        "/to-javascript": (302, {"Location": "javascript:alert(1)"}, b""),
        "/to-data": (302, {"Location": "data:text/html,<h1>x</h1>"}, b""),
        "/to-file": (301, {"Location": "file:///etc/passwd"}, b""),
        "/to-ftp": (307, {"Location": "ftp://127.0.0.1/notice.txt"}, b""),
        "/hop-then-file": (302, {"Location": "/to-file"}, b""),
        "/to-malformed": (302, {"Location": "http://[::1"}, b""),
        "/to-bad-port": (302, {"Location": "http://127.0.0.1:99999/"}, b""),
        "/to-nowhere": (302, {}, b""),
        # Compressed bodies: one layer of gzip or deflate is decoded, counted as it is decoded.
        "/gzip": (200, {**html, "Content-Encoding": "gzip"}, gzip.compress(page("synthetic-central-policy.html"))),
        "/deflate-raw": (
            200,
            {**html, "Content-Encoding": "deflate"},
            _raw_deflate(page("synthetic-central-policy.html")),
        ),
        "/gzip-gzip": (
            200,
            {**html, "Content-Encoding": "gzip, gzip"},
            gzip.compress(gzip.compress(b"\0" * (1 << 20))),
        ),
        "/gzip-bomb": (200, {**html, "Content-Encoding": "gzip"}, BOMB),
        "/gzip-damaged": (200, {**html, "Content-Encoding": "gzip"}, b"\x1f\x8b\x08\x00" + b"\xff" * 64),
        "/gzip-truncated": (
            200,
            {**html, "Content-Encoding": "gzip"},
            gzip.compress(page("synthetic-central-policy.html"))[:-40],
        ),
        "/brotli": (200, {**html, "Content-Encoding": "br"}, b"\x0b\x01\x80hello\x03"),
    }


def _raw_deflate(data: bytes) -> bytes:
    # Some servers send `deflate` without the zlib header (a raw stream); browsers read it, so do we.
    obj = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return obj.compress(data) + obj.flush()


BOMB_SIZE = 64 << 20  # what the bomb decodes to: 64 MB of zeros from 64 KB
BOMB = gzip.compress(b"\0" * BOMB_SIZE, compresslevel=9)


def _drip(handler: BaseHTTPRequestHandler, head: bytes, line: Callable[[int], bytes]) -> None:
    """Send `head`, then one `line(i)` every 0.2 s for up to 20 s: each read succeeds, the whole never ends."""
    try:
        handler.wfile.write(head)
        handler.wfile.flush()
        for i in range(100):
            if RELEASE.wait(0.2):
                return
            handler.wfile.write(line(i))
            handler.wfile.flush()
    except OSError:  # the client hung up: what the test wants
        return


RAW: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {
    "/drip-headers": lambda h: _drip(
        h, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n", lambda i: b"X-Pad-%d: .\r\n" % i
    ),
    "/drip-body": lambda h: _drip(
        h, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n<html>", lambda i: b" "
    ),
}


class Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}

    def do_GET(self) -> None:
        if self.path == "/slow":
            RELEASE.wait(10)  # longer than the client's timeout; released at teardown
            self.send_error(503)
            return
        if self.path in RAW:
            self.close_connection = True
            RAW[self.path](self)
            return
        if self.path not in self.routes:
            self.send_error(404, "Not Found")
            return
        status, headers, body = self.routes[self.path]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    Handler.routes = _routes()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    RELEASE.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_fetch_central_policy_page_stores_original_text_url_and_time(server: str, tmp_path: Path, cli):
    url = f"{server}/zhengce/content/2024-03/content_0001.htm"
    folder = tmp_path / "fetched"
    r = cli("corpus", "fetch", url, "--corpus", str(folder))
    assert r.code == 0, r.err
    assert r.out.splitlines()[0] == f"added content_0001 to {folder} (a new corpus)"
    (entry,) = read_catalogue(folder)
    assert entry.title == "国务院办公厅关于推进城乡社区公共阅读空间建设的指导意见（合成测试文本）"
    assert (entry.level, entry.date, entry.source_url) == ("central", "2024-03-01", url)
    assert entry.retrieved.endswith("Z") and entry.retrieved[:2] == "20"
    # The original bytes, exactly as served, next to the extracted text.
    served = (PAGES / "synthetic-central-policy.html").read_bytes()
    assert (folder / entry.original).read_bytes() == served
    assert entry.original == "content_0001.html" and entry.original_sha256 == hashlib.sha256(served).hexdigest()
    text = (folder / entry.file).read_text(encoding="utf-8")
    assert entry.file == "content_0001.txt" and "（三）优化空间布局。" in text and "首页" not in text
    assert dict(entry.extra)["发文字号"] == "示办发〔2024〕1号"
    assert validate_corpora([folder], include_bundled=False).ok


def test_fetch_gb2312_disclosure_page_and_news_reprint(server: str, tmp_path: Path, cli):
    folder = tmp_path / "c"
    assert (
        cli("corpus", "fetch", f"{server}/xxgk/t20240520_0002.html", "--id", "prov", "--corpus", str(folder)).code == 0
    )
    r = cli("corpus", "fetch", f"{server}/news/2024-05-22/synthetic-reprint.shtml", "--level", "provincial",
            "--corpus", str(folder))  # fmt: skip
    assert r.code == 0, r.err
    prov, reprint = read_catalogue(folder)
    assert (prov.level, prov.region, dict(prov.extra)["索引号"]) == ("provincial", "示例", "000000000/2024-00002")
    assert "（五）推动数字化建设。" in (folder / prov.file).read_text(encoding="utf-8")
    assert reprint.id == "synthetic-reprint" and dict(reprint.extra)["来源"] == "示例日报"
    assert reprint.title == prov.title  # 原标题 of the reprint is the province's title


def test_fetch_links_what_the_page_implements_to_a_catalogued_document(server: str, tmp_path: Path, cli):
    folder = tmp_path / "linked"
    central = f"{server}/zhengce/content/2024-03/content_0001.htm"
    assert cli("corpus", "fetch", central, "--corpus", str(folder)).code == 0
    province = f"{server}/xxgk/t20240520_0002.html"
    assert cli("corpus", "fetch", province, "--id", "prov", "--corpus", str(folder)).code == 0
    by_id = {e.id: e for e in read_catalogue(folder)}
    assert by_id["prov"].implements == ("content_0001",)  # the page's 贯彻落实《…》, as `corpus add` links it


def test_fetch_follows_a_redirect_and_records_where_it_ended(server: str, tmp_path: Path, cli):
    r = cli("corpus", "fetch", f"{server}/moved", "--id", "moved", "--corpus", str(tmp_path / "c"))
    assert r.code == 0, r.err
    (entry,) = read_catalogue(tmp_path / "c")
    assert entry.source_url == f"{server}/moved"
    assert dict(entry.extra)["final_url"] == f"{server}/zhengce/content/2024-03/content_0001.htm"


def test_fetch_a_pdf(server: str, tmp_path: Path, cli):
    r = cli("corpus", "fetch", f"{server}/files/synthetic-notice.pdf", "--title", "示例通知（合成）",
            "--level", "prefectural", "--corpus", str(tmp_path / "c"))  # fmt: skip
    assert r.code == 0, r.err
    (entry,) = read_catalogue(tmp_path / "c")
    assert (
        entry.original == "synthetic-notice.pdf" and entry.level == "prefectural"
    )  # 示例市人民政府办公室? no: sign-off
    assert "（四）丰富阅读活动。" in (tmp_path / "c" / entry.file).read_text(encoding="utf-8")


NO_TEXT = "{url}: no main text found in the page (only navigation or links)"
NOT_A_DOCUMENT = "{url}: content type image/png is not a document (expected HTML, plain text, PDF or DOCX)"
NO_LEVEL = "{url}: missing required level: the file does not say; give --level"
DUPLICATE = "document id 'existing' already exists (in {folder}); choose another --id"


@pytest.mark.parametrize(
    ("path", "args", "message"),
    [
        ("/missing.html", [], "{url}: HTTP 404 Not Found"),
        ("/slow", ["--timeout", "0.5"], "{url}: no answer within 0.5 s (timeout)"),
        ("/picture.png", [], NOT_A_DOCUMENT),
        ("/loop", [], "{url}: more than 5 redirects"),
        ("/nav.html", ["--level", "other"], NO_TEXT),
        # 示例市 is no city the divisions list knows, and a 市 may be prefectural or county-level: no guess.
        ("/files/synthetic-notice.pdf", ["--title", "示例通知（合成）"], NO_LEVEL),
        ("/zhengce/content/2024-03/content_0001.htm", ["--id", "existing"], DUPLICATE),
    ],
    ids=["404", "timeout", "content-type", "redirect-loop", "no-main-text", "missing-field", "duplicate-id"],
)
def test_fetch_failures_say_why_and_leave_the_corpus_untouched(server: str, tmp_path: Path, cli, path, args, message):
    folder = tmp_path / "c"
    assert (
        cli("corpus", "fetch", f"{server}/xxgk/t20240520_0002.html", "--id", "existing", "--corpus", str(folder)).code
        == 0
    )
    before = folder_digest(folder)
    url = f"{server}{path}"
    r = cli("corpus", "fetch", url, "--corpus", str(folder), *args)
    assert (r.code, r.err, r.out) == (2, f"policydiff: error: {message.format(url=url, folder=folder)}\n", "")
    assert folder_digest(folder) == before


def test_fetch_refuses_other_schemes_and_oversized_bodies(server: str):
    with pytest.raises(FetchError, match=r"^file:///etc/passwd: only http:// and https:// URLs can be fetched$"):
        download("file:///etc/passwd")
    url = f"{server}/zhengce/content/2024-03/content_0001.htm"
    with pytest.raises(FetchError, match=r"too large \(\d+ bytes; the limit is 1000\)$"):
        download(url, max_bytes=1000)


def test_ids_from_urls():
    assert id_from_url("https://www.example.gov.cn/zhengce/content/2024-03/01/content_5601.htm") == "content_5601"
    assert id_from_url("https://www.example.gov.cn/") == "www-example-gov-cn"


REFUSED_SCHEME = "{url}: redirected to a {scheme}: URL; only http:// and https:// URLs can be fetched"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/to-javascript", REFUSED_SCHEME.replace("{scheme}", "javascript")),
        ("/to-data", REFUSED_SCHEME.replace("{scheme}", "data")),
        ("/to-file", REFUSED_SCHEME.replace("{scheme}", "file")),
        ("/to-ftp", REFUSED_SCHEME.replace("{scheme}", "ftp")),
        ("/hop-then-file", REFUSED_SCHEME.replace("{scheme}", "file")),  # checked at every hop, not only the first
        ("/to-malformed", "{url}: redirected to a malformed URL (Invalid IPv6 URL)"),
        ("/to-bad-port", "{url}: redirected to a malformed URL (Port out of range 0-65535)"),
        ("/to-nowhere", "{url}: HTTP 302 redirect without a Location"),
        ("/gzip-gzip", "{url}: stacked content encodings (gzip, gzip) are refused"),
        ("/brotli", "{url}: unsupported content encoding 'br'"),
        ("/gzip-damaged", "{url}: the compressed body is damaged"),
        ("/gzip-truncated", "{url}: the compressed body is truncated"),
        ("/gzip-bomb", "{url}: too large (more than 20971520 bytes once decoded)"),
    ],
    ids=lambda v: v if v.startswith("/") else "",
)
def test_hostile_redirects_and_encodings_are_one_line_each(server: str, tmp_path: Path, cli, path, message):
    folder = tmp_path / "c"
    url = f"{server}{path}"
    r = cli("corpus", "fetch", url, "--level", "other", "--corpus", str(folder))
    assert (r.code, r.err, r.out) == (2, f"policydiff: error: {message.format(url=url)}\n", "")
    assert folder_digest(folder) == {}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[::1", "http://[::1: not a valid URL (Invalid IPv6 URL)"),
        ("http://127.0.0.1:99999/x", "http://127.0.0.1:99999/x: not a valid URL (Port out of range 0-65535)"),
        ("https:///no-host", "https:///no-host: not a valid URL (no host)"),
        ("javascript:alert(1)", "javascript:alert(1): only http:// and https:// URLs can be fetched"),
        ("data:text/html,x", "data:text/html,x: only http:// and https:// URLs can be fetched"),
    ],
)
def test_malformed_or_foreign_urls_are_one_line(tmp_path: Path, cli, url: str, message: str):
    r = cli("corpus", "fetch", url, "--corpus", str(tmp_path / "c"))
    assert (r.code, r.err, r.out) == (2, f"policydiff: error: {message}\n", "")


def test_compressed_pages_are_decoded(server: str, tmp_path: Path, cli):
    folder = tmp_path / "c"
    for path, doc_id in (("/gzip", "gz"), ("/deflate-raw", "raw")):
        r = cli("corpus", "fetch", f"{server}{path}", "--id", doc_id, "--corpus", str(folder))
        assert r.code == 0, r.err
    served = (PAGES / "synthetic-central-policy.html").read_bytes()
    assert (folder / "gz.html").read_bytes() == served and (folder / "raw.html").read_bytes() == served


def test_a_compression_bomb_is_stopped_at_the_cap_without_being_decoded_whole(server: str):
    # The old way (httpx decoding each received chunk whole) held the whole 64 MB at once.
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match=r"too large \(more than 1000000 bytes once decoded\)$"):
            download(f"{server}/gzip-bomb", max_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000, peak


@pytest.mark.parametrize("path", ["/drip-headers", "/drip-body"])
def test_the_timeout_is_one_deadline_for_headers_and_body(server: str, path: str):
    # The server answers every read within 0.2 s and would go on for 20 s; a deadline of 1 s ends it.
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"no answer within 1 s \(timeout\)$"):
        download(f"{server}{path}", timeout=1.0)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("timeout", ["inf", "1e308"])
def test_an_endless_timeout_is_one_line(server: str, tmp_path: Path, cli, timeout: str):
    url = f"{server}/zhengce/content/2024-03/content_0001.htm"
    r = cli("corpus", "fetch", url, "--timeout", timeout, "--corpus", str(tmp_path / "c"))
    shown = f"{float(timeout):g}"
    message = f"{url}: the timeout must be more than 0 and at most 3600 seconds (got {shown})"
    assert (r.code, r.err, r.out) == (2, f"policydiff: error: {message}\n", "")
