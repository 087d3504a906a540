"""The user cache folder: analysed documents and finished comparisons, keyed by content hashes.

Keys include every input's hash, the settings and the analyser version, so an edited document or a changed
rule gives a new key and a stale entry is never read. Writes are atomic (temp file + rename), so two runs
at once cannot leave a half-written entry.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
from pathlib import Path
from typing import Any

from policydiff.corpora.atomic import atomic_write

ENV_VAR = "POLICYDIFF_CACHE_DIR"


def cache_dir() -> Path:
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("policydiff", appauthor=False))


def key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    """A hash of the engine's own code: after an upgrade or a developer's edit, old results are never read."""
    here = Path(__file__).resolve().parent
    sources = sorted([*here.glob("*.py"), *(here.parent / "rules").glob("*.py")], key=lambda p: p.name)
    return key(*(p.read_text(encoding="utf-8") for p in sources))[:16]


class Cache:
    """A folder of entries; `enabled=False` makes every lookup a miss and every store a no-op."""

    def __init__(self, root: Path | None = None, enabled: bool = True) -> None:
        self.root = root if root is not None else cache_dir()
        self.enabled = enabled

    def _path(self, kind: str, k: str, ext: str) -> Path:
        return self.root / kind / f"{k}.{ext}"

    def get_json(self, kind: str, k: str) -> Any | None:
        if not self.enabled:
            return None
        try:
            return json.loads(self._path(kind, k, "json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put_json(self, kind: str, k: str, value: Any) -> None:
        if self.enabled:
            self._store(self._path(kind, k, "json"), json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def get_pickle(self, kind: str, k: str) -> Any | None:
        # Only entries this user's own runs wrote live here; a damaged one is a miss, never an error.
        if not self.enabled:
            return None
        try:
            return pickle.loads(self._path(kind, k, "pickle").read_bytes())
        except Exception:
            return None

    def put_pickle(self, kind: str, k: str, value: Any) -> None:
        if self.enabled:
            self._store(self._path(kind, k, "pickle"), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    @staticmethod
    def _store(path: Path, data: bytes) -> None:
        # A read-only or full cache folder slows runs down but must not fail them.
        with contextlib.suppress(OSError):
            atomic_write(path, data, durable=False, make_parents=True)
