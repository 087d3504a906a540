"""What every reader returns, and the byte-level checks every reader shares."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from policydiff.corpora import limits
from policydiff.corpora.errors import InputError

# Re-exported: fetch caps its downloads at the same size.
MAX_FILE_BYTES = limits.MAX_FILE_BYTES


@dataclass(frozen=True)
class SourceText:
    """A reader's output: the document's text in its original script, and the metadata the file carried."""

    text: str
    meta: dict[str, str] = field(default_factory=dict)
    format: str = "text"
    sha256: str = ""  # of the file's bytes, filled in by read_file


class UnreadableContent(Exception):
    """Raised by a reader that cannot find a document in its input; `read_file` names the file."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "not a regular file (a FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "not a regular file (a device)"
    if stat.S_ISSOCK(mode):
        return "not a regular file (a socket)"
    return "not a regular file"


def _too_large(path: Path, size: object) -> InputError:
    return InputError(path, f"file is too large ({size} bytes; the limit is {limits.MAX_FILE_BYTES})")


def read_bytes(path: Path, *, follow_symlinks: bool = True, max_bytes: int = limits.MAX_FILE_BYTES) -> bytes:
    """A regular file's bytes, at most `max_bytes`: devices, FIFOs and sockets are refused before they are opened
    (a FIFO would block, /dev/zero never ends), and the size is checked before reading and while reading."""
    try:
        st = os.stat(path, follow_symlinks=follow_symlinks)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(path, "is a symbolic link" if stat.S_ISLNK(st.st_mode) else _kind(st.st_mode))
    if st.st_size > max_bytes:
        raise _too_large(path, st.st_size)
    # O_NONBLOCK: if the path was swapped for a FIFO since the stat, opening it must not wait for a writer.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fh.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(path, _kind(mode))
        try:
            data = fh.read(max_bytes + 1)  # a file that grows while it is read stops at the cap
        except OSError as exc:
            raise InputError(path, f"cannot read file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise _too_large(path, f"more than {max_bytes}")
    if not data.strip():
        raise InputError(path, "file is empty")
    return data


# Names pages declare for encodings whose superset decodes them without loss.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}


def decode(path: Path, data: bytes, declared: str | None = None) -> str:
    """Bytes → text: a declared charset that fits, else UTF-8 (BOM allowed), else GB18030/GBK or Big5 as detected."""
    text: str | None = _from_bom(data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if declared and text is None:
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


# Byte order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _from_bom(data: bytes) -> str | None:
    """Text a UTF-16/32 byte order mark announces (Windows Notepad saves "Unicode" this way); None without one."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError:
                return None
    return None


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
