"""TOML loading with errors that name the file and the line."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from policydiff.corpora.errors import CorpusError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def load_toml(path: Path, error: type[Exception] = CorpusError) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read ({exc})") from None
    return parse_toml(text, path, error)


def parse_toml(text: str, path: Path, error: type[Exception] = CorpusError) -> dict[str, Any]:
    """TOML text read from `path` (named in the error)."""
    try:
        return tomllib.loads(text)
    except RecursionError:  # deeply nested arrays ([[[[…) exhaust the parser's stack
        raise error(f"{path}: invalid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts "(at line N, column M)" in its message; keep it, it is what a researcher needs.
        msg = re.sub(r"\s+", " ", str(exc))
        raise error(f"{path}: invalid TOML: {msg}") from None
