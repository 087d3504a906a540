"""The catalogue: data cards of the documents in one or more corpus folders, and loading them.

A corpus is a folder holding `catalogue.toml` and the documents it lists. The bundled corpus ships inside
the package; researchers add their own folders (`--corpus DIR`, `POLICYDIFF_CORPUS`).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from policydiff.corpora.coverage import parse_coverage
from policydiff.corpora.errors import CorpusError, InputError, UnknownDocumentError
from policydiff.corpora.ids import derived_id, name_id
from policydiff.corpora.metadata import card_fields
from policydiff.corpora.model import KINDS, LEVELS, Document, DocumentInfo, HistoryEvent
from policydiff.corpora.readers import SourceText, read_file
from policydiff.corpora.readers.plaintext import first_line_title
from policydiff.corpora.segment import CoverageNote, segment
from policydiff.corpora.textmeta import text_facts
from policydiff.corpora.tomlfile import load_toml

CATALOGUE_FILE = "catalogue.toml"
BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
ENV_VAR = "POLICYDIFF_CORPUS"
DATA_ENV_VAR = "POLICYDIFF_DATA_DIR"  # overrides the user data folder that holds the default corpus
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Entry:
    """One document's data card in a catalogue."""

    id: str
    title: str
    file: str
    kind: str = "full"
    level: str = "other"
    region: str = ""
    issuer: tuple[str, ...] = ()
    date: str = ""
    format: str | None = None
    meta: str = ""  # a side file with coverage notes (digests)
    source_url: str = ""
    sha256: str = ""
    coverage: str = ""
    retrieved: str = ""
    original: str = ""  # a fetched page's bytes as downloaded, next to the extracted text in `file`
    original_sha256: str = ""
    known_issues: tuple[str, ...] = ()
    doc_type: str = ""  # 意见, 实施意见, 方案, 办法, 条例, 通知, 法 …
    implements: tuple[str, ...] = ()  # ids (or, when not in any corpus, titles) of the documents it carries out
    extra: tuple[tuple[str, str], ...] = ()
    history: tuple[HistoryEvent, ...] = ()  # dated events its history lines state (通过, 修正, 修订, 公布, 施行)
    corpus: Path = field(default=BUNDLED_DIR, compare=False)
    origin: str = "bundled"  # "bundled", the corpus folder, or "file"

    @property
    def path(self) -> Path:
        return self.corpus / self.file

    def info(self, sha256: str = "", extra: dict[str, str] | None = None) -> DocumentInfo:
        merged = dict(self.extra)
        merged.update(extra or {})
        return DocumentInfo(
            id=self.id,
            title=self.title,
            kind=self.kind,  # type: ignore[arg-type]
            level=self.level,
            region=self.region,
            issuer=self.issuer,
            date=self.date,
            source=self.file,
            source_url=self.source_url,
            sha256=sha256 or self.sha256,
            corpus=self.origin,
            doc_type=self.doc_type,
            implements=self.implements,
            extra=tuple(sorted(merged.items())),
            history=self.history,
        )

    def to_toml_table(self) -> dict[str, Any]:
        """The fields written back to catalogue.toml (empty ones left out)."""
        table: dict[str, Any] = {"id": self.id, "title": self.title, "file": self.file, "kind": self.kind}
        optional: dict[str, Any] = {
            "level": self.level,
            "region": self.region,
            "issuer": list(self.issuer),
            "date": self.date,
            "format": self.format or "",
            "meta": self.meta,
            "source_url": self.source_url,
            "retrieved": self.retrieved,
            "sha256": self.sha256,
            "original": self.original,
            "original_sha256": self.original_sha256,
            "coverage": self.coverage,
            "known_issues": list(self.known_issues),
            "type": self.doc_type,
            "implements": list(self.implements),
            "history": [{"date": h.date, "event": h.event, "text": h.text} for h in self.history],
        }
        table.update({k: v for k, v in optional.items() if v})
        if self.extra:
            table["metadata"] = dict(self.extra)
        return table


def _entry_from_table(table: dict[str, Any], corpus: Path, origin: str, where: str) -> Entry:
    for key in ("id", "title", "file"):
        if not isinstance(table.get(key), str) or not table[key]:
            raise CorpusError(f"{where}: document entry is missing {key!r}")
    issuer = table.get("issuer", ())
    if isinstance(issuer, str):
        issuer = (issuer,)
    extra = table.get("metadata", {})
    return Entry(
        id=table["id"],
        title=table["title"],
        file=table["file"],
        kind=str(table.get("kind", "full")),
        level=str(table.get("level", "other")),
        region=str(table.get("region", "")),
        issuer=tuple(str(i) for i in issuer),
        date=str(table.get("date", "")),
        format=table.get("format") or None,
        meta=str(table.get("meta", "")),
        source_url=str(table.get("source_url", "")),
        sha256=str(table.get("sha256", "")),
        coverage=str(table.get("coverage", "")),
        retrieved=str(table.get("retrieved", "")),
        original=str(table.get("original", "")),
        original_sha256=str(table.get("original_sha256", "")),
        known_issues=tuple(str(i) for i in table.get("known_issues", ())),
        doc_type=str(table.get("type", "")),
        implements=tuple(str(i) for i in table.get("implements", ())),
        extra=tuple(sorted((str(k), str(v)) for k, v in extra.items())) if isinstance(extra, dict) else (),
        history=_history(table.get("history", ()), where),
        corpus=corpus,
        origin=origin,
    )


def _history(value: Any, where: str) -> tuple[HistoryEvent, ...]:
    if not isinstance(value, (list, tuple)) or not all(isinstance(h, dict) for h in value):
        raise CorpusError(f"{where}: 'history' must be a list of {{date, event, text}} tables")
    return tuple(HistoryEvent(str(h.get("date", "")), str(h.get("event", "")), str(h.get("text", ""))) for h in value)


def read_catalogue(corpus: Path, origin: str | None = None) -> list[Entry]:
    path = corpus / CATALOGUE_FILE
    if not path.exists():
        return []
    data = load_toml(path)
    docs = data.get("document", [])
    if not isinstance(docs, list):
        raise CorpusError(f"{path}: 'document' must be a list of [[document]] tables")
    origin = origin or str(corpus)
    return [_entry_from_table(t, corpus, origin, f"{path}: document {i + 1}") for i, t in enumerate(docs)]


def entry_problems(entry: Entry) -> list[str]:
    """Field-level problems of one entry (no file access)."""
    problems: list[str] = []
    if not ID_RE.match(entry.id):
        problems.append(f"id {entry.id!r} is not valid (lower-case letters, digits, '.', '_', '-')")
    if entry.kind not in KINDS:
        problems.append(f"kind {entry.kind!r} is not one of {', '.join(KINDS)}")
    if entry.level not in LEVELS:
        problems.append(f"level {entry.level!r} is not one of {', '.join(LEVELS)}")
    if entry.date and not DATE_RE.match(entry.date):
        problems.append(f"date {entry.date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    for event in entry.history:
        if not DATE_RE.match(event.date):
            problems.append(f"history date {event.date!r} ({event.event}) is not YYYY, YYYY-MM or YYYY-MM-DD")
    for key, name in (("file", entry.file), ("meta", entry.meta), ("original", entry.original)):
        if name and (Path(name).name != name or name in (".", "..") or "\\" in name):
            problems.append(f"{key} {name!r} must be a plain file name inside the corpus folder")
    return problems


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corpus_dirs_from_env() -> list[Path]:
    raw = os.environ.get(ENV_VAR, "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


def user_corpus_dir() -> Path:
    """The researcher's own corpus in the user data folder (platformdirs), where `corpus add` puts documents
    when neither --corpus nor POLICYDIFF_CORPUS names a folder. Never the bundled package folder."""
    override = os.environ.get(DATA_ENV_VAR)
    if override:
        return Path(override) / "corpus"
    from platformdirs import user_data_dir

    return Path(user_data_dir("policydiff", appauthor=False)) / "corpus"


def _unique_dirs(dirs: Iterable[Path]) -> list[Path]:
    seen: set[Path] = set()
    out: list[Path] = []
    for d in dirs:
        resolved = Path(d).expanduser().resolve()
        if resolved not in seen and resolved != BUNDLED_DIR:
            seen.add(resolved)
            out.append(Path(d).expanduser())
    return out


def default_corpus_dirs(corpus_dirs: Iterable[Path] = ()) -> list[Path]:
    """The researcher's corpus folders a run sees, in order, each once: POLICYDIFF_CORPUS, --corpus, user corpus."""
    dirs = [*corpus_dirs_from_env(), *corpus_dirs]
    user = user_corpus_dir()
    if (user / CATALOGUE_FILE).is_file():
        dirs.append(user)
    return _unique_dirs(dirs)


class Catalogue:
    """All documents known to a run: the bundled corpus plus the researcher's own folders."""

    def __init__(self, corpus_dirs: Sequence[Path] = (), include_bundled: bool = True) -> None:
        self.corpus_dirs = _unique_dirs(corpus_dirs)
        entries: list[Entry] = []
        if include_bundled:
            entries.extend(read_catalogue(BUNDLED_DIR, "bundled"))
        for d in self.corpus_dirs:
            entries.extend(read_catalogue(d))
        seen: dict[str, Entry] = {}
        for entry in entries:
            if entry.id in seen:
                raise CorpusError(
                    f"document id {entry.id!r} appears twice: in {seen[entry.id].origin} and in {entry.origin}"
                )
            seen[entry.id] = entry
        self.entries: tuple[Entry, ...] = tuple(entries)
        self._by_id = seen

    @classmethod
    def default(cls, corpus_dirs: Iterable[Path] = ()) -> Catalogue:
        """Bundled + POLICYDIFF_CORPUS folders + --corpus folders + the user corpus when it exists."""
        return cls(default_corpus_dirs(corpus_dirs))

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.entries]

    def get(self, doc_id: str) -> Entry:
        try:
            return self._by_id[doc_id]
        except KeyError:
            raise UnknownDocumentError(doc_id, self.ids) from None

    def resolve(self, ref: str) -> Entry:
        """A corpus id, or a path to a file read ad hoc with the same readers."""
        if ref in self._by_id:
            return self._by_id[ref]
        path = Path(ref)
        if path.is_file():
            return adhoc_entry(path)
        if path.suffix or os.sep in ref or "/" in ref:
            raise InputError(path, "no such file")
        raise UnknownDocumentError(ref, self.ids)

    def load(self, ref: str) -> Document:
        return load_entry(self.resolve(ref))


def adhoc_entry(path: Path) -> Entry:
    """A file given on the command line: its id comes from its name, a `X.meta.toml` beside it is used."""
    name = path.name
    kind = "digest" if name.lower().endswith(".digest.txt") else "full"
    stem = name[: -len(".digest.txt")] if kind == "digest" else path.stem
    doc_id = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-._") or "document"
    meta_file = path.with_name(f"{stem}.meta.toml")
    title = stem
    level = "other"
    if meta_file.is_file():
        meta = load_toml(meta_file)
        title = str(meta.get("title", title))
        level = str(meta.get("level", level))
    return Entry(
        id=doc_id,
        title=title,
        file=name,
        kind=kind,
        level=level if level in LEVELS else "other",
        meta=meta_file.name if meta_file.is_file() else "",
        corpus=path.resolve().parent,
        origin="file",
    )


def adhoc_card(entry: Entry, source: SourceText) -> Entry:
    """A file read ad hoc, described as `corpus add` would: title, level, region, date, type, history and the
    titles it implements from its metadata and text; its id from an ASCII name, else region, title and year."""
    card = card_fields(source.meta)
    title = card.title or first_line_title(source.text) or entry.title
    facts = text_facts(title, source.text)
    level, region = (card.level, card.region) if card.level else (facts.level, facts.region)
    date = card.date or facts.date
    doc_id = name_id(entry.file) or derived_id(title, level, region, date) or entry.id
    return replace(
        entry,
        id=doc_id,
        title=title,
        level=level or entry.level,
        region=region,
        issuer=card.issuer or facts.issuer,
        date=date,
        doc_type=facts.doc_type,
        implements=facts.implements,
        history=facts.history,
    )


def coverage_notes(entry: Entry) -> tuple[CoverageNote, ...]:
    if not entry.meta:
        return ()
    meta_path = entry.corpus / entry.meta
    if not meta_path.is_file():
        return ()
    return parse_coverage(load_toml(meta_path))


def load_entry(entry: Entry) -> Document:
    """Read and segment a catalogued document."""
    source = read_file(entry.path, entry.format)
    if entry.origin == "file" and not entry.meta:
        entry = adhoc_card(entry, source)
    info = entry.info(sha256=source.sha256, extra=source.meta)
    return segment(source.text, info, coverage_notes(entry))
