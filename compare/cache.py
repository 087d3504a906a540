"""The user cache folder: analysed documents and finished comparisons, keyed by content hashes.

Keys include every input's hash, the settings and the analyser version, so an edited document or a changed
rule gives a new key and a stale entry is never read. Writes are atomic (temp file + rename), so two runs
at once cannot leave a half-written entry.

Nothing in the folder is trusted: an entry is a header line (`policydiff-cache/2 sha256=…`) and its payload,
and it is used only if it is a regular file (never a symlink, a FIFO or a device), of sane size, with the
format version and the checksum of its payload right; callers then check the payload's shape. Anything else
is a miss, and the next store replaces it. A folder that cannot be used (a file, a device, not creatable,
writable by other users) turns the cache off: `Cache.problem` says why, and the run goes on uncached.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from policydiff.corpora.atomic import atomic_write

ENV_VAR = "POLICYDIFF_CACHE_DIR"
FORMAT = b"policydiff-cache/2"
MAX_ENTRY_BYTES = 256 << 20  # far above any real entry; a bigger file is not ours
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def cache_dir() -> Path:
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("policydiff", appauthor=False))


def key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def engine_sources() -> list[Path]:
    """The files whose text is the engine: the segmenter and document model (corpora) shape every unit, and
    the codebooks, their examples included, feed the evidence's instrument changes; the rule data proper is
    hashed by the rule set."""
    root = Path(__file__).resolve().parent.parent
    return sorted(
        [
            *(root / "compare").glob("*.py"),
            *(root / "rules").glob("*.py"),
            *(root / "rules" / "data" / "codebooks").glob("*.toml"),
            *(root / "rules" / "data" / "codebooks").glob("*.csv"),
            *(root / "corpora").glob("*.py"),
        ],
        key=lambda p: p.relative_to(root).as_posix(),
    )


@functools.lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """A hash of the engine's own code and data: after an upgrade or a developer's edit, old results are never
    read. Taken once per process, which runs the code it imported whatever is edited later (a study asks for
    it with every pair: reading the sources each time cost its coordinating process 0.8 s in 256 pairs)."""
    return key(*(p.read_text(encoding="utf-8") for p in engine_sources()))[:16]


def seal(payload: bytes) -> bytes:
    """An entry's bytes: the format line with the payload's checksum, then the payload."""
    return FORMAT + b" sha256=" + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def unseal(data: bytes) -> bytes | None:
    """The payload of an entry, or None if its format or checksum is wrong."""
    head, sep, payload = data.partition(b"\n")
    fmt, _, checksum = head.partition(b" sha256=")
    if not sep or fmt != FORMAT or checksum != hashlib.sha256(payload).hexdigest().encode():
        return None
    return payload


class Cache:
    """A folder of entries; `enabled=False` makes every lookup a miss and every store a no-op.

    Creating one touches nothing; `Cache.open()` (what the command line uses) also checks the folder and says
    in `problem` why it cannot be used.
    """

    def __init__(self, root: Path | None = None, enabled: bool = True) -> None:
        self.root = root if root is not None else cache_dir()
        self.enabled = enabled
        self.problem: str | None = None

    @classmethod
    def open(cls, root: Path | None = None, enabled: bool = True) -> Cache:
        """A cache whose folder has been checked: if it cannot be used, disabled, with `problem` saying why."""
        cache = cls(root, enabled)
        if enabled:
            cache.problem = _unusable(cache.root)
            cache.enabled = cache.problem is None
        return cache

    def folder(self, kind: str) -> Path | None:
        """A subfolder for a helper's own files (jieba's dictionary cache), or None when the cache is off."""
        if not self.enabled:
            return None
        path = self.root / kind
        try:
            path.mkdir(parents=True, exist_ok=True)
            if not stat.S_ISDIR(path.lstat().st_mode):
                return None
        except OSError:
            return None
        return path

    def get_json(self, kind: str, k: str, valid: Callable[[Any], bool] | None = None) -> Any | None:
        payload = self._read(kind, f"{k}.json")
        if payload is None:
            return None
        try:
            value = json.loads(payload.decode("utf-8"))
        except ValueError:
            return None
        return value if valid is None or valid(value) else None

    def put_json(self, kind: str, k: str, value: Any) -> None:
        self._write(kind, f"{k}.json", json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def get_pickle(self, kind: str, k: str, valid: Callable[[Any], bool] | None = None) -> Any | None:
        # Only entries this user's own runs wrote get here (a checksum, a folder only they can write); a
        # damaged one is a miss, never an error.
        payload = self._read(kind, f"{k}.pickle")
        if payload is None:
            return None
        try:
            value = pickle.loads(payload)
        except Exception:
            return None
        return value if valid is None or valid(value) else None

    def put_pickle(self, kind: str, k: str, value: Any) -> None:
        self._write(kind, f"{k}.pickle", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def _read(self, kind: str, name: str) -> bytes | None:
        if not self.enabled:
            return None
        try:
            data = _read_entry(self.root, kind, name)
        except OSError:  # missing, a symlink (ELOOP), a folder, unreadable: a miss
            return None
        return unseal(data) if data is not None else None

    def _write(self, kind: str, name: str, payload: bytes) -> None:
        if self.enabled:
            # A read-only or full cache folder slows runs down but must not fail them.
            with contextlib.suppress(OSError):
                _write_entry(self.root, kind, name, seal(payload))


# Where the platform allows it (POSIX), entries are opened relative to their folder's descriptor, so no
# symlink anywhere below the root is followed, even one swapped in while we look.
_AT = os.open in os.supports_dir_fd and bool(_NOFOLLOW)


def _read_entry(root: Path, kind: str, name: str) -> bytes | None:
    if _AT:
        with _open_folder(root, kind, create=False) as folder:
            fd = os.open(name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK, dir_fd=folder)
    else:
        path = root / kind / name
        if not stat.S_ISDIR((root / kind).lstat().st_mode) or not stat.S_ISREG(path.lstat().st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            return None
        return fh.read(MAX_ENTRY_BYTES + 1)


def _write_entry(root: Path, kind: str, name: str, data: bytes) -> None:
    if not _AT:
        folder_path = root / kind
        folder_path.mkdir(mode=0o700, exist_ok=True)
        if stat.S_ISDIR(folder_path.lstat().st_mode):
            atomic_write(folder_path / name, data, durable=False)
        return
    with _open_folder(root, kind, create=True) as folder:
        tmp = f".{name}.{secrets.token_hex(6)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            # A rename replaces the name itself: a symlink or FIFO planted there is replaced, never followed.
            os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp, dir_fd=folder)
            raise


class _open_folder:
    """The descriptor of ROOT/KIND, opened without following a symlink at KIND (the root may be one)."""

    def __init__(self, root: Path, kind: str, create: bool) -> None:
        self.root, self.kind, self.create = root, kind, create
        self.fds: list[int] = []

    def __enter__(self) -> int:
        try:
            root = os.open(self.root, os.O_RDONLY | _DIRECTORY)
            self.fds.append(root)
            _check_owned(root)
            if self.create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(self.kind, 0o700, dir_fd=root)
            folder = os.open(self.kind, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=root)
            self.fds.append(folder)
            _check_owned(folder)
        except BaseException:
            self.__exit__()
            raise
        return folder

    def __exit__(self, *exc: object) -> None:
        for fd in self.fds:
            os.close(fd)


def _check_owned(fd: int) -> None:
    """Entries hold pickled results: only a folder that no other user can write may hold entries we load."""
    info = os.fstat(fd)
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & stat.S_IWOTH):
        raise PermissionError(f"cache folder writable by other users (fd {fd})")


def _unusable(root: Path) -> str | None:
    """Why the cache folder cannot be used, or None. Creates it (only for its owner) if missing."""
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError:
        return f"cache folder {root} is not a folder"
    except OSError as exc:
        return f"cannot create the cache folder {root} ({exc.strerror or exc})"
    try:
        info = root.stat()
    except OSError as exc:
        return f"cannot use the cache folder {root} ({exc.strerror or exc})"
    if not stat.S_ISDIR(info.st_mode):
        return f"cache folder {root} is not a folder"
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & stat.S_IWOTH):
        # Entries hold pickled results: a folder others can write is not one whose entries we may load.
        return f"cache folder {root} is writable by other users"
    probe = root / f".probe.{secrets.token_hex(6)}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return f"cannot write to the cache folder {root} ({exc.strerror or exc})"
    return None
