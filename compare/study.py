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

import functools
import pickle
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policydiff.compare.cache import engine_fingerprint, key
from policydiff.compare.config import AlignConfig
from policydiff.compare.distributed import CONNECT_TIMEOUT, open_pool
from policydiff.compare.matrix import MatrixColumn, assemble_matrix
from policydiff.compare.result import STATUSES, ClauseRef, Comparison, Verdict
from policydiff.compare.run import document_fingerprint, summarise
from policydiff.corpora.atomic import atomic_write
from policydiff.corpora.catalogue import Catalogue
from policydiff.corpora.errors import ConfigError, InputError, PolicydiffError
from policydiff.corpora.model import LEVELS, Document
from policydiff.corpora.version import package_version

STUDY_SCHEMA = "policydiff/study@1"
PAIRS_FOLDER = "pairs"  # inside the output folder: one file per finished pair, what a rerun reuses
DECIMALS = 6  # scores in the tables: enough to rank, few enough that no platform's last bit shows
# Progress callback: (pairs finished, pairs in all, pairs reused from an earlier run).
Progress = Callable[[int, int, int], None]


@dataclass(frozen=True)
class PairTask:
    """What a worker needs for one pair: both documents, the settings and where the rules come from."""

    target: Document
    reference: Document
    config: AlignConfig
    rule_folders: tuple[str, ...] = ()


@functools.lru_cache(maxsize=4)
def _worker_rules(folders: tuple[str, ...]) -> Any:
    from policydiff.rules.ruleset import load_rules

    return load_rules([Path(f) for f in folders])


def run_pair(task: PairTask) -> Comparison:
    """One comparison, on whichever process runs it; jieba and the rules stay loaded between calls."""
    from policydiff.compare.cache import Cache
    from policydiff.compare.run import compare_pair

    rules = _worker_rules(task.rule_folders)
    return compare_pair(task.target, task.reference, task.config, rules, Cache(enabled=False))


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
    """Ids of the documents implementing `reference` (their `implements` names it), or with `all_below`
    every document of a lower level than the reference's."""
    ref = reference.info
    if all_below:
        if ref.level not in LEVELS or ref.level == "other":
            raise ConfigError(f"{ref.id} has level {ref.level!r}: --all needs a reference of a known level")
        rank = LEVELS.index(ref.level)
        return sorted(e.id for e in catalogue.entries if e.level in LEVELS[rank + 1 : -1] and e.id != ref.id)
    return sorted(e.id for e in catalogue.entries if ref.id in e.implements or ref.title in e.implements)


def pair_key(target: Document, reference: Document, config: AlignConfig, rules_fingerprint: str) -> str:
    return key(
        "study-pair",
        package_version(),
        engine_fingerprint(),
        config.digest(),
        rules_fingerprint,
        document_fingerprint(target),
        document_fingerprint(reference),
    )[:32]


def _stored(folder: Path | None, k: str) -> Comparison | None:
    if folder is None:
        return None
    try:
        value = pickle.loads((folder / f"{k}.pickle").read_bytes())
    except Exception:  # missing or damaged: the pair is run again
        return None
    return value if isinstance(value, Comparison) else None


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
    docs, read_errors = _open_targets(catalogue, names)
    ids = [d.info.id for d in docs] + [i for i, _ in read_errors]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ConfigError(f"target(s) given more than once: {', '.join(repeated)}")
    if ref_doc.info.id in ids:
        raise ConfigError(f"{ref_doc.info.id} is the reference; it cannot also be a target")
    folders = tuple(str(Path(f).resolve()) for f in rule_folders)
    rules = load_rules([Path(f) for f in folders])
    store = None
    if out is not None:
        store = out / PAIRS_FOLDER
        store.mkdir(parents=True, exist_ok=True)
        if fresh:
            for old in store.glob("*.pickle"):
                old.unlink()

    keys = {d.info.id: pair_key(d, ref_doc, config, rules.fingerprint) for d in docs}
    comparisons: dict[str, Comparison] = {}
    for doc in docs:
        found = _stored(store, keys[doc.info.id])
        if found is not None:
            comparisons[doc.info.id] = found
    reused = len(comparisons)
    errors = dict(read_errors)
    pending = [(keys[d.info.id], PairTask(d, ref_doc, config, folders)) for d in docs if d.info.id not in comparisons]
    by_key = {k: i for i, k in keys.items()}
    total = len(docs) + len(read_errors)
    done = reused + len(read_errors)
    if progress:
        progress(done, total, reused)
    pool = open_pool(workers, scheduler, len(pending), connect_timeout)
    compute_started = time.perf_counter()
    try:
        for finished in pool.run(run_pair, pending):
            target_id = by_key[finished.key]
            if finished.error:
                errors[target_id] = finished.error
            else:
                comparisons[target_id] = finished.result
                if store is not None:
                    data = pickle.dumps(finished.result, protocol=pickle.HIGHEST_PROTOCOL)
                    atomic_write(store / f"{finished.key}.pickle", data, durable=False)
            done += 1
            if progress:
                progress(done, total, reused)
    finally:
        pool.close()
    computed = time.perf_counter() - compute_started

    result = _tables(ref_doc, docs, comparisons, errors, keys)
    _add_instruments(result, ref_doc, docs)
    result.record = {
        "schema": STUDY_SCHEMA,
        "policydiff_version": package_version(),
        "reference": {"id": ref_doc.info.id, "sha256": ref_doc.info.sha256},
        "targets": sorted(ids),
        "config": config.as_dict(),
        "rules": rules.describe(),
        "documents": {d.info.id: d.info.sha256 for d in sorted([ref_doc, *docs], key=lambda d: d.info.id)},
        "packages": _package_versions(),
        "run": {
            "pool": pool.describe,
            "workers": pool.workers,
            "pairs": total,
            "reused": reused,
            "computed": len(pending),
            "failed": result.failed,
            "seconds_total": round(time.perf_counter() - started, 3),
            "seconds_comparing": round(computed, 3),
        },
    }
    if out is not None:
        write_study(result, out)
    return result


def _open_targets(
    catalogue: Catalogue, names: Sequence[str | Path | Document]
) -> tuple[list[Document], list[tuple[str, str]]]:
    docs: list[Document] = []
    errors: list[tuple[str, str]] = []
    for name in names:
        if isinstance(name, Document):
            docs.append(name)
            continue
        entry = catalogue.resolve(str(name))  # an unknown id is a usage error, not a failed pair
        try:
            from policydiff.corpora.catalogue import load_entry

            docs.append(load_entry(entry))
        except (PolicydiffError, OSError, ValueError) as exc:
            errors.append((entry.id, f"cannot read: {' '.join(str(exc).split())}"))
    return docs, errors


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
    docs: list[Document],
    comparisons: dict[str, Comparison],
    errors: dict[str, str],
    keys: dict[str, str],
) -> StudyResult:
    import pandas as pd

    docs = sorted(docs, key=lambda d: d.info.id)
    r_pos = {c.path: i for i, c in enumerate(reference.clauses)}
    verdict_rows: list[dict[str, Any]] = []
    pair_rows: list[dict[str, Any]] = []
    columns: list[MatrixColumn] = []
    compared: list[Document] = []
    for doc in docs:
        tid = doc.info.id
        comparison = comparisons.get(tid)
        counts = comparison.summary if comparison else dict.fromkeys(STATUSES, 0)
        pair_rows.append(
            {
                "target_id": tid,
                "reference_id": reference.info.id,
                "status": "compared" if comparison else "failed",
                "error": "" if comparison else errors.get(tid, "not compared"),
                "verdicts": len(comparison.verdicts) if comparison else 0,
                **{label: int(counts.get(label, 0)) for label in STATUSES},  # unjudged beside the four
                "target_clauses": len(doc.clauses),
                "reference_clauses": len(reference.clauses),
                "pair_key": keys[tid],
            }
        )
        if comparison is None:
            continue
        compared.append(doc)
        columns.append(MatrixColumn(summarise(doc), comparison))
        t_pos = {c.path: i for i, c in enumerate(doc.clauses)}
        for order, v in enumerate(comparison.verdicts):
            verdict_rows.append(
                {
                    "target_id": tid,
                    "reference_id": reference.info.id,
                    **_verdict_row(v, order, t_pos, r_pos),
                    **_doc_columns("target", doc),
                    **_doc_columns("reference", reference),
                }
            )
    for tid, error in sorted(errors.items()):
        if tid not in {d.info.id for d in docs}:
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
    provision_rows: list[dict[str, Any]] = []
    if columns:
        reading = [ClauseRef(c.path, c.heading, c.coverage) for c in reference.clauses]
        matrix = assemble_matrix(summarise(reference), columns, {}, {}, "", reading)
        for ri, row in enumerate(matrix.rows):
            for doc, cell in zip(compared, row.cells, strict=True):
                provision_rows.append(
                    {
                        "reference_id": reference.info.id,
                        "reference_order": ri,
                        "reference_path": row.clause.path,
                        "reference_heading": row.clause.heading,
                        "reference_coverage": row.clause.coverage,
                        "target_id": doc.info.id,
                        "label": cell.label,
                        "score": _round(cell.score),
                        "target_paths": _joined(cell.counterparts),
                        "unseen": cell.unseen,
                        **_doc_columns("target", doc),
                    }
                )
    document_rows = [_document_row(reference, "reference")] + [_document_row(d, "target") for d in docs]
    document_rows += [
        {**_document_row(None, "target"), "id": tid, "read_error": err}
        for tid, err in sorted(errors.items())
        if tid not in {d.info.id for d in docs}
    ]

    def frame(rows: list[dict[str, Any]], like: list[str]) -> Any:
        return pd.DataFrame(rows) if rows else pd.DataFrame(columns=like)

    pairs = frame(pair_rows, ["target_id"]).sort_values("target_id", kind="stable").reset_index(drop=True)
    return StudyResult(
        verdicts=frame(verdict_rows, ["target_id", "verdict_order", "label"]),
        documents=frame(document_rows, ["id"]),
        pairs=pairs,
        provisions=frame(provision_rows, ["reference_order", "target_id", "label"]),
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


def _add_instruments(result: StudyResult, reference: Document, docs: Sequence[Document]) -> None:
    """Code the reference and every target that was read by policy instrument. Coding is per document and cheap
    (keyword rules over the units already segmented), so it runs here, on the documents this pass loaded, rather
    than once per pair; it is recomputed on a rerun, which keeps the tables the same."""
    import pandas as pd

    from policydiff.compare.coding import MixRow, code_documents, codings_frame, instrument_mix

    report = code_documents([reference, *sorted(docs, key=lambda d: d.info.id)])
    result.instruments = codings_frame(report)
    columns = list(MixRow.__dataclass_fields__)
    rows = [vars(r) for r in instrument_mix(report.documents, reference=reference.info.id)]
    result.instrument_mix = pd.DataFrame(rows, columns=columns)


def write_study(result: StudyResult, out: Path) -> list[Path]:
    """The dataset: the tables as Parquet and CSV, study.json, summary.md and summary.html."""
    import json

    from policydiff.compare.study_report import summary_html, summary_md
    from policydiff.compare.tables import write_table

    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in TABLES:
        written += write_table(getattr(result, name), out, name)
    record = json.dumps(result.record, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    for name, data in (
        ("study.json", record.encode("utf-8")),
        ("summary.md", summary_md(result).encode("utf-8")),
        ("summary.html", summary_html(result).encode("utf-8")),
    ):
        atomic_write(out / name, data)
        written.append(out / name)
    return written
