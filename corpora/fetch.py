"""Fetching a document from the web into a corpus: download with httpx under firm limits, keep the original
bytes next to the extracted text, and record where and when it came from.

Limits (enforced in download.py): one deadline for the whole download, a size cap (checked against
Content-Length and while decoding), a few redirects to http(s) URLs only, and only document content types
(HTML, plain text, PDF, DOCX). The page is parsed as data; nothing in it is run and nothing it links to is
fetched.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from policydiff.corpora.catalogue import Catalogue
from policydiff.corpora.download import Download, check_url
from policydiff.corpora.download import download as http_get
from policydiff.corpora.errors import FetchError, InputError
from policydiff.corpora.manage import (
    AddResult,
    NewDocument,
    check_id,
    check_new_id,
    entry_for,
    id_from_name,
    segment_new,
    store,
    target_corpus,
)
from policydiff.corpora.readers import read_file
from policydiff.corpora.readers.base import MAX_FILE_BYTES
from policydiff.corpora.version import package_version

DEFAULT_TIMEOUT_S = 20.0
MAX_REDIRECTS = 5
MAX_DOWNLOAD_BYTES = MAX_FILE_BYTES
# Content types that can hold a policy document, and the extension the original is stored under.
CONTENT_TYPES: dict[str, str] = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


def _user_agent() -> str:
    return f"policydiff/{package_version()} (policy research; +https://pypi.org/project/policydiff/)"


def download(
    url: str,
    timeout: float = DEFAULT_TIMEOUT_S,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    max_redirects: int = MAX_REDIRECTS,
) -> Download:
    """GET one document. Every failure is a `FetchError` naming the URL and what went wrong."""
    return http_get(
        url,
        timeout=timeout,
        max_bytes=max_bytes,
        max_redirects=max_redirects,
        content_types=CONTENT_TYPES,
        headers={"User-Agent": _user_agent(), "Accept": ", ".join(CONTENT_TYPES)},
    )


def id_from_url(url: str) -> str:
    """…/content/2024-03/01/content_5601.htm → content_5601; the host (www-example-cn) when the path has no name."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if segments and (doc_id := id_from_name(segments[-1])):
        return doc_id
    return id_from_name((parts.hostname or "").replace(".", "-"))


def fetch_document(
    url: str,
    fields: NewDocument | None = None,
    corpus_dirs: Sequence[Path] = (),
    timeout: float = DEFAULT_TIMEOUT_S,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
) -> AddResult:
    """Download URL into a corpus: the original as `<id>.html|.pdf|.docx`, the extracted text as `<id>.txt`."""
    check_url(url)  # before anything else: the id is made from it
    fields = fields or NewDocument()
    corpus = target_corpus(corpus_dirs)
    doc_id = fields.id.strip() or id_from_url(url)
    if not doc_id:
        raise FetchError(f"{url}: cannot make an id from the URL; give --id")
    check_id(doc_id)
    check_new_id(doc_id, corpus, corpus_dirs)  # before the download: no network for a doomed add
    got = download(url, timeout=timeout, max_bytes=max_bytes)
    ext = CONTENT_TYPES[got.content_type]
    original = f"{doc_id}.source.txt" if ext == ".txt" else f"{doc_id}{ext}"
    with tempfile.TemporaryDirectory(prefix="policydiff-fetch-") as tmp:
        path = Path(tmp) / original
        path.write_bytes(got.data)
        try:
            source = read_file(path, charset=got.charset)
        except InputError as exc:
            raise FetchError(f"{url}: {exc.reason}") from None
    text = source.text.encode("utf-8")
    fields = replace(fields, source_url=fields.source_url or url)
    # As `corpus add` does: a title the text says it implements becomes the id of a catalogued document.
    known = Catalogue.default([*corpus_dirs, corpus]).entries
    entry = entry_for(source, original, fields, doc_id, f"{doc_id}.txt", url, known)
    extra = dict(entry.extra)
    extra.pop("added_from", None)
    extra["content_type"] = got.content_type
    if got.final_url != url:
        extra["final_url"] = got.final_url
    entry = replace(
        entry,
        format="text",
        sha256=hashlib.sha256(text).hexdigest(),
        original=original,
        original_sha256=source.sha256,
        retrieved=got.retrieved,
        extra=tuple(sorted(extra.items())),
    )
    document = segment_new(entry, replace(source, sha256=entry.sha256))
    created = store(corpus, entry, {entry.file: text, original: got.data}, corpus_dirs)
    return AddResult(entry, document, corpus, created)
