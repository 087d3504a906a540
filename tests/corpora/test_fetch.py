"""`policydiff corpus fetch URL` against a real HTTP server on 127.0.0.1 serving synthetic pages."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
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
    }


class Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}

    def do_GET(self) -> None:
        if self.path == "/slow":
            RELEASE.wait(10)  # longer than the client's timeout; released at teardown
            self.send_error(503)
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
