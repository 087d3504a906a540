"""The library surface: what `import policydiff` offers a notebook, and what the command line calls.

The verbs::

    import policydiff
    hunan = policydiff.load("hunan-2021")
    result = policydiff.compare(hunan, "central-2021")      # target first, then its reference(s)
    result.to_pandas()                                       # one row per verdict
    policydiff.matrix("central-2021", "hunan-2021", "anhui-2022").to_pandas()
    policydiff.corpus().list()                               # the documents you can compare
    policydiff.study("central-2021", out="study/").verdicts  # one reference against many targets, as tables
    policydiff.link().to_pandas()                            # which document implements which
    policydiff.similar().head()                              # provisions reused across documents

Documents may be given as `Document`s, corpus ids or file paths. pandas is imported only by `to_pandas()`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

from policydiff.compare.cache import Cache
from policydiff.compare.config import AlignConfig
from policydiff.compare.matrix import Matrix
from policydiff.compare.result import Comparison, Report, Verdict
from policydiff.compare.views import level_warning
from policydiff.corpora.catalogue import Catalogue
from policydiff.corpora.model import Document

if TYPE_CHECKING:
    import pandas

    from policydiff.compare.coding import CodingReport
    from policydiff.compare.intercoder import CoderAgreement
    from policydiff.compare.link import LinkResult
    from policydiff.compare.reliability import Reliability
    from policydiff.compare.study import Progress as StudyProgress
    from policydiff.compare.study import StudyResult
    from policydiff.corpora.catalogue import Entry
    from policydiff.corpora.manage import AddResult
    from policydiff.rules.codebook import Codebook
    from policydiff.rules.ruleset import RuleSet

__all__ = [
    "AlignConfig",
    "CodingResult",
    "ComparisonResult",
    "Corpus",
    "Document",
    "MatrixResult",
    "Verdict",
    "code",
    "coder_agreement",
    "compare",
    "corpus",
    "document_warnings",
    "level_warning",
    "link",
    "load",
    "matrix",
    "similar",
    "study",
]

DocumentLike = Union[Document, str, Path]  # noqa: UP007 - a runtime alias, evaluated on Python 3.10 too
PathsLike = Union[str, Path, Sequence[Union[str, Path]], None]  # noqa: UP007
Progress = Callable[[str], None]


def _paths(value: PathsLike) -> tuple[Path, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, Path)):
        return (Path(value),)
    return tuple(Path(v) for v in value)


def load(id_or_path: DocumentLike, corpus: PathsLike = None) -> Document:
    """Read a document: a corpus id (`"hunan-2021"`) or a file path, segmented into sections and clauses.

    `corpus` names extra corpus folders (one or several) searched besides the bundled corpus and the user's.
    """
    if isinstance(id_or_path, Document):
        return id_or_path
    return Catalogue.default(_paths(corpus)).load(str(id_or_path))


def _rules(rules: RuleSet | PathsLike) -> RuleSet:
    from policydiff.rules.ruleset import RuleSet, load_rules

    if isinstance(rules, RuleSet):
        return rules
    return load_rules(_paths(rules))


def _config(config: AlignConfig | dict[str, Any] | None) -> AlignConfig:
    if config is None:
        return AlignConfig()
    if isinstance(config, AlignConfig):
        return config
    return AlignConfig().with_overrides(**config)


def _frame(rows: list[dict[str, Any]]) -> pandas.DataFrame:
    import pandas as pd

    from policydiff.compare.export.table import VERDICT_COLUMNS

    frame = pd.DataFrame(rows, columns=list(VERDICT_COLUMNS))
    for column in ("reference_order", "target_order"):  # whole numbers, empty where the side is
        frame[column] = frame[column].astype("Int64")
    return frame


@dataclass(frozen=True)
class ComparisonResult:
    """A target compared with one or more references: `.verdicts`, `.comparisons`, `.report`, `.to_pandas()`.

    In Jupyter it shows as the HTML summary table (the one the HTML export opens with).
    """

    report: Report
    warnings: tuple[str, ...] = field(default=())

    @property
    def comparisons(self) -> tuple[Comparison, ...]:
        """One comparison per reference, in the order given."""
        return self.report.comparisons

    @property
    def verdicts(self) -> tuple[Verdict, ...]:
        """Every verdict of every comparison, in report order (typed `Verdict` objects)."""
        return tuple(v for c in self.report.comparisons for v in c.verdicts)

    @property
    def summary(self) -> dict[str, dict[str, int]]:
        """The counts per reference id: retained, adapted, added, missing, and unjudged beside them."""
        return {c.reference.info.id: c.summary for c in self.report.comparisons}

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (`policydiff/comparison@1`) as Python values."""
        return self.report.to_dict()

    def to_pandas(self) -> pandas.DataFrame:
        """One row per verdict with the export's columns (ids, paths, headings, label, scores, evidence,
        `reference_order` and `target_order` for keeping the documents' order)."""
        from policydiff.compare.export.table import verdict_rows

        return _frame(verdict_rows(self.report))

    def export(self, fmt: str) -> bytes:
        """The report in a file format: csv, xlsx, json, md or html."""
        from policydiff.compare.export import exporter

        return exporter(fmt)(self.report)

    def _repr_html_(self) -> str:
        from policydiff.compare.export.html import summary_fragment

        return summary_fragment(self.report)


@dataclass(frozen=True)
class MatrixResult:
    """One reference against several targets: `.matrix` (rows × columns), `.verdicts`, `.to_pandas()`."""

    matrix: Matrix
    warnings: tuple[str, ...] = field(default=())

    @property
    def verdicts(self) -> tuple[Verdict, ...]:
        """Every verdict of every target's comparison with the reference, target by target."""
        return tuple(v for c in self.matrix.columns for v in c.comparison.verdicts)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract (`policydiff/matrix@1`) as Python values."""
        return self.matrix.to_dict()

    def to_pandas(self) -> pandas.DataFrame:
        """One row per verdict, all targets stacked; pivot on `reference_order` to get the matrix back."""
        from policydiff.compare.export.table import verdict_rows

        return _frame(verdict_rows(self.matrix))

    def export(self, fmt: str) -> bytes:
        """The matrix in a file format: csv, xlsx, json, md or html."""
        from policydiff.compare.export import exporter

        return exporter(fmt)(self.matrix)

    def _repr_html_(self) -> str:
        from policydiff.compare.export.html import summary_fragment

        return summary_fragment(self.matrix)


def compare(
    target: DocumentLike,
    *references: DocumentLike,
    rules: RuleSet | PathsLike = None,
    config: AlignConfig | dict[str, Any] | None = None,
    corpus: PathsLike = None,
    cache: bool | Cache = True,
    progress: Progress | None = None,
) -> ComparisonResult:
    """Compare `target` clause by clause with each reference: retained, adapted, added, missing (and
    unjudged, for reference clauses of which nothing was seen).

    The target comes first: the document whose choices you examine (a province's implementation), then the
    document(s) it carries out (the central policy). `rules` adds rule folders (or is a loaded `RuleSet`);
    `config` is an `AlignConfig` or a dict of settings to override. Without references, the target is compared
    with the document(s) it says it implements, when they are in the corpora. `cache` is a flag or an open
    `Cache`. `result.warnings` says when the target sits above a reference (the order looks swapped), when the
    references were found through the target's links, and when the cache could not be used.
    """
    from policydiff.compare.run import compare_documents
    from policydiff.corpora.errors import ConfigError
    from policydiff.corpora.links import linked_references

    warnings: list[str] = []
    if not references:
        if isinstance(target, Document):
            raise ConfigError("compare needs at least one reference document")
        linked = linked_references(Catalogue.default(_paths(corpus)), str(target))
        ids = tuple(e.id for e in linked)
        warnings.append(f"comparing {target} with {', '.join(ids)}, the document it implements")
        references = ids
    docs = [load(d, corpus) for d in (target, *references)]
    warnings.extend(w for d in docs for w in document_warnings(d))
    warnings.extend(w for r in docs[1:] if (w := level_warning(docs[0].info, r.info)))
    store, problem = _cache(cache)
    warnings.extend(problem)
    report = compare_documents(docs[0], docs[1:], _config(config), _rules(rules), store, progress=progress)
    return ComparisonResult(report, tuple(warnings))


def matrix(
    reference: DocumentLike,
    *targets: DocumentLike,
    rules: RuleSet | PathsLike = None,
    config: AlignConfig | dict[str, Any] | None = None,
    corpus: PathsLike = None,
    cache: bool | Cache = True,
    progress: Progress | None = None,
) -> MatrixResult:
    """What each target made of each clause of `reference`: the reference comes first, then the targets
    (the provinces implementing it)."""
    from policydiff.compare.matrix import build_matrix
    from policydiff.corpora.errors import ConfigError

    if not targets:
        raise ConfigError("matrix needs at least one target document")
    ref, *tgts = (load(d, corpus) for d in (reference, *targets))
    warnings = [w for d in (ref, *tgts) for w in document_warnings(d)]
    warnings.extend(w for t in tgts if (w := level_warning(t.info, ref.info, command="matrix")))
    store, problem = _cache(cache)
    warnings.extend(problem)
    result = build_matrix(ref, tgts, _config(config), _rules(rules), store, progress)
    return MatrixResult(result, tuple(warnings))


def document_warnings(doc: Document) -> tuple[str, ...]:
    """What a reader of the report should know about how a document was read: its segmentation warnings, and
    that it has no words to compare (only punctuation, numbering or blank space)."""
    found = list(doc.warnings)
    if not doc.has_words:
        found.append(f"{doc.info.id}: no words to compare (only punctuation, numbering or blank space)")
    return tuple(found)


def _cache(cache: bool | Cache) -> tuple[Cache, tuple[str, ...]]:
    """An open cache, and the warning to give when its folder cannot be used (the run goes on without it)."""
    if not isinstance(cache, bool):
        return cache, ()
    store = Cache.open(enabled=cache)
    return store, ((f"{store.problem}; running without the cache",) if store.problem else ())


@dataclass(frozen=True)
class CodingResult:
    """Policy-instrument codes for every sentence of some documents (`policydiff.code`)."""

    report: CodingReport
    codebook: Codebook | None = None  # the codebook the codes came from (hand codings are checked against it)

    def agreement(self, hand: str | Path) -> Reliability:
        """Agreement with a hand-coded sample (CSV: document, text and/or path, type, subtype): percent
        agreement, Cohen's kappa and Krippendorff's alpha by type and subtype, confusion matrix, disagreements
        (`.to_dict()` is what `policydiff code --evaluate -f json` prints)."""
        from policydiff.compare.reliability import evaluate_coding, read_hand_coding
        from policydiff.rules.codebook import load_codebook

        sample = read_hand_coding(Path(hand), self.codebook or load_codebook(None))
        return evaluate_coding(self.report, sample, str(hand))

    def to_pandas(self) -> pandas.DataFrame:
        """One row per code (document × provision × unit × code; rank 1 is a sentence's primary instrument)."""
        from policydiff.compare.coding import codings_frame

        return codings_frame(self.report)

    def mix(self, reference: str | None = None) -> pandas.DataFrame:
        """Share of coded sentences by type and subtype per document, and the difference from `reference`
        (default: the first document)."""
        import pandas as pd

        from policydiff.compare.coding import instrument_mix

        return pd.DataFrame([vars(row) for row in instrument_mix(self.report.documents, reference)])

    def export(self, fmt: str) -> bytes:
        """The codings in a file format: json, csv or xlsx."""
        from policydiff.compare.export.coding import CODING_EXPORTERS

        return CODING_EXPORTERS[fmt](self.report)


def code(
    *documents: DocumentLike,
    codebook: Codebook | str | Path | None = None,
    corpus: PathsLike = None,
    cache: bool | Cache = True,
) -> CodingResult:
    """Code every sentence of each document by policy instrument (default: Rothwell & Zegveld's supply /
    environment / demand types and subtypes) and score each document's policy strength. `codebook` is a loaded
    `Codebook` or the path of a codebook TOML file of your own. `cache` (a flag or an open `Cache`) keeps the
    classifier a codebook's examples train, so the next run need not train it."""
    from policydiff.compare.coding import code_documents
    from policydiff.compare.learned import chooser
    from policydiff.corpora.errors import ConfigError
    from policydiff.rules.codebook import Codebook, load_codebook

    if not documents:
        raise ConfigError("name at least one document to code (an id or a file path)")
    book = codebook if isinstance(codebook, Codebook) else load_codebook(Path(codebook) if codebook else None)
    docs = [load(d, corpus) for d in documents]
    store, _ = _cache(cache)
    chooser(book, store if store.enabled else None)
    return CodingResult(code_documents(docs, book), book)


def coder_agreement(
    first: str | Path, second: str | Path, codebook: Codebook | str | Path | None = None
) -> CoderAgreement:
    """Inter-coder reliability: how far two hand codings of the same sentences agree (by type and subtype),
    rows paired by sentence text, or by path when a row has none."""
    from policydiff.compare.intercoder import coder_agreement as agreement
    from policydiff.compare.reliability import read_hand_coding
    from policydiff.rules.codebook import Codebook, load_codebook

    book = codebook if isinstance(codebook, Codebook) else load_codebook(Path(codebook) if codebook else None)
    a, b = Path(first), Path(second)
    return agreement(read_hand_coding(a, book), read_hand_coding(b, book), str(a), str(b))


@dataclass(frozen=True)
class Corpus:
    """The documents a run can compare: the bundled corpus, the user's, and any extra folders."""

    folders: tuple[Path, ...] = ()

    def rows(self) -> list[dict[str, str | list[str]]]:
        """The listing `policydiff corpus list` prints: one row per document with its data card's main fields,
        its policy strength (政策力度, from the rules' strength table; "" where no row applies), what it
        implements (ids where catalogued) and its other versions."""
        from policydiff.corpora.links import listing
        from policydiff.rules.strength import policy_strength

        catalogue = Catalogue.default(self.folders)
        rows = listing(catalogue)
        for row, entry in zip(rows, catalogue.entries, strict=True):
            score = policy_strength(entry.info()).score
            row["strength"] = "" if score is None else str(score)
        return rows

    def list(self) -> list[Entry]:
        """Every document's data card (id, title, level, region, date, kind, …), bundled first."""
        return list(Catalogue.default(self.folders).entries)

    def load(self, id_or_path: DocumentLike) -> Document:
        """Read one document of this corpus (or any file)."""
        return load(id_or_path, self.folders)

    def add(self, file: str | Path, **metadata: Any) -> AddResult:
        """Copy a file into the corpus (the first folder given, else the user's), reading its metadata; keyword
        arguments (`id`, `title`, `level`, `issuer`, `region`, `date`, `source_url`) fill or override fields."""
        from policydiff.corpora.manage import NewDocument, add_document

        if isinstance(metadata.get("issuer"), str):
            metadata["issuer"] = (metadata["issuer"],)
        fields = NewDocument(**metadata) if metadata else None
        return add_document(Path(file), fields, self.folders)

    def to_pandas(self) -> pandas.DataFrame:
        """The data cards as a table, one row per document."""
        import pandas as pd

        keys = ("id", "title", "level", "region", "date", "kind", "origin")
        return pd.DataFrame([{k: getattr(e, k, "") for k in keys} for e in self.list()], columns=list(keys))


def corpus(folders: PathsLike = None) -> Corpus:
    """The corpus a run reads: the bundled and user corpora plus `folders` (for `list()`, `load()`, `add()`)."""
    return Corpus(_paths(folders))


def study(
    reference: DocumentLike,
    *targets: DocumentLike,
    corpus: PathsLike = None,
    all_below: bool = False,
    out: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    fresh: bool = False,
    rules: PathsLike = None,
    config: AlignConfig | dict[str, Any] | None = None,
    progress: StudyProgress | None = None,
) -> StudyResult:
    """Compare every target with `reference` in parallel and gather the verdicts into pandas tables.

    The reference comes first, then the targets (ids, files or Documents); without targets, every document in
    the corpora whose `implements` names the reference (`all_below=True`: every document of a lower level).
    `workers` local processes (default one per CPU, 0 runs in this process) or a Dask `scheduler`
    ("tcp://HOST:PORT"). With `out`, the dataset is written there as it goes (Parquet and CSV tables,
    study.json, summary.md and summary.html) and a rerun reuses the pairs already finished (`fresh=True`
    compares them again). `rules` names rule folders (each worker loads them); `progress(done, total, reused)`
    is called as pairs finish. The result's tables: `verdicts`, `documents`, `pairs`, `provisions`,
    `instruments` (document × provision × unit × instrument code) and `instrument_mix`.
    """
    from policydiff.compare.study import study as run_study
    from policydiff.corpora.errors import ConfigError

    if workers is not None and scheduler:
        raise ConfigError("give workers or a scheduler, not both")
    return run_study(
        reference,
        list(targets) or None,
        corpus=_paths(corpus),
        all_below=all_below,
        out=Path(out) if out is not None else None,
        workers=workers,
        scheduler=scheduler,
        fresh=fresh,
        config=_config(config),
        rule_folders=_paths(rules),
        progress=progress,
    )


def link(corpus: PathsLike = None, save: bool = False) -> LinkResult:
    """Which documents each document in the corpora implements, with a confidence and the reason: what its
    text says first (a title it names), then retrieval (TF-IDF cosine with documents of a higher level and an
    earlier or equal date). `save=True` writes the strongest links into the catalogues' `implements` (the
    bundled corpus is never changed; `result.saved` lists the ids whose entries changed). `result.unreadable`
    lists the documents that could not be read; `result.to_pandas()` gives one row per link."""
    from dataclasses import replace

    from policydiff.compare.link import best_links, link_corpus

    folders = _paths(corpus)
    result = link_corpus(folders)
    if save:
        from policydiff.corpora.manage import save_implements

        result = replace(result, saved=tuple(save_implements(best_links(result.links), folders)))
    return result


def similar(
    *documents: DocumentLike,
    corpus: PathsLike = None,
    top: int = 5,
    min_score: float = 0.5,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
) -> pandas.DataFrame:
    """For every provision of the documents (default: every document in the corpora), its `top` most similar
    provisions in the other documents with a similarity of at least `min_score` (cosine of character n-grams,
    0..1), with both documents' dates so the earlier can be read as the source. Returns a DataFrame (one row
    per pair, best first); with `out` ("FILE.parquet" or "FILE.csv") it is also written there."""
    from policydiff.compare.similar import similar as find_similar
    from policydiff.compare.tables import write_frame
    from policydiff.corpora.errors import ConfigError, InputError

    target = Path(out) if out is not None else None
    if target is not None:
        if target.suffix not in (".parquet", ".csv"):
            raise ConfigError(f"--out must end in .parquet or .csv, not {target.name!r}")
        if target.is_dir():
            raise InputError(target, "is a folder; --out needs a file name")
    catalogue = Catalogue.default(_paths(corpus))
    docs = [load(d, corpus) for d in documents] if documents else [catalogue.load(i) for i in catalogue.ids]
    table = find_similar(docs, top=top, min_score=min_score, workers=workers, scheduler=scheduler)
    if target is not None:
        write_frame(table, target)
    return table
