"""A corpus study: one reference against many targets, run in parallel, gathered into a tidy dataset.

`study(reference, targets, …)` compares every target with the reference (on Dask workers or in this process,
see `compare.distributed`), keeps each finished pair in the output folder as it completes (so an interrupted
run loses only the pairs in flight and a rerun skips the rest), and returns its tables as pandas DataFrames:
`verdicts` (one row per verdict), `documents`, `pairs` (one row per pair, with its error if it failed),
`provisions` (reference provision × target → label, the long form of the matrix), `instruments` (document ×
provision × unit × policy-instrument code) and `instrument_mix` (shares by type and subtype, difference from
the reference). `write_study` writes them
as Parquet and CSV beside `study.json` and the summaries. Rows are sorted and scores rounded, so the tables
are the same whatever the worker count, the scheduler or the order in which pairs finished.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import pickle
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from policydiff.compare.cache import cache_dir, engine_fingerprint, key
from policydiff.compare.config import AlignConfig
from policydiff.compare.distributed import CONNECT_TIMEOUT, Pool, open_pool
from policydiff.compare.matrix import Cell, lay_out
from policydiff.compare.result import STATUSES, ClauseRef, Comparison, Verdict
from policydiff.compare.run import document_fingerprint
from policydiff.compare.tables import TablePart
from policydiff.corpora.atomic import atomic_write
from policydiff.corpora.catalogue import Catalogue, Entry, ReadDocument, read_entry
from policydiff.corpora.errors import ConfigError, InputError, PolicydiffError
from policydiff.corpora.links import title_key
from policydiff.corpora.model import LEVELS, Document
from policydiff.corpora.version import package_version
from policydiff.corpora.wrapper import issued_documents

STUDY_SCHEMA = "policydiff/study@1"
PAIRS_FOLDER = "pairs"  # inside the output folder: one file per finished pair, what a rerun reuses
DECIMALS = 6  # scores in the tables: enough to rank, few enough that no platform's last bit shows
# Progress callback: (pairs finished, pairs in all, pairs reused from an earlier run).
Progress = Callable[[int, int, int], None]


Target = ReadDocument | Document  # as read in this process (segmented on the worker), or given in Python


@dataclass(frozen=True)
class PairTask:
    """What a worker needs for one pair besides the reference (sent to each worker once): the target, the
    settings and where the rules come from. `name` is the id a read error is recorded under."""

    name: str
    target: Target
    config: AlignConfig
    rule_folders: tuple[str, ...] = ()


@dataclass(frozen=True)
class PairRecord:
    """What one pair adds to the tables, as rows (what a worker sends back and `pairs/KEY.pickle` keeps).

    `document` is the target's row of `documents` (None when it could not be read, `error` then says why);
    `compared` is False for a pair that failed. `verdicts` are rows in the order of VERDICT_COLUMNS;
    `instruments` the target's rows of the `instruments` table made into a `tables.TablePart` where the pair ran;
    `cells` is the target's column of the matrix (`matrix.column_cells`); `coding` its instrument summary (units
    left out) for the instrument mix.
    """

    target_id: str
    document: dict[str, Any] | None = None
    error: str = ""
    compared: bool = False
    clauses: int = 0
    counts: tuple[int, ...] = ()  # per label of STATUSES
    verdicts: tuple[tuple[Any, ...], ...] = ()
    cells: tuple[dict[str, Cell], dict[str, ClauseRef]] = ({}, {})
    level_region_date: tuple[str, str, str] = ("", "", "")
    coding: Any = None  # coding.DocumentCoding without its units
    instruments: TablePart | None = None


VERDICT_COLUMNS = (
    "target_id", "reference_id", "verdict_order", "target_order", "reference_order", "target_paths",
    "target_headings", "reference_paths", "reference_headings", "label", "score", "word_score", "char_score",
    "heading_score", "target_coverage", "reference_coverage", "relation", "moved", "matched_by", "shared_terms",
    "target_only_terms", "reference_only_terms", "topics", "target_changes", "localisations", "directive",
    "directive_detail", "unseen", "target_level", "target_region", "target_date", "reference_level",
    "reference_region", "reference_date",
)  # fmt: skip


@functools.lru_cache(maxsize=4)
def _worker_rules(folders: tuple[str, ...]) -> Any:
    from policydiff.rules.ruleset import load_rules

    return load_rules([Path(f) for f in folders])


def run_pair(job: tuple[Document, PairTask]) -> PairRecord:
    """One pair on whichever process runs it: segment the target, compare it with the reference, code its
    policy instruments, and return the rows it adds to the tables. jieba and the rules stay loaded between
    calls; a target that cannot be segmented comes back as a record with its error."""
    from policydiff.compare.cache import Cache
    from policydiff.compare.run import compare_pair

    reference, task = job
    target = _segmented(task)
    if isinstance(target, str):
        return PairRecord(task.name, error=target)
    rules = _worker_rules(task.rule_folders)
    comparison = compare_pair(target, reference, task.config, rules, Cache(enabled=False))
    return pair_record(target, reference, comparison)


def _keep_examples_classifier() -> None:
    """Train the codebook's examples classifier into the user cache on a thread, unless it is there already,
    while this process starts the workers and reads the targets: the workers then read it from the cache
    (waiting for the thread if they are early) instead of each training it."""
    import threading

    from policydiff.compare.cache import Cache
    from policydiff.compare.coding import default_codebook
    from policydiff.compare.learned import chooser

    kept = Cache.open()
    if kept.enabled:
        threading.Thread(
            target=chooser, args=(default_codebook(), kept), name="policydiff-examples", daemon=True
        ).start()


def load_shared(folders: tuple[str, ...] = ()) -> None:
    """Load what every pair needs whatever the reference: the comparison's modules, numpy, scipy and Arrow, the
    rules in `folders` (the default ones without) with jieba and its dictionary, and the codebook. A local cluster's
    workers are forked from a process that has run this for the default rules (`compare.preload`), so that on a
    small machine two workers do not each spend a core's second on it; `prepare_worker` then finds it done."""
    from policydiff.compare import align, classify, features, matrix  # noqa: F401  (the pair's modules)
    from policydiff.compare.cache import Cache
    from policydiff.compare.coding import FRAME_TYPES, default_codebook
    from policydiff.compare.run import rules_tokenizer
    from policydiff.compare.tables import table_part
    from policydiff.compare.tokenize import dictionary_frequency
    from policydiff.compare.vectorise import load_engine

    load_engine()
    rules_tokenizer(_worker_rules(folders), Cache(enabled=False)).tokens("中部地区")
    dictionary_frequency("")
    default_codebook()
    table_part((), FRAME_TYPES)  # Arrow, in which each pair's coded sentences leave its worker


PRELOAD = "policydiff.compare.preload"  # the module whose import runs `load_shared`


def prepare_worker(job: tuple[Document, AlignConfig, tuple[str, ...], str | None]) -> None:
    """Load what every pair on this process needs before its first: jieba and its dictionary,
    the rules, the codebook with its examples' classifier, and the reference's side (`Pool.warm` runs it while
    the targets are being read). The classifier comes from the user cache folder the study names (`cache_root`)
    when this machine has it there, else it is trained here and kept there."""
    from policydiff.compare.cache import Cache
    from policydiff.compare.coding import code_document, default_codebook
    from policydiff.compare.learned import chooser
    from policydiff.compare.run import reference_side

    reference, config, folders, cache_root = job
    load_shared(folders)
    reference_side(reference, config, _worker_rules(folders), Cache(enabled=False))
    kept = Cache.open(Path(cache_root)) if cache_root else None
    chooser(default_codebook(), kept if kept is not None and kept.enabled else None)
    code_document(reference)


def _segmented(task: PairTask) -> Document | str:
    if isinstance(task.target, Document):
        return task.target
    try:
        return task.target.segmented()
    except (PolicydiffError, OSError, ValueError) as exc:
        return _read_error(exc)


def _read_error(exc: BaseException) -> str:
    return f"cannot read: {' '.join(str(exc).split())}"


def pair_record(target: Document, reference: Document, comparison: Comparison | None) -> PairRecord:
    """The rows `target` adds to the tables (its comparison with `reference`, or None when that failed)."""
    from policydiff.compare.coding import FRAME_TYPES, CodingReport, code_document, coding_rows
    from policydiff.compare.matrix import column_cells
    from policydiff.compare.tables import table_part

    coding = code_document(target)
    instruments = table_part([tuple(r.values()) for r in coding_rows(CodingReport({}, (coding,)))], FRAME_TYPES)
    info = target.info
    base = PairRecord(
        target_id=info.id,
        document=_document_row(target, "target"),
        clauses=len(target.clauses),
        level_region_date=(info.level, info.region, info.date),
        coding=dataclasses.replace(coding, units=(), provisions=()),
        instruments=instruments,
    )
    if comparison is None:
        return base
    t_pos = {c.path: i for i, c in enumerate(target.clauses)}
    r_pos = {c.path: i for i, c in enumerate(reference.clauses)}
    head = {"target_id": info.id, "reference_id": reference.info.id}
    tail = {**_doc_columns("target", target), **_doc_columns("reference", reference)}
    rows = [{**head, **_verdict_row(v, order, t_pos, r_pos), **tail} for order, v in enumerate(comparison.verdicts)]
    if rows and tuple(rows[0]) != VERDICT_COLUMNS:  # a column added to the rows must be named there too
        raise RuntimeError(f"verdict columns {tuple(rows[0])} differ from VERDICT_COLUMNS")
    verdicts = tuple(tuple(row.values()) for row in rows)
    summary = comparison.summary
    return dataclasses.replace(
        base,
        compared=True,
        counts=tuple(int(summary.get(label, 0)) for label in STATUSES),
        verdicts=verdicts,
        cells=column_cells(comparison),
    )


@dataclass
class StudyResult:
    """A study's tables as pandas DataFrames (`verdicts`, `documents`, `pairs`, `provisions`, `instruments`,
    `instrument_mix`), what study.json records (`record`), and how many pairs failed (`failed`)."""

    verdicts: Any  # pandas DataFrames
    documents: Any
    pairs: Any
    provisions: Any
    instruments: Any = None  # document × provision × unit × code (`coding.codings_frame`), reference first
    instrument_mix: Any = None  # per document, share of coded sentences by type and subtype, difference from ref
    record: dict[str, Any] = field(default_factory=dict)  # what study.json holds
    # Tables' rows as the Python tuples they were made from, by table name, for writing their CSV directly, and
    # the CSV of a table joined from parts made on the workers; both let go once written.
    rows: dict[str, Sequence[tuple[Any, ...]]] = field(default_factory=dict, repr=False)
    csv: dict[str, bytes] = field(default_factory=dict, repr=False)

    def tables(self) -> dict[str, Any]:
        """Every table of the study by name (the files it writes: `NAME.parquet`, `NAME.csv`)."""
        return {name: getattr(self, name) for name in TABLES}

    def to_pandas(self) -> Any:
        """One row per verdict, every target stacked (the `verdicts` table)."""
        return self.verdicts

    @property
    def failed(self) -> int:
        """Pairs that could not be compared (their errors are in `pairs`)."""
        return int((self.pairs["status"] == "failed").sum()) if len(self.pairs) else 0


def select_targets(catalogue: Catalogue, reference: Document, all_below: bool = False) -> list[str]:
    """Ids of the documents implementing `reference` (their `implements` names its id, its title, or for a
    notice that issues a document (关于印发《X》的通知) X's title), or with `all_below` every document of a lower
    level than the reference's."""
    ref = reference.info
    if all_below:
        if ref.level not in LEVELS or ref.level == "other":
            raise ConfigError(f"{ref.id} has level {ref.level!r}: --all needs a reference of a known level")
        rank = LEVELS.index(ref.level)
        return sorted(e.id for e in catalogue.entries if e.level in LEVELS[rank + 1 : -1] and e.id != ref.id)
    titles = {title_key(t) for t in (ref.title, *issued_documents(reference)) if t}
    return sorted(
        e.id
        for e in catalogue.entries
        if e.id != ref.id and any(v == ref.id or title_key(v) in titles for v in e.implements)
    )


def pair_key(target: Target, reference: Document, config: AlignConfig, rules_fingerprint: str) -> str:
    """A pair's key: the target's content (its text as read, data card and coverage notes, or for a Document
    given in Python its fingerprint), the reference's, the settings, the rules and the engine's code (which
    includes the segmenter, so the text as read fixes the segmented document)."""
    if isinstance(target, Document):
        content = ("document", document_fingerprint(target))
    else:
        content = ("read", key(target.text, repr(target.info), repr(target.coverage)))
    return key(
        "study-pair",
        _version(),
        engine_fingerprint(),
        config.digest(),
        rules_fingerprint,
        *content,
        document_fingerprint(reference),
    )[:32]


_version = functools.lru_cache(maxsize=1)(package_version)  # read from the installed metadata: once, not per pair


def _stored(folder: Path | None, k: str) -> PairRecord | None:
    if folder is None:
        return None
    try:
        value = pickle.loads((folder / f"{k}.pickle").read_bytes())
    except Exception:  # missing or damaged: the pair is run again
        return None
    return value if isinstance(value, PairRecord) and value.compared else None


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _collector_paused(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run `fn` with Python's cyclic garbage collector off, as it was before afterwards. A study's coordinating
    process keeps millions of small objects to the end (every pair's rows) and makes no cycles of them; the
    collector walked them again and again as they grew (0.35 s of CPU in a 256-target study, measured, a third
    of it while the workers needed the cores). Cycles made meanwhile are collected once it is back on."""

    @functools.wraps(fn)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        was_on = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if was_on:
                gc.enable()

    return paused


@_collector_paused
def study(
    reference: str | Path | Document,
    targets: Sequence[str | Path | Document] | None = None,
    *,
    corpus: Sequence[Path] = (),
    all_below: bool = False,
    out: Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    fresh: bool = False,
    config: AlignConfig | None = None,
    rule_folders: Sequence[Path] = (),
    progress: Progress | None = None,
    connect_timeout: float = CONNECT_TIMEOUT,
) -> StudyResult:
    """Compare every target with `reference` and gather the verdicts into tables (written to `out` if given).

    Targets are ids, files or Documents; without them, every document in the corpora whose `implements` names
    the reference (`all_below`: every document of a lower level). A target that cannot be read becomes a
    failed pair with its error; the study goes on.

    This process only reads the targets and gathers rows: segmenting, comparing and coding each target runs
    where its pair runs, so that the workers have the machine to themselves.
    """
    from policydiff.rules.ruleset import load_rules

    started = time.perf_counter()
    config = config or AlignConfig()
    if out is not None and out.exists() and not out.is_dir():
        raise InputError(out, "is a file; --out needs a folder")
    catalogue = Catalogue.default(corpus)
    ref_doc = reference if isinstance(reference, Document) else catalogue.load(str(reference))
    names = list(targets) if targets else select_targets(catalogue, ref_doc, all_below)
    if not names:
        raise ConfigError(f"no document in the corpora implements {ref_doc.info.id}: name the targets, or use --all")
    # An unknown id is a usage error, not a failed pair: found out before any worker starts.
    resolved = [n if isinstance(n, Document) else catalogue.resolve(str(n)) for n in names]
    folders = tuple(str(Path(f).resolve()) for f in rule_folders)
    rules = load_rules([Path(f) for f in folders])
    pool: Pool | None = None
    shared: Any = ref_doc
    _keep_examples_classifier()
    if scheduler or workers is not None:
        # Where the pairs run does not depend on how many are left: start the workers now, and let them load
        # what every pair needs while this process reads the targets.
        pool = open_pool(workers, scheduler, len(resolved), connect_timeout, preload=(PRELOAD,))
    try:
        if pool is not None:
            shared = pool.share(ref_doc)
            pool.warm(prepare_worker, (shared, config, folders, str(cache_dir())))
        read, read_errors = _read_targets(resolved)
        ids = [t.info.id for _, t in read] + [i for i, _ in read_errors]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ConfigError(f"target(s) given more than once: {', '.join(repeated)}")
        if ref_doc.info.id in ids:
            raise ConfigError(f"{ref_doc.info.id} is the reference; it cannot also be a target")
        store = None
        if out is not None:
            store = out / PAIRS_FOLDER
            store.mkdir(parents=True, exist_ok=True)
            if fresh:
                for old in store.glob("*.pickle"):
                    old.unlink()

        keys = {t.info.id: pair_key(t, ref_doc, config, rules.fingerprint) for _, t in read}
        records: dict[str, PairRecord] = {}
        for _, target in read:
            found = _stored(store, keys[target.info.id])
            if found is not None:
                records[target.info.id] = found
        reused = len(records)
        errors = dict(read_errors)
        tasks = {t.info.id: PairTask(name, t, config, folders) for name, t in read if t.info.id not in records}
        by_key = {keys[i]: i for i in tasks}
        total = len(read) + len(read_errors)
        done = reused + len(read_errors)
        if progress:
            progress(done, total, reused)
        if pool is None:
            pool = open_pool(workers, scheduler, len(tasks), connect_timeout, preload=(PRELOAD,))
            shared = pool.share(ref_doc) if tasks else ref_doc
            if tasks:
                pool.warm(prepare_worker, (shared, config, folders, str(cache_dir())))
        compute_started = time.perf_counter()
        for finished in pool.run(run_pair, [(keys[i], (shared, task)) for i, task in tasks.items()]):
            target_id = by_key[finished.key]
            record = finished.result
            if finished.error:  # the comparison failed: the target's rows without verdicts, made here
                errors[target_id] = finished.error
                record = _failed_record(tasks[target_id], ref_doc)
            if record.document is None:  # the target could not be segmented: a read error
                errors[record.target_id] = record.error
            else:
                records[target_id] = record
                if store is not None and record.compared:
                    data = pickle.dumps(finished.result, protocol=pickle.HIGHEST_PROTOCOL)
                    atomic_write(store / f"{finished.key}.pickle", data, durable=False)
            done += 1
            if progress:
                progress(done, total, reused)
        computed = time.perf_counter() - compute_started
    except BaseException:
        if pool is not None:
            pool.close()
        raise
    # The workers shut down while this process lays out and writes the tables.
    closing = threading.Thread(target=pool.close, name="policydiff-close-pool", daemon=True)
    closing.start()
    try:
        result = _tables(ref_doc, records, errors, keys)
        _add_instruments(result, ref_doc, records)
        result.record = _record(ref_doc, ids, config, rules, records, pool, (total, reused, len(tasks), result.failed))
        result.record["run"]["seconds_comparing"] = round(computed, 3)
        result.record["run"]["seconds_total"] = round(time.perf_counter() - started, 3)
        if out is not None:
            write_study(result, out)
        result.rows.clear()  # written: the frames hold the same values, and a caller keeps only those
        result.csv.clear()
    finally:
        closing.join()
    return result


def _record(
    ref_doc: Document,
    ids: list[str],
    config: AlignConfig,
    rules: Any,
    records: dict[str, PairRecord],
    pool: Pool,
    counts: tuple[int, int, int, int],
) -> dict[str, Any]:
    """What study.json holds (the run's timings are added by the caller). `counts`: pairs in all, reused,
    computed and failed."""
    total, reused, computed, failed = counts
    return {
        "schema": STUDY_SCHEMA,
        "policydiff_version": package_version(),
        "reference": {"id": ref_doc.info.id, "sha256": ref_doc.info.sha256},
        "targets": sorted(ids),
        "config": config.as_dict(),
        "rules": rules.describe(),
        "documents": {
            ref_doc.info.id: ref_doc.info.sha256,
            **{i: r.document["sha256"] for i, r in records.items() if r.document is not None},
        },
        "packages": _package_versions(),
        "run": {
            "pool": pool.describe,
            "workers": pool.workers,
            "pairs": total,
            "reused": reused,
            "computed": computed,
            "failed": failed,
        },
    }


def _failed_record(task: PairTask, reference: Document) -> PairRecord:
    """A pair whose comparison failed on its worker (or whose workers kept dying): the target's rows without
    verdicts, segmented here; a target that cannot be segmented is a read error after all."""
    target = _segmented(task)
    if isinstance(target, str):
        return PairRecord(task.name, error=target)
    return pair_record(target, reference, None)


def _read_targets(
    names: Sequence[Entry | Document],
) -> tuple[list[tuple[str, Target]], list[tuple[str, str]]]:
    """Each target as read (not yet segmented) with the id its read error would be recorded under, and the
    targets that could not be read with their errors."""
    read: list[tuple[str, Target]] = []
    errors: list[tuple[str, str]] = []
    for entry in names:
        if isinstance(entry, Document):
            read.append((entry.info.id, entry))
            continue
        try:
            read.append((entry.id, read_entry(entry)))
        except (PolicydiffError, OSError, ValueError) as exc:
            errors.append((entry.id, _read_error(exc)))
    return read, errors


def _package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("policydiff", "numpy", "scipy", "scikit-learn", "jieba", "pandas", "pyarrow", "dask", "distributed"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = ""
    return out


def _joined(refs: Sequence[ClauseRef], attr: str = "path") -> str:
    return "; ".join(getattr(r, attr) for r in refs)


def _round(x: float) -> float:
    return round(float(x), DECIMALS)


def _verdict_row(v: Verdict, order: int, t_pos: dict[str, int], r_pos: dict[str, int]) -> dict[str, Any]:
    e = v.evidence
    s = e.scores
    return {
        "verdict_order": order,
        "target_order": t_pos.get(v.target[0].path, -1) if v.target else -1,
        "reference_order": r_pos.get(v.reference[0].path, -1) if v.reference else -1,
        "target_paths": _joined(v.target),
        "target_headings": _joined(v.target, "heading"),
        "reference_paths": _joined(v.reference),
        "reference_headings": _joined(v.reference, "heading"),
        "label": v.label,
        "score": _round(v.score),
        "word_score": _round(s.word),
        "char_score": _round(s.char),
        "heading_score": _round(s.heading),
        "target_coverage": _round(s.target_coverage),
        "reference_coverage": _round(s.reference_coverage),
        "relation": e.relation,
        "moved": e.moved,
        "matched_by": "; ".join(e.matched_by),
        "shared_terms": "; ".join(e.shared_terms),
        "target_only_terms": "; ".join(e.target_only_terms),
        "reference_only_terms": "; ".join(e.reference_only_terms),
        "topics": "; ".join(e.topics),
        "target_changes": "; ".join(f"{c.indicator}: {c.change}" for c in e.target_changes),
        "localisations": "; ".join(e.localisations),
        "directive": e.directive,
        "directive_detail": e.directive_detail,
        "unseen": e.unseen,
    }


def _doc_columns(prefix: str, doc: Document) -> dict[str, Any]:
    info = doc.info
    return {f"{prefix}_level": info.level, f"{prefix}_region": info.region, f"{prefix}_date": info.date}


def _tables(
    reference: Document,
    records: dict[str, PairRecord],
    errors: dict[str, str],
    keys: dict[str, str],
) -> StudyResult:
    import pandas as pd

    read = [records[tid] for tid in sorted(records)]
    pair_rows: list[dict[str, Any]] = []
    for r in read:
        tid = r.target_id
        pair_rows.append(
            {
                "target_id": tid,
                "reference_id": reference.info.id,
                "status": "compared" if r.compared else "failed",
                "error": "" if r.compared else errors.get(tid, "not compared"),
                "verdicts": len(r.verdicts),
                **dict(zip(STATUSES, r.counts or (0,) * len(STATUSES), strict=True)),  # unjudged beside the four
                "target_clauses": r.clauses,
                "reference_clauses": len(reference.clauses),
                "pair_key": keys[tid],
            }
        )
    unread = sorted((tid, error) for tid, error in errors.items() if tid not in records)
    for tid, error in unread:
        pair_rows.append(
            {
                "target_id": tid,
                "reference_id": reference.info.id,
                "status": "failed",
                "error": error,
                "verdicts": 0,
                **dict.fromkeys(STATUSES, 0),
                "target_clauses": 0,
                "reference_clauses": len(reference.clauses),
                "pair_key": "",
            }
        )
    compared = [r for r in read if r.compared]
    provision_rows: list[dict[str, Any]] = []
    if compared:
        reading = [ClauseRef(c.path, c.heading, c.coverage) for c in reference.clauses]
        for ri, row in enumerate(lay_out([r.cells for r in compared], reading)):
            for r, cell in zip(compared, row.cells, strict=True):
                level, region, date = r.level_region_date
                provision_rows.append(
                    {
                        "reference_id": reference.info.id,
                        "reference_order": ri,
                        "reference_path": row.clause.path,
                        "reference_heading": row.clause.heading,
                        "reference_coverage": row.clause.coverage,
                        "target_id": r.target_id,
                        "label": cell.label,
                        "score": _round(cell.score),
                        "target_paths": _joined(cell.counterparts),
                        "unseen": cell.unseen,
                        "target_level": level,
                        "target_region": region,
                        "target_date": date,
                    }
                )
    document_rows = [_document_row(reference, "reference")] + [r.document for r in read if r.document is not None]
    document_rows += [{**_document_row(None, "target"), "id": tid, "read_error": err} for tid, err in unread]

    def frame(rows: list[dict[str, Any]], like: list[str]) -> Any:
        return pd.DataFrame(rows) if rows else pd.DataFrame(columns=like)

    verdict_rows = [row for r in compared for row in r.verdicts]
    verdicts = (
        pd.DataFrame(verdict_rows, columns=list(VERDICT_COLUMNS))
        if verdict_rows
        else pd.DataFrame(columns=["target_id", "verdict_order", "label"])
    )
    pairs = frame(pair_rows, ["target_id"]).sort_values("target_id", kind="stable").reset_index(drop=True)
    return StudyResult(
        verdicts=verdicts,
        documents=frame(document_rows, ["id"]),
        pairs=pairs,
        provisions=frame(provision_rows, ["reference_order", "target_id", "label"]),
        rows={"verdicts": verdict_rows},
    )


def _document_row(doc: Document | None, role: str) -> dict[str, Any]:
    if doc is None:
        return {
            "id": "", "role": role, "title": "", "kind": "", "level": "", "region": "", "date": "",
            "doc_type": "", "issuer": "", "implements": "", "sha256": "", "clauses": 0,
            "body_coverage": 0.0, "partial": False, "read_error": "",
        }  # fmt: skip
    info = doc.info
    return {
        "id": info.id,
        "role": role,
        "title": info.title,
        "kind": info.kind,
        "level": info.level,
        "region": info.region,
        "date": info.date,
        "doc_type": info.doc_type,
        "issuer": "; ".join(info.issuer),
        "implements": "; ".join(info.implements),
        "sha256": info.sha256,
        "clauses": len(doc.clauses),
        "body_coverage": _round(doc.body_coverage),
        "partial": doc.is_partial,
        "read_error": "",
    }


TABLES = ("verdicts", "documents", "pairs", "provisions", "instruments", "instrument_mix")


def _add_instruments(result: StudyResult, reference: Document, records: dict[str, PairRecord]) -> None:
    """The policy-instrument coding of the reference and of every target that was read. Each target was coded
    where its pair ran (its rows are in its record); the reference is coded here."""
    import pandas as pd

    from policydiff.compare.cache import Cache
    from policydiff.compare.coding import (
        FRAME_TYPES,
        MixRow,
        code_documents,
        coding_rows,
        default_codebook,
        instrument_mix,
    )
    from policydiff.compare.learned import chooser
    from policydiff.compare.tables import join_parts, table_part

    # The examples' classifier the workers kept in the user cache (or trained there): not trained again here.
    kept = Cache.open()
    chooser(default_codebook(), kept if kept.enabled else None)
    report = code_documents([reference])
    read = [records[tid] for tid in sorted(records)]
    parts = [table_part([tuple(r.values()) for r in coding_rows(report)], FRAME_TYPES)]
    parts += [r.instruments for r in read if r.instruments is not None]
    result.instruments, result.csv["instruments"] = join_parts(parts, FRAME_TYPES)
    codings = [*report.documents, *(r.coding for r in read)]
    columns = list(MixRow.__dataclass_fields__)
    mix = [vars(r) for r in instrument_mix(codings, reference=reference.info.id)]
    result.instrument_mix = pd.DataFrame(mix, columns=columns)


def write_study(result: StudyResult, out: Path) -> list[Path]:
    """The dataset: the tables as Parquet and CSV, study.json, summary.md and summary.html."""
    import json
    from concurrent.futures import ThreadPoolExecutor

    from policydiff.compare.study_report import summarise, summary_html, summary_md
    from policydiff.compare.tables import table_files

    out.mkdir(parents=True, exist_ok=True)

    def files() -> Iterator[tuple[str, bytes]]:
        for name in TABLES:
            yield from table_files(getattr(result, name), name, result.rows.get(name), result.csv.get(name))
        record = json.dumps(result.record, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        yield "study.json", record.encode("utf-8")
        summary = summarise(result)
        yield "summary.md", summary_md(summary).encode("utf-8")
        yield "summary.html", summary_html(summary).encode("utf-8")

    written: list[Path] = []
    # Each file is written and synced to disk on a thread of its own while the next one's bytes are made: the
    # disk's waits (a fifth of the writing) no longer hold up the tables.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="policydiff-write") as disk:
        pending = []
        for name, data in files():
            pending.append(disk.submit(atomic_write, out / name, data))
            written.append(out / name)
        for done in pending:
            done.result()  # a write that failed raises here
    return written
