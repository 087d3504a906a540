"""One HTTP GET under firm limits: the only module that imports httpx.

A server is not trusted. Every redirect's target is checked before it is followed (http and https only, a
well-formed URL); one deadline covers connecting, the headers and the body together, however slowly the server
drips them; the body is decoded here, one layer of gzip or deflate at most, and the bytes are counted as they
are decoded, so a small compressed body cannot grow past the size cap in memory.
"""

from __future__ import annotations

import contextlib
import re
import socket
import threading
import time
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

from policydiff.corpora.errors import FetchError

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
SCHEMES = ("http", "https")
# The codings we decode ourselves; "identity" means none. Anything else, or two stacked, is refused.
ENCODINGS: dict[str, int | None] = {"identity": None, "gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16,
                                    "deflate": zlib.MAX_WBITS}  # fmt: skip
DECODE_STEP = 1 << 16  # decoded bytes produced per step: memory stays bounded whatever the ratio
MAX_TIMEOUT_S = 3600.0  # an hour: longer is a typo (or inf), and timers cannot wait forever


@dataclass(frozen=True)
class Download:
    url: str
    final_url: str
    content_type: str
    charset: str | None
    data: bytes
    retrieved: str  # UTC, ISO 8601


class Deadline:
    """Seconds left for the whole download; when they run out, every socket opened for it is shut down.

    httpx's timeouts bound each network operation, so a server sending one header line a second never trips
    them. A timer shutting the sockets down wakes any read blocked on them; the download then fails as a
    timeout. The sockets are found through httpcore's `trace` extension, as each connection is made.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def left(self) -> float:
        return self.ends - time.monotonic()

    def check(self) -> None:
        if self.expired or self.left() <= 0:
            self.expired = True
            raise _Expired

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event != "connection.connect_tcp.complete":
            return
        sock = info["return_value"].get_extra_info("socket")
        if sock is None:
            return
        # A duplicate of the descriptor: shutting it down ends the connection even after TLS has wrapped the
        # original socket object (which detaches it).
        dup = socket.fromfd(sock.fileno(), sock.family, sock.type)
        with self._lock:
            self._sockets.append(dup)
            if self.expired:
                _shut(dup)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


class _Expired(Exception):
    """The deadline passed (raised between reads; a read in progress is ended by the shut socket)."""


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def check_url(url: str, shown: str | None = None) -> str:
    """The URL if it can be fetched (http or https, well formed), else a `FetchError`.

    `shown` is what the message names (the URL the user gave, when checking where a redirect leads).
    """
    import httpx

    name = shown if shown is not None else url
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port out of range raises only when read
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        raise FetchError(f"{name}: not a valid URL ({_reason(exc)})") from None
    if parts.scheme.lower() not in SCHEMES:
        if shown is not None:
            raise FetchError(
                f"{name}: redirected to a {parts.scheme.lower()}: URL; only http:// and https:// URLs can be fetched"
            )
        raise FetchError(f"{name}: only http:// and https:// URLs can be fetched")
    if not parts.hostname:
        raise FetchError(f"{name}: not a valid URL (no host)")
    return url


def _reason(exc: Exception) -> str:
    # Messages from urllib and httpx are short, but may quote the URL: keep them to one printable line.
    text = " ".join(str(exc).split()) or type(exc).__name__
    return "".join(ch if ch.isprintable() else "?" for ch in text)[:120]


def redirect_target(url: str, response: Any, original: str) -> str:
    location = response.headers.get("location", "")
    if not location.strip():
        raise FetchError(f"{original}: HTTP {response.status_code} redirect without a Location")
    try:
        target = urljoin(url, location.strip())
    except ValueError as exc:
        raise FetchError(f"{original}: redirected to a malformed URL ({_reason(exc)})") from None
    try:
        return check_url(target, shown=original)
    except FetchError as exc:
        if "not a valid URL" in str(exc):
            raise FetchError(str(exc).replace("not a valid URL", "redirected to a malformed URL", 1)) from None
        raise


def _mime(response: Any) -> tuple[str, str | None]:
    mime, _, params = response.headers.get("content-type", "").partition(";")
    m = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", params)
    return mime.strip().lower(), (m.group(1) if m else None)


def _decoder(url: str, response: Any) -> Any:
    """A zlib decompressor for the body's one content coding, or None; stacked or unknown codings refused."""
    header = response.headers.get("content-encoding", "")
    codings = [c.strip().lower() for c in header.split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    if len(codings) > 1:
        raise FetchError(f"{url}: stacked content encodings ({', '.join(codings)}) are refused")
    if codings and codings[0] not in ENCODINGS:
        raise FetchError(f"{url}: unsupported content encoding {codings[0]!r}")
    wbits = ENCODINGS[codings[0]] if codings else None
    return None if wbits is None else _Inflater(wbits)


class _Inflater:
    """zlib, a step at a time; `deflate` bodies without the zlib header (a common server bug) are retried raw."""

    def __init__(self, wbits: int) -> None:
        self.wbits = wbits
        self.obj = zlib.decompressobj(wbits)
        self.started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data and not self.obj.eof:
            try:
                out = self.obj.decompress(data, DECODE_STEP)
            except zlib.error:
                if self.started or self.wbits != zlib.MAX_WBITS:
                    raise
                self.wbits = -zlib.MAX_WBITS
                self.obj = zlib.decompressobj(self.wbits)
                continue
            self.started = True
            data = self.obj.unconsumed_tail
            if out:
                yield out


def _body(url: str, response: Any, max_bytes: int, deadline: Deadline) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"{url}: too large ({declared} bytes; the limit is {max_bytes})")
    inflater = _decoder(url, response)
    chunks: list[bytes] = []
    raw = total = 0
    too_large = f"{url}: too large (more than {max_bytes} bytes"
    for chunk in response.iter_raw(DECODE_STEP):
        deadline.check()
        raw += len(chunk)
        if raw > max_bytes:
            raise FetchError(f"{too_large})")
        try:
            pieces = inflater.feed(chunk) if inflater is not None else iter((chunk,))
            for piece in pieces:
                total += len(piece)
                if total > max_bytes:
                    raise FetchError(f"{too_large} once decoded)")
                chunks.append(piece)
        except zlib.error:
            raise FetchError(f"{url}: the compressed body is damaged") from None
    deadline.check()
    if inflater is not None and not inflater.obj.eof:
        raise FetchError(f"{url}: the compressed body is truncated")
    return b"".join(chunks)


def download(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    max_redirects: int,
    content_types: Collection[str],
    headers: dict[str, str],
) -> Download:
    """GET one document of one of `content_types`. Every failure is a `FetchError` naming the URL and why."""
    check_url(url)
    if not 0 < timeout <= MAX_TIMEOUT_S:  # also refuses nan
        raise FetchError(
            f"{url}: the timeout must be more than 0 and at most {MAX_TIMEOUT_S:g} seconds (got {timeout:g})"
        )
    import httpx

    deadline = Deadline(timeout)
    retrieved = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    current = url

    def refuse_bad_redirect(response: httpx.Response) -> None:
        # httpx parses the Location of a redirect before handing the response back, even when it will not
        # follow it; a hook runs first and says what is wrong in our words.
        if response.has_redirect_location:
            redirect_target(str(response.request.url), response, url)

    try:
        with (
            deadline,
            httpx.Client(
                follow_redirects=False,
                headers={**headers, "Accept-Encoding": "gzip, deflate"},
                event_hooks={"response": [refuse_bad_redirect]},
            ) as client,
        ):
            for _hop in range(max_redirects + 1):
                deadline.check()
                request = client.build_request(
                    "GET", current, timeout=httpx.Timeout(max(deadline.left(), 0.01)),
                    extensions={"trace": deadline.trace},
                )  # fmt: skip
                response = client.send(request, stream=True)
                try:
                    if response.status_code in REDIRECT_STATUSES:
                        current = redirect_target(current, response, url)
                        continue
                    if response.status_code >= 300:
                        raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
                    mime, charset = _mime(response)
                    if mime not in content_types:
                        raise FetchError(
                            f"{url}: content type {mime or '(none)'} is not a document "
                            "(expected HTML, plain text, PDF or DOCX)"
                        )
                    data = _body(url, response, max_bytes, deadline)
                    return Download(url, current, mime, charset, data, retrieved)
                finally:
                    response.close()
            raise FetchError(f"{url}: more than {max_redirects} redirects")
    except _Expired:
        raise FetchError(f"{url}: no answer within {timeout:g} s (timeout)") from None
    except httpx.HTTPError as exc:
        if deadline.expired or isinstance(exc, httpx.TimeoutException):
            raise FetchError(f"{url}: no answer within {timeout:g} s (timeout)") from None
        raise FetchError(f"{url}: cannot download ({type(exc).__name__}: {_reason(exc)})") from None
