"""Changing a researcher's corpus: add a document, remove one, and validate every catalogue entry.

Nothing is lost: every file is written atomically (temp file + rename), the catalogue is changed under a
lock so two adds at once both land, and an add that fails or is interrupted undoes what it wrote, leaving
the corpus folder byte for byte as it was. The bundled corpus is never changed.
"""

from __future__ import annotations

import calendar
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from policydiff.corpora.atomic import atomic_write
from policydiff.corpora.catalogue import (
    BUNDLED_DIR,
    CATALOGUE_FILE,
    DATE_RE,
    ID_RE,
    Catalogue,
    Entry,
    corpus_dirs_from_env,
    default_corpus_dirs,
    entry_problems,
    file_sha256,
    load_entry,
    read_catalogue,
    user_corpus_dir,
)
from policydiff.corpora.errors import CorpusError, InputError, PolicydiffError
from policydiff.corpora.metadata import card_fields, normalise_date
from policydiff.corpora.model import LEVELS, Document
from policydiff.corpora.readers import SourceText, read_file

LOCK_FILE = ".catalogue.lock"
LOCK_TIMEOUT_S = 60.0
# Fields a document cannot be catalogued without: a title to show and a level to read verdicts against.
# The id is required too but has a default (the file name).
REQUIRED = ("title", "level")
NEW_CATALOGUE_HEADER = (
    "# A policydiff corpus: one [[document]] table per document in this folder.\n"
    "# Written by `policydiff corpus add` and `corpus fetch`; safe to edit by hand (then run `corpus validate`).\n"
)


@dataclass(frozen=True)
class NewDocument:
    """What the researcher said about a document on the command line; empty fields come from the file."""

    id: str = ""
    title: str = ""
    issuer: tuple[str, ...] = ()
    level: str = ""
    region: str = ""
    date: str = ""
    source_url: str = ""


@dataclass(frozen=True)
class AddResult:
    entry: Entry
    document: Document  # the added document, segmented
    corpus: Path
    created: bool  # this add made the corpus folder


# --- where documents go --------------------------------------------------------------------------------------


def target_corpus(corpus_dirs: Sequence[Path] = ()) -> Path:
    """--corpus DIR if given, else the first POLICYDIFF_CORPUS folder, else the user corpus (platformdirs)."""
    if len(corpus_dirs) > 1:
        raise CorpusError(f"give one --corpus folder to change (got {len(corpus_dirs)})")
    if corpus_dirs:
        corpus = Path(corpus_dirs[0]).expanduser()
    else:
        env = corpus_dirs_from_env()
        corpus = env[0].expanduser() if env else user_corpus_dir()
    resolved = corpus.resolve()
    if resolved == BUNDLED_DIR or BUNDLED_DIR in resolved.parents:
        raise CorpusError("the bundled corpus cannot be changed; give --corpus DIR for your own corpus")
    if corpus.exists() and not corpus.is_dir():
        raise CorpusError(f"{corpus}: not a folder")
    if corpus.is_dir() and not (corpus / CATALOGUE_FILE).exists() and _has_documents(corpus):
        raise CorpusError(f"{corpus}: not a corpus (no {CATALOGUE_FILE}) and not empty; give a new or empty folder")
    return corpus


def _has_documents(corpus: Path) -> bool:
    # A folder another add has just made holds only our lock and temp files: it is still a new corpus.
    return any(p.name != LOCK_FILE and not p.name.endswith(".tmp") for p in corpus.iterdir())


def check_id(doc_id: str) -> str:
    if not ID_RE.match(doc_id) or ".." in doc_id:
        raise CorpusError(
            f"invalid id {doc_id!r}: use lower-case letters, digits, '.', '_' and '-' "
            "(at most 64, no path separators, no '..')"
        )
    return doc_id


def id_from_name(name: str) -> str:
    """hunan-2021.docx → hunan-2021; "" when the name has nothing usable (e.g. only Chinese characters)."""
    stem = name[: -len(".digest.txt")] if name.lower().endswith(".digest.txt") else Path(name).stem
    return re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-._")[:64].strip("-._")


def date_problem(date: str) -> str:
    if not date:
        return ""
    if not DATE_RE.match(date):
        return f"date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD"
    parts = [int(p) for p in date.split("-")]
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        return f"date {date!r} has no month {parts[1]}"
    if len(parts) == 3 and not 1 <= parts[2] <= calendar.monthrange(parts[0], parts[1])[1]:
        return f"date {date!r} is not a day of the calendar"
    return ""


# --- TOML written by hand, so the researcher's comments and layout in catalogue.toml survive -------------------

_BARE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")


def toml_string(value: str) -> str:
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_string(str(v)) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to the catalogue")  # a bug, not a user error


def toml_key(key: str) -> str:
    return key if _BARE_KEY_RE.match(key) else toml_string(key)


def render_entry(entry: Entry) -> str:
    table = entry.to_toml_table()
    lines = ["[[document]]"]
    subtables = {k: v for k, v in table.items() if isinstance(v, dict)}
    lines.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in table.items() if not isinstance(v, dict))
    for name, sub in subtables.items():
        lines.append(f"[document.{toml_key(name)}]")
        lines.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in sub.items())
    return "\n".join(lines) + "\n"


def _catalogue_text(corpus: Path) -> str:
    path = corpus / CATALOGUE_FILE
    return path.read_text(encoding="utf-8") if path.exists() else NEW_CATALOGUE_HEADER


def _ids_of(text: str, where: Path) -> list[str]:
    from policydiff.corpora.tomlfile import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # pragma: no cover - we only check text we just wrote
        raise CorpusError(f"{where}: the new catalogue would not parse ({exc}); nothing changed") from None
    return [str(t.get("id")) for t in data.get("document", [])]


def _lock(corpus: Path):  # type: ignore[no-untyped-def]
    from filelock import FileLock, Timeout

    lock = FileLock(str(corpus / LOCK_FILE), timeout=LOCK_TIMEOUT_S)
    try:
        lock.acquire()
    except Timeout:
        raise CorpusError(f"{corpus}: another policydiff is changing this corpus; try again") from None
    return lock


# --- add -----------------------------------------------------------------------------------------------------


def entry_for(
    source: SourceText, name: str, fields: NewDocument, doc_id: str, file_name: str, path_for_errors: object
) -> Entry:
    card = card_fields(source.meta)
    title = fields.title.strip() or card.title
    level = fields.level.strip() or card.level
    values = {"title": title, "level": level}
    missing = [k for k in REQUIRED if not values[k]]
    if missing:
        flags = ", ".join(f"--{k}" for k in missing)
        raise InputError(path_for_errors, f"missing required {', '.join(missing)}: the file does not say; give {flags}")
    if level not in LEVELS:
        raise CorpusError(f"level {level!r} is not one of {', '.join(LEVELS)}")
    date = fields.date.strip()
    date = (normalise_date(date) or date) if date else card.date
    if problem := date_problem(date):
        raise CorpusError(problem)
    kind = "digest" if source.format == "digest" else "full"
    extra = dict(card.extra)
    extra["added_from"] = name
    return Entry(
        id=doc_id,
        title=title,
        file=file_name,
        kind=kind,
        level=level,
        region=fields.region.strip() or card.region,
        issuer=fields.issuer or card.issuer,
        date=date,
        format=source.format,
        source_url=fields.source_url.strip() or card.source_url,
        sha256=source.sha256,
        extra=tuple(sorted(extra.items())),
    )


def segment_new(entry: Entry, source: SourceText) -> Document:
    from policydiff.corpora.segment import segment

    return segment(source.text, entry.info(sha256=source.sha256, extra=source.meta))


def _choose_id(fields: NewDocument, fallback_name: str, path: Path) -> str:
    doc_id = fields.id.strip() or id_from_name(fallback_name)
    if not doc_id:
        raise InputError(path, "cannot make an id from the file name; give --id")
    return check_id(doc_id)


def check_new_id(doc_id: str, corpus: Path, corpus_dirs: Sequence[Path]) -> None:
    catalogue = Catalogue.default([*corpus_dirs, corpus])
    if doc_id in catalogue.ids:
        where = catalogue.get(doc_id).origin
        raise CorpusError(f"document id {doc_id!r} already exists (in {where}); choose another --id")


def add_document(file: Path, fields: NewDocument | None = None, corpus_dirs: Sequence[Path] = ()) -> AddResult:
    """Copy FILE into a corpus and catalogue it with the metadata the file holds, overridden by `fields`."""
    fields = fields or NewDocument()
    corpus = target_corpus(corpus_dirs)
    file = Path(file)
    source = read_file(file)
    doc_id = _choose_id(fields, file.name, file)
    suffix = ".digest.txt" if source.format == "digest" else file.suffix.lower()
    entry = entry_for(source, file.name, fields, doc_id, f"{doc_id}{suffix}", file)
    meta_side = file.with_name(f"{file.name[: -len('.digest.txt')]}.meta.toml") if entry.kind == "digest" else None
    files = {entry.file: file.read_bytes()}
    if meta_side is not None and meta_side.is_file():
        entry = replace(entry, meta=f"{doc_id}.meta.toml")
        files[entry.meta] = meta_side.read_bytes()
    if file_sha256(file) != source.sha256:
        raise InputError(file, "the file changed while it was being read; try again")
    document = segment_new(entry, source)
    created = store(corpus, entry, files, corpus_dirs)
    return AddResult(entry, document, corpus, created)


def store(corpus: Path, entry: Entry, files: dict[str, bytes], corpus_dirs: Sequence[Path] = ()) -> bool:
    """Write the entry's files and append it to the catalogue, all or nothing. True when the folder was made."""
    check_new_id(entry.id, corpus, corpus_dirs)  # early, so a refused add does not even take the lock
    for name in files:
        if (corpus / name).exists():
            raise CorpusError(f"{corpus / name} already exists in the corpus; choose another --id")
    created = not corpus.exists()
    written: list[Path] = []
    try:
        corpus.mkdir(parents=True, exist_ok=True)
        lock = _lock(corpus)
        try:
            # Another add may have landed while we waited for the lock: check again against what is there now.
            if entry.id in {e.id for e in read_catalogue(corpus)}:
                raise CorpusError(f"document id {entry.id!r} already exists (in {corpus}); choose another --id")
            for name, data in files.items():
                if (corpus / name).exists():
                    raise CorpusError(f"{corpus / name} already exists in the corpus; choose another --id")
                atomic_write(corpus / name, data)
                written.append(corpus / name)
            text = _catalogue_text(corpus)
            new_text = text + ("" if text.endswith("\n") or not text else "\n") + "\n" + render_entry(entry)
            if _ids_of(new_text, corpus / CATALOGUE_FILE)[-1:] != [entry.id]:  # pragma: no cover - a bug guard
                raise CorpusError(f"{corpus / CATALOGUE_FILE}: could not append the new entry; nothing changed")
            atomic_write(corpus / CATALOGUE_FILE, new_text.encode("utf-8"))
        finally:
            lock.release()
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        if created and not (corpus / CATALOGUE_FILE).exists() and not _has_documents(corpus):
            # Only a folder this add made and nobody else has used since is taken away again.
            shutil.rmtree(corpus, ignore_errors=True)
        raise
    return created


# --- remove --------------------------------------------------------------------------------------------------


def _without(text: str, doc_id: str) -> str:
    """The catalogue text with one [[document]] block cut out; comments and other blocks untouched."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.strip() == "[[document]]"]
    bounds = list(zip(starts, [*starts[1:], len(lines)], strict=True))
    from policydiff.corpora.tomlfile import tomllib

    for start, end in bounds:
        block = "".join(lines[start:end])
        try:
            data = tomllib.loads(block)
        except tomllib.TOMLDecodeError:
            continue
        docs = data.get("document", [])
        if len(docs) == 1 and docs[0].get("id") == doc_id:
            # Comments after the entry's last line are the researcher's notes on what follows: they stay.
            while end - 1 > start and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
                end -= 1
            # Blank lines before the block go with it, so removing leaves no growing gap.
            while start > 0 and not lines[start - 1].strip():
                start -= 1
            return "".join(lines[:start] + lines[end:])
    raise CorpusError(f"document {doc_id!r}: its [[document]] table could not be found in the catalogue text")


def remove_document(doc_id: str, corpus_dirs: Sequence[Path] = (), keep_files: bool = False) -> Entry:
    """Take a document out of its corpus: the catalogue entry first, then its files (unless `keep_files`)."""
    entry = Catalogue.default(corpus_dirs).get(doc_id)
    if entry.origin == "bundled":
        raise CorpusError(f"{doc_id!r} is in the bundled corpus, which cannot be changed")
    corpus = entry.corpus
    lock = _lock(corpus)
    try:
        current = read_catalogue(corpus)
        if doc_id not in [e.id for e in current]:
            raise CorpusError(f"document {doc_id!r} was removed from {corpus} meanwhile")
        text = (corpus / CATALOGUE_FILE).read_text(encoding="utf-8")
        new_text = _without(text, doc_id)
        remaining = [e.id for e in current if e.id != doc_id]
        if _ids_of(new_text, corpus / CATALOGUE_FILE) != remaining:
            # The hand-edited layout defeated the block cut: write every remaining entry out afresh.
            new_text = NEW_CATALOGUE_HEADER + "".join("\n" + render_entry(e) for e in current if e.id != doc_id)
        atomic_write(corpus / CATALOGUE_FILE, new_text.encode("utf-8"))
        if not keep_files:
            still_used = {n for e in current if e.id != doc_id for n in (e.file, e.meta, e.original) if n}
            for name in (entry.file, entry.meta, entry.original):
                if name and name not in still_used and not entry_problems(replace(entry, file=name)):
                    (corpus / name).unlink(missing_ok=True)
    finally:
        lock.release()
    return entry


# --- validate ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    where: str  # a document id, or a catalogue file
    message: str


@dataclass(frozen=True)
class ValidationReport:
    corpora: tuple[str, ...]
    checked: int  # entries checked
    problems: tuple[Problem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        if self.ok:
            return f"{self.checked} documents in {len(self.corpora)} corpora: no problems"
        docs = len({p.where for p in self.problems})
        return f"{len(self.problems)} problems in {docs} of {self.checked} documents or catalogues"


def entry_file_problems(entry: Entry) -> list[str]:
    """Problems of one entry that need its files: presence, hashes, and whether it segments into clauses."""
    problems: list[str] = []
    path = entry.path
    if not path.is_file():
        return [f"file {entry.file} is missing from {entry.corpus}"]
    actual = file_sha256(path)
    if not entry.sha256:
        problems.append(f"no sha256 recorded for {entry.file} (it is {actual})")
    elif actual != entry.sha256:
        problems.append(f"{entry.file} has changed: sha256 is {actual}, the catalogue says {entry.sha256}")
    if entry.meta and not (entry.corpus / entry.meta).is_file():
        problems.append(f"meta file {entry.meta} is missing")
    if entry.original:
        original = entry.corpus / entry.original
        if not original.is_file():
            problems.append(f"original {entry.original} is missing")
        elif entry.original_sha256 and file_sha256(original) != entry.original_sha256:
            problems.append(f"original {entry.original} has changed since it was fetched")
    try:
        document = load_entry(entry)
    except PolicydiffError as exc:
        problems.append(f"cannot be read: {exc}")
        return problems
    if not any(c.role == "clause" for c in document.clauses):
        problems.append("does not segment into clauses (no 一、 sections or （一） clauses found)")
    return problems


def validate_corpora(corpus_dirs: Sequence[Path] = (), include_bundled: bool = True) -> ValidationReport:
    """Check every catalogue entry of every corpus a run would see, and report all problems at once."""
    dirs: list[tuple[Path, str]] = [(BUNDLED_DIR, "bundled")] if include_bundled else []
    dirs.extend((d, str(d)) for d in default_corpus_dirs(corpus_dirs))
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    checked = 0
    for corpus, origin in dirs:
        if not (corpus / CATALOGUE_FILE).is_file():
            problems.append(Problem(str(corpus), f"no {CATALOGUE_FILE} in this folder"))
            continue
        try:
            entries = read_catalogue(corpus, origin)
        except CorpusError as exc:
            problems.append(Problem(str(corpus / CATALOGUE_FILE), str(exc)))
            continue
        for entry in entries:
            checked += 1
            messages = entry_problems(entry)
            if (dp := date_problem(entry.date)) and not any(m.startswith("date") for m in messages):
                messages.append(dp)
            if entry.id in seen:
                messages.append(f"id appears twice: in {seen[entry.id]} and in {origin}")
            seen.setdefault(entry.id, origin)
            if not any(m.startswith(("file ", "meta ", "original ")) for m in messages):
                messages.extend(entry_file_problems(entry))
            problems.extend(Problem(entry.id, m) for m in messages)
    return ValidationReport(tuple(origin for _, origin in dirs), checked, tuple(problems))


# --- links ---------------------------------------------------------------------------------------------------


def save_implements(links: dict[str, tuple[str, ...]], corpus_dirs: Sequence[Path] = ()) -> list[str]:
    """Add the documents each one implements to its catalogue entry (under the corpus lock); the bundled
    corpus is never changed. Returns the ids whose entries changed (an entry rewritten moves to the end)."""
    catalogue = Catalogue.default(corpus_dirs)
    by_corpus: dict[Path, list[str]] = {}
    for doc_id in sorted(links):
        entry = catalogue.get(doc_id)
        if entry.origin != "bundled":
            by_corpus.setdefault(entry.corpus, []).append(doc_id)
    changed: list[str] = []
    for corpus, ids in sorted(by_corpus.items()):
        lock = _lock(corpus)
        try:
            current = {e.id: e for e in read_catalogue(corpus)}
            text = (corpus / CATALOGUE_FILE).read_text(encoding="utf-8")
            for doc_id in ids:
                found = current.get(doc_id)
                if found is None:
                    continue
                merged = tuple(dict.fromkeys([*found.implements, *links[doc_id]]))
                if merged == found.implements:
                    continue
                text = _without(text, doc_id)
                text += ("" if text.endswith("\n") else "\n") + "\n" + render_entry(replace(found, implements=merged))
                changed.append(doc_id)
            if sorted(_ids_of(text, corpus / CATALOGUE_FILE)) != sorted(current):  # pragma: no cover - a bug guard
                raise CorpusError(f"{corpus / CATALOGUE_FILE}: could not rewrite the entries; nothing changed")
            atomic_write(corpus / CATALOGUE_FILE, text.encode("utf-8"))
        finally:
            lock.release()
    return changed
