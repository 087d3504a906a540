"""Changing a researcher's corpus: add a document, remove one, and validate every catalogue entry.

Nothing is lost: every file is written atomically (temp file + rename), the catalogue is changed under a
lock so two adds at once both land, and an add that fails undoes what it wrote, leaving the corpus folder
byte for byte as it was. An add writes the document first and the catalogue entry last, noting the files
it is writing in a small journal first; if it is killed in between, the files it left are orphans that
`validate` reports, `validate --repair` removes and a re-add may replace. The bundled corpus is never changed.
"""

from __future__ import annotations

import calendar
import re
import shutil
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from policydiff.corpora.atomic import atomic_write
from policydiff.corpora.catalogue import (
    BUNDLED_DIR,
    CATALOGUE_FILE,
    DATE_RE,
    FILE_FIELDS,
    ID_RE,
    JOURNAL_FILE,
    LOCK_FILE,
    Catalogue,
    Entry,
    check_size,
    corpus_dirs_from_env,
    corpus_file,
    default_corpus_dirs,
    entry_problems,
    file_sha256,
    load_catalogue_file,
    load_entry,
    name_problem,
    read_catalogue,
    reserved_name,
    unknown_fields,
    user_corpus_dir,
)
from policydiff.corpora.errors import CatalogueShapeError, CorpusError, InputError, PolicydiffError
from policydiff.corpora.ids import derived_id, name_id, unique_id
from policydiff.corpora.links import link_implements
from policydiff.corpora.metadata import card_fields, normalise_date
from policydiff.corpora.model import LEVELS, Document
from policydiff.corpora.readers import SUFFIX_FORMATS, SourceText, read_data
from policydiff.corpora.readers.base import read_bytes
from policydiff.corpora.readers.plaintext import first_line_title
from policydiff.corpora.textmeta import text_facts

LOCK_TIMEOUT_S = 60.0
ID_RETRIES = 20  # concurrent adds of the same document without --id: each takes the next free suffix
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
    id_derived: bool = False  # the id was chosen by policydiff (no --id given)
    id_from_name: bool = False  # … from the file's ASCII name rather than region, title and year


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
    return any(not reserved_name(p.name) for p in corpus.iterdir())


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
    if isinstance(value, dict):  # an inline table: history events
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, dict) for v in value):
        return "[\n" + "".join(f"    {toml_value(v)},\n" for v in value) + "]"  # one table a line
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
    source: SourceText,
    name: str,
    fields: NewDocument,
    doc_id: str,
    file_name: str,
    path_for_errors: object,
    known: Sequence[Entry] = (),
) -> Entry:
    """The data card: command-line fields, else the file's metadata (front matter, info table), else what the
    text says (title and issuer lines, history lines, opening paragraphs). `known` entries resolve implements."""
    card = card_fields(source.meta)
    title = fields.title.strip() or card.title or first_line_title(source.text)
    facts = text_facts(title, source.text)
    # Level and region go together: from the same source unless the researcher gave one of them.
    level, region = (card.level, card.region) if card.level else (facts.level, facts.region)
    level = fields.level.strip() or level
    values = {"title": title, "level": level}
    missing = [k for k in REQUIRED if not values[k]]
    if missing:
        flags = ", ".join(f"--{k}" for k in missing)
        raise InputError(path_for_errors, f"missing required {', '.join(missing)}: the file does not say; give {flags}")
    if level not in LEVELS:
        raise CorpusError(f"level {level!r} is not one of {', '.join(LEVELS)}")
    date = fields.date.strip()
    date = (normalise_date(date) or date) if date else (card.date or facts.date)
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
        region=fields.region.strip() or region,
        issuer=fields.issuer or card.issuer or facts.issuer,
        date=date,
        format=source.format,
        source_url=fields.source_url.strip() or card.source_url,
        sha256=source.sha256,
        doc_type=facts.doc_type,
        implements=link_implements(known, facts.implements, exclude=doc_id),
        history=facts.history,
        extra=tuple(sorted(extra.items())),
    )


NO_WORDS = "no words to compare: the text holds only punctuation, numbering or blank characters"


def segment_new(entry: Entry, source: SourceText, where: object = None) -> Document:
    """Segment a document about to be added; one with no words, or more provisions than the limit, is refused."""
    from policydiff.corpora.segment import segment

    document = segment(source.text, entry.info(sha256=source.sha256, extra=source.meta))
    check_size(document, where or entry.id)
    if not document.has_words:
        raise InputError(where or entry.id, NO_WORDS)
    return document


def choose_id(fields: NewDocument, name: str, entry: Entry, taken: Collection[str], path: Path) -> tuple[str, str]:
    """(id, base): --id as given (base ""); else the file name when it is a readable ASCII name, else region,
    short title and year in pinyin, as `base`, with a suffix (-2, -3 …) when taken. A given id is checked later."""
    if fields.id.strip():
        return check_id(fields.id.strip()), ""
    base = name_id(name) or derived_id(entry.title, entry.level, entry.region, entry.date)
    if not base:
        raise InputError(path, "cannot make an id from the file name or the title; give --id")
    return check_id(unique_id(base, taken)), base


def check_new_id(doc_id: str, corpus: Path, corpus_dirs: Sequence[Path]) -> None:
    catalogue = Catalogue.default([*corpus_dirs, corpus])
    if doc_id in catalogue.ids:
        where = catalogue.get(doc_id).origin
        raise CorpusError(f"document id {doc_id!r} already exists (in {where}); choose another --id")


# The extension a document is stored under, by the format it was read as: the stored name then says what
# the file is (a PDF that came as .txt is stored as .pdf), and no name of ours (.toml, .lock, .tmp) can arise.
STORED_SUFFIX = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "markdown": ".md", "text": ".txt", "newspage": ".md"}


def stored_suffix(source_name: str, fmt: str) -> str:
    if fmt == "digest":
        return ".digest.txt"
    suffix = Path(source_name).suffix.lower()
    same = SUFFIX_FORMATS.get(suffix) == fmt or (fmt == "newspage" and suffix in SUFFIX_FORMATS)
    return suffix if same else STORED_SUFFIX.get(fmt, ".txt")


def add_document(file: Path, fields: NewDocument | None = None, corpus_dirs: Sequence[Path] = ()) -> AddResult:
    """Copy FILE into a corpus and catalogue it with the metadata the file holds, overridden by `fields`.

    A symbolic link is followed: the target's bytes are read, its name gives the format and its folder the
    digest's meta file; the id comes from the name given."""
    fields = fields or NewDocument()
    corpus = target_corpus(corpus_dirs)
    file = Path(file)
    if fields.id.strip():
        check_id(fields.id.strip())  # a bad --id is refused before the file is read
    target = file.resolve() if file.is_symlink() else file
    data = read_bytes(file)  # once: what is read is what is stored
    source = read_data(target, data)
    known = Catalogue.default([*corpus_dirs, corpus]).entries
    entry = entry_for(source, file.name, fields, fields.id.strip(), "", file, known)
    taken = {e.id for e in known}
    doc_id, base = choose_id(fields, file.name, entry, taken, file)
    derived = bool(base)
    suffix = stored_suffix(target.name, source.format)
    meta_data = None
    if entry.kind == "digest":
        meta_side = target.with_name(f"{target.name[: -len('.digest.txt')]}.meta.toml")
        if meta_side.is_file():
            meta_data = read_bytes(meta_side)
    document = segment_new(replace(entry, id=doc_id), source, file)
    tried = {doc_id}
    for _ in range(ID_RETRIES):
        entry, files = _named(entry, doc_id, suffix, data, meta_data)
        try:
            created = store(corpus, entry, files, corpus_dirs)
            break
        except CorpusError:
            # Another add took the id this one derived, between choosing it and writing: take the next free one.
            now = {e.id for e in Catalogue.default([*corpus_dirs, corpus]).entries}
            if not derived or not (doc_id in now or any((corpus / name).exists() for name in files)):
                raise
            doc_id = unique_id(base, taken | now | tried)
            tried.add(doc_id)
    else:
        raise CorpusError(f"{corpus}: other adds keep taking the ids derived for {file.name}; give --id")
    from_name = derived and doc_id.startswith(name_id(file.name) or "\0")
    return AddResult(
        entry, replace(document, info=replace(document.info, id=doc_id)), corpus, created, derived, from_name
    )


def _named(entry: Entry, doc_id: str, suffix: str, data: bytes, meta: bytes | None) -> tuple[Entry, dict[str, bytes]]:
    entry = replace(entry, id=doc_id, file=f"{doc_id}{suffix}", meta=f"{doc_id}.meta.toml" if meta else "")
    files = {entry.file: data}
    if meta is not None:
        files[entry.meta] = meta
    return entry, files


# --- the journal: files an add or remove is in the middle of writing or deleting --------------------------------

_JOURNAL_HEADER = (
    "# policydiff: files an add or remove of this corpus was writing or deleting. A name listed here that the\n"
    "# catalogue does not use was left by an interrupted add or remove: `policydiff corpus validate --repair`\n"
    "# removes it. Do not edit.\n"
)


def journal_names(corpus: Path) -> list[str]:
    path = corpus / JOURNAL_FILE
    if not path.is_file() or path.is_symlink():
        return []
    try:
        text = read_bytes(path, max_bytes=1024 * 1024).decode("utf-8", "replace")
    except InputError:
        return []
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [n for n in names if not name_problem(n)]


def _write_journal(corpus: Path, names: Sequence[str]) -> None:
    path = corpus / JOURNAL_FILE
    if not names:
        path.unlink(missing_ok=True)
        return
    atomic_write(path, (_JOURNAL_HEADER + "".join(f"{n}\n" for n in sorted(set(names)))).encode("utf-8"))


def _restore(path: Path, before: bytes | None) -> None:
    if before is None:
        path.unlink(missing_ok=True)
    else:
        atomic_write(path, before)


def store(corpus: Path, entry: Entry, files: dict[str, bytes], corpus_dirs: Sequence[Path] = ()) -> bool:
    """Write the entry's files, then append it to the catalogue: all or nothing, even if killed in between (the
    files are journalled first, so an interrupted add leaves orphans a re-add replaces). True when the folder
    was made."""
    for name in files:
        if problem := name_problem(name):
            raise CorpusError(f"{name!r} cannot be a document's file: it {problem}; choose another --id")
    check_new_id(entry.id, corpus, corpus_dirs)  # early, so a refused add does not even take the lock
    created = not corpus.exists()
    written: list[Path] = []
    journal = corpus / JOURNAL_FILE
    journal_before: bytes | None = None
    journalled = committed = False
    try:
        corpus.mkdir(parents=True, exist_ok=True)
        lock = _lock(corpus)
        try:
            # Another add may have landed while we waited for the lock: check again against what is there now.
            current = read_catalogue(corpus)
            if entry.id in {e.id for e in current}:
                raise CorpusError(f"document id {entry.id!r} already exists (in {corpus}); choose another --id")
            used = {str(getattr(e, k)): e.id for e in current for k in FILE_FIELDS if getattr(e, k)}
            pending = journal_names(corpus)
            orphans: set[str] = set()
            for name in files:
                path = corpus / name
                if not (path.exists() or path.is_symlink()):
                    continue
                if name in used:
                    raise CorpusError(
                        f"{path} already exists in the corpus (document {used[name]!r}); choose another --id"
                    )
                if name not in pending:
                    raise CorpusError(
                        f"{path} is already in the corpus folder but not in its catalogue; move it away or choose "
                        "another --id"
                    )
                orphans.add(name)  # left by an interrupted add: ours to replace
            journal_before = journal.read_bytes() if journal.is_file() else None
            _write_journal(corpus, [*pending, *files])
            journalled = True
            for name, data in files.items():
                atomic_write(corpus / name, data)
                if name not in orphans:
                    written.append(corpus / name)
            text = _catalogue_text(corpus)
            new_text = text + ("" if text.endswith("\n") or not text else "\n") + "\n" + render_entry(entry)
            if _ids_of(new_text, corpus / CATALOGUE_FILE)[-1:] != [entry.id]:  # pragma: no cover - a bug guard
                raise CorpusError(f"{corpus / CATALOGUE_FILE}: could not append the new entry; nothing changed")
            atomic_write(corpus / CATALOGUE_FILE, new_text.encode("utf-8"))
            committed = True
            _write_journal(corpus, [n for n in pending if n not in files])
        finally:
            lock.release()
    except BaseException:
        if not committed:
            for path in written:
                path.unlink(missing_ok=True)
            if journalled:
                _restore(journal, journal_before)
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
    """Take a document out of its corpus: the catalogue entry first, then its files (unless `keep_files`).

    Only files the entry owns are deleted: plain names in the corpus folder that no other entry uses and that
    are not policydiff's own (the catalogue, its lock and journal, hidden or temporary files)."""
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
        still_used = {str(getattr(e, k)) for e in current if e.id != doc_id for k in FILE_FIELDS}
        owned = [] if keep_files else [n for n in _names(entry) if n not in still_used and not name_problem(n)]
        pending = journal_names(corpus)
        if owned:  # journalled first: a remove killed after the catalogue is written leaves known orphans
            _write_journal(corpus, [*pending, *owned])
        atomic_write(corpus / CATALOGUE_FILE, new_text.encode("utf-8"))
        for name in owned:
            (corpus / name).unlink(missing_ok=True)
        if owned:
            _write_journal(corpus, [n for n in pending if n not in owned])
    finally:
        lock.release()
    return entry


def _names(entry: Entry) -> list[str]:
    return [str(getattr(entry, k)) for k in FILE_FIELDS if getattr(entry, k)]


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
    repaired: tuple[str, ...] = field(default=())  # what --repair removed, one line each

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        if self.ok:
            return f"{self.checked} documents in {len(self.corpora)} corpora: no problems"
        docs = len({p.where for p in self.problems})
        return f"{len(self.problems)} problems in {docs} of {self.checked} documents or catalogues"


def _file_problem(entry: Entry, key: str) -> tuple[Path | None, str]:
    """The checked path of one of the entry's files, or the problem with it (missing, outside, not a file)."""
    try:
        return corpus_file(entry, key), ""
    except CorpusError as exc:
        message = str(exc).split(": ", 2)[-1]  # the entry is named by the report line already
        return None, message


def entry_file_problems(entry: Entry) -> list[str]:
    """Problems of one entry that need its files: presence, hashes, whether it segments into clauses and has
    words to compare."""
    problems: list[str] = []
    path, problem = _file_problem(entry, "file")
    if path is None:
        if "is missing from" in problem:
            return [f"file {entry.file} is missing from {entry.corpus}"]
        return [problem]
    try:
        actual = file_sha256(path)
    except InputError as exc:
        return [f"cannot be read: {exc.reason}"]
    if not entry.sha256:
        problems.append(f"no sha256 recorded for {entry.file} (it is {actual})")
    elif actual != entry.sha256:
        problems.append(f"{entry.file} has changed: sha256 is {actual}, the catalogue says {entry.sha256}")
    for key in ("meta", "original"):
        if not getattr(entry, key):
            continue
        side, problem = _file_problem(entry, key)
        if side is None:
            name = getattr(entry, key)
            problems.append(
                f"{'meta file' if key == 'meta' else key} {name} is missing"
                if "is missing from" in problem
                else problem
            )
        elif key == "original" and entry.original_sha256:
            try:
                if file_sha256(side) != entry.original_sha256:
                    problems.append(f"original {entry.original} has changed since it was fetched")
            except InputError as exc:
                problems.append(f"original {entry.original} cannot be read: {exc.reason}")
    if any(p.startswith(("meta ", "meta file")) for p in problems):
        return problems
    try:
        document = load_entry(entry)
    except PolicydiffError as exc:
        problems.append(f"cannot be read: {exc}")
        return problems
    if not document.has_words:
        problems.append(NO_WORDS)
    elif not any(c.role == "clause" for c in document.clauses):
        problems.append("does not segment into clauses (no 一、 sections or （一） clauses found)")
    return problems


# Temporary files atomic_write makes (".NAME.XXXXXXXX.tmp"); one that outlives its write was interrupted.
_TEMP_RE = re.compile(r"^\..+\.[A-Za-z0-9_]+\.tmp$")


@dataclass(frozen=True)
class Leftover:
    name: str
    size: int
    why: str


def leftovers(corpus: Path, entries: Sequence[Entry]) -> list[Leftover]:
    """Files an interrupted add, remove or write left in a corpus folder: journalled files no entry uses
    (orphans) and temporary files. Files a researcher put there are not policydiff's and are never listed."""
    used = {str(getattr(e, k)) for e in entries for k in FILE_FIELDS}
    found: list[Leftover] = []
    for name in journal_names(corpus):
        path = corpus / name
        if name not in used and (path.is_file() or path.is_symlink()):
            found.append(
                Leftover(
                    name, path.lstat().st_size, "an orphan: not in the catalogue, left by an interrupted add or remove"
                )
            )
    try:
        names = sorted(p.name for p in corpus.iterdir())
    except OSError:
        return found
    for name in names:
        path = corpus / name
        if _TEMP_RE.match(name) and not path.is_dir():
            found.append(Leftover(name, path.lstat().st_size, "a temporary file left by an interrupted write"))
    return found


def repair_corpus(corpus: Path) -> list[str]:
    """Remove what interrupted adds, removes and writes left behind (see `leftovers`), under the corpus lock so
    no write in progress is touched. Returns one line per file removed."""
    lock = _lock(corpus)
    try:
        entries = read_catalogue(corpus)
        removed: list[str] = []
        for item in leftovers(corpus, entries):
            (corpus / item.name).unlink(missing_ok=True)
            removed.append(f"removed {corpus / item.name} ({item.size:,} bytes): {item.why}")
        # What the journal still lists is now either removed or in the catalogue (an add killed just after
        # writing it): nothing is pending any more.
        _write_journal(corpus, [])
    finally:
        lock.release()
    return removed


def validate_corpora(
    corpus_dirs: Sequence[Path] = (), include_bundled: bool = True, repair: bool = False
) -> ValidationReport:
    """Check every catalogue entry of every corpus a run would see, and report all problems at once.

    With `repair`, first remove what interrupted adds and writes left in the researcher's folders (orphans and
    temporary files), and say what was removed."""
    dirs: list[tuple[Path, str]] = [(BUNDLED_DIR, "bundled")] if include_bundled else []
    dirs.extend((d, str(d)) for d in default_corpus_dirs(corpus_dirs))
    problems: list[Problem] = []
    repaired: list[str] = []
    seen: dict[str, str] = {}
    checked = 0
    for corpus, origin in dirs:
        if not (corpus / CATALOGUE_FILE).is_file():
            problems.append(Problem(str(corpus), f"no {CATALOGUE_FILE} in this folder"))
            continue
        catalogue_path = str(corpus / CATALOGUE_FILE)
        try:
            if repair and corpus != BUNDLED_DIR:
                repaired.extend(repair_corpus(corpus))
            loaded = load_catalogue_file(corpus, origin)
        except CatalogueShapeError as exc:
            problems.extend(Problem(catalogue_path, p) for p in exc.problems)
            continue
        except CorpusError as exc:
            problems.append(Problem(catalogue_path, str(exc)))
            continue
        if corpus != BUNDLED_DIR:
            problems.extend(
                Problem(
                    str(corpus),
                    f"{item.name} ({item.size:,} bytes) is {item.why}; "
                    "`policydiff corpus validate --repair` removes it",
                )
                for item in leftovers(corpus, loaded.entries)
            )
        for entry, table in zip(loaded.entries, loaded.tables, strict=True):
            checked += 1
            messages = entry_problems(entry)
            messages.extend(
                f"unknown field {key!r} (policydiff does not read it; a typo?)" for key in unknown_fields(table)
            )
            if (dp := date_problem(entry.date)) and not any(m.startswith("date") for m in messages):
                messages.append(dp)
            if entry.id in seen:
                messages.append(f"id appears twice: in {seen[entry.id]} and in {origin}")
            seen.setdefault(entry.id, origin)
            if not any(m.startswith(("file ", "meta ", "original ")) for m in messages):
                messages.extend(entry_file_problems(entry))
            problems.extend(Problem(entry.id, m) for m in messages)
    return ValidationReport(tuple(origin for _, origin in dirs), checked, tuple(problems), tuple(repaired))


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
