"""What every reader returns, and the byte-level checks every reader shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from policydiff.corpora.errors import InputError

# A policy document is tens of kilobytes; a cap keeps a mistaken or hostile file from exhausting memory.
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class SourceText:
    """A reader's output: the document's text in its original script, and the metadata the file carried."""

    text: str
    meta: dict[str, str] = field(default_factory=dict)
    format: str = "text"
    sha256: str = ""  # of the file's bytes, filled in by read_file


class UnreadableContent(Exception):
    """Raised by a reader that cannot find a document in its input; `read_file` names the file."""


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    if path.is_dir():
        raise InputError(path, "is a folder, not a file")
    if size > MAX_FILE_BYTES:
        raise InputError(path, f"file is too large ({size} bytes; the limit is {MAX_FILE_BYTES})")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    if not data.strip():
        raise InputError(path, "file is empty")
    return data


# Names pages declare for encodings whose superset decodes them without loss.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}


def decode(path: Path, data: bytes, declared: str | None = None) -> str:
    """Bytes → text: a declared charset that fits, else UTF-8 (BOM allowed), else GB18030/GBK or Big5 as detected."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text: str | None = None
    if declared:
        name = _SUPERSETS.get(declared.strip().lower(), declared.strip().lower())
        try:
            text = data.decode(name)
        except (LookupError, UnicodeDecodeError):
            text = None  # a page that lies about its charset is decoded as if it had declared nothing
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _detect(path, data)
    if "\x00" in text:
        raise InputError(path, "not a text file (binary content)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(path, "file is empty")
    return text


def _detect(path: Path, data: bytes) -> str:
    if b"\x00" in data:
        raise InputError(path, "not a text file (binary content)")
    from charset_normalizer import from_bytes  # only undecodable-as-UTF-8 files pay for the import

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16"]).best()
    if best is None or best.encoding is None or not _mostly_text(str(best)):
        raise InputError(path, "cannot decode text (not UTF-8, GB18030/GBK or Big5)")
    return str(best)


def _mostly_text(text: str) -> bool:
    if not text:
        return False
    cjk_or_print = sum(1 for ch in text if ch.isprintable() or ch in "\n\t" or "\u4e00" <= ch <= "\u9fff")
    return cjk_or_print / len(text) > 0.95
