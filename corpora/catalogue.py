"""The catalogue: data cards of the documents in one or more corpus folders, and loading them.

A corpus is a folder holding `catalogue.toml` and the documents it lists. The bundled corpus ships inside
the package; researchers add their own folders (`--corpus DIR`, `POLICYDIFF_CORPUS`).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from policydiff.corpora import limits
from policydiff.corpora.coverage import parse_coverage
from policydiff.corpora.errors import CatalogueShapeError, CorpusError, InputError, UnknownDocumentError
from policydiff.corpora.ids import derived_id, name_id
from policydiff.corpora.metadata import card_fields
from policydiff.corpora.model import KINDS, LEVELS, Document, DocumentInfo, HistoryEvent
from policydiff.corpora.readers import SourceText, read_file
from policydiff.corpora.readers.base import read_bytes
from policydiff.corpora.readers.plaintext import first_line_title
from policydiff.corpora.segment import CoverageNote, segment
from policydiff.corpora.textmeta import text_facts
from policydiff.corpora.tomlfile import load_toml

CATALOGUE_FILE = "catalogue.toml"
LOCK_FILE = ".catalogue.lock"
# Files an add or remove is writing or deleting, so that an interrupted one leaves recognisable orphans.
JOURNAL_FILE = ".catalogue.journal"
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
        """Where `file` would be, unchecked: open a catalogue's files only through `corpus_file`."""
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


# --- the shape of a catalogue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldType:
    """A type a catalogue value may have, as a researcher would name it."""

    description: str
    accepts: Callable[[Any], bool]


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, datetime.date, datetime.time)) and not isinstance(value, bool)


STRING = FieldType("a string", lambda v: isinstance(v, str))
STRINGS = FieldType("a list of strings", _is_str_list)
STRING_OR_STRINGS = FieldType("a string or a list of strings", lambda v: isinstance(v, str) or _is_str_list(v))
STRING_OR_DATE = FieldType("a string or a date", lambda v: isinstance(v, (str, datetime.date)))
TABLE = FieldType("a table of strings", lambda v: isinstance(v, dict) and all(_is_scalar(x) for x in v.values()))
TABLES = FieldType("a list of tables", lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v))

# Every key a [[document]] table may hold, and its type: adding a key to the catalogue is one line here.
DOCUMENT_FIELDS: dict[str, FieldType] = {
    "id": STRING,
    "title": STRING,
    "file": STRING,
    "kind": STRING,
    "level": STRING,
    "region": STRING,
    "issuer": STRING_OR_STRINGS,
    "date": STRING_OR_DATE,
    "format": STRING,
    "meta": STRING,
    "source_url": STRING,
    "sha256": STRING,
    "coverage": STRING,
    "retrieved": STRING_OR_DATE,
    "original": STRING,
    "original_sha256": STRING,
    "known_issues": STRINGS,
    "type": STRING,
    "implements": STRINGS,
    "history": TABLES,  # [{date, event, text}, …]: the dated history lines
    "metadata": TABLE,
}
REQUIRED_FIELDS = ("id", "title", "file")
# Fields that name a file in the corpus folder.
FILE_FIELDS = ("file", "meta", "original")


def _type_name(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a table", str: "a string"}
    return names.get(type(value), "a date" if isinstance(value, (datetime.date, datetime.time)) else "a value")


def _block_lines(text: str) -> list[int]:
    """Line numbers (1-based) of each [[document]] header, in order."""
    return [i for i, line in enumerate(text.splitlines(), 1) if re.match(r"^\s*\[\[\s*document\s*\]\]", line)]


def _key_line(text: str, start: int | None, key: str) -> int | None:
    """The line of `key = …` (or of a `[document.key]` header) in the [[document]] block starting at line
    `start`; the block's own line when neither is found."""
    if start is None:
        return None
    lines = text.splitlines()
    k = re.escape(key)
    assignment = re.compile(rf"^\s*(\"{k}\"|'{k}'|{k})\s*=")
    header = re.compile(rf"^\s*\[\s*document\s*\.\s*(\"{k}\"|'{k}'|{k})\s*\]")
    in_own_table = True
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if re.match(r"^\s*\[\[", line):
            break
        if header.match(line):
            return number
        if line.lstrip().startswith("["):
            in_own_table = False
        elif in_own_table and assignment.match(line):
            return number
    return start


def shape_problems(data: dict[str, Any], text: str, path: Path) -> list[str]:
    """Every place where the catalogue's values have the wrong type, one line each (file:line: document: field)."""
    docs = data.get("document", [])
    if not isinstance(docs, list):
        return [f"{path}: 'document' must be a list of [[document]] tables, not {_type_name(docs)}"]
    starts = _block_lines(text)
    problems: list[str] = []
    table_index = 0
    for i, table in enumerate(docs):
        if not isinstance(table, dict):
            problems.append(f"{path}: document {i + 1} must be a [[document]] table, not {_type_name(table)}")
            continue
        start = starts[table_index] if table_index < len(starts) else None
        table_index += 1
        doc_id = table.get("id")
        where = f"document {doc_id!r}" if isinstance(doc_id, str) and doc_id else f"document {i + 1}"
        for key in REQUIRED_FIELDS:
            if key not in table or table[key] == "":
                at = f"{path}:{start}" if start else str(path)
                problems.append(f"{at}: {where}: {key!r} is missing")
        for key, value in table.items():
            expected = DOCUMENT_FIELDS.get(key)
            if expected is not None and not expected.accepts(value):
                line = _key_line(text, start, key)
                at = f"{path}:{line}" if line else str(path)
                problems.append(f"{at}: {where}: {key!r} must be {expected.description}, not {_type_name(value)}")
    return problems


def unknown_fields(table: dict[str, Any]) -> list[str]:
    return sorted(k for k in table if k not in DOCUMENT_FIELDS)


def _entry_from_table(table: dict[str, Any], corpus: Path, origin: str) -> Entry:
    """An entry from a [[document]] table whose shape `shape_problems` has accepted."""
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
        issuer=tuple(issuer),
        date=str(table.get("date", "")),
        format=table.get("format") or None,
        meta=str(table.get("meta", "")),
        source_url=str(table.get("source_url", "")),
        sha256=str(table.get("sha256", "")),
        coverage=str(table.get("coverage", "")),
        retrieved=str(table.get("retrieved", "")),
        original=str(table.get("original", "")),
        original_sha256=str(table.get("original_sha256", "")),
        known_issues=tuple(table.get("known_issues", ())),
        doc_type=str(table.get("type", "")),
        implements=tuple(table.get("implements", ())),
        extra=tuple(sorted((str(k), str(v)) for k, v in extra.items())),
        history=_history(table.get("history", ())),
        corpus=corpus,
        origin=origin,
    )


def _history(value: Any) -> tuple[HistoryEvent, ...]:
    """The dated events of a catalogue entry (their shape was checked on load: a list of tables)."""
    return tuple(HistoryEvent(str(h.get("date", "")), str(h.get("event", "")), str(h.get("text", ""))) for h in value)


@dataclass(frozen=True)
class CatalogueFile:
    """A catalogue as read: its entries, and the raw tables (for checks that need keys the entries drop)."""

    path: Path
    entries: tuple[Entry, ...]
    tables: tuple[dict[str, Any], ...]


def load_catalogue_file(corpus: Path, origin: str | None = None) -> CatalogueFile:
    """Read and shape-check a corpus folder's catalogue. A value of the wrong type is a `CorpusError` naming the
    file, the line and the field (all such problems at once), never an AttributeError further on."""
    path = corpus / CATALOGUE_FILE
    try:
        text = read_bytes(path, max_bytes=MAX_CATALOGUE_BYTES).decode("utf-8")
    except InputError as exc:
        raise CorpusError(str(exc)) from None
    except UnicodeDecodeError:
        raise CorpusError(f"{path}: not UTF-8 text") from None
    from policydiff.corpora.tomlfile import parse_toml

    data = parse_toml(text, path)
    problems = shape_problems(data, text, path)
    if problems:
        raise CatalogueShapeError(problems)
    origin = origin or str(corpus)
    tables = tuple(data.get("document", []))
    return CatalogueFile(path, tuple(_entry_from_table(t, corpus, origin) for t in tables), tables)


def read_catalogue(corpus: Path, origin: str | None = None) -> list[Entry]:
    if not (corpus / CATALOGUE_FILE).exists():
        return []
    return list(load_catalogue_file(corpus, origin).entries)


# --- files named by a catalogue ----------------------------------------------------------------------------------

# A catalogue is a few kilobytes per document; a larger one is not a catalogue.
MAX_CATALOGUE_BYTES = 16 * 1024 * 1024


def reserved_name(name: str) -> bool:
    """Names policydiff keeps for itself in a corpus folder: the catalogue, its lock and journal, hidden files and
    temporary files. No document may be stored under one, and `remove` never deletes one."""
    return name in (CATALOGUE_FILE, LOCK_FILE, JOURNAL_FILE) or name.startswith(".") or name.endswith(".tmp")


def name_problem(name: str) -> str:
    """Why `name` cannot be a document's file in a corpus folder ("" when it can)."""
    if Path(name).name != name or "\\" in name or "/" in name or name in (".", "..") or "\x00" in name:
        return "must be a plain file name inside the corpus folder"
    if reserved_name(name):
        return "is a name policydiff keeps for itself (the catalogue, its lock, hidden and temporary files)"
    return ""


def corpus_file(entry: Entry, key: str = "file") -> Path:
    """The path of one of an entry's files (`file`, `meta` or `original`), checked where it is opened: a plain
    name, inside the corpus folder once symbolic links are resolved, and a regular file. Anything else is a
    `CorpusError` naming the catalogue and the entry, so nothing outside a corpus is ever read through it."""
    name = str(getattr(entry, key))
    where = entry.corpus / CATALOGUE_FILE if entry.origin != "file" else entry.corpus / name
    if problem := name_problem(name):
        raise CorpusError(f"{where}: document {entry.id!r}: {key} {name!r} {problem}")
    folder = entry.corpus.resolve()
    path = (folder / name).resolve()
    if path == folder or not path.is_relative_to(folder):
        raise CorpusError(
            f"{where}: document {entry.id!r}: {key} {name!r} is a link to a file outside the corpus folder"
        )
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise CorpusError(f"{where}: document {entry.id!r}: {key} {name!r} is missing from {entry.corpus}") from None
    except OSError as exc:
        raise CorpusError(f"{where}: document {entry.id!r}: {key} {name!r} cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(mode):
        raise CorpusError(f"{where}: document {entry.id!r}: {key} {name!r} is not a regular file")
    return path


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
    for key in FILE_FIELDS:
        name = str(getattr(entry, key))
        if name and (problem := name_problem(name)):
            problems.append(f"{key} {name!r} {problem}")
    return problems


def file_sha256(path: Path) -> str:
    return hashlib.sha256(read_bytes(path)).hexdigest()


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
        if path.exists() and not path.is_dir():
            read_bytes(path)  # a FIFO or a device: says what it is, without opening it for reading
        if path.suffix or os.sep in ref or "/" in ref:
            raise InputError(path, "no such file")
        raise UnknownDocumentError(ref, self.ids)

    def load(self, ref: str) -> Document:
        return load_entry(self.resolve(ref))


def adhoc_entry(path: Path) -> Entry:
    """A file given on the command line: its id comes from the name typed, a `X.meta.toml` beside it is used.

    A symbolic link is followed: the file read, and the folder its meta file is looked for in, are the target's."""
    typed = path.name
    target = path.resolve()
    name = target.name
    kind = "digest" if name.lower().endswith(".digest.txt") else "full"
    stem = name[: -len(".digest.txt")] if kind == "digest" else target.stem
    typed_stem = typed[: -len(".digest.txt")] if typed.lower().endswith(".digest.txt") else Path(typed).stem
    doc_id = re.sub(r"[^a-z0-9._-]+", "-", typed_stem.lower()).strip("-._") or "document"
    meta_file = target.with_name(f"{stem}.meta.toml")
    title = typed_stem
    level = "other"
    has_meta = meta_file.is_file()
    if has_meta:
        meta = load_toml(meta_file)
        title = str(meta.get("title", title))
        level = str(meta.get("level", level))
    return Entry(
        id=doc_id,
        title=title,
        file=name,
        kind=kind,
        level=level if level in LEVELS else "other",
        meta=meta_file.name if has_meta else "",
        corpus=target.parent,
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
    return parse_coverage(load_toml(corpus_file(entry, "meta")))


@dataclass(frozen=True)
class ReadDocument:
    """A catalogued document read but not yet segmented: what `segment` needs, and its file for messages. A study
    reads its targets in the coordinating process (to know which pairs are done) and segments them on workers."""

    path: Path
    text: str
    info: DocumentInfo
    coverage: tuple[CoverageNote, ...] = ()

    def segmented(self) -> Document:
        document = segment(self.text, self.info, self.coverage)
        check_size(document, self.path)
        return document


def read_entry(entry: Entry) -> ReadDocument:
    """Read a catalogued document (only from inside its corpus folder), its data card completed for a file read
    ad hoc; `segmented()` gives the Document."""
    path = corpus_file(entry, "file")
    source = read_file(path, entry.format, follow_symlinks=False)
    if entry.origin == "file" and not entry.meta:
        entry = adhoc_card(entry, source)
    info = entry.info(sha256=source.sha256, extra=source.meta)
    return ReadDocument(path, source.text, info, coverage_notes(entry))


def load_entry(entry: Entry) -> Document:
    """Read and segment a catalogued document (only from inside its corpus folder)."""
    return read_entry(entry).segmented()


def check_size(document: Document, path: object) -> None:
    """Refuse a document with more provisions than any real one has (limits.MAX_PROVISIONS)."""
    if len(document.clauses) > limits.MAX_PROVISIONS:
        raise InputError(path, limits.too_many_provisions(len(document.clauses)))
