"""Rule sets: the keyword knowledge (lexicons, topics, targets, places, directives) kept as data files.

The bundled rule set lives in `rules/data/`; a researcher's folder of the same shape (`--rules DIR`) adds
to it. Files are TOML a researcher can open; errors name the file and the line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policydiff.compare.errors import ConfigError
from policydiff.compare.tomlfile import load_toml

BUNDLED_RULES = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class RuleSet:
    """Everything the engine knows beyond the documents themselves."""

    sources: tuple[str, ...] = ()  # folders the rules came from, bundled first
    user_words: tuple[str, ...] = ()
    stopwords: tuple[str, ...] = ()
    fingerprint: str = ""  # hash of every rule file's bytes; part of every cache key and export
    files: tuple[tuple[str, str], ...] = field(default=())  # (folder name/file, sha256)

    def describe(self) -> dict[str, Any]:
        return {"sources": list(self.sources), "fingerprint": self.fingerprint}


def _words(data: dict[str, Any], table: str, path: Path) -> list[str]:
    section = data.get(table, {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [{table}] must be a table")
    words = section.get("words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise ConfigError(f"{path}: [{table}] words must be a list of strings")
    return words


def load_rules(extra_dirs: tuple[Path, ...] | list[Path] = ()) -> RuleSet:
    user: list[str] = []
    stop: list[str] = []
    sources: list[str] = []
    files: list[tuple[str, str]] = []
    for folder in (BUNDLED_RULES, *[Path(d) for d in extra_dirs]):
        if not folder.is_dir():
            raise ConfigError(f"{folder}: rules folder not found")
        sources.append("bundled" if folder == BUNDLED_RULES else str(folder))
        for path in sorted(folder.glob("*.toml")):
            files.append((f"{sources[-1]}/{path.name}", hashlib.sha256(path.read_bytes()).hexdigest()))
        lexicon = folder / "lexicon.toml"
        if lexicon.is_file():
            data = load_toml(lexicon, ConfigError)
            user.extend(w for w in _words(data, "userdict", lexicon) if w not in user)
            stop.extend(w for w in _words(data, "stopwords", lexicon) if w not in stop)
    fingerprint = hashlib.sha256(repr(files).encode()).hexdigest()[:16]
    return RuleSet(tuple(sources), tuple(user), tuple(stop), fingerprint, tuple(files))
